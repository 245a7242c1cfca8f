#!/usr/bin/env bash
# Us against Datasette, on the same rows, on the same machine, in one run. `make bench` runs it.
#
#   SIZES="1000 10000 100000" DURATION=5 CONNS=20 benchmarks/run.sh
#
# For each N: seed our PostgreSQL database (ethicalmap_bench_<N>) with `seed_demo --orgs N
# --seed 42`, export exactly its published rows to SQLite with an FTS5 index for Datasette, start
# both servers on free 127.0.0.1 ports, load each workload with wrk alternating A/B, then restart
# gunicorn with the cache off and measure (a) to (d) again. Writes results/bench_<N>.jsonl and
# .meta.json, then results/README.md (the tables) from every result file present.
#
# MODE (default all; several may be given, space-separated):
#   cached    the pass above: one URL per workload, cached then uncached
#   longtail  thousands of distinct paths per workload (longtail_paths.py), drawn at random by wrk
#             (longtail.lua), our cache on as in production -> results/longtail_<N>.jsonl
#   cold      one request at a time: 50 held-out paths per long-tail workload on both sides, and
#             each public page first after a moderator's write (cold.py) -> results/cold_<N>.jsonl
#
# Knobs: MODE, SIZES, DURATION (s per run), WARMUP (s), CONNS, THREADS, RESEED=1 (seed even when the
# database already holds N synthetic organisations), BENCH_PG (postgres://user@host:port),
# WORD (common search word), TERM_SLUG (a term without narrower terms, so both filters match
# the same rows), LT_PATHS_MAX (distinct paths per long-tail workload, 3000), COLD_REPS (writes
# per page, 3). Every server is started here and stopped here by its PID, also on error.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH_DIR=$ROOT/benchmarks
export BENCH_DIR
SIZES=${SIZES:-"1000 10000 100000"}
export DURATION=${DURATION:-5} WARMUP=${WARMUP:-1} CONNS=${CONNS:-20} THREADS=${THREADS:-2}
SEED=${SEED:-42}
MODE=${MODE:-all}
[ "$MODE" = all ] && MODE="cached longtail cold"
for m in $MODE; do
  case $m in cached | longtail | cold) ;; *) echo "MODE: cached, longtail, cold or all, not $m" >&2; exit 2 ;; esac
done
has_mode() { [[ " $MODE " == *" $1 "* ]]; }
LT_PATHS_MAX=${LT_PATHS_MAX:-3000}
COLD_REPS=${COLD_REPS:-3}
LT_WORKLOADS="b c d e e-filter"
# Every public page and list endpoint whose answer depends on the data (ethicalmap/urls.py).
COLD_PAGES="/ /map/ /map/geo/ /map/network/ /map/landscape.svg /organisations/ /insights/ /embed/
  /taxonomy/ /taxonomy/skos.jsonld /principles/ /principles/maturity/ /criteria/ /about/ /api/
  /api/v1/organisations/ /api/v1/organisations/?format=geojson /api/v1/organisations/?format=csv
  /api/v1/terms/ /api/v1/vocabularies/ /api/v1/principles/ /api/v1/relationships/ /api/v1/stats/
  /api/v1/export/organisations.csv"
WORD=${WORD:-community}
TERM_SLUG=${TERM_SLUG:-surveillance}
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PY=$ROOT/.venv/bin/python
BVENV=$BENCH_DIR/.venv
RESULTS=$BENCH_DIR/results
# shellcheck source=bench_lib.sh
source "$BENCH_DIR/bench_lib.sh"

command -v wrk >/dev/null || { echo "wrk is missing: install it (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 1; }
[ -x "$BVENV/bin/datasette" ] || { echo "missing $BVENV: run make bench" >&2; exit 1; }

export DJANGO_SETTINGS_MODULE=benchmarks.settings
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export GUNICORN_MAX_REQUESTS=0 # no recycling during a run: it would reset the memory high-water mark

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
stop_server() { # PID
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

# Peak resident memory (VmHWM, kB) of each gunicorn worker: the master's children.
worker_peaks() { # MASTER-PID
  local kid out=()
  for kid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    out+=("$(awk '/^VmHWM/ {print $2}' "/proc/$kid/status" 2>/dev/null || echo 0)")
  done
  echo "${out[*]}"
}

start_gunicorn() { # NAME [ENV=VALUE...]; sets US_PID, US
  local name=$1 port
  shift
  port=$(free_port)
  env "$@" PORT="$port" BENCH_STATIC_ROOT="$RUN_DIR/static" GUNICORN_ACCESS_LOG=- \
    "$ROOT/.venv/bin/gunicorn" ethicalmap.wsgi:application -c "$ROOT/gunicorn.conf.py" \
    >"$RUN_DIR/gunicorn_$name.log" 2>&1 &
  US_PID=$!
  PIDS+=("$US_PID")
  US="http://127.0.0.1:$port"
  wait_http "$US/api/v1/vocabularies/" 60 # not /healthz: it fails on purpose without a cache
  echo "gunicorn ($name) pid $US_PID on $US, workers: $(cat "/proc/$US_PID/task/$US_PID/children")"
}

pair() { # PASS INDEX WORKLOAD US-PATH DS-PATH: one run each, order alternating with INDEX
  local pass=$1 i=$2 w=$3 ours=$4 theirs=$5 tag=${1:0:1}
  one_us() { [ -z "$ours" ] || BENCH_META="{\"side\":\"us\",\"pass\":\"$pass\",\"n\":$N}" \
    bench "us-$tag $w" "$US$ours" "$US_PID" "$w"; }
  one_ds() { [ -z "$theirs" ] || BENCH_META="{\"side\":\"datasette\",\"pass\":\"$pass\",\"n\":$N}" \
    bench "ds-$tag $w" "$DS$theirs" "$DS_PID" "$w"; }
  if ((i % 2 == 0)); then one_us; one_ds; else one_ds; one_us; fi
}

lt_one() { # WORKLOAD SIDE LABEL BASE PID EXT: one long-tail run, paths drawn from the run set
  local w=$1 first count
  first=$(head -1 "$LT_DIR/$w.run.$6")
  count=$(wc -l <"$LT_DIR/$w.run.$6")
  LT_PATHS=$LT_DIR/$w.run.$6 WARM_PATHS=$LT_DIR/$w.warm.$6 WRK_SCRIPT=$BENCH_DIR/longtail.lua \
    BENCH_META="{\"side\":\"$2\",\"pass\":\"longtail\",\"n\":$N,\"paths\":$count}" \
    bench "$3-l $w" "$4$first" "$5" "$w"
}

lt_pair() { # INDEX WORKLOAD: one run each side, order alternating with INDEX
  if (($1 % 2 == 0)); then
    lt_one "$2" us us "$US" "$US_PID" us
    lt_one "$2" datasette ds "$DS" "$DS_PID" ds
  else
    lt_one "$2" datasette ds "$DS" "$DS_PID" ds
    lt_one "$2" us us "$US" "$US_PID" us
  fi
}

cold_single() { # SIDE WORKLOAD BASE PID EXT: the held-out paths, one request at a time
  local line
  wait_idle "$4"
  line=$("$PY" "$BENCH_DIR/cold.py" single "$3" "$LT_DIR/$2.cold.$5")
  python3 -c 'import json, sys; r = json.loads(sys.argv[1]); r.update(kind="single", side=sys.argv[2], workload=sys.argv[3], n=int(sys.argv[4])); print(json.dumps(r))' \
    "$line" "$1" "$2" "$N" >>"$COLD_JSONL"
  tail -1 "$COLD_JSONL" | python3 -c 'import json, sys; r = json.load(sys.stdin); print("  cold %-10s %-9s p50 %7.1f ms  p90 %7.1f ms  max %7.1f ms  errors %d" % (r["side"], r["workload"], r["p50_ms"], r["p90_ms"], r["max_ms"], r["errors"]))'
}

for N in $SIZES; do
  if ((N % 1000 == 0)); then TAG="$((N / 1000))k"; else TAG=$N; fi
  RUN_DIR=$BENCH_DIR/results/raw/$TAG
  export RAW_DIR=$RUN_DIR/responses JSONL=$RESULTS/bench_$TAG.jsonl EXPORT_ROOT=$RUN_DIR/export
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR/static" "$RAW_DIR" "$BENCH_DIR/data"
  export DATABASE_URL=$BENCH_PG/ethicalmap_bench_$TAG
  export IDLE_PG="$BENCH_PG ethicalmap_bench_$TAG" # wait_idle: also until its queries are done
  echo "== N=$N: $DATABASE_URL"
  "$PY" - "$BENCH_PG" "ethicalmap_bench_$TAG" <<'EOF'
import sys, psycopg
with psycopg.connect(sys.argv[1] + "/postgres", autocommit=True) as c:
    if not c.execute("select 1 from pg_database where datname = %s", (sys.argv[2],)).fetchone():
        c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
EOF
  "$PY" manage.py migrate --no-input -v0
  "$PY" manage.py load_starter_data >/dev/null
  "$PY" manage.py collectstatic --no-input -v0
  have=$("$PY" manage.py shell -v0 -c 'from orgs.models import Organisation as O; print(O.objects.filter(is_synthetic=True).count())')
  SEED_S=None
  DB=$BENCH_DIR/data/orgs_$TAG.db
  if [ "${RESEED:-0}" = 1 ] || [ "$have" != "$N" ]; then
    t0=$(date +%s.%N)
    "$PY" manage.py seed_demo --orgs "$N" --seed "$SEED"
    SEED_S=$(python3 -c "import sys; print(round($(date +%s.%N) - $t0, 1))")
    echo "seed_demo --orgs $N: ${SEED_S}s"
    rm -f "$DB"
  fi
  "$PY" manage.py shell -v0 -c 'from django.db import connection as c; c.cursor().execute("VACUUM ANALYZE")'
  # The kept values of the seeded data, as a deploy or a load by raw SQL does (README): without
  # them the first page that needs one is served from the values of the data before while a
  # worker builds them under the run's load, kept by no cache until it ends.
  "$PY" manage.py keep_derived -v0
  if [ ! -f "$DB" ]; then
    "$PY" "$BENCH_DIR/export_sqlite.py" "$DB.tmp"
    "$BVENV/bin/sqlite-utils" enable-fts "$DB.tmp" orgs name summary description --fts5
    "$BVENV/bin/sqlite-utils" optimize "$DB.tmp"
    "$BVENV/bin/sqlite-utils" analyze "$DB.tmp"
    mv "$DB.tmp" "$DB"
  fi

  # Facts the workloads need, from the SQLite file (the same rows as ours).
  DETAIL_SLUG=$(printf 'demo-%06d' $((N / 2)))
  RARE=$((N * 3 / 7))
  read -r TERM_ID DETAIL_ID N_TERM N_WORD N_RARE N_ORGS <<<"$("$BVENV/bin/python" - "$DB" "$TERM_SLUG" "$DETAIL_SLUG" "$WORD" "$RARE" <<'EOF'
import sqlite3, sys
db, term, slug, word, rare = sys.argv[1:]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
one = lambda sql, *a: c.execute(sql, a).fetchone()[0]
tid = one("select id from terms where slug = ?", term)
print(tid, one("select id from orgs where slug = ?", slug),
      one("select count(*) from org_terms where term_id = ?", tid),
      one("select count(*) from orgs_fts where orgs_fts match ?", word),
      one("select count(*) from orgs_fts where orgs_fts match ?", rare),
      one("select count(*) from orgs"))
EOF
)"
  echo "term $TERM_SLUG (id $TERM_ID) on $N_TERM; '$WORD' in $N_WORD; '$RARE' in $N_RARE; detail $DETAIL_SLUG (id $DETAIL_ID)"

  "$BVENV/bin/python" - "$TERM_SLUG" >"$RUN_DIR/metadata.json" <<'EOF'
import json, sys
print(json.dumps({"databases": {"orgs": {"queries": {
    "orgs_by_term": {"sql": "select o.* from orgs o where o.id in (select ot.org_id from org_terms ot "
                            "join terms t on t.id = ot.term_id where t.slug = :term) order by o.name, o.id limit 50"},
    "search_ranked": {"sql": "select o.*, bm25(orgs_fts) as rank from orgs_fts join orgs o "
                             "on o.id = orgs_fts.rowid where orgs_fts match :q order by rank limit 50"},
    "org_detail": {"sql": "select o.*, (select json_group_array(t.slug) from org_terms ot join terms t "
                          "on t.id = ot.term_id where ot.org_id = o.id) as terms from orgs o where o.slug = :slug"},
}}}}))
EOF
  ln -sf "$DB" "$RUN_DIR/orgs.db" # Datasette names the database after the file: /orgs/...
  "$BVENV/bin/datasette" inspect "$RUN_DIR/orgs.db" --inspect-file "$RUN_DIR/inspect.json"
  THROUGH=$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps({"table":"org_terms","column":"term_id","value":sys.argv[1]}, separators=(",",":"))))' "$TERM_ID")

  # Our URLs and Datasette's, for the same rows (Datasette sorted by name like us).
  A_US=/api/v1/organisations/
  B_US="/api/v1/organisations/?term=$TERM_SLUG"
  C_US="/api/v1/organisations/?search=$WORD"
  C_RARE_US="/api/v1/organisations/?search=$RARE"
  D_US=/api/v1/organisations/$DETAIL_SLUG/
  E_US=/organisations/
  F_US=/api/v1/export/organisations.csv
  L=/orgs/orgs.json?_size=50\&_shape=objects
  A_DS="$L&_sort=name"
  B_DS="$L&_sort=name&_through=$THROUGH"
  C_DS="$L&_search=$WORD"
  C2_DS="/orgs/search_ranked.json?_shape=objects&q=$WORD"
  C_RARE_DS="/orgs/search_ranked.json?_shape=objects&q=$RARE"
  D_DS="/orgs/org_detail.json?_shape=objects&slug=$DETAIL_SLUG"
  E_DS="/orgs/orgs?_size=50&_sort=name"
  F_DS="/orgs/orgs.csv?_stream=on&_size=max"

  LT_DIR=$BENCH_DIR/data/lt_$TAG
  if has_mode longtail || has_mode cold; then
    rm -rf "$LT_DIR"
    "$BVENV/bin/python" "$BENCH_DIR/longtail_paths.py" "$DB" "$LT_DIR" --seed "$SEED" --paths "$LT_PATHS_MAX"
  fi

  if has_mode cached; then
    : >"$RUN_DIR/queries.jsonl"
    "$PY" "$BENCH_DIR/queries.py" "$RUN_DIR/queries.jsonl" "$RUN_DIR/static" \
      "a=$A_US" "b=$B_US" "c=$C_US" "c-rare=$C_RARE_US" "d=$D_US" "e=$E_US" "f=$F_US"
  fi

  port=$(free_port)
  "$BVENV/bin/datasette" serve -i "$RUN_DIR/orgs.db" --host 127.0.0.1 --port "$port" \
    --inspect-file "$RUN_DIR/inspect.json" -m "$RUN_DIR/metadata.json" \
    --static "static:$RUN_DIR/static" \
    --setting suggest_facets off --setting sql_time_limit_ms 5000 >"$RUN_DIR/datasette.log" 2>&1 &
  DS_PID=$!
  PIDS+=("$DS_PID")
  DS="http://127.0.0.1:$port"
  wait_http "$DS/orgs.json" 60
  echo "datasette pid $DS_PID on $DS"

  US_PID=
  if has_mode cached; then
    : >"$JSONL"
    start_gunicorn cached
    CACHED_PID=$US_PID
    i=0
    pair cached $((i++)) a "$A_US" "$A_DS"
    pair cached $((i++)) b "$B_US" "$B_DS"
    pair cached $((i++)) c "$C_US" "$C_DS"
    pair cached $((i++)) c-ranked "" "$C2_DS"
    pair cached $((i++)) c-rare "$C_RARE_US" "$C_RARE_DS"
    pair cached $((i++)) d "$D_US" "$D_DS"
    pair cached $((i++)) e "$E_US" "$E_DS"
    # The export is built in a thread of the server after a request first asks for it (at
    # 100,000 organisations that outlasts the request's wait): measure it once built, not 503s.
    wait_http "$US$F_US" 900 || true
    pair cached $((i++)) f "$F_US" "$F_DS"
    pair cached $((i++)) ceiling /a.json /static/a.json
    PEAK_CACHED=$(worker_peaks "$CACHED_PID")
    stop_server "$CACHED_PID"

    start_gunicorn uncached BENCH_CACHE=off
    i=1
    pair uncached $((i++)) a "$A_US" "$A_DS"
    pair uncached $((i++)) b "$B_US" "$B_DS"
    pair uncached $((i++)) c "$C_US" "$C2_DS"
    pair uncached $((i++)) d "$D_US" "$D_DS"
    PEAK_UNCACHED=$(worker_peaks "$US_PID")
    stop_server "$US_PID"
    US_PID=

    "$PY" - "$RESULTS/bench_$TAG.meta.json" <<EOF
import json, sys, psycopg
with psycopg.connect("$DATABASE_URL") as c:
    pg = c.execute("show server_version").fetchone()[0]
json.dump({"n": $N, "postgres": pg, "tag": "$TAG", "published": $N_ORGS, "seed": $SEED, "seed_demo_s": $SEED_S,
           "term": "$TERM_SLUG", "term_orgs": $N_TERM, "word": "$WORD", "word_orgs": $N_WORD,
           "rare": "$RARE", "rare_orgs": $N_RARE, "detail": "$DETAIL_SLUG",
           "duration": $DURATION, "conns": $CONNS, "threads": $THREADS, "warmup": $WARMUP,
           "peak_kb_cached": [int(x) for x in "$PEAK_CACHED".split()],
           "peak_kb_uncached": [int(x) for x in "$PEAK_UNCACHED".split()],
           "queries": [json.loads(l) for l in open("$RUN_DIR/queries.jsonl")],
           "load": open("/proc/loadavg").read().split()[:3]},
          open(sys.argv[1], "w"), indent=1)
EOF
  fi

  if has_mode longtail; then
    # Our cache stays on, as in production: distinct paths miss it anyway.
    export JSONL=$RESULTS/longtail_$TAG.jsonl
    : >"$JSONL"
    start_gunicorn longtail
    i=0
    for w in $LT_WORKLOADS; do lt_pair $((i++)) "$w"; done
    PEAK_LT=$(worker_peaks "$US_PID")
    "$PY" - "$RESULTS/longtail_$TAG.meta.json" <<EOF
import json, sys
json.dump({"n": $N, "tag": "$TAG", "published": $N_ORGS, "seed": $SEED, "duration": $DURATION,
           "conns": $CONNS, "threads": $THREADS, "warmup": $WARMUP,
           "peak_kb": [int(x) for x in "$PEAK_LT".split()],
           "load": open("/proc/loadavg").read().split()[:3]}, open(sys.argv[1], "w"), indent=1)
EOF
  fi

  if has_mode cold; then
    COLD_JSONL=$RESULTS/cold_$TAG.jsonl
    : >"$COLD_JSONL"
    [ -n "$US_PID" ] || start_gunicorn cold
    i=0
    for w in $LT_WORKLOADS; do
      if ((i++ % 2 == 0)); then
        cold_single us "$w" "$US" "$US_PID" us
        cold_single datasette "$w" "$DS" "$DS_PID" ds
      else
        cold_single datasette "$w" "$DS" "$DS_PID" ds
        cold_single us "$w" "$US" "$US_PID" us
      fi
    done
    wait_idle "$US_PID"
    # shellcheck disable=SC2086 # one argument per page
    "$PY" "$BENCH_DIR/cold.py" write "$US" "$COLD_REPS" $COLD_PAGES | while read -r line; do
      python3 -c 'import json, sys; r = json.loads(sys.argv[1]); r.update(kind="write", side="us", n=int(sys.argv[2])); print(json.dumps(r))' \
        "$line" "$N" | tee -a "$COLD_JSONL" |
        python3 -c 'import json, sys; r = json.load(sys.stdin); print("  after a write %-40s median %7.1f ms  max %7.1f ms  HTTP %s" % (r["path"], r["p50_ms"], r["max_ms"], r["statuses"]))'
    done
  fi
  [ -z "$US_PID" ] || stop_server "$US_PID"
  stop_server "$DS_PID"
done

cleanup
"$PY" "$BENCH_DIR/report.py" "$RESULTS" >"$RESULTS/README.md"
echo "wrote $RESULTS/README.md"
