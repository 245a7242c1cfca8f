"""Cold requests, one at a time: paths never asked before, and every page after a write.

    python benchmarks/cold.py single BASE PATHS-FILE          # -> one JSON line
    DJANGO_SETTINGS_MODULE=benchmarks.settings DATABASE_URL=... \\
        python benchmarks/cold.py write BASE REPS PATH...      # -> one JSON line per path

`single`: one request for each path of the file, in turn, each on a new connection, nothing else
in flight: the time to the last byte of each (p50, p90, max). With held-out paths (the `cold` set
of `longtail_paths.py`) no answer to them is cached yet, though the server is warm.

`write`: each path asked a few times first (every worker warm), then for each repetition, for
each path: a moderator's edit of one organisation through the ORM (`save()`, as the admin does:
the history row, the search vector and the data version's bump by trigger), then a wait for the
writing process to finish building the whole map's values for the new data (ethicalmap/kept.py:
a thread of the writer, as in the admin's process; `build_ms`), then for every worker to see the
new version (`DATA_VERSION_MAX_AGE_MS`, plus a margin), then one request, timed. So every request
is the first of its page after a write. The organisation's summary alternates between two texts
and ends as it was.

Before each of those writes, one more: the page asked as soon as every worker sees the new
version, without waiting for the build (`during_*`): while it runs, the page shows the values last
built (ethicalmap/kept.py). `during_in_build` says how many of those requests began before the
build ended; at small N the build is often over by then. A write of its own for each, because the
answer to this request may be kept by the anonymous cache for its version.
"""

import http.client
import json
import statistics
import sys
import time
from urllib.parse import urlsplit

WARM_GETS = 10  # per page before the first write: twice gunicorn's 5 workers


def get(base, path):
    """One GET on a new connection: (status, bytes, milliseconds to the last byte)."""
    parts = urlsplit(base)
    if parts.hostname != "127.0.0.1":
        raise SystemExit(f"refusing non-loopback target: {base}")
    start = time.perf_counter()
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), (time.perf_counter() - start) * 1000


def summary(times, statuses):
    ordered = sorted(times)
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
        "errors": sum(1 for s in statuses if s != 200),
        "statuses": sorted(set(statuses)),
    }


def single(base, paths_file):
    with open(paths_file) as f:
        paths = [line.strip() for line in f if line.strip()]
    times, statuses = [], []
    for path in paths:
        status, _, ms = get(base, path)
        times.append(ms)
        statuses.append(status)
    print(json.dumps(summary(times, statuses)))


def write(base, reps, paths):
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.conf import settings

    from ethicalmap import kept
    from orgs.models import Organisation

    pause = settings.DATA_VERSION_MAX_AGE_MS / 1000 + 0.2
    org = Organisation.objects.published().order_by("pk")[
        Organisation.objects.published().count() // 3
    ]
    original = org.summary
    edited = (original[:280] + " (edited)") if not original.endswith(" (edited)") else original[:-9]
    results = {path: {"times": [], "statuses": [], "bytes": 0} for path in paths}
    for path in paths:  # so each worker has served every page once: no first-use costs counted
        for _ in range(WARM_GETS):
            get(base, path)
    writes = 0
    try:
        for _ in range(reps):
            for path in paths:
                result = results[path]
                writes += 1
                org.summary = edited if writes % 2 else original
                org.save()
                time.sleep(pause)
                in_build = kept.waiting()
                status, _, ms = get(base, path)
                result.setdefault("during", []).append(ms)
                result.setdefault("during_statuses", []).append(status)
                result["during_in_build"] = result.get("during_in_build", 0) + in_build
                while kept.waiting():
                    time.sleep(0.01)
                writes += 1
                org.summary = edited if writes % 2 else original
                t0 = time.perf_counter()
                org.save()
                write_ms = (time.perf_counter() - t0) * 1000
                while kept.waiting():
                    time.sleep(0.01)
                build_ms = (time.perf_counter() - t0) * 1000 - write_ms
                time.sleep(pause)
                status, size, ms = get(base, path)
                result["times"].append(ms)
                result["statuses"].append(status)
                result["bytes"] = size
                result.setdefault("write_ms", []).append(write_ms)
                result.setdefault("build_ms", []).append(build_ms)
    finally:
        if org.summary != original:
            org.summary = original
            org.save()
    for path, result in results.items():
        line = {"path": path, "bytes": result["bytes"], "edited": org.slug}
        line |= summary(result["times"], result["statuses"])
        line["write_ms"] = round(statistics.median(result["write_ms"]), 2)
        line["build_ms"] = round(statistics.median(result["build_ms"]), 2)
        during = summary(result["during"], result["during_statuses"])
        line |= {f"during_{key}": value for key, value in during.items() if key != "requests"}
        line["during_in_build"] = result["during_in_build"]
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "single":
        single(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    else:
        raise SystemExit(__doc__)
