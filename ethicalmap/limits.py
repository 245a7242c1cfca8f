"""Counts that every app process shares: rate limits, single-use form stamps, API throttles.

A limit kept in one process's memory multiplies by the number of processes: five gunicorn
workers, or two machines behind a load balancer, each let a client through as often as the limit
says. So the counts live in a store they all share: Redis when `REDIS_URL` is set, otherwise the
database. Never Django's local-memory cache, and never its database cache either, whose `incr`
reads and then writes, so two processes counting at once both count one.

A count is a fixed window that opens at a key's first hit: `hit(key, seconds)` adds one and says
how many hits the window holds, and in how many seconds it ends. Both stores do that in one atomic
step, on the store's own clock, so machines with slightly different clocks agree:
- Redis: `SET key 0 EX seconds NX`, `INCR`, `TTL` in one MULTI/EXEC transaction;
- the database: one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (PostgreSQL, SQLite 3.35+)
  on `ethicalmap_limit`, which starts the window afresh when the row has expired. A trigger
  removes up to a hundred expired rows whenever a new one is inserted, inside that statement, so
  the table stays the size of the clients and stamps of the current windows at no extra query.

Why not a library: django-ratelimit and django-fast-ratelimit count through Django's cache (so
not atomically in the database), and `limits` speaks Redis, Memcached and MongoDB but no SQL
database. Axes keeps its own counts (see `AXES_HANDLER` in settings), in the same two stores.

Keys are keyed hashes (`key()`), never an address. If Redis cannot be reached, a hit counts
nothing (count 0) and a warning is logged: a cache outage must not close the forms and the API.
"""

import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils.crypto import salted_hmac

logger = logging.getLogger("ethicalmap")

TABLE = "ethicalmap_limit"
PRUNE_TRIGGER = "ethicalmap_limit_prune"
PRUNE_BATCH = 100
REDIS_PREFIX = "ethicalmap:limit:"
# The database's clock, in whole seconds.
_NOW = {
    "postgresql": "FLOOR(EXTRACT(EPOCH FROM clock_timestamp()))::bigint",
    "sqlite": "CAST(strftime('%s', 'now') AS INTEGER)",
}


@dataclass(frozen=True)
class Hit:
    count: int  # hits in the current window, this one included; 0 when nothing was counted
    reset_in: int  # seconds until the window ends


def key(scope, ident):
    """A store key for `ident` (an address, an account, a stamp) that does not reveal it."""
    digest = salted_hmac("ethicalmap.limits", f"{scope}:{ident}", algorithm="sha256")
    return f"{scope}:{digest.hexdigest()[:32]}"


def hit(name, seconds):
    """Count one hit of `name` in its window of `seconds`; the Hit says how many so far."""
    if settings.REDIS_URL:
        return _redis_hit(name, seconds)
    return _database_hit(name, seconds)


def claim(name, seconds):
    """True the first time `name` is claimed in `seconds`, False every time after."""
    return hit(name, seconds).count <= 1


def prolong(name, seconds):
    """Make the window of `name` end `seconds` from now, if it is open: a claim held while its
    work goes on."""
    if settings.REDIS_URL:
        try:
            _redis(settings.REDIS_URL).expire(REDIS_PREFIX + name, int(seconds))
        except _redis_errors() as error:
            _unavailable(error)
        return
    now = _now_in_query()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET expires = {now} + %s WHERE key = %s AND expires > {now}",
            [int(seconds), name],
        )


def release(name):
    """Forget `name`: its next hit opens a new window, its next claim succeeds."""
    if settings.REDIS_URL:
        try:
            _redis(settings.REDIS_URL).delete(REDIS_PREFIX + name)
        except _redis_errors() as error:
            _unavailable(error)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE key = %s", [name])


# --- Redis -----------------------------------------------------------------------------------


_clients = {}  # one Redis client per URL in this process
_clients_lock = threading.Lock()


def _redis(url):
    """This process's one client for `url`. It is made under a lock: a second client, made by a
    thread that came at the same moment and then dropped, closes the connections of its pool as
    it goes, in the middle of the other threads' requests."""
    with _clients_lock:
        if url not in _clients:
            import redis

            # Short timeouts: a slow Redis delays a request by a second at most, then counts
            # nothing.
            _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return _clients[url]


def _redis_errors():
    import redis

    return redis.RedisError


def _unavailable(error):
    logger.warning("Limits store unavailable, not counting: %s", type(error).__name__)


def _redis_hit(name, seconds):
    try:
        with _redis(settings.REDIS_URL).pipeline(transaction=True) as pipe:
            name = REDIS_PREFIX + name
            pipe.set(name, 0, ex=seconds, nx=True)
            pipe.incr(name)
            pipe.ttl(name)
            _, count, ttl = pipe.execute()
    except _redis_errors() as error:
        _unavailable(error)
        return Hit(count=0, reset_in=0)
    return Hit(count=count, reset_in=max(ttl, 0))


# --- The database ------------------------------------------------------------------------------


def _now_in_query():
    """The database's clock, as SQL for a query that has parameters (its % escaped)."""
    return _NOW[connection.vendor].replace("%", "%%")


def _database_hit(name, seconds):
    now = _now_in_query()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (key, hits, expires) VALUES (%s, 1, {now} + %s) "
            "ON CONFLICT (key) DO UPDATE SET "
            f"hits = CASE WHEN {TABLE}.expires <= {now} THEN 1 ELSE {TABLE}.hits + 1 END, "
            f"expires = CASE WHEN {TABLE}.expires <= {now} "
            f"THEN excluded.expires ELSE {TABLE}.expires END "
            f"RETURNING hits, expires - {now}",
            [name, int(seconds)],
        )
        count, reset_in = cursor.fetchone()
    return Hit(count=count, reset_in=max(reset_in, 0))


def _prune_sql(vendor):
    expired = f"SELECT key FROM {TABLE} WHERE expires <= {_NOW[vendor]} LIMIT {PRUNE_BATCH}"
    if vendor == "postgresql":
        # SKIP LOCKED: a row another request is counting right now is left for the next prune.
        yield (
            f"CREATE OR REPLACE FUNCTION {PRUNE_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN DELETE FROM {TABLE} WHERE key IN ({expired} FOR UPDATE SKIP LOCKED); "
            "RETURN NULL; END $$"
        )
        yield f"DROP TRIGGER IF EXISTS {PRUNE_TRIGGER} ON {TABLE}"
        yield (
            f"CREATE TRIGGER {PRUNE_TRIGGER} AFTER INSERT ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {PRUNE_TRIGGER}()"
        )
    else:
        yield f"DROP TRIGGER IF EXISTS {PRUNE_TRIGGER}"
        yield (
            f"CREATE TRIGGER {PRUNE_TRIGGER} AFTER INSERT ON {TABLE} "
            f"BEGIN DELETE FROM {TABLE} WHERE key IN ({expired}); END"
        )


def install_prune_trigger(using=DEFAULT_DB_ALIAS, **kwargs):
    """(Re)create the trigger that removes expired counts; connected to post_migrate.

    After every migrate, as the data-version triggers are: SQLite drops a table's triggers when a
    migration rebuilds it. Only an AFTER INSERT row trigger: a count that goes up, or a window
    that starts again on its own row, removes nothing.
    """
    conn = connections[using]
    if conn.vendor not in _NOW:
        raise NotImplementedError(f"No shared limits store for {conn.vendor}.")
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if TABLE not in conn.introspection.table_names(cursor):
            return  # migrated back to before the table existed
        for statement in _prune_sql(conn.vendor):
            cursor.execute(statement)
