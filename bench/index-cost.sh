#!/usr/bin/env bash
# What some indexes cost the intake, on one running server: after a warm-up (BENCH_WARMUP, default 120 s), 20 s runs
# of POST /v1/payments (64 connections, unique keys, wrk) alternate with and without them: with, without, with,
# without, with (drop and create with psql between runs, as the application's database user). One server and
# alternation, because the rate still drifts upwards for minutes and from one minute to the next on this VM; compare
# each "without" with the two "with" beside it. Prints the rate, p99 and the machine's busy CPU per payment (all
# processes, so it includes background writers such as the search indexer, which may lag the run under load).
#
#   ./mvnw -q -DskipTests package
#   bench/index-cost.sh "drop index payment_search_trigrams" \
#     "create index payment_search_trigrams on payment_search using gin (search_text gin_trgm_ops)"
#   bench/index-cost.sh "drop index payments_status_newest, payments_currency_newest, payments_amount, payments_created" \
#     "create index payments_status_newest on payments (status, payment_id); create index payments_currency_newest on payments (currency, payment_id); create index payments_amount on payments (amount, payment_id); create index payments_created on payments (created_at, payment_id)"
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: bench/index-cost.sh DROP-SQL CREATE-SQL" >&2; exit 2; }
drop=$1; create=$2
cd "$(dirname "$0")/.."
PORT=8000
. bench/common.sh
mkdir -p "$out"
need wrk wrk; need psql postgresql-client
runs=0
run() {
  local c0 c1 requests rate p99
  c0=$(busy_ticks); runs=$((runs + 1))
  # Each run its own keys: a run id used twice on this one server would send the keys of the earlier run again,
  # and their answers would be idempotent replays, not payments.
  post_payments "$1-$runs" 20 --latency > "$out/wrk-index-cost.txt"
  c1=$(busy_ticks)
  read -r requests rate p99 <<<"$(wrk_result "$out/wrk-index-cost.txt")"
  awk -v name="$1" -v r="$requests" -v rate="$rate" -v p99="$p99" -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "| %s | %d | %s | %.3f |\n", name, rate, p99, c * 1000 / hz / r }'
}
start_payrail "${BENCH_ROLES:-api,relay,admin}" >/dev/null
post_payments warm "${BENCH_WARMUP:-120}" >/dev/null
echo "| indexes | payments/s | p99 ms | machine CPU ms / payment |"
echo "|---|---|---|---|"
run with
psql -XAtq -c "$drop" && run without
psql -XAtq -c "$create" && run with
psql -XAtq -c "$drop" && run without
psql -XAtq -c "$create" && run with
