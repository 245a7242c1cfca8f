#!/usr/bin/env bash
# Load test against the production configuration (gunicorn, DEBUG off) on loopback:
#   1. pages and API at 50 concurrent connections for 60 s: zero errors expected;
#   2. /submit/ at 10 forms a second for 60 s: every accepted form must be in the queue.
# Usage: benchmarks/load/run.sh   (knobs: DATABASE_URL, CONNS, DURATION, RATE, WEB_CONCURRENCY)
# Writes benchmarks/results/load.md. Needs wrk (apt-get install wrk) and a running PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ethicalmap_load}
CONNS=${CONNS:-50}
DURATION=${DURATION:-60}
RATE=${RATE:-10}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-4}
export SECRET_KEY=${SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 LOG_LEVEL=WARNING
# The guards against abuse would (rightly) stop one client sending this much: this run measures
# the serving and submission pipeline, so they are opened up and mail goes nowhere.
export API_ANON_RATE=1000000/minute SUBMISSION_RATE_LIMIT=0 SUBMISSION_MIN_FILL_SECONDS=0
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend GUNICORN_ACCESS_LOG=/dev/null

db=${DATABASE_URL##*/}
if [[ $DATABASE_URL == postgres* ]]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists "$db"; createdb -h 127.0.0.1 -U postgres "$db"
fi
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_starter_data
.venv/bin/python manage.py collectstatic --no-input -v0
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PORT=$port
.venv/bin/gunicorn ethicalmap.wsgi:application -c gunicorn.conf.py &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done

echo "== pages and API: $CONNS connections for ${DURATION}s"
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s benchmarks/load/paths.lua "http://127.0.0.1:$port" | tee /tmp/wrk-load.txt
requests=$(awk '/requests in/ {print $1}' /tmp/wrk-load.txt)
rps=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-load.txt)
p50=$(awk '$1 == "50%" {print $2}' /tmp/wrk-load.txt)
p99=$(awk '$1 == "99%" {print $2}' /tmp/wrk-load.txt)
non2xx=$(awk '/Non-2xx or 3xx/ {print $NF}' /tmp/wrk-load.txt); non2xx=${non2xx:-0}
socket=$(grep -o 'Socket errors.*' /tmp/wrk-load.txt || echo "Socket errors: none")

echo "== submissions: $RATE a second for ${DURATION}s"
before=$(.venv/bin/python manage.py shell --no-imports -v0 -c "from orgs.models import Submission; print(Submission.objects.count())")
result=$(.venv/bin/python benchmarks/load/submit.py "http://127.0.0.1:$port" --rate "$RATE" --seconds "$DURATION")
echo "$result"
after=$(.venv/bin/python manage.py shell --no-imports -v0 -c "from orgs.models import Submission; print(Submission.objects.count())")
queued=$((after - before))
accepted=$(echo "$result" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["accepted"])')
sent=$(echo "$result" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["sent"])')

mkdir -p benchmarks/results
cat > benchmarks/results/load.md <<MD
# Load test ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs).
Server: gunicorn, $WEB_CONCURRENCY workers, DEBUG off, ${DATABASE_URL%%:*}, starter data, no Redis;
wrk on the same machine (loopback). Produced by \`benchmarks/load/run.sh\`.

| load | figure |
| --- | --- |
| pages and API, $CONNS connections, ${DURATION}s | $requests requests, $rps req/s, p50 $p50, p99 $p99 |
| errors (non-2xx/3xx) | $non2xx |
| connection errors | $socket |
| submissions sent at $RATE/s for ${DURATION}s | $sent |
| accepted (redirect to thanks) | $accepted |
| found in the moderators' queue afterwards | $queued |
MD
cat benchmarks/results/load.md
[[ $non2xx == 0 && $accepted == "$sent" && $queued == "$sent" ]] || { echo "load test FAILED" >&2; exit 1; }
