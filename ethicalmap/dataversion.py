"""The version of the published data: a counter the database bumps on every write to it.

ETags, Last-Modified and every cache of public answers are keyed on it, so a moderator's edit is
seen at once and nothing else ever needs invalidating. Its token also names the release
(`ethicalmap/release.py`), so nothing kept outlives a deploy either.

The database keeps the counter itself: a trigger on every public table (every table of the
organisations, taxonomy, principles and resources apps, their link tables and the tags, but not
the private submissions or the history) bumps the one row of `ethicalmap_data_version` in the
writing transaction. So bulk loads, raw SQL and `QuerySet.update()` count too, and a reader sees
the new counter in the same snapshot as the new data: an answer is never kept under a version
newer than the data it was built from. Reading the version is one primary-key lookup. The triggers
are (re)installed after every migrate, which also covers tables added later and SQLite's rebuilt
tables; `tests/ethicalmap/test_dataversion.py` checks that every public table has one.

The price: writers to the public tables queue on that row until they commit. Writes here are
moderators' approvals and edits, a handful a minute at most, so that queue stays short.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ethicalmap.release import release_id

PUBLIC_APPS = ("orgs", "taxonomy", "principles", "resources", "taggit")
PRIVATE_MODELS = {"orgs.submission"}  # what the public never sees does not move the version
# Kept by a trigger from a public table in that table's writing statement, which moves the
# version already: a bump per entry would cost a bulk load one update of the version per row.
DERIVED_MODELS = {"orgs.searchentry"}
TRIGGER = "ethicalmap_data_version_bump"
TABLE = "ethicalmap_data_version"


@dataclass(frozen=True)
class DataVersion:
    token: str  # changes whenever the published data may have changed
    last_modified: datetime.datetime | None  # the latest change, None when nothing was ever saved

    @property
    def timestamp(self):
        return int(self.last_modified.timestamp()) if self.last_modified else None


def public_models():
    """The models whose rows the public pages and the API are built from, link tables included."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in PUBLIC_APPS or meta.proxy or not meta.managed:
            continue
        if meta.label_lower in PRIVATE_MODELS | DERIVED_MODELS:
            continue
        if meta.object_name.startswith("Historical"):
            continue
        yield model


def public_tables():
    """The tables whose rows the public pages and the API are built from, sorted."""
    return sorted({model._meta.db_table for model in public_models()})


def _postgresql_sql(tables, quote):
    yield (
        f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN UPDATE {TABLE} SET counter = counter + 1, changed = clock_timestamp(); "
        "RETURN NULL; END $$"
    )
    for table in tables:
        # Once per statement, not per row: a bulk load of 100,000 rows bumps it once. BEFORE the
        # statement, so a writer takes the version row before any row of its own: taken after,
        # two writers holding one each would deadlock.
        yield f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}"
        yield (
            f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
        )


def _sqlite_sql(tables, quote):
    # SQLite has row triggers only (and one writer at a time, so no deadlock); the timestamp is
    # in Django's own text format, in UTC.
    bump = (
        f"UPDATE {TABLE} SET counter = counter + 1, changed = strftime('%Y-%m-%d %H:%M:%f', 'now')"
    )
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = quote(f"{TRIGGER}_{table}_{event.lower()}")
            yield (
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} "
                f"BEGIN {bump}; END"
            )


def remove_sqlite_triggers(using=DEFAULT_DB_ALIAS, **kwargs):
    """Drop the SQLite triggers before a migrate (connected to pre_migrate).

    SQLite rebuilds a table to alter it, and checks every trigger that names the table being
    renamed: a migration of the version table would fail on them. post_migrate puts them back,
    from their current definition, and bumps the version for whatever the migrations wrote.
    """
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {conn.ops.quote_name(name)}")


def install_triggers(using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the version row if there is none, and a trigger on every public table, then bump
    the version: writes made while a migration had no trigger in place count too.

    Idempotent, in one transaction (no write slips between dropping and creating a trigger);
    connected to post_migrate (which also follows a flush).
    """
    from ethicalmap.models import DataVersion as Row

    conn = connections[using]
    sql = {"postgresql": _postgresql_sql, "sqlite": _sqlite_sql}.get(conn.vendor)
    if sql is None:
        raise NotImplementedError(f"No data-version triggers for {conn.vendor}.")
    with transaction.atomic(using=using), conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        if TABLE not in existing:  # migrated back to before the version existed
            return
        # Only tables that exist: after `migrate <app> zero` some are gone.
        tables = [table for table in public_tables() if table in existing]
        for statement in sql(tables, conn.ops.quote_name):
            cursor.execute(statement)
        # When the data last changed is unknown at first: now is the safe Last-Modified.
        row, created = Row.objects.using(using).get_or_create(
            pk=1, defaults={"epoch": _new_epoch(), "changed": timezone.now()}
        )
        if not created:
            Row.objects.using(using).filter(pk=1).update(
                counter=F("counter") + 1, changed=timezone.now()
            )


def _new_epoch():
    return secrets.token_hex(4)


def _as_datetime(value):
    if isinstance(value, str):  # SQLite returns the stored text
        value = parse_datetime(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def data_version(request=None):
    """The current DataVersion: one primary-key lookup, or none when `request` already read it."""
    if request is not None and getattr(request, "data_version", None) is not None:
        return request.data_version
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT epoch, counter, changed FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:  # flushed outside migrate: start a new epoch rather than fail
        install_triggers(connection.alias)
        return data_version()
    epoch, counter, changed = row
    # The release too: whatever is keyed on the version (kept answers, ETags, counts, the
    # export) is then also new after a deploy that changes how the data are shown.
    token = f"{epoch}.{counter}.{release_id()}"
    return DataVersion(token=token, last_modified=_as_datetime(changed))
