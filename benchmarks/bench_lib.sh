# Shared helpers for the HTTP benchmarks (adapted from the Datasette-only harness). Source it; it defines functions only.
#
#   free_port                      -> prints a free TCP port on 127.0.0.1
#   wait_http URL [SECONDS]        -> waits (bounded) until URL answers 2xx/3xx
#   bench LABEL URL PID [WORKLOAD] -> warm-up, then one wrk run; appends a JSON line to $JSONL
#
#   wait_idle PID [SECONDS]        -> waits (bounded) until the server stops burning CPU and,
#                                     with IDLE_PG set, PostgreSQL runs no query for it
#
# Knobs (environment): THREADS=2 CONNS=20 DURATION=10 WARMUP=2 (seconds), JSONL, RAW_DIR,
# BENCH_META (a JSON object merged into every line: side, pass, n),
# SERIAL=auto|1|0: also measure with one connection (auto: only when the loaded run completed
# fewer than 20 requests, i.e. the endpoint is too slow for 20 connections in DURATION).
# WRK_SCRIPT (default wrk_report.lua): the script of the measured runs; longtail.lua draws paths
# from $LT_PATHS, and then WARM_PATHS, when set, is the file the warm-up draws from instead.
# IDLE_PG="postgres://... DBNAME": wait_idle also waits for that database's active queries.
# Every target must be on 127.0.0.1: bench refuses anything else.

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
THREADS=${THREADS:-2}
CONNS=${CONNS:-20}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
SERIAL=${SERIAL:-auto}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {  # URL [max seconds]
  local url=$1 max=${2:-60} i
  for ((i = 0; i < max * 10; i++)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server at $url did not answer within ${max}s" >&2
  return 1
}

# CPU ticks (utime+stime, all threads) of a PID and its direct children (nginx workers).
_cpu_ticks() {
  python3 - "$@" <<'EOF'
import os, sys
def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0
total = 0
for pid in sys.argv[1:]:
    total += ticks(pid)
    for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
        try:
            kids = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            kids = []
        total += sum(ticks(k) for k in kids)
print(total)
EOF
}

# wrk abandons in-flight requests when it stops, but the server still finishes them; wait for
# that backlog to drain so it does not eat into the next measurement.
# A worker waiting for PostgreSQL burns no CPU itself, hence IDLE_PG.
_pg_active() {
  [ -n "${IDLE_PG:-}" ] || { echo 0; return; }
  local url=${IDLE_PG% *} db=${IDLE_PG##* }
  psql "$url/postgres" -Atc "select count(*) from pg_stat_activity where datname = '$db'
    and state = 'active' and pid <> pg_backend_pid()" 2>/dev/null || echo 0
}

wait_idle() {  # PID [max seconds]
  local pid=$1 max=${2:-120} a b i
  a=$(_cpu_ticks "$pid")
  for ((i = 0; i < max * 2; i++)); do
    sleep 0.5
    b=$(_cpu_ticks "$pid")
    if ((b - a <= 2)) && [ "$(_pg_active)" = 0 ]; then return 0; fi
    a=$b
  done
  echo "server $pid still busy after ${max}s" >&2
}

bench() {  # LABEL URL PID [WORKLOAD-NAME]
  local label=$1 url=$2 pid=$3 workload=${4:-$1}
  case "$url" in
    http://127.0.0.1:*) ;;
    *) echo "refusing non-loopback target: $url" >&2; return 1 ;;
  esac
  local safe body hdr out t0 t1 hz line meta
  safe=$(printf %s "$label" | tr -c 'A-Za-z0-9_.-' '_')
  mkdir -p "$RAW_DIR"
  body="$RAW_DIR/$safe.body"
  # One request for the size, status and type of the response (body kept for inspection).
  meta=$(curl -sS --max-time 30 -o "$body" -D "$RAW_DIR/$safe.headers" \
    -w '%{http_code} %{size_download} %{size_header} %{time_total}' "$url")
  local code size hsize ttotal ctype
  read -r code size hsize ttotal <<<"$meta"
  ctype=$(grep -i '^content-type:' "$RAW_DIR/$safe.headers" | head -1 | cut -d' ' -f2- | tr -d '\r;' | cut -d' ' -f1)
  # Warm-up (bounded), then the measured run (bounded by -d and by timeout).
  local script=${WRK_SCRIPT:-$BENCH_DIR/wrk_report.lua} warm=()
  [ -z "${WARM_PATHS:-}" ] || warm=(-s "$script")
  LT_PATHS=${WARM_PATHS:-${LT_PATHS:-}} timeout $((WARMUP + 20)) wrk -t"$THREADS" -c"$CONNS" \
    -d"${WARMUP}s" --timeout 10s "${warm[@]+"${warm[@]}"}" "$url" >/dev/null 2>&1 || true
  wait_idle "$pid"
  hz=$(getconf CLK_TCK)
  t0=$(_cpu_ticks "$pid")
  out=$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s \
    --latency -s "$script" "$url" 2>&1)
  t1=$(_cpu_ticks "$pid")
  echo "$out" >"$RAW_DIR/$safe.wrk.txt"
  wait_idle "$pid"
  line=$(echo "$out" | sed -n 's/^WRKJSON //p')
  if [ -z "$line" ]; then
    echo "wrk produced no result for $label" >&2
    line='{"requests":0}'
  fi
  local nreq serial='{}'
  nreq=$(echo "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("requests", 0))')
  local s0=0 s1=0
  if [ "$SERIAL" = 1 ] || { [ "$SERIAL" = auto ] && ((nreq < 20)); }; then
    s0=$(_cpu_ticks "$pid")
    out=$(timeout $((DURATION + 30)) wrk -t1 -c1 -d"${DURATION}s" --timeout 10s \
      --latency -s "$script" "$url" 2>&1)
    s1=$(_cpu_ticks "$pid")
    echo "$out" >"$RAW_DIR/$safe.serial.wrk.txt"
    wait_idle "$pid"
    serial=$(echo "$out" | sed -n 's/^WRKJSON //p')
    [ -n "$serial" ] || serial='{}'
  fi
  python3 - "$label" "$workload" "$url" "$code" "$size" "$hsize" "$ctype" "$ttotal" \
    "$((t1 - t0))" "$hz" "$line" "$serial" "$((s1 - s0))" >>"$JSONL" <<'EOF'
import json, os, sys
label, workload, url, code, size, hsize, ctype, ttotal, dticks, hz, line, serial, sticks = sys.argv[1:]
r = json.loads(line)
s = json.loads(serial)
r.update({f"serial_{k}": v for k, v in s.items() if k in ("requests", "rps", "p50_ms", "p99_ms")})
if s.get("requests"):
    r["serial_cpu_ms_per_req"] = round(1000 * int(sticks) / int(hz) / s["requests"], 3)
r.update(label=label, workload=workload, url=url, status=int(code), body_bytes=int(size),
         header_bytes=int(hsize), content_type=ctype, single_request_ms=round(float(ttotal) * 1000, 2))
req = r.get("requests") or 0
r.update(json.loads(os.environ.get("BENCH_META") or "{}"))
r["server_cpu_s"] = round(int(dticks) / int(hz), 2)
r["server_cpu_ms_per_req"] = round(1000 * int(dticks) / int(hz) / req, 3) if req else None
print(json.dumps(r))
EOF
  tail -1 "$JSONL" | python3 -c '
import json, sys
r = json.load(sys.stdin)
errs = sum(r.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
extra = ("  | c=1: %.1f req/s p50 %.0f ms" % (r["serial_rps"], r["serial_p50_ms"])) if "serial_rps" in r else ""
print("  %-28s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms  %8d B  HTTP %s  errors %d%s" % (
    r["label"], r.get("rps", 0), r.get("p50_ms", 0), r.get("p99_ms", 0), r["body_bytes"], r["status"], errs, extra))'
}
