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
- `Kept.get()` reads the value built for the current data version: one primary-key lookup.
- While the value of the current version is not built yet (its build is running, after a write
  in this process or another; or a write by raw SQL, which no signal sees), `get()` gives the
  value last built, from the data before, and starts a build in this process unless one runs
  for that version anywhere (a claim in the shared limits store, `ethicalmap.limits`). So no
  visitor waits for a build, and visitors arriving together during one do not each build the
  same value: at 100,000 organisations that was seconds of work per request, for every
  request, until the first of them finished. Such an answer is marked (`served_older`): it is
  kept by no cache and carries no validator, so it is shown to this request only, and the next
  request after the build shows the new counts. `KEPT_STALE_WHILE_BUILDING` turns this off
  (tests, where a request builds what it needs at once); with no value built at all, the request
  builds it and keeps it.
- A value is kept only when the data version did not move while it was built: a kept value is
  never older than the version it is kept under. `manage.py keep_derived` builds them all,
  after a load by raw SQL or a deploy.

Values are pickled, as Django's cache pickles them; only this module writes the table, and it
holds nothing a visitor sent.
"""

import contextlib
import contextvars
import logging
import pickle
import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ethicalmap import background, limits
from ethicalmap.dataversion import data_version, public_models

logger = logging.getLogger("ethicalmap")

_values = {}  # name -> Kept, in the order declared
# How long the build of one data version is held by a process without news of it: the claim is
# prolonged after each value built, so only a process that died while building (a deploy, a
# crash) lets it lapse, and another may build that version this long after. The longest value
# takes under 2 s at 100,000 organisations on an idle machine.
BUILD_CLAIM_SECONDS = 60
_older = contextvars.ContextVar("ethicalmap_kept_older", default=False)


@contextlib.contextmanager
def request_scope():
    """Around one request: whether it was given a value of older data (`served_older`)."""
    token = _older.set(False)
    try:
        yield
    finally:
        _older.reset(token)


def served_older():
    """Whether this request was given a value built from older data, while the current one is
    built: its answer must not be kept by any cache, nor validated by the data version."""
    return _older.get()


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
        old) or for the version read now. Otherwise the value last built while the current one
        is built (see the module's docstring), or, with none, built now and kept. One query when
        it was built for `version`, two otherwise."""
        found, current, older = self._read(version)
        if current is None:
            return found
        if older is not None and settings.KEPT_STALE_WHILE_BUILDING:
            build_soon()
            _older.set(True)
            return pickle.loads(older)
        return self.refresh(current)

    def peek(self, version=None):
        """The value for the current data if it is built already, else None (nothing built)."""
        found, _, _ = self._read(version)
        return found

    def _read(self, version):
        """(the value, None, None) when it is built for the current data; else (None, the
        current version, the pickled value last built or None)."""
        from ethicalmap.models import KeptValue

        row = KeptValue.objects.filter(name=self.name).values_list("version", "day", "value")
        row = row.first()
        if row is None:
            return None, data_version(), None
        built_for, day, value = row
        if day == self.day() and version is not None and built_for == version.token:
            return pickle.loads(value), None, None
        current = data_version()  # the request's may be a moment old
        if day == self.day() and built_for == current.token:
            return pickle.loads(value), None, None
        return None, current, value

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


def build_all(progress=None):
    """Build every kept value not yet built for the current data version (and day); the names
    of those built. `progress()`, if given, is called after each."""
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
        if progress is not None:
            progress()
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
        _build_unless_elsewhere()


def _build_unless_elsewhere():
    """`build_all`, unless another process (or app server) is building this data version."""
    claim = f"kept-build:{data_version().token}"
    if not limits.claim(claim, BUILD_CLAIM_SECONDS):
        return
    try:
        build_all(progress=lambda: limits.prolong(claim, BUILD_CLAIM_SECONDS))
    finally:
        limits.release(claim)


def build_soon():
    """Build the kept values for the current data in this process's builder thread: one at a
    time; asked again while it builds, it builds once more."""
    with _lock:
        _state["pending"] = True
        if _state["thread"] is None:
            _state["thread"] = background.start(
                "kept-build", _run_pending, failure="The kept values could not be built"
            )


def after_write():
    """Build the kept values for the data just committed: in a thread (`build_soon`), or at
    once."""
    if not settings.KEPT_BUILD_ON_WRITE:
        return
    if settings.KEPT_BUILD_IN_BACKGROUND:
        build_soon()
    else:
        build_all()


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
