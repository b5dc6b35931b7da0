#!/usr/bin/env bash
# What one payment costs from intake to final status, at a rate the node can keep up with: one embedded Payrail
# per checkout (roles api,relay,admin,processing,simulators; simulators answering in 20 ± 10 ms without errors),
# wrk paced to BENCH_RATE payments/s (default 220) for BENCH_WARMUP s (default 180: after 60 s at this rate the JIT
# still takes about a quarter of the CPU), then BENCH_SECONDS (default 30) measured. Per payment finalised in the
# measured window: the machine's busy CPU, the CPU of PostgreSQL's backends, the rows PostgreSQL read
# (pg_stat_database.tup_returned) and the commits it made; and created → final p50 / p99. Where
# bench/processing.sh asks how fast the node can go, this asks where the time of one payment goes,
# so two checkouts can be compared in one run.
#
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && ./mvnw -q -DskipTests package)
#   ./mvnw -q -DskipTests package
#   bench/processing-cost.sh /tmp/before . /tmp/before .
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PORT=8000
RATE=${BENCH_RATE:-220}; WARMUP=${BENCH_WARMUP:-180}; SECONDS_PER_RUN=${BENCH_SECONDS:-30}
. "$here/bench/common.sh"
need wrk wrk; need psql postgresql-client

export BENCH_RATE=$RATE BENCH_PACED_CONNECTIONS=64   # post_payments paces wrk to about RATE payments/s
backends_ticks() { # CPU clock ticks of the PostgreSQL backends serving Payrail (user + system)
  local sum=0 pid
  for pid in $(pgrep -f "postgres: $PGUSER"); do
    sum=$((sum + $(proc_ticks "$pid")))
  done
  echo "$sum"
}
counters() { # finalised payments, rows read, commits
  psql -qtAX -F ' ' -c "select (select count(*) from payments where status <> 'processing'), tup_returned, xact_commit
                        from pg_stat_database where datname = current_database()"
}

echo "| checkout | finalised/s | machine busy | machine CPU ms / payment | PostgreSQL backends CPU ms / payment | rows read / payment | commits / payment | created→final p50, p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
checkouts=(); for c in "$@"; do checkouts+=("$(cd "$c" && pwd)"); done
for checkout in "${checkouts[@]}"; do
  cd "$checkout" && mkdir -p "$out"
  start_payrail api,relay,admin,processing,simulators >/dev/null
  for a in alpha beta gamma; do
    curl -s -X PUT -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/simulators/acquirers/$a/knobs" \
      -d '{"latency_mean_ms":20,"latency_spread_ms":10,"error_rate":0,"timeout_rate":0}' >/dev/null
  done
  post_payments warm "$WARMUP" >/dev/null
  read -r n0 r0 c0 <<<"$(counters)"; g0=$(backends_ticks); b0=$(busy_ticks); t0=$(date +%s)
  post_payments measured "$SECONDS_PER_RUN" >/dev/null
  read -r n1 r1 c1 <<<"$(counters)"; g1=$(backends_ticks); b1=$(busy_ticks); t1=$(date +%s)
  latency=$(psql -qtAX -F ', ' -c "
    select round(1000 * extract(epoch from percentile_cont(0.5) within group (order by updated_at - created_at))),
           round(1000 * extract(epoch from percentile_cont(0.99) within group (order by updated_at - created_at)))
    from payments where status <> 'processing' and updated_at > now() - interval '$SECONDS_PER_RUN seconds'")
  awk -v c="$checkout" -v f=$((n1 - n0)) -v s=$((t1 - t0)) -v b=$((b1 - b0)) -v g=$((g1 - g0)) -v r=$((r1 - r0)) \
      -v x=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" -v lat="$latency" 'BEGIN {
    printf "| %s | %.0f | %.0f %% | %.2f | %.2f | %.0f | %.1f | %s |\n",
           c, f / s, 100 * b / hz / (s * cores), b * 1000 / hz / f, g * 1000 / hz / f, r / f, x / f, lat }'
  stop_payrail
done
