#!/usr/bin/env bash
# Where PostgreSQL's time goes, statement by statement (pg_stat_statements): one embedded Payrail (roles BENCH_ROLES,
# default every role of the processing benchmark), restarted once on its data dir with pg_stat_statements preloaded
# (PostgreSQL's own extension, shipped with the embedded server; Payrail itself does not load it), BENCH_WARMUP s
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
PORT=8000; KEY=sk_live_0b85ac22a90a4019b0e79d07b672cf34
ROLES=${BENCH_ROLES:-api,relay,admin,processing,simulators}; RATE=${BENCH_RATE:-220}
out=bench-results
. "$here/bench/common.sh"
need wrk wrk; need psql postgresql-client
cd "$here" && mkdir -p "$out"
[ "$RATE" = 0 ] || export BENCH_RATE=$RATE BENCH_PACED_CONNECTIONS=64   # post_payments paces wrk

superuser() { PGUSER=postgres PGPASSWORD=$(cat "$data/secrets/postgres-superuser.password") psql -qtAX "$@"; }
start_payrail "$ROLES" >/dev/null
superuser -c "alter system set shared_preload_libraries = 'pg_stat_statements'" \
          -c "alter system set pg_stat_statements.track = 'all'"
stop_payrail keep
start_payrail "$ROLES" "$data" >/dev/null
superuser -c "create extension if not exists pg_stat_statements"
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
payrails="query not like '%pg_stat_statements%' and query not like '%/* bench */%'"   # not this script's own
echo "all statements: $(superuser -c "select round(sum(total_plan_time + total_exec_time)::numeric * 1000 / $n)
                                        from pg_stat_statements where $payrails") µs per payment"
echo "| µs / payment | calls / payment | mean µs | rows / call | statement |"
echo "|---|---|---|---|---|"
superuser -F ' | ' -c "
  select round((total_plan_time + total_exec_time)::numeric * 1000 / $n), round(calls::numeric / $n, 2),
         round((mean_plan_time + mean_exec_time)::numeric * 1000), round(rows::numeric / greatest(calls, 1), 1),
         left(regexp_replace(query, '\s+', ' ', 'g'), 110)
    from pg_stat_statements
   where $payrails
   order by total_plan_time + total_exec_time desc limit ${BENCH_TOP:-20}" | sed 's/^/| /; s/$/ |/'
