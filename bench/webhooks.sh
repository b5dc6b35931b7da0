#!/usr/bin/env bash
# Benchmark: webhooks. wrk posts payments as the demo merchant; each becomes an outcome event and one webhook
# delivery to the built-in merchant receiver on the same node (which verifies both signatures). Two phases:
#   1. end to end, endpoint on: payments/s, and from the database for every delivery of the phase the delay
#      event→delivered (outcome event's commit to the receiver's 2xx being recorded) and POST→delivered
#      (payment created to webhook delivered), p50 and p99;
#   2. sender capacity: the demo endpoint is disabled while wrk runs, so a backlog builds; then it is enabled and
#      the backlog drains: deliveries/s = deliveries / (last delivered - enabled); and where the drain's CPU went,
#      per 1,000 deliveries by group of threads (the JVM's and PostgreSQL's, from /proc).
#   3. events at a fixed rate: no payments posted; pgbench appends payment.approved events to the outbox at each
#      rate of BENCH_EVENT_RATES (events/s, default "1000 2000"), BENCH_EVENT_BATCH (10) to an insert as
#      processing's group commit appends them, each a copy of a real one with a new event id and time, so the webhook pipeline alone (relay, Kafka, events consumer, sender, receiver) runs at a rate
#      the issue names, on a node that intake and processing do not saturate: event→delivered p50/p99 and the
#      machine's CPU per delivery (pgbench's own inserts, one commit per event, included).
#
#   bench/webhooks.sh                           # 32 connections, 20 s
#   BENCH_SECONDS=30 BENCH_CONNECTIONS=64 bench/webhooks.sh
#   BENCH_WARMUP=60 bench/webhooks.sh            # seconds of payments for the warm-up's backlog (default 30)
#   BENCH_STATEMENTS=1 bench/webhooks.sh         # also PostgreSQL's time in the drain by statement (pg_stat_statements)
#   BENCH_EVENT_RATES="500 1000 1500" bench/webhooks.sh   # phase 3's rates (events/s); BENCH_EVENT_RATES= skips it
#   BENCH_EVENTS_ONLY=1 BENCH_EVENT_RATES="2000 2000 2000" bench/webhooks.sh   # phase 3 only (after the warm-up)
#
# It starts its own Payrail (embedded mode, fresh data dir under bench-results/, port 8000 unless BENCH_PORT is
# set) and stops it at the end. Needs wrk and psql (installed from Debian's packages when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PORT=${BENCH_PORT:-8000}
. bench/common.sh
mkdir -p "$out"
need wrk wrk; need psql postgresql-client; need pgbench postgresql-contrib
if [ -n "${BENCH_STATEMENTS:-}" ]; then start_payrail_with_statements ""; else start_payrail; fi

q() { psql -X -A -t -q -c "/* bench */ $1"; }
endpoint=$(q "select endpoint_id from webhook_endpoints where merchant_id = '0b85ac22-a90a-4019-b0e7-9d07b672cf34' order by created_at limit 1")
enable() { # enable true|false: the demo endpoint, through the merchant API
  curl -s -o /dev/null -X PATCH "http://127.0.0.1:$PORT/v1/webhook_endpoints/$endpoint" -H "X-API-Key: $KEY" \
    -H "Content-Type: application/json" -d "{\"enabled\":$1}"
}
pending() { q "select count(*) from webhook_deliveries where status = 'pending'"; }
drain() { for _ in $(seq 1 1200); do [ "$(pending)" = 0 ] && return 0; sleep 0.5; done; echo "backlog did not drain" >&2; }
delays() { # delays SINCE -> "DELIVERED E50 E99 Q50 Q99 P50 P99 LAST" for the outcome events created since SINCE:
  # event→delivered (E), event→queued (Q: the delivery row written) and POST→delivered (P: from the payment's
  # creation) p50/p99 in ms, and seconds from the last event to the last delivery
  q "select count(*),
            round(1000 * percentile_cont(0.5) within group (order by extract(epoch from d.updated_at - e.created_at))),
            round(1000 * percentile_cont(0.99) within group (order by extract(epoch from d.updated_at - e.created_at))),
            round(1000 * percentile_cont(0.5) within group (order by extract(epoch from d.created_at - e.created_at))),
            round(1000 * percentile_cont(0.99) within group (order by extract(epoch from d.created_at - e.created_at))),
            round(1000 * percentile_cont(0.5) within group (order by extract(epoch from d.updated_at - p.created_at))),
            round(1000 * percentile_cont(0.99) within group (order by extract(epoch from d.updated_at - p.created_at))),
            round(extract(epoch from max(d.updated_at) - max(e.created_at)), 1)
     from webhook_deliveries d join webhook_events e using (event_id) join payments p on p.payment_id = e.object_id
     where d.status = 'delivered' and e.created_at >= '$1' and e.event_type <> 'payment.created'" | tr '|' ' '
}
settled() { # waits until no payment is processing any more (every outcome event exists)
  for _ in $(seq 1 600); do [ "$(q "select count(*) from payments where status = 'processing'")" = 0 ] && return 0; sleep 0.5; done
}

# warm-up (JIT, pools): payments with the endpoint on, then a backlog drained, as in the two phases; then let
# it settle. The drain's code (sender, receiver) is compiled by the JIT only under that load: without it the
# compiler took a quarter of the machine's CPU in the measured drain.
PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=whwarm-$$ wrk -t2 -c16 -d5s -s bench/unique-keys.lua "http://127.0.0.1:$PORT" >/dev/null
enable false
PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=whwarm2-$$ wrk -t2 -c"$CONNECTIONS" -d"${BENCH_WARMUP:-30}s" -s bench/unique-keys.lua \
  "http://127.0.0.1:$PORT" >/dev/null
settled; enable true; drain; sleep 2

if [ -z "${BENCH_EVENTS_ONLY:-}" ]; then   # phases 1 and 2
  echo "== phase 1: $CONNECTIONS connections, ${SECONDS_PER_RUN}s of payments, endpoint on"
  t1=$(q "select now()")
  PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=wh1-$$ wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
    -s bench/unique-keys.lua "http://127.0.0.1:$PORT" > "$out/wrk-webhooks.txt"
  cat "$out/wrk-webhooks.txt"
  settled; sleep 2; drain
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out/wrk-webhooks.txt")
  errors=$(awk '/Non-2xx/ {print $NF}' "$out/wrk-webhooks.txt"); errors=${errors:-0}
  read -r n1 e50 e99 q50 q99 p50 p99 _ <<<"$(delays "$t1")"

  echo "== phase 2: endpoint off while $CONNECTIONS connections post for ${SECONDS_PER_RUN}s, then on: the backlog drains"
  enable false
  t2=$(q "select now()")
  PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=wh2-$$ wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" \
    -s bench/unique-keys.lua "http://127.0.0.1:$PORT" > /dev/null
  settled; sleep 3
  backlog=$(pending)
  t3=$(q "select now()")
  [ -z "${BENCH_STATEMENTS:-}" ] || superuser -c "select pg_stat_statements_reset()" >/dev/null
  thread_snapshot "$payrail_pid" > "$out/threads-before.txt"; b0=$(busy_ticks)
  enable true
  drain
  thread_snapshot "$payrail_pid" > "$out/threads-after.txt"; b1=$(busy_ticks)
  read -r n2 secs <<<"$(q "
    select count(*), extract(epoch from max(d.updated_at) - '$t3'::timestamptz)
    from webhook_deliveries d join webhook_events e using (event_id)
    where d.status = 'delivered' and e.created_at >= '$t2'" | tr '|' ' ')"
  dps=$(awk -v n="$n2" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')

  {
    echo
    echo "### webhooks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${SECONDS_PER_RUN}s at $CONNECTIONS connections"
    echo
    echo "| phase 1: payments/s | non-2xx | deliveries | event→delivered p50 ms | p99 ms | POST→delivered p50 ms | p99 ms | phase 2: backlog | deliveries/s draining |"
    echo "|---|---|---|---|---|---|---|---|---|"
    echo "| $rps | $errors | $n1 | $e50 | $e99 | $p50 | $p99 | $backlog | $dps |"
    echo
    echo "phase 1, of event→delivered: event→queued (the delivery row written from Kafka) p50 $q50 ms, p99 $q99 ms"
  } | tee -a "$out/results.md"

  # Where the drain's CPU went (from /proc, so no sampling error; the window runs up to the poll that saw the backlog
  # gone, at most half a second after the last delivery).
  echo
  echo "drain: machine CPU $(cpu_ms_per $((b1 - b0)) "$n2") ms per delivery"
  echo "| CPU ms per 1,000 deliveries | threads |"
  echo "|---|---|"
  thread_report "$out/threads-before.txt" "$out/threads-after.txt" "$n2" 25
  if [ -n "${BENCH_STATEMENTS:-}" ]; then
    echo
    echo "drain: PostgreSQL's time by statement"
    statements_report "$n2" delivery
  fi
fi

# Phase 3: the webhook pipeline alone at fixed rates. The templates are this run's own payment.approved events
# (payments approved by the alpha simulator in the phases above); each appended copy gets a new event id and the
# time of its insert as occurred_at, which is what event→delivered counts from.
rates=${BENCH_EVENT_RATES-1000 2000}
[ -n "$rates" ] || exit 0
q "set client_min_messages = warning; drop table if exists bench_event_templates;
   create table bench_event_templates as
     select row_number() over () as n, event_type, aggregate_id, topic,
            replace(replace(payload, event_id::text, '@event_id@'), payload::jsonb ->> 'occurred_at', '@time@') as payload
       from (select * from outbox where event_type = 'payment.approved' limit 10000) approved;
   alter table bench_event_templates add primary key (n)"
templates=$(q "select count(*) from bench_event_templates")
[ "$templates" -gt 0 ] || { echo "phase 3: no payment.approved event left in the outbox to copy" >&2; exit 1; }
batch=${BENCH_EVENT_BATCH:-10}   # events per insert transaction, as processing appends its outcomes by group commit
cat > "$out/append-event.sql" <<'SQL'
\set offset random(0, :templates - 1)
insert into outbox (event_id, event_type, aggregate_id, topic, payload, created_at)
select g.e, t.event_type, t.aggregate_id, t.topic,
       replace(replace(t.payload, '@event_id@', g.e::text), '@time@',
               to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')), now()
  from (select uuidv7() as e, i from generate_series(1, :batch::int) i) g
  join bench_event_templates t on t.n = (g.i + :offset::int) % :templates::int + 1;
SQL
for rate in $rates; do
  echo "== phase 3: $rate events/s for ${SECONDS_PER_RUN}s appended to the outbox (no payments posted), endpoint on"
  t4=$(q "select now()")
  [ -z "${BENCH_STATEMENTS:-}" ] || superuser -c "select pg_stat_statements_reset()" >/dev/null
  b0=$(busy_ticks)
  pgbench -n -c 16 -j 2 -R "$(awk -v r="$rate" -v b="$batch" 'BEGIN { print r / b }')" -T "$SECONDS_PER_RUN" \
    -D templates="$templates" -D batch="$batch" -f "$out/append-event.sql" \
    > "$out/pgbench-events.txt" 2>&1 || { cat "$out/pgbench-events.txt" >&2; exit 1; }
  drain
  b1=$(busy_ticks)
  appended=$(awk -v b="$batch" '/^tps/ {printf "%.0f", $3 * b}' "$out/pgbench-events.txt")
  read -r n3 e50 e99 q50 q99 _ _ last <<<"$(delays "$t4")"
  {
    echo
    echo "### webhooks at a fixed event rate, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${SECONDS_PER_RUN}s"
    echo
    echo "| events/s offered | appended/s | delivered | event→delivered p50 ms | p99 ms | event→queued p50 ms | p99 ms | last delivered after last event s | machine CPU ms / delivery |"
    echo "|---|---|---|---|---|---|---|---|---|"
    echo "| $rate | $appended | $n3 | $e50 | $e99 | $q50 | $q99 | $last | $(cpu_ms_per $((b1 - b0)) "$n3") |"
  } | tee -a "$out/results.md"
  if [ -n "${BENCH_STATEMENTS:-}" ]; then
    echo; echo "phase 3 at $rate events/s: PostgreSQL's time by statement (pgbench's appends included)"
    statements_report "$n3" delivery 8
  fi
  sleep 2
done
