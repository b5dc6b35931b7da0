#!/usr/bin/env bash
# Benchmark: the operators' lists that grow with the traffic, GET /admin-api/payments with each filter combination
# an operator's dashboard sends, and the webhook deliveries, events, refunds and audit log lists with theirs, over
# HTTP, against a running embedded Payrail seeded by bench/seed-million.sh. Each query runs BENCH_RUNS times (one
# request at a time, after 3 warm-up requests); p50/p99/max per query, beside GET /health measured the same way
# in the same run (the cost of curl, the connection and the HTTP layer: the floor under every figure).
#
#   bench/seed-million.sh && bench/admin-lists.sh        # data dir ./data, port 8000, token dev-admin
#   BENCH_PORT=8311 PAYRAIL_DATA_DIR=/tmp/pr BENCH_RUNS=50 bench/admin-lists.sh
#
# Needs curl and psql (psql only to pick real ids and keys to search for). Results are printed and appended to
# bench-results/results.md; a query over BENCH_LIMIT_MS (100) at p99 is marked.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-8000}
RUNS=${BENCH_RUNS:-30}
LIMIT_MS=${BENCH_LIMIT_MS:-100}
TOKEN=${PAYRAIL_ADMIN_TOKEN:-dev-admin}
DATA_DIR=${PAYRAIL_DATA_DIR:-./data}
. bench/common.sh
mkdir -p "$out"
need curl curl; need psql postgresql-client
set -a; . "$DATA_DIR/embedded.env"; set +a
base="http://127.0.0.1:$PORT"

big=00000000-5eed-4000-8000-000000000001     # seed-01: half of the payments
small=00000000-5eed-4000-8000-000000000050   # seed-50: one of the smallest
now=$(date +%s); day=86400
# a payment from the middle of the table: searched for by a piece of its id and by its idempotency key
read -r some_id some_key < <(psql -At -F' ' -c "select payment_id, idempotency_key from payments
  where idempotency_key is not null and order_id like 'seed-%' order by payment_id offset 400000 limit 1")
[ -n "${some_id:-}" ] || { echo "bench: no seeded payments; run bench/seed-million.sh first" >&2; exit 1; }
id_piece=${some_id:9:9}          # e.g. "7bfc-8dc1": inside the id, not its time-ordered head
key_piece=${some_key:5:12}
small_endpoint=00000000-5eed-4000-9000-000000000050
# an event from the middle of the table (the next page after it), a refunded payment, an audited target
middle_event=$(psql -At -c "select event_id from webhook_events order by created_at desc offset 500000 limit 1")
refunded=$(psql -At -c "select payment_id from refunds where reason = 'seeded refund' order by refund_id offset 10000 limit 1")
audited=$(psql -At -c "select target_id from audit_log where actor like 'seed-%' order by audit_id offset 50000 limit 1")

queries=(
  "health|/health"
  "first page (dashboard default)|/admin-api/payments"
  "first page, limit 200|/admin-api/payments?limit=200&offset=0&sort=created_at&order=desc"
  "page 401 (offset 10000)|/admin-api/payments?limit=25&offset=10000"
  "oldest first|/admin-api/payments?order=asc"
  "status=approved|/admin-api/payments?status=approved"
  "status=processing (0.7 %)|/admin-api/payments?status=processing"
  "status=new (0.3 %)|/admin-api/payments?status=new"
  "currency=EUR|/admin-api/payments?currency=EUR"
  "currency=SEK (0.5 %)|/admin-api/payments?currency=SEK"
  "merchant (50 %)|/admin-api/payments?merchant_id=$big"
  "merchant (small)|/admin-api/payments?merchant_id=$small"
  "merchant + status=failed|/admin-api/payments?merchant_id=$small&status=failed"
  "amount 1000..5000|/admin-api/payments?amount_min=1000&amount_max=5000"
  "amount >= 999000 (rare)|/admin-api/payments?amount_min=999000"
  "created: last 24 h|/admin-api/payments?created_from=$((now - day))&created_to=$now"
  "created: one day 60 days ago|/admin-api/payments?created_from=$((now - 60*day))&created_to=$((now - 59*day))"
  "sort=amount desc|/admin-api/payments?sort=amount&order=desc"
  "sort=amount asc + approved + EUR|/admin-api/payments?sort=amount&order=asc&status=approved&currency=EUR"
  "status + currency + last 7 days|/admin-api/payments?status=declined&currency=GBP&created_from=$((now - 7*day))&created_to=$now"
  "merchant + last 30 days, by amount|/admin-api/payments?merchant_id=$small&created_from=$((now - 30*day))&created_to=$now&sort=amount&order=desc"
  "q = piece of an id (1 match)|/admin-api/payments?q=$id_piece"
  "q = piece of a key (1 match)|/admin-api/payments?q=$key_piece"
  "q = currency (many)|/admin-api/payments?q=sek"
  "q = currency (40,000)|/admin-api/payments?q=jpy"
  "q = currency (40,000) + status|/admin-api/payments?q=jpy&status=declined"
  "q + status|/admin-api/payments?q=$key_piece&status=approved"
  "stats|/admin-api/stats"
  "deliveries: first page (problems first)|/admin-api/webhook-deliveries"
  "deliveries: page 401 (offset 10000)|/admin-api/webhook-deliveries?limit=25&offset=10000"
  "deliveries: dead|/admin-api/webhook-deliveries?status=dead"
  "deliveries: failing|/admin-api/webhook-deliveries?status=failing"
  "deliveries: pending|/admin-api/webhook-deliveries?status=pending"
  "deliveries: delivered|/admin-api/webhook-deliveries?status=delivered"
  "deliveries: merchant (small)|/admin-api/webhook-deliveries?merchant_id=$small"
  "deliveries: merchant (50 %)|/admin-api/webhook-deliveries?merchant_id=$big"
  "deliveries: endpoint (small)|/admin-api/webhook-deliveries?endpoint_id=$small_endpoint"
  "deliveries: event type (failed, 7 %)|/admin-api/webhook-deliveries?event_type=payment.failed"
  "deliveries: event type (refund.failed, none)|/admin-api/webhook-deliveries?event_type=refund.failed"
  "deliveries: event type, page 201|/admin-api/webhook-deliveries?event_type=payment.approved&limit=25&offset=5000"
  "deliveries: merchant + dead|/admin-api/webhook-deliveries?merchant_id=$small&status=dead"
  "deliveries: an endpoint's own list|/admin-api/merchants/$small/webhook-endpoints/$small_endpoint/deliveries"
  "events: first page|/admin-api/events"
  "events: next page from the middle|/admin-api/events?starting_after=$middle_event"
  "events: type payment.failed|/admin-api/events?type=payment.failed"
  "events: type refund.failed (none)|/admin-api/events?type=refund.failed"
  "events: merchant (small)|/admin-api/events?merchant_id=$small"
  "events: one day 60 days ago|/admin-api/events?from=$((now - 60*day))&to=$((now - 59*day))"
  "refunds: first page|/admin-api/refunds"
  "refunds: failed|/admin-api/refunds?status=failed"
  "refunds: of a payment|/admin-api/refunds?payment_id=$refunded"
  "refunds: one day 60 days ago|/admin-api/refunds?created_from=$((now - 60*day))&created_to=$((now - 59*day))"
  "refunds: page 201 (offset 5000)|/admin-api/refunds?limit=25&offset=5000"
  "audit log: first page|/admin-api/audit-log"
  "audit log: actor|/admin-api/audit-log?actor=seed-7@example.com"
  "audit log: action|/admin-api/audit-log?action=merchant.suspended"
  "audit log: target|/admin-api/audit-log?target_type=payment&target_id=$audited"
  "audit log: one day 60 days ago|/admin-api/audit-log?from=$(date -u -d @$((now - 60*day)) +%FT%TZ)&to=$(date -u -d @$((now - 59*day)) +%FT%TZ)"
)

times() { # times PATH: RUNS request times in ms, one a line (after 3 warm-ups); fails on a non-200
  local path=$1 i code
  for i in 1 2 3; do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$base$path"; done
  for i in $(seq 1 "$RUNS"); do
    read -r code t < <(curl -s -o "$out/list-answer.json" -w '%{http_code} %{time_total}\n' \
      -H "Authorization: Bearer $TOKEN" "$base$path")
    [ "$code" = 200 ] || { echo "bench: $path answered $code: $(head -c 300 "$out/list-answer.json")" >&2; exit 1; }
    awk -v t="$t" 'BEGIN { printf "%.2f\n", t * 1000 }'
  done
}

rows=()
over=0
for entry in "${queries[@]}"; do
  name=${entry%%|*}; path=${entry#*|}
  read -r p50 p99 max < <(times "$path" | sort -n |
    awk '{v[NR]=$1} END {i50=int((NR+1)*0.50); i99=int(NR*0.99+0.999); if (i99>NR) i99=NR; printf "%s %s %s\n", v[i50], v[i99], v[NR]}')
  total=$(grep -o '"total":[0-9]*' "$out/list-answer.json" | head -1 | cut -d: -f2 || true)
  estimate=$(grep -o '"total_is_estimate":[a-z]*' "$out/list-answer.json" | cut -d: -f2 || true)
  mark=""; if awk -v a="$p99" -v b="$LIMIT_MS" 'BEGIN { exit !(a > b) }'; then mark=" **over ${LIMIT_MS} ms**"; over=$((over + 1)); fi
  printf '%-45s p50 %8s ms  p99 %8s ms  max %8s ms  total %s%s\n' "$name" "$p50" "$p99" "$max" "${total:--}" "${estimate:+ (estimate: $estimate)}"
  rows+=("| $name | \`${path//|/\\|}\` | $p50 | $p99 | ${total:--}${estimate:+ ($([ "$estimate" = true ] && echo estimate || echo exact))} |$mark")
done
payments=$(psql -At -c "select count(*) from payments")

{
  echo
  echo "### admin lists, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $payments payments, $RUNS runs per query"
  echo
  echo "| query | path | p50 ms | p99 ms | total |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee -a "$out/results.md"
echo "queries over ${LIMIT_MS} ms at p99: $over"
