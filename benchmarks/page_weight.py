"""Page weight: each public page's HTML plus everything it loads, gzip-compressed.

    .venv/bin/python benchmarks/page_weight.py [--orgs N]

loads the starter data (and, with --orgs, N synthetic organisations from seed_demo) into a
throwaway SQLite database, renders every page of the URL contract this project serves, and writes
benchmarks/results/page_weight.md (page_weight_N.md with --orgs N). The budget (issue 3): under
100 KB for every page, under 50 KB for the directory, a profile and the glossary, with the starter
data. The test suite checks the
same budgets with the same `weigh` (tests/ethicalmap/test_pages.py).

A page's weight is its HTML gzip-compressed (as a proxy or WhiteNoise would serve it) plus each
stylesheet, script, icon and image it references, each gzip-compressed and counted once.
"""

import gzip
import os
import re
import sys
import tempfile
import time
from pathlib import Path

KB = 1024
PAGES = [
    ("Home", "/"),
    ("Landscape", "/map/"),
    ("Where they are", "/map/geo/"),
    ("How they are linked", "/map/network/"),
    ("How they are linked, with shared areas", "/map/network/?links=terms"),
    ("Directory", "/organisations/"),
    ("Directory, searched and filtered", "/organisations/?q=data&term=data-privacy"),
    ("Profile", "/organisations/catalyst/"),
    ("Glossary", "/taxonomy/"),
    ("Term", "/taxonomy/consequences/data-privacy/"),
    ("Principles", "/principles/"),
    ("Principle", "/principles/protect-personal-data/"),
    ("Maturity model", "/principles/maturity/"),
    ("Resources", "/resources/"),
    ("Resources, filtered", "/resources/?principle=protect-personal-data&kind=guide"),
    ("Resource", "/resources/wcag-2-2/"),
    ("Other maps of the field", "/resources/other-maps/"),
    ("Inclusion criteria", "/criteria/"),
    ("About", "/about/"),
    ("Privacy", "/privacy/"),
]
# The tighter budget of the pages people land on most.
BUDGETS = {"/organisations/": 50, "/organisations/catalyst/": 50, "/taxonomy/": 50}
DEFAULT_BUDGET = 100
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"?#]+)', re.I)


def gzipped(data):
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def budget(url):
    return BUDGETS.get(url, DEFAULT_BUDGET)


def weigh(client, url):
    """(html bytes, assets bytes) gzip-compressed, for the page at `url`."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    html = response.content
    assets = 0
    for path in sorted(set(ASSET.findall(html.decode()))):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, f"{url} loads {path}, which is not a static file"
        assets += gzipped(Path(found).read_bytes())
    return gzipped(html), assets


def main():
    orgs = 0
    if "--orgs" in sys.argv:
        orgs = int(sys.argv[sys.argv.index("--orgs") + 1])
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    database = Path(tempfile.mkdtemp()) / "weight.sqlite3"
    os.environ.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="1",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="ethicalmap.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_starter_data", verbosity=0)
    if orgs:
        call_command("seed_demo", orgs=orgs, verbosity=0)
    client = Client()
    client.get("/")  # warm up: imports, template loading
    rows, worst = [], 0.0
    for name, url in PAGES:
        html, assets = weigh(client, url)
        total = (html + assets) / KB
        worst = max(worst, total / budget(url))
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        rows.append(
            f"| {name} | `{url}` | {html / KB:.1f} | {assets / KB:.1f} | {total:.1f} "
            f"| {budget(url)} | {'yes' if total < budget(url) else '**no**'} "
            f"| {sorted(timings)[1]:.0f} |"
        )
    data = "the starter data" + (f" and {orgs:,} synthetic organisations" if orgs else "")
    command = "benchmarks/page_weight.py" + (f" --orgs {orgs}" if orgs else "")
    report = "\n".join(
        [
            "# Page weight",
            "",
            f"Every public page with {data}: the HTML and everything it loads, gzip-compressed",
            "(level 6), in KB, and the median of three renders in milliseconds, in process on",
            f"SQLite (a rough guide, not the load benchmark). Made by `{command}`.",
            "",
            "| page | URL | HTML | assets | total | budget | within | ms |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |",
            *rows,
            "",
        ]
    )
    print(report)
    name = f"page_weight_{orgs}.md" if orgs else "page_weight.md"
    (root / "benchmarks" / "results" / name).write_text(report, encoding="utf-8")
    return 0 if worst < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
