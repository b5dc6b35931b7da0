#!/usr/bin/env bash
# Benchmark: payments created AND finalised. In one run, on this machine:
#   1. intake only  - a node with roles api,relay,admin (nothing processes), POST /v1/payments as fast as
#                     BENCH_CONNECTIONS connections go: the intake rate, the baseline of this run;
#   2. processing   - a node with every role (its simulators answer in 20 +- 10 ms, no errors or late answers,
#                     approval rates as by default), offered about BENCH_RATE payments/s for BENCH_SECONDS: the
#                     rate at which payments were created and finalised, and created -> final p50/p99/max (from
#                     the database: updated_at of the final write minus created_at).
#
#   bench/processing.sh                              # 20 s (after 180 s of warm-up), 64 connections, about 2,400 payments/s offered
#   BENCH_SECONDS=30 BENCH_RATE=3000 bench/processing.sh
#   BENCH_PROCESSING_ROLES=api,relay,admin,processing,simulators,webhooks bench/processing.sh   # webhooks on too
#
# Each phase starts its own Payrail (embedded, fresh data dir under bench-results/, port BENCH_PORT or 8000) and
# stops it. Needs wrk and psql (installed from Debian's packages when missing and running as root). Results are
# printed and appended to bench-results/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
RATE=${BENCH_RATE:-2400}
# Seconds of load before each measured run. The JIT compiles the processing path for minutes on these 2 cores (its
# compiler threads had a fifth to a third of the JVM's CPU samples 45-85 s into a saturated run, a tenth at 90-130 s,
# 2-3 % of the machine's CPU after 180 s), so a shorter warm-up measures the compiler, not the sustained rate; each
# phase prints the JIT's share of the machine's CPU during its measured window.
WARMUP=${BENCH_WARMUP:-180}
INTAKE_WARMUP=${BENCH_INTAKE_WARMUP:-90}
PORT=${BENCH_PORT:-8000}

. bench/common.sh
mkdir -p "$out"
need wrk wrk; need psql postgresql-client

load() { # load NAME [RATE]: wrk for SECONDS_PER_RUN, paced when RATE is given
  PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=$1-$$ BENCH_RATE=${2:-0} BENCH_PACED_CONNECTIONS=$CONNECTIONS \
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/unique-keys.lua "http://127.0.0.1:$PORT" \
    > "$out/wrk-$1.txt"
}

# 1. intake only
start_payrail api,relay,admin
PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=warm-$$ wrk -t2 -c"$CONNECTIONS" -d"${INTAKE_WARMUP}s" -s bench/unique-keys.lua "http://127.0.0.1:$PORT" >/dev/null
echo "== intake only: ${SECONDS_PER_RUN}s, $CONNECTIONS connections, as fast as answers come"
b0=$(busy_ticks); j0=$(jit_ticks "$payrail_pid")
load intake
intake_jit=$(percent $(( $(jit_ticks "$payrail_pid") - j0 )) $(( $(busy_ticks) - b0 )))
intake_rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out/wrk-intake.txt")
intake_99=$(ms "$(awk '$1=="99%" {print $2}' "$out/wrk-intake.txt")")
echo "intake: $intake_rps payments/s, POST p99 $intake_99 ms"
stop_payrail

# 2. created and finalised
PROCESSING_ROLES=${BENCH_PROCESSING_ROLES:-api,relay,admin,processing,simulators}
start_payrail "$PROCESSING_ROLES"
for a in alpha beta gamma; do
  curl -s -X PUT -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/simulators/acquirers/$a/knobs" \
    -d '{"latency_mean_ms":20,"latency_spread_ms":10,"error_rate":0,"timeout_rate":0}' >/dev/null
done
# warm-up at the same pace, then let it drain
PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=warm2-$$ BENCH_RATE=$RATE BENCH_PACED_CONNECTIONS=$CONNECTIONS \
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/unique-keys.lua "http://127.0.0.1:$PORT" >/dev/null
for _ in $(seq 1 300); do
  [ "$(psql -qtAX -c "select count(*) from payments where status = 'processing'")" = 0 ] && break; sleep 1
done
start=$(psql -qtAX -c "select now()")
echo "== processing: ${SECONDS_PER_RUN}s, $CONNECTIONS connections, about $RATE payments/s offered"
b0=$(busy_ticks); j0=$(jit_ticks "$payrail_pid")
load processing "$RATE"
j1=$(jit_ticks "$payrail_pid"); b1=$(busy_ticks)
drained=no
for _ in $(seq 1 300); do
  [ "$(psql -qtAX -c "select count(*) from payments where created_at >= '$start' and status = 'processing'")" = 0 ] && { drained=yes; break; }
  sleep 1
done
b2=$(busy_ticks)   # from the run's start until its payments are all final: the machine's CPU for creating and finalising them
processing_jit=$(percent $((j1 - j0)) $((b1 - b0)))
read -r created finalised rate p50 p99 pmax approved < <(psql -qtAX -F ' ' -c "
  with run as (select * from payments where created_at >= '$start')
  select count(*),
         count(*) filter (where status <> 'processing'),
         round(count(*) filter (where status <> 'processing')
               / greatest(extract(epoch from max(updated_at) - min(created_at)), 0.001)),
         round(1000 * extract(epoch from percentile_cont(0.50) within group (order by updated_at - created_at))::numeric, 1),
         round(1000 * extract(epoch from percentile_cont(0.99) within group (order by updated_at - created_at))::numeric, 1),
         round(1000 * extract(epoch from max(updated_at - created_at))::numeric, 1),
         round(100.0 * count(*) filter (where status = 'approved') / greatest(count(*), 1), 1)
  from run where status <> 'processing'")
post_rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out/wrk-processing.txt")
post_99=$(ms "$(awk '$1=="99%" {print $2}' "$out/wrk-processing.txt")")
errors=$(awk '/Non-2xx/ {print $NF}' "$out/wrk-processing.txt"); errors=${errors:-0}
cpu_ms=$(cpu_ms_per $((b2 - b0)) "$finalised")
{
  echo
  echo "### processing, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${SECONDS_PER_RUN}s, $CONNECTIONS connections, roles $PROCESSING_ROLES"
  echo
  echo "| intake only: payments/s | POST p99 ms | JIT % | offered/s | created/s (POST) | POST p99 ms | non-2xx | created | finalised | created and finalised/s | created->final p50 ms | p99 ms | max ms | approved % | drained | JIT % | machine CPU ms / payment |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  echo "| $intake_rps | $intake_99 | $intake_jit | $RATE | $post_rps | $post_99 | $errors | $created | $finalised | $rate | $p50 | $p99 | $pmax | $approved | $drained | $processing_jit | $cpu_ms |"
} | tee -a "$out/results.md"
