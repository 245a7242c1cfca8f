import http.client
import threading
from urllib.parse import urlsplit


def _request_threads():
    return [t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")]


def test_a_kept_alive_connection_ends_with_the_test_that_opened_it(live_server):
    # A browser keeps idle connections open after its page is closed; their threads must not
    # outlive the test (on SQLite they would close the shared database connection in the next).
    address = urlsplit(live_server.url)
    client = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
    client.request("GET", "/healthz")
    response = client.getresponse()
    response.read()
    assert response.status == 200
    assert not response.will_close
    threads = _request_threads()
    assert threads

    live_server.thread.httpd.hang_up()

    for thread in threads:
        thread.join(timeout=2)
    assert not any(thread.is_alive() for thread in threads)
    client.request("GET", "/healthz")
    try:
        client.getresponse()
    except (http.client.RemoteDisconnected, ConnectionError):
        pass
    else:
        raise AssertionError("the connection was still open")
