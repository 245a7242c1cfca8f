"""Work that a request starts and does not wait for: one thread of the app process.

For builds whose result is kept for every later request (the export, the kept values of
`ethicalmap.kept`), started when the data change, so that no visitor waits for them. A thread, not
a job queue: each build is idempotent and keyed on the data version, so a build lost with its
process (a restart, a deploy) is simply made again by the next request or write that needs it.
"""

import logging
import threading

from django.db import connections

logger = logging.getLogger("ethicalmap")


def start(name, work, *, failure):
    """Run `work()` in a daemon thread called `name`; `failure` is logged if it raises.

    The thread's database connections (its own: Django's are per thread) are closed when it ends."""

    def run():
        try:
            work()
        except Exception:
            logger.exception(failure)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
