#!/usr/bin/env bash
# Where PostgreSQL's time goes, statement by statement (pg_stat_statements): one embedded Payrail (roles BENCH_ROLES,
# default every role of the processing benchmark), restarted once on its data dir with pg_stat_statements preloaded
# (start_payrail_with_statements in common.sh), BENCH_WARMUP s
# (default 180: on these 2 cores the JIT still compiles the processing path after a minute) of POST /v1/payments
# paced to BENCH_RATE payments/s (default 220, which the node keeps up with; 0 = as fast as answers come), then the
# statistics are reset and BENCH_SECONDS (default 20) measured. Prints, per payment (finalised when the processing
# role is on, created otherwise): each statement's planning + execution time in µs, its calls and rows per call.
# Execution time is wall time inside the executor: on a busy machine it includes waiting for a core, so read the
# column as shares, and compare runs at the same rate.
#
#   bench/statements.sh                                        # processing node, 220 payments/s
#   BENCH_ROLES=api,relay,admin BENCH_RATE=0 bench/statements.sh  # the intake alone, at full speed
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PORT=8000
ROLES=${BENCH_ROLES:-api,relay,admin,processing,simulators}; RATE=${BENCH_RATE:-220}
. "$here/bench/common.sh"
need wrk wrk; need psql postgresql-client
cd "$here" && mkdir -p "$out"
[ "$RATE" = 0 ] || export BENCH_RATE=$RATE BENCH_PACED_CONNECTIONS=64   # post_payments paces wrk

start_payrail_with_statements "$ROLES"
if [[ ,$ROLES, == *,simulators,* ]]; then
  for a in alpha beta gamma; do
    curl -s -X PUT -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/simulators/acquirers/$a/knobs" \
      -d '{"latency_mean_ms":20,"latency_spread_ms":10,"error_rate":0,"timeout_rate":0}' >/dev/null
  done
fi
counted="true"; [[ ,$ROLES, == *,processing,* ]] && counted="status <> 'processing'"
payments() { psql -qtAX -c "select /* bench */ count(*) from payments where $counted"; }

post_payments warm "${BENCH_WARMUP:-180}" >/dev/null
superuser -c "select pg_stat_statements_reset()" >/dev/null; n0=$(payments)
post_payments measured "${BENCH_SECONDS:-20}" >/dev/null
n=$(( $(payments) - n0 ))
echo "## roles $ROLES, $RATE payments/s offered (0 = unpaced): $n payments counted in ${BENCH_SECONDS:-20} s"
[ "$n" -gt 0 ] || { echo "no payment counted" >&2; exit 1; }
statements_report "$n" payment "${BENCH_TOP:-20}"
