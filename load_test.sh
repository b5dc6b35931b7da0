#!/usr/bin/env bash
# The prototype's load test, against a running Payrail (start one with ./payrail).
#   1. 200 POSTs, concurrency 50, ONE Idempotency-Key  -> status histogram; exactly one payment must exist
#   2. 100 POSTs with unique keys                       -> 100 payments
#   3. a timed load (wrk, unique keys)                  -> throughput and p50/p90/p99, with a progress line
# Settings (environment): PAYRAIL_URL (http://127.0.0.1:8000), PAYRAIL_API_KEY (the demo key),
# PAYRAIL_ADMIN_TOKEN (dev-admin), LOAD_SECONDS (30), LOAD_CONNECTIONS (32), PAYRAIL_DATA_DIR (./data, only
# to print the count of payments by status from the embedded database when psql is installed).
set -euo pipefail

URL=${PAYRAIL_URL:-http://127.0.0.1:8000}
KEY=${PAYRAIL_API_KEY:-sk_live_0b85ac22a90a4019b0e79d07b672cf34}
ADMIN=${PAYRAIL_ADMIN_TOKEN:-dev-admin}
SECONDS_LOAD=${LOAD_SECONDS:-30}
CONNECTIONS=${LOAD_CONNECTIONS:-32}
RUN=$(date +%s)-$$
BODY='{"amount":100,"currency":"USD","order_id":"test"}'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

command -v curl >/dev/null || { echo "load_test: curl is required" >&2; exit 1; }

echo "== health: $URL/health"
health=$(curl -s --max-time 5 "$URL/health" || true)
[ "$health" = '{"status":"ok"}' ] || { echo "load_test: Payrail is not healthy at $URL (got: ${health:-nothing}); start it with ./payrail" >&2; exit 1; }
echo "   $health"

echo "== merchant for key ${KEY:0:12}…"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/payments?limit=1" -H "X-API-Key: $KEY")
if [ "$code" = 401 ]; then
  created=$(curl -s -o "$work/merchant.json" -w '%{http_code}' -X POST "$URL/admin-api/merchants" \
    -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"webhook_url\":\"http://127.0.0.1:8080/webhook\",\"api_secret\":\"secret\",\"api_key\":\"$KEY\"}")
  [ "$created" = 201 ] || { echo "load_test: cannot create the merchant (HTTP $created): $(cat "$work/merchant.json")" >&2; exit 1; }
  echo "   created"
else
  echo "   exists (HTTP $code)"
fi

post() { # post KEY OUTFILE -> prints the status code, writes the body
  curl -s -o "$2" -w '%{http_code}\n' -X POST "$URL/v1/payments" -H 'Content-Type: application/json' \
    -H "X-API-Key: $KEY" -H "Idempotency-Key: $1" -d "$BODY"
}
export -f post; export URL KEY BODY

echo "== test 1: 200 POSTs, concurrency 50, one Idempotency-Key"
same="load-same-$RUN"
seq 1 200 | xargs -P 50 -I{} bash -c "post '$same' '$work/same-{}.json'" > "$work/codes1.txt"
echo "   status codes:"; sort "$work/codes1.txt" | uniq -c | sed 's/^/     /'
ids=$(cat "$work"/same-*.json | grep -o '"payment_id":"[^"]*"' | sort -u | wc -l)
listed=$(curl -s "$URL/v1/payments?idempotency_key=$same&limit=100" -H "X-API-Key: $KEY" | grep -o '"payment_id"' | wc -l)
echo "   distinct payment_id in answers: $ids; payments stored for the key: $listed"
non2xx=$(grep -vc '^2' "$work/codes1.txt" || true)
if [ "$ids" -ne 1 ] || [ "$listed" -ne 1 ] || [ "$non2xx" -ne 0 ]; then echo "   FAIL: expected 200 x 2xx and exactly one payment"; fail=1; else echo "   OK"; fi

echo "== test 2: 100 POSTs with unique keys"
seq 1 100 | xargs -P 20 -I{} bash -c "post 'load-unique-$RUN-{}' '$work/unique-{}.json'" > "$work/codes2.txt"
echo "   status codes:"; sort "$work/codes2.txt" | uniq -c | sed 's/^/     /'
ids=$(cat "$work"/unique-*.json | grep -o '"payment_id":"[^"]*"' | sort -u | wc -l)
stored=0
for i in $(seq 1 100); do
  n=$(curl -s "$URL/v1/payments?idempotency_key=load-unique-$RUN-$i" -H "X-API-Key: $KEY" | grep -o '"payment_id"' | wc -l)
  stored=$((stored + n))
done
echo "   distinct payment_id in answers: $ids; payments stored: $stored"
if [ "$ids" -ne 100 ] || [ "$stored" -ne 100 ]; then echo "   FAIL: expected 100 payments"; fail=1; else echo "   OK"; fi

echo "== test 3: ${SECONDS_LOAD}s of load, $CONNECTIONS connections, unique keys (wrk)"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "   installing wrk from Debian's packages..."
    (apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }) || true
  fi
fi
if command -v wrk >/dev/null; then
  here=$(cd "$(dirname "$0")" && pwd)
  count() { curl -s "$URL/actuator/prometheus" | awk '/^http_server_requests_seconds_count\{.*method="POST".*uri="\/v1\/payments"/ {s+=$2} END {printf "%d\n", s}'; }
  start=$(count)
  PAYRAIL_API_KEY=$KEY BENCH_RUN_ID="load-$RUN" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_LOAD}s" --latency \
    -s "$here/bench/unique-keys.lua" "$URL" > "$work/wrk.txt" 2>&1 &
  wrk_pid=$!
  t=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 1; t=$((t + 1))
    now=$(count)
    printf '\r   progress: %3ds / %ss, %d payments posted' "$t" "$SECONDS_LOAD" "$((now - start))"
  done
  wait "$wrk_pid" || true
  echo
  sed 's/^/   /' "$work/wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt"); p90=$(awk '$1=="90%" {print $2}' "$work/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  echo "   summary: ${rps:-?} payments/s, p50 ${p50:-?}, p90 ${p90:-?}, p99 ${p99:-?}"
else
  echo "   skipped: wrk is not installed (apt-get install wrk)"
fi

env_file="${PAYRAIL_DATA_DIR:-./data}/embedded.env"
if command -v psql >/dev/null && [ -f "$env_file" ]; then
  echo "== payments by status (embedded database)"
  ( set -a; . "$env_file"; set +a; psql -X -q -A -F ' ' -t -c "select status, count(*) from payments group by status order by status" ) | sed 's/^/   /'
fi

[ "$fail" = 0 ] && echo "== all checks passed" || { echo "== some checks FAILED"; exit 1; }
