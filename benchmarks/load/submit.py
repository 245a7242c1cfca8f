"""Send /submit/ forms at a steady rate for a while; print how many were accepted.

    python benchmarks/load/submit.py http://127.0.0.1:8000 --rate 10 --seconds 60

Each form is fetched (for its CSRF token) and posted by one of a few worker threads, so the rate
holds even when a post is slow. The server must run with SUBMISSION_RATE_LIMIT=0 and
SUBMISSION_MIN_FILL_SECONDS=0: this measures the pipeline, not the anti-abuse guards.
"""

import argparse
import json
import queue
import re
import threading
import time

import requests

FORM = {
    "summary": "A load-test organisation that builds fair tools.",
    "description": "",
    "org_type": "cooperative",
    "size": "micro",
    "city": "Leeds",
    "region": "yorkshire-and-the-humber",
    "consequences": ["bias-discrimination"],
    "activities": ["research"],
    "tags": "load test",
    "submitter_name": "Load Test",
    "submitter_email": "load@example.org",
    "connection": "staff",
    "consent": "on",
    "homepage": "",
}


def post_one(session, base, number):
    page = session.get(f"{base}/submit/", timeout=30)
    started = re.search(r'name="started" value="([^"]+)"', page.text).group(1)
    data = {
        **FORM,
        "name": f"Load Test Organisation {number}",
        "website": f"https://load-{number}.example.org/",
        "started": started,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    response = session.post(
        f"{base}/submit/",
        data=data,
        headers={"Referer": f"{base}/submit/"},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    jobs, results = queue.Queue(), []
    lock = threading.Lock()

    def worker():
        session = requests.Session()
        while (number := jobs.get()) is not None:
            try:
                status = post_one(session, args.base, number)
            except (requests.RequestException, AttributeError) as error:
                status = type(error).__name__
            with lock:
                results.append(status)

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    total = int(args.rate * args.seconds)
    start = time.monotonic()
    for number in range(total):
        # Keep to the schedule: the nth form goes out at n / rate seconds.
        time.sleep(max(0, start + number / args.rate - time.monotonic()))
        jobs.put(number)
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    accepted = sum(1 for status in results if status in (302, 303))
    print(
        json.dumps(
            {
                "sent": total,
                "accepted": accepted,
                "other": sorted({str(s) for s in results if s not in (302, 303)}),
                "seconds": round(elapsed, 1),
                "rate": round(total / elapsed, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
