"""gunicorn settings for production (`make serve` uses them too). Tuned by environment variables."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Load the application once, in the master, and fork the workers from it: a worker recycled
# below then starts in milliseconds instead of importing Django and the project again (0.7 s of
# CPU each, which at 500 requests a second was a tenth of the machine), and the workers share
# the pages they never write to. Nothing opens a connection or starts a thread at import; a
# deploy restarts the master (HUP would reload the old code).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Recycle workers now and then so no slow leak grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Trust X-Forwarded-* only from the reverse proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# No client address, no user agent, no referrer: request line, status, size, duration and id.
access_log_format = '"%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
proc_name = "ethicalmap"
