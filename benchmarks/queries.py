"""Queries per request for each workload, through Django's test client, and the ceiling's bytes.

    DJANGO_SETTINGS_MODULE=benchmarks.settings python benchmarks/queries.py OUT.jsonl STATIC_DIR \
        a=/api/v1/organisations/ b=/api/v1/organisations/?term=... ...

For each workload: the queries of a first request with an empty cache (`cold`, what the uncached
pass pays on every request) and of a second, identical one (`warm`, what the cached pass pays).
Also writes the body of workload `a` to STATIC_DIR/a.json: the static-file ceiling serves it.
"""

import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def measure(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    return response.status_code, len(captured), body


def main(out, static_dir, pairs):
    client = Client(SERVER_NAME="127.0.0.1")
    os.makedirs(static_dir, exist_ok=True)
    with open(out, "a") as f:
        for pair in pairs:
            workload, url = pair.split("=", 1)
            cache.clear()
            shutil.rmtree(settings.EXPORT_ROOT, ignore_errors=True)  # the export's files too
            status, cold, body = measure(client, url)
            _, warm, _ = measure(client, url)
            if workload == "a":
                Path(static_dir, "a.json").write_bytes(body)
            line = {"workload": workload, "url": url, "status": status, "queries_cold": cold,
                    "queries_warm": warm, "bytes": len(body)}  # fmt: skip
            f.write(json.dumps(line) + "\n")
            print(f"  queries {workload:<8} cold {cold:>3}  warm {warm:>3}  HTTP {status}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
