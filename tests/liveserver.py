"""A live test server whose connections end with the test that opened them.

Django's live server answers each connection in a thread of its own, and keeps the connection
open between requests (HTTP/1.1 keep-alive) until the client hangs up. A browser keeps its idle
connections for a while after its page is closed, so a connection's thread could outlive its test
and close its database connection in the middle of a later one: on SQLite that is the one shared
in-memory connection of the tests. This server knows its open connections; at the end of each test
that used it, it hangs them up and waits until their threads have let go of the database.
"""

import contextlib
import socket
import threading

from django.core.servers.basehttp import ThreadedWSGIServer


class HangingUpServer(ThreadedWSGIServer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open = set()
        self._all_closed = threading.Condition()

    def process_request(self, request, client_address):
        with self._all_closed:
            self._open.add(request)
        super().process_request(request, client_address)

    def close_request(self, request):
        # Called by the connection's thread once it is done, after Django closed the thread's
        # database connections.
        try:
            super().close_request(request)
        finally:
            with self._all_closed:
                self._open.discard(request)
                self._all_closed.notify_all()

    def hang_up(self, timeout=10):
        """End every open connection, and wait until each thread has finished with it."""
        with self._all_closed:
            for request in self._open:
                with contextlib.suppress(OSError):  # the client hung up first
                    request.shutdown(socket.SHUT_RDWR)
            if not self._all_closed.wait_for(lambda: not self._open, timeout):
                raise RuntimeError(f"{len(self._open)} live-server connections did not end")
