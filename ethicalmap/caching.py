"""What the map keeps in Django's cache, and under which keys: the one place that decides both.

Everything kept is derived from the published data (answers, counts, drawings), so every key is
made by `versioned_key` and names:
- a namespace: what kind of thing is kept (`page`, `api-count`, `insights` …);
- the data version it was built from (`ethicalmap.dataversion`), whose token names the release
  too (`ethicalmap.release`): a write or a deploy makes every older entry unreachable, and nothing
  is ever invalidated by hand. An entry keyed on its own inputs (a layout keyed on the graph it
  draws, an answer keyed on an ETag that already names the version) passes `version=None`, and
  its key names the release alone;
- the parts that pick one entry within the namespace: readable when short and plain, hashed
  otherwise (a query string, SQL), so a key is never longer than a cache accepts.

A cache outage slows answers, it never fails them: `cache_get` misses and `cache_set` drops the
entry, each with a warning, and `versioned_get_or_set` then computes the value every time.

Not here: rate limits, throttles and sign-in lockouts count requests in the cache, but they are
not derived from the data (orgs/submissions/antiabuse.py, ethicalmap/api/throttling.py, axes).
"""

import hashlib
import json
import logging
import re

from django.core.cache import cache

from ethicalmap.kept import served_older
from ethicalmap.release import release_id

logger = logging.getLogger("ethicalmap")
NAMESPACE = re.compile(r"[a-z][a-z0-9-]*")
# What may stand in a key as written: no ":" (the separator), "#" (marks a digest), spaces or
# control characters (which memcached refuses).
PLAIN = re.compile(r"[\w.=&,+-]*", re.ASCII)
MAX_PLAIN_LENGTH = 100
PROBE_KEY = "healthz"


def versioned_key(namespace, parts=(), *, version):
    """The cache key of one entry of `namespace`, built from data `version` (a DataVersion, or
    None for an entry keyed on its own inputs: the release alone), picked by `parts`."""
    if not NAMESPACE.fullmatch(namespace):
        raise ValueError(f"A cache namespace is lower-case letters, digits and '-': {namespace!r}")
    stamp = version.token if version is not None else release_id()
    pieces = [stamp, *(str(part) for part in parts)]
    plain = all(PLAIN.fullmatch(piece) for piece in pieces)
    if plain and sum(len(piece) for piece in pieces) <= MAX_PLAIN_LENGTH:
        return ":".join((namespace, *pieces))
    digest = hashlib.sha256(json.dumps(pieces).encode()).hexdigest()[:40]
    return f"{namespace}:#{digest}"


def cache_get(key):
    """The value kept under `key`, or None when there is none or the cache cannot be reached."""
    try:
        return cache.get(key)
    except Exception:  # a cache outage slows answers, it must not fail them
        logger.warning("Cache unavailable: reading", exc_info=True)
        return None


def cache_set(key, value, timeout):
    """Keep `value` under `key` for `timeout` seconds; an unreachable cache keeps nothing."""
    try:
        cache.set(key, value, timeout)
    except Exception:  # as above: the value is simply not kept
        logger.warning("Cache unavailable: keeping", exc_info=True)


def versioned_get_or_set(namespace, parts, compute, timeout, *, version):
    """The value kept under `versioned_key(namespace, parts, version=version)`, or `compute()`
    kept there for `timeout` seconds. `compute` must not return None (None means "not kept").

    Not kept when `compute` drew on values of older data, given while those of `version` are
    built (ethicalmap/kept.py): under `version` it would outlive the build."""
    key = versioned_key(namespace, parts, version=version)
    value = cache_get(key)
    if value is None:
        value = compute()
        if not served_older():
            cache_set(key, value, timeout)
    return value


def cache_health():
    """The cache's health for /healthz: "ok" when it keeps and returns a value, else the error."""
    try:
        cache.set(PROBE_KEY, "ok", 5)
        return "ok" if cache.get(PROBE_KEY) == "ok" else "error: no round trip"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return f"error: {type(error).__name__}"
