"""Values derived from the whole published data, built when the data change, not when asked.

The unfiltered landscape, network, term counts and insights read every published organisation:
at 100,000 they take seconds. Kept in the cache under the data version, they were still built by
the first visitor after every write. Now they are built after the write, and kept in the database,
where every process of every app server finds them:

- A `Kept` names one value and the function that builds it from the current data (the apps
  declare theirs next to the code that draws them; see `orgs/apps.py`).
- When a transaction that wrote to the public data commits (`post_save`, `post_delete` and
  `m2m_changed` of the public models, see `watch_writes`), the writing process builds every
  value again: in a thread of its own (KEPT_BUILD_IN_BACKGROUND, production), or at once.
  Many writes in a row are one build, and a value already built for the current version is not
  built again.
- `Kept.get()` reads the value built for the current data version: one primary-key lookup. A
  value of another version (a write by raw SQL, which no signal sees, or a build still running)
  is built in the request and kept, as the cache did before.
- A value is kept only when the data version did not move while it was built: a kept value is
  never older than the version it is kept under, and a visitor never sees counts older than the
  data. `manage.py keep_derived` builds them all, after a load by raw SQL or a deploy.

Values are pickled, as Django's cache pickles them; only this module writes the table, and it
holds nothing a visitor sent.
"""

import logging
import pickle
import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ethicalmap import background
from ethicalmap.dataversion import data_version, public_models

logger = logging.getLogger("ethicalmap")

_values = {}  # name -> Kept, in the order declared


class Kept:
    """One derived value: `build()` makes it from the current data.

    With `daily`, it also counts back from today (how many were verified in the last year, say):
    a value built on another day is built again."""

    def __init__(self, name, build, *, daily=False):
        if name in _values:
            raise ValueError(f"A kept value named {name!r} is declared already.")
        self.name, self.build, self.daily = name, build, daily
        _values[name] = self

    def __repr__(self):
        return f"Kept({self.name!r})"

    def day(self):
        return timezone.localdate().isoformat() if self.daily else ""

    def get(self, version=None):
        """The value for the current data: built for `version` (the request's, perhaps a moment
        old) or for the version read now; otherwise built now, and kept. One query when it was
        built for `version`, two when for a newer one."""
        found, current = self._read(version)
        return found if current is None else self.refresh(current)

    def peek(self, version=None):
        """The value for the current data if it is built already, else None (nothing built)."""
        found, _ = self._read(version)
        return found

    def _read(self, version):
        """(the value, None) when it is built for the current data, else (None, current version)."""
        from ethicalmap.models import KeptValue

        rows = KeptValue.objects.filter(name=self.name, day=self.day())
        row = rows.values_list("version", "value").first()
        if row is not None and version is not None and row[0] == version.token:
            return pickle.loads(row[1]), None
        current = data_version()  # the request's may be a moment old
        if row is not None and row[0] == current.token:
            return pickle.loads(row[1]), None
        return None, current

    def refresh(self, current=None):
        """Build the value from the data of version `current` (read now by default), keep it
        if the data did not move meanwhile, and return it."""
        from ethicalmap.models import KeptValue

        before, day = current or data_version(), self.day()
        value = self.build()
        if data_version().token == before.token:
            KeptValue.objects.bulk_create(
                [
                    KeptValue(
                        name=self.name,
                        version=before.token,
                        day=day,
                        value=pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
                        built=timezone.now(),
                    )
                ],
                update_conflicts=True,
                unique_fields=["name"],
                update_fields=["version", "day", "value", "built"],
            )
        return value


def declared():
    """The names of every kept value, in the order declared."""
    return list(_values)


def build_all():
    """Build every kept value not yet built for the current data version (and day); the names
    of those built."""
    from ethicalmap.models import KeptValue

    built = {
        name: (version, day)
        for name, version, day in KeptValue.objects.values_list("name", "version", "day")
    }
    token, done = data_version().token, []
    for kept in list(_values.values()):
        if built.get(kept.name) == (token, kept.day()):
            continue
        try:
            kept.refresh()
        except Exception:  # one failing value must not keep the others from being built
            logger.exception("The kept value %s could not be built", kept.name)
        else:
            done.append(kept.name)
    return done


# --- After a write ------------------------------------------------------------------------

_lock = threading.Lock()
_state = {"pending": False, "thread": None}


def _run_pending():
    """The builder thread: builds until no write is left unbuilt, then ends."""
    while True:
        with _lock:
            if not _state["pending"]:
                _state["thread"] = None
                return
            _state["pending"] = False
        build_all()


def after_write():
    """Build the kept values for the data just committed: in a thread (one per process at a
    time; writes made while it builds make it build once more), or at once."""
    if not settings.KEPT_BUILD_ON_WRITE:
        return
    if not settings.KEPT_BUILD_IN_BACKGROUND:
        build_all()
        return
    with _lock:
        _state["pending"] = True
        if _state["thread"] is None:
            _state["thread"] = background.start(
                "kept-build", _run_pending, failure="The kept values could not be built"
            )


def _written(sender, using=None, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: after the change only
        transaction.on_commit(after_write, using=using)


def watch_writes():
    """Connect every public model (those whose tables move the data version) to `after_write`."""
    for model in public_models():
        label = model._meta.label_lower
        if model._meta.auto_created:  # a link table: written through its many-to-many field
            m2m_changed.connect(_written, sender=model, dispatch_uid=f"kept-{label}")
        else:
            post_save.connect(_written, sender=model, dispatch_uid=f"kept-save-{label}")
            post_delete.connect(_written, sender=model, dispatch_uid=f"kept-delete-{label}")


def waiting():
    """Whether a build is running or due in this process (for tests and the benchmark)."""
    with _lock:
        return _state["thread"] is not None
