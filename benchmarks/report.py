"""Turn results/bench_<N>.jsonl and .meta.json (written by run.sh) into results/README.md.

python benchmarks/report.py benchmarks/results > benchmarks/results/README.md
"""

import contextlib
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
from importlib import metadata

WORKLOADS = {
    "a": "first 50 organisations, JSON, with the total count",
    "b": "organisations under one term (through the M2M), JSON, with count",
    "c": "full-text search, common word. Us: relevance-ranked, with count. Datasette: "
    "`_search` (id order, with count)",
    "c-ranked": "Datasette's canned query ranked by bm25 (no count): what our ranked search "
    "compares with",
    "c-rare": "full-text search, rare word (a number in one name); Datasette: bm25 canned query",
    "d": "one organisation with its terms (Datasette: canned query with json_group_array)",
    "e": "the HTML directory page of (a); ours also counts every facet",
    "f": "every organisation as CSV. Us: `/api/v1/export/organisations.csv` (the table of the "
    "open-data export, built once per data version, streamed from disk). Datasette: "
    "`orgs.csv?_stream=on&_size=max`",
    "ceiling": "the bytes of our (a) as a static file: whitenoise in our gunicorn; Datasette's "
    "`--static`",
}
ORDER = list(WORKLOADS)


def sh(*cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (p.stdout + p.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({model}), {mem} RAM, {platform.system()} {platform.release()}"


def versions(metas):
    here = os.path.dirname(os.path.abspath(__file__))
    out = [f"Python {platform.python_version()}"]
    for pkg in ("django", "djangorestframework", "gunicorn", "psycopg"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out.append(f"{pkg} {metadata.version(pkg)}")
    if metas:
        out.append(f"PostgreSQL {metas[0].get('postgres', '?')}")
    out.append(sh(os.path.join(here, ".venv/bin/datasette"), "--version"))
    version = "import sqlite3; print(sqlite3.sqlite_version)"
    out.append("SQLite " + sh(os.path.join(here, ".venv/bin/python"), "-c", version))
    out.append(sh("wrk", "--version").split(" Copyright")[0])
    return ", ".join(out)


def rps(r):
    if r is None:
        return "–"
    v = r.get("rps", 0)
    if r.get("requests", 0) < 20 and r.get("serial_rps"):
        v = r["serial_rps"]
    return f"{v:,.0f}" if v >= 10 else f"{v:.1f}"


def rate(r):
    if r is None:
        return 0.0
    if r.get("requests", 0) < 20 and r.get("serial_rps"):
        return r["serial_rps"]
    return r.get("rps", 0.0)


def ms(r, key):
    if r is None or not r.get("requests"):
        return "–"
    return f"{r[key]:.1f}"


def size(r):
    if r is None:
        return "–"
    n = r["body_bytes"]
    if n < 10_000:
        return f"{n:,} B"
    return f"{n / 1024:,.0f} KiB" if n < 10_000_000 else f"{n / 1048576:,.1f} MiB"


def ratio(us, ds):
    if not us or not ds or not rate(ds):
        return "–"
    return f"**{rate(us) / rate(ds):.2f}×**"


LONGTAIL = {
    "b": "organisations under one term (without narrower terms) in one region, sometimes also of "
    "one type: API JSON. Datasette: `orgs.json?_through=...&region=...&org_type=...&_sort=name`",
    "c": "API search for one word, words drawn evenly from every band of document frequency. "
    "Datasette: `orgs.json?_search=`. Ours stems words and tolerates typos in names, so some "
    "words match more rows on our side (`technologies`: also `technology`)",
    "d": "one organisation by its slug. Datasette: the canned query of (d)",
    "e": "the HTML directory searched for one word (the words of c). Datasette: `orgs?_search=`",
    "e-filter": "the HTML directory filtered like (b). Datasette: its table page, filtered alike",
}
# Targets for one request alone, cold, at N = 100,000 (p50 of the held-out paths).
COLD_TARGET_MS = {"b": 40, "c": 40, "d": 10, "e": 80, "e-filter": 80}
WRITE_TARGET_MS = 150


def read_jsonl(pattern):
    """{n: [records]} from every file matching the pattern."""
    out = {}
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    out.setdefault(record["n"], []).append(record)
    return out


def longtail_report(results, cached):
    """The long-tail, cold single-request and cold-after-write tables. `cached(n, side, w)`
    gives the run of the cached pass, or None."""
    runs = read_jsonl(os.path.join(results, "longtail_*.jsonl"))
    colds = read_jsonl(os.path.join(results, "cold_*.jsonl"))

    def pick(records, **want):
        for r in records:
            if all(r.get(k) == v for k, v in want.items()):
                return r
        return None

    def cached_ratio(n, w):
        both = (cached(n, "us", w), cached(n, "datasette", w)) if cached else (None, None)
        return f" (cached {ratio(*both).strip('*')})" if all(both) else ""

    if runs:
        sizes = sorted(runs)
        print("\n## Long tail: a different path on every request\n")
        print(
            "Thousands of distinct paths per workload (`longtail_paths.py`, the same logical "
            "request on both sides, line by line), drawn at random by wrk (`longtail.lua`, "
            "the same seed for both); the warm-up draws from other paths. Our cache is on, as "
            "in production: a path is rarely asked twice. After each run a server is left to "
            "finish what wrk left queued (its CPU and its PostgreSQL queries) before the other "
            "starts. In brackets: the ratio of the cached pass (one URL, asked again and again).\n"
        )
        _size_columns("workload", sizes)
        for w in LONGTAIL:
            cells = []
            for n in sizes:
                us = pick(runs[n], side="us", workload=w)
                ds = pick(runs[n], side="datasette", workload=w)
                cells.append(ratio(us, ds) + cached_ratio(n, w))
            print(f"| {w} | " + " | ".join(cells) + " |")
        for n in sizes:
            print(f"\n### Long tail, N = {n:,}\n")
            print(
                "| workload | paths | us req/s | p50 ms | p99 ms | Datasette req/s | p50 ms | "
                "p99 ms | us/DS | errors |"
            )
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for w in LONGTAIL:
                us = pick(runs[n], side="us", workload=w)
                ds = pick(runs[n], side="datasette", workload=w)
                if us is None and ds is None:
                    continue
                errors = sum(
                    (r or {}).get(k, 0)
                    for r in (us, ds)
                    for k in ("err_status", "err_timeout", "err_connect", "err_read")
                )
                paths = (us or ds).get("paths", "?")
                print(
                    f"| {w} | {paths:,} | {rps(us)} | {ms(us, 'p50_ms')} | {ms(us, 'p99_ms')} | "
                    f"{rps(ds)} | {ms(ds, 'p50_ms')} | {ms(ds, 'p99_ms')} | {ratio(us, ds)} | "
                    f"{errors} |"
                )

    singles = {n: [r for r in rs if r.get("kind") == "single"] for n, rs in colds.items()}
    sizes = sorted(n for n, rs in singles.items() if rs)
    if sizes:
        print("\n## One request alone, cold (ms, p50 of the held-out paths)\n")
        print(
            "Per workload, paths that no pass asked before (the `cold` set of "
            "`longtail_paths.py`), one at a time on a new connection, nothing else in flight "
            "(`cold.py single`); the servers are warm, the answers not cached. Target: at "
            "N = 100,000, ours at most the figure given.\n"
        )
        head = " | ".join(f"us N = {n:,} | DS N = {n:,}" for n in sizes)
        print(f"| workload | paths | {head} | target |")
        print("| --- | ---: | " + " | ".join("---: | ---:" for _ in sizes) + " | ---: |")
        for w in LONGTAIL:
            cells, count = [], "–"
            for n in sizes:
                for side in ("us", "datasette"):
                    r = pick(singles[n], side=side, workload=w)
                    if r is None:
                        cells.append("–")
                        continue
                    count = r["requests"]
                    err = f" ({r['errors']} errors)" if r["errors"] else ""
                    cells.append(f"{r['p50_ms']:.1f}{err}")
            print(f"| {w} | {count} | " + " | ".join(cells) + f" | ≤ {COLD_TARGET_MS[w]} |")
        print("\nThe same requests, p90 / max (ms):\n")
        print("| workload | " + " | ".join(f"us N = {n:,} | DS N = {n:,}" for n in sizes) + " |")
        print("| --- | " + " | ".join("---: | ---:" for _ in sizes) + " |")
        for w in LONGTAIL:
            cells = []
            for n in sizes:
                for side in ("us", "datasette"):
                    r = pick(singles[n], side=side, workload=w)
                    cells.append(f"{r['p90_ms']:.1f} / {r['max_ms']:.1f}" if r else "–")
            print(f"| {w} | " + " | ".join(cells) + " |")

    writes = {n: [r for r in rs if r.get("kind") == "write"] for n, rs in colds.items()}
    sizes = sorted(n for n, rs in writes.items() if rs)
    if sizes:
        reps = writes[sizes[0]][0]["requests"]
        print("\n## First request after a write (ms, median / max)\n")
        print(
            "For each page in turn: one moderator's edit (an organisation's summary, saved "
            "through the ORM as the admin does, which bumps the data version), a wait for the "
            "writer to build the whole map's values (ethicalmap/kept.py; where measured, the "
            "median build is the last line), a wait for every worker to see the new version "
            "(`DATA_VERSION_MAX_AGE_MS` + 0.2 s), then one request to the page, timed; "
            f"{reps} rounds (`cold.py write`). Our gunicorn as in the long tail, cache on. "
            f"Target: ≤ {WRITE_TARGET_MS} ms per page.\n"
        )
        _size_columns("page", sizes, "bytes (largest N)")
        for r0 in writes[sizes[0]]:
            cells = []
            for n in sizes:
                r = pick(writes[n], path=r0["path"])
                if r is None:
                    cells.append("–")
                    continue
                mark = " ✗" if r["p50_ms"] > WRITE_TARGET_MS else ""
                bad = "" if r["statuses"] == [200] else f" (HTTP {r['statuses']})"
                cells.append(f"{r['p50_ms']:.0f} / {r['max_ms']:.0f}{mark}{bad}")
            last = pick(writes[sizes[-1]], path=r0["path"]) or r0
            print(
                f"| `{r0['path']}` | "
                + " | ".join(cells)
                + f" | {size({'body_bytes': last['bytes']})} |"
            )
        builds = [
            f"{statistics.median(r['build_ms'] for r in writes[n] if 'build_ms' in r):,.0f}"
            if any("build_ms" in r for r in writes[n])
            else "–"
            for n in sizes
        ]
        print("| *the writer's build, after its commit* | " + " | ".join(builds) + " | |")
        print("\n✗: median above the target.")
        _during_build(writes, sizes, pick)
        print("\n### Long-tail workloads\n")
        for w, text in LONGTAIL.items():
            print(f"- **{w}**: {text}")


def main(results):
    metas = {}
    runs = {}
    for path in sorted(glob.glob(os.path.join(results, "bench_*.meta.json"))):
        with open(path) as f:
            meta = json.load(f)
        jsonl = path.replace(".meta.json", ".jsonl")
        if not os.path.exists(jsonl):
            continue
        metas[meta["n"]] = meta
        with open(jsonl) as f:
            runs[meta["n"]] = [json.loads(line) for line in f if line.strip()]
    sizes = sorted(metas)
    first = metas[sizes[0]] if sizes else {}

    def find(n, side, pass_, workload):
        for r in runs[n]:
            if (r.get("side"), r.get("pass"), r["workload"]) == (side, pass_, workload):
                return r
        return None

    print("# Benchmark: Ethical Tech Map against Datasette, same rows, same machine\n")
    print(
        "Generated by `benchmarks/report.py` from the `bench_*.jsonl` files beside it "
        "(`make bench`; see `benchmarks/README.md`).\n"
    )
    print(f"- machine: {machine()}; wrk, both servers and PostgreSQL share these CPUs")
    print(f"- software: {versions(list(metas.values()))}")
    print(
        f"- load: wrk -t{first.get('threads')} -c{first.get('conns')} -d{first.get('duration')}s "
        f"after a {first.get('warmup')} s warm-up, loopback only, no compression; us and "
        "Datasette alternate workload by workload. Where fewer than 20 requests finished, "
        "the figure is from one connection (c=1)."
    )
    print(
        "- us: gunicorn (gunicorn.conf.py, default workers = 2 × CPUs + 1), production "
        "settings with the API rate limits lifted (`benchmarks/settings.py`), PostgreSQL, "
        "local-memory cache. `cached`: as deployed; `uncached`: DummyCache, every request "
        "does all its work."
    )
    print(
        "- Datasette: `datasette serve -i DB --inspect-file inspect.json --setting "
        "suggest_facets off --setting sql_time_limit_ms 5000`, lists sorted by name like ours "
        "(an index on `orgs(name, id)`), FTS5 via `sqlite-utils enable-fts`.\n"
    )

    if not sizes:
        print("No results of the cached pass (`MODE=cached`).")
    else:
        print("## Ratio us / Datasette (requests per second; above 1 we are faster)\n")
        _size_columns("workload", sizes)
        rows = [("cached", w) for w in ORDER] + [("uncached", w) for w in ("a", "b", "c", "d")]
        for pass_, w in rows:
            cells = []
            for n in sizes:
                us = find(n, "us", pass_, w)
                ds = find(n, "datasette", pass_, w)
                if w == "c-ranked":
                    us = find(n, "us", pass_, "c")
                cells.append(ratio(us, ds))
            if all(c == "–" for c in cells):
                continue
            label = f"{w} ({pass_})" if pass_ == "uncached" else w
            if w == "c-ranked":
                label = "c: our ranked search / Datasette's bm25"
            print(f"| {label} | " + " | ".join(cells) + " |")

        print("\n## Flat costs (our cached req/s at N / at the smallest N)\n")
        _size_columns("workload", sizes)
        for pass_ in ("cached", "uncached"):
            for w in ("a", "b", "c", "d"):
                base = rate(find(sizes[0], "us", pass_, w)) if sizes else 0
                cells = [
                    f"{rate(find(n, 'us', pass_, w)) / base:.2f}" if base else "–" for n in sizes
                ]
                print(f"| {w} ({pass_}) | " + " | ".join(cells) + " |")

        for n in sizes:
            m = metas[n]
            print(f"\n## N = {n:,}\n")
            seeded = f"{m['seed_demo_s']} s" if m.get("seed_demo_s") is not None else "reused"
            print(
                f"{m['published']:,} published organisations (of {n:,} made by `seed_demo --orgs "
                f"{n} --seed {m['seed']}`, plus the starter data; seeding: {seeded}). "
                f"Term `{m['term']}` on {m['term_orgs']:,}; `{m['word']}` in {m['word_orgs']:,}; "
                f"`{m['rare']}` in {m['rare_orgs']:,} (FTS5 counts); detail `{m['detail']}`. "
                f"Load average before: {' '.join(m['load'])}.\n"
            )
            print(
                "| workload | pass | us req/s | p50 ms | p99 ms | bytes | Datasette req/s | p50 ms "
                "| p99 ms | bytes | us/DS | queries (cold/warm) |"
            )
            print(
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                "| ---: |"
            )
            queries = {q["workload"]: q for q in m.get("queries", [])}
            for pass_, w in rows:
                us, ds = find(n, "us", pass_, w), find(n, "datasette", pass_, w)
                if us is None and ds is None:
                    continue
                q = queries.get(w)
                qtext = f"{q['queries_cold']} / {q['queries_warm']}" if q and us else "–"
                print(
                    f"| {w} | {pass_} | {rps(us)} | {ms(us, 'p50_ms')} | {ms(us, 'p99_ms')} | "
                    f"{size(us)} | {rps(ds)} | {ms(ds, 'p50_ms')} | {ms(ds, 'p99_ms')} | "
                    f"{size(ds)} "
                    f"| {ratio(us, ds) if us else '–'} | {qtext} |"
                )
            errors = [
                r["label"]
                for r in runs[n]
                if r.get("status") != 200
                or any(r.get(k) for k in ("err_status", "err_timeout", "err_connect", "err_read"))
            ]
            if errors:
                print(f"\nRuns with errors or a status other than 200: {', '.join(errors)}.")
            for pass_ in ("cached", "uncached"):
                peaks = m.get(f"peak_kb_{pass_}") or []
                if peaks:
                    print(
                        f"\nPeak RSS per gunicorn worker ({pass_} pass, VmHWM): "
                        + ", ".join(f"{kb / 1024:.0f} MB" for kb in peaks)
                        + f" (max {max(peaks) / 1024:.0f} MB)."
                    )

    longtail_report(results, (lambda n, side, w: find(n, side, "cached", w)) if sizes else None)

    print("\n## Workloads\n")
    for w, text in WORKLOADS.items():
        print(f"- **{w}**: {text}")
    print(
        "\n`queries (cold/warm)`: database queries of one request through Django's test "
        "client with an empty cache, then of the same request again (`benchmarks/queries.py`)."
    )
    print("\n## URLs (last run)\n")
    for n in sizes[-1:]:
        for r in runs[n]:
            print(f"- {r['label']}: `{r['url'].split('/', 3)[-1]}`")


def _size_columns(first, sizes, last=None):
    """The head of a table with a column for each N (and a `last` one)."""
    names = [first, *(f"N = {n:,}" for n in sizes), *([last] if last else [])]
    print("| " + " | ".join(names) + " |")
    print("| --- | " + " | ".join("---:" for _ in names[1:]) + " |")


def _during_build(writes, sizes, pick):
    """The first request after a write, before the writer's build has ended (`cold.py write`)."""
    if not any("during_p50_ms" in r for n in sizes for r in writes[n]):
        return
    print("\n### The same, without waiting for the build (ms, median / max)\n")
    print(
        "Another write before each of the above, and the page asked as soon as every worker sees "
        "the new version: while the build runs, pages show the values last built "
        "(ethicalmap/kept.py). In brackets: how many of the requests began before the build "
        "ended (at small N it is often over by then).\n"
    )
    _size_columns("page", sizes)
    for r0 in writes[sizes[0]]:
        cells = []
        for n in sizes:
            r = pick(writes[n], path=r0["path"])
            if r is None or "during_p50_ms" not in r:
                cells.append("–")
                continue
            mark = " ✗" if r["during_p50_ms"] > WRITE_TARGET_MS else ""
            bad = "" if r["during_statuses"] == [200] else f" (HTTP {r['during_statuses']})"
            cells.append(
                f"{r['during_p50_ms']:.0f} / {r['during_max_ms']:.0f}{mark}{bad} "
                f"({r['during_in_build']} of {r['requests']})"
            )
        print(f"| `{r0['path']}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
