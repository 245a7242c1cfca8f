"""Production settings for the benchmark run, with three differences, each said here.

- The API's rate limits are lifted: one load generator on loopback is one client, and the
  production limits (120 requests a minute) would turn the run into a test of the 429 path.
  The throttle still counts every request in the shared limits store (the database here, as in
  production without Redis).
- `BENCH_CACHE=off` swaps the cache for Django's DummyCache: no rendered answer, count or export
  is kept, so every request does the whole work (the "uncached" pass).
- `BENCH_STATIC_ROOT`: a folder whitenoise serves at the site root, for the static-file ceiling
  (the same bytes as an API answer, served by the same gunicorn and middleware stack).
"""

import os

from ethicalmap.settings import *  # noqa: F403
from ethicalmap.settings import REST_FRAMEWORK

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000000/minute",
        "user": "100000000/minute",
        "export": "100000000/minute",
    },
}

if os.environ.get("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

if os.environ.get("BENCH_STATIC_ROOT"):
    WHITENOISE_ROOT = os.environ["BENCH_STATIC_ROOT"]
