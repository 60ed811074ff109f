#!/usr/bin/env bash
# Compares the Hub with PostGraphile 5 on the same PostgreSQL data: the
# portal map query of ../shared/peers (100 partnerships with both towns,
# countries, region, phase, totalCount) under wrk, one server at a time,
# interleaved, ROUNDS times each; prints requests/s and p99 of every run
# and the ratio of the medians.
#
#   scripts/bench-peer.sh            # seeds hub_peer once (20,000/40,000)
#   HUB_BIN=/tmp/hub ROUNDS=3 DURATION=10s scripts/bench-peer.sh
#
# Needs wrk, PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and the
# peer harness (PEERS, default ../shared/peers: PostGraphile 5, node 22).
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=$(cd "${PEERS:-../shared/peers}" && pwd)
DB=${DB:-hub_peer}
BASE=${BASE:-postgres://postgres@127.0.0.1:5432}
URL="$BASE/$DB?sslmode=disable"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
HUB_BIN=${HUB_BIN:-}
if [ -z "$HUB_BIN" ]; then
  HUB_BIN=$(mktemp -d)/hub
  go build -o "$HUB_BIN" ./cmd/hub
fi

if ! psql "$BASE/$DB" -Atc 'select count(*) from partnerships' >/dev/null 2>&1; then
  psql "$BASE/postgres" -qc "CREATE DATABASE $DB"
  HUB_LOG_LEVEL=warn "$HUB_BIN" --database-url "$URL" seed --synthetic --municipalities 20000 --partnerships 40000 --seed 1
  psql "$BASE/$DB" -qc 'VACUUM ANALYZE'
fi

run_wrk() { # name query-file port
  QUERY_FILE="$PEERS/$2" wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$PEERS/bench-wrk.lua" \
    "http://127.0.0.1:$3/graphql" | awk -v n="$1" '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} END {print n, rps, p99}'
}

hub() {
  HUB_LOG_LEVEL=error "$HUB_BIN" --database-url "$URL" serve --addr 127.0.0.1:8099 --metrics-addr "" \
    --rate-limit-anonymous 0 --rate-limit-user 0 --rate-limit-api-key 0 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8099/readyz >/dev/null && break; sleep 0.2; done
  run_wrk hub hub-portal-map.graphql 8099
  kill $pid; wait $pid 2>/dev/null || true
}

peer() {
  pid=$(WORKERS=2 PG_POOL_MAX=5 "$PEERS/postgraphile/run" "$URL" 5679 public)
  run_wrk postgraphile postgraphile-portal-map.graphql 5679
  kill "$pid"; sleep 1
}

results=$(mktemp)
for _ in $(seq 1 "$ROUNDS"); do hub | tee -a "$results"; peer | tee -a "$results"; done
awk '{r[$1]=r[$1] " " $2} END {
  for (k in r) { n=split(r[k], a, " "); asort(a); m[k]=a[int((n+1)/2)]; print k, "median req/s", m[k] }
  if (m["postgraphile"] > 0) printf "hub / postgraphile = %.2f\n", m["hub"] / m["postgraphile"] }' "$results"
