"""Work run in threads released at one moment, for the tests of locks and shared counts."""

import threading

from django.db import connections


def at_once(calls):
    """Run each of `calls` (no arguments) in a thread of its own, all started together once
    every thread is ready; return when all have ended. Each thread's connections are closed."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
