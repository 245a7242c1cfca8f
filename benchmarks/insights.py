"""Time of the insights page, its CSVs, the embed and the landscape image at scale.

    DATABASE_URL=postgres://... DEBUG=1 .venv/bin/python benchmarks/insights.py [--runs 5]

renders each URL against the database in DATABASE_URL as it is (load the starter data and
`seed_demo --orgs 100000` into it first) and prints the median time and number of queries, cold
(cache cleared: everything counted) and warm (the counts kept under the data version, as every
request after the first for the same filters and data). The target (issue 8): /insights/ under
200 ms at 100,000 organisations on PostgreSQL. Writes benchmarks/results/insights.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URLS = [
    "/insights/",
    "/insights/?region=wales",
    "/insights/?type=charity&region=london",
    "/insights/coverage.csv",
    "/api/v1/stats/",
    "/embed/?region=london",
    "/map/landscape.svg",
]


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ethicalmap.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from orgs.models import Organisation

    client = Client()
    count = Organisation.objects.published().count()
    lines = [
        f"# Insights timings: {count:,} published organisations on {connection.vendor}",
        "",
        f"Median of {runs} runs after a warm-up, in-process test client.",
        "",
        "| URL | cold ms | cold queries | warm ms | warm queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]

    def measure(url, clear):
        times = []
        for _ in range(runs):
            if clear:
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times), len(queries)

    for url in URLS:
        client.get(url)
        cold, cold_queries = measure(url, clear=True)
        client.get(url)
        warm, warm_queries = measure(url, clear=False)
        lines.append(f"| `{url}` | {cold:.0f} | {cold_queries} | {warm:.0f} | {warm_queries} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "benchmarks" / "results" / "insights.md").write_text(text)


if __name__ == "__main__":
    main()
