#!/usr/bin/env bash
# Benchmark: Payrail's POST /v1/payments (unique keys) at several connection counts, and beside it, in the
# same run and on the same embedded PostgreSQL, a pgbench script doing the same SQL work one transaction per
# payment (insert payment + insert outbox event). The ratio of the two is the figure that holds on a noisy
# machine; absolute numbers move from run to run.
#
#   bench/payments.sh                      # 8, 32, 64 connections, 20 s each
#   BENCH_SECONDS=30 BENCH_CONNECTIONS="64" bench/payments.sh
#
# It starts its own Payrail (embedded mode, fresh data dir under bench-results/, port 8000 unless
# BENCH_PORT is set) and stops it at the end. Needs wrk and pgbench (installed from Debian's packages when
# missing and running as root). Results are printed and appended to bench-results/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-"8 32 64"}
PORT=${BENCH_PORT:-8000}
MERCHANT=0b85ac22-a90a-4019-b0e7-9d07b672cf34
. bench/common.sh
mkdir -p "$out"
need wrk wrk; need pgbench postgresql-contrib; need psql postgresql-client
start_payrail "${PAYRAIL_ROLES:-}"

# The same SQL work as one payment, one transaction each: what a naive gateway would do per request.
cat > "$out/pgbench-payment.sql" <<SQL
\set amount random(1, 100000)
BEGIN;
INSERT INTO payments (payment_id, merchant_id, amount, currency, status, order_id, description, idempotency_key,
                      customer_email, customer_ip, customer_country, created_at, updated_at)
VALUES (uuidv7(), '$MERCHANT', :amount, 'USD', 'processing', 'bench-order', 'benchmark payment',
        'pgb-' || :client_id || '-' || md5(random()::text), 'buyer@example.com', '203.0.113.7', 'DE', now(), now())
RETURNING payment_id \gset
INSERT INTO outbox (event_id, event_type, aggregate_id, topic, payload, created_at)
VALUES (uuidv7(), 'payment.created', ':payment_id'::uuid, 'payments',
        '{"event_type":"payment.created","data":{"amount":' || :amount || ',"currency":"USD","status":"processing","order_id":"bench-order","description":"benchmark payment","customer":{"email":"buyer@example.com","ip":"203.0.113.7","country":"DE"}}}',
        now());
COMMIT;
SQL

# warm-up: JIT, connection pools, first pages of the indexes. 180 s by default (BENCH_WARMUP): on 2 cores the JIT
# compiles the request path for 60-90 s of load and longer with every role's code loaded (bench/intake-settle.sh);
# main's ratio to the core's after 90 s and after 180 s: docs/benchmarks.md, "The intake warmed up 180 s".
post_payments warm "${BENCH_WARMUP:-180}" >/dev/null
pgbench -n -c 8 -j 2 -T 3 -f "$out/pgbench-payment.sql" >/dev/null 2>&1

# Work per payment, which unlike throughput does not move with this VM's speed: bytes the JVM allocated
# (Micrometer's jvm_gc_memory_allocated_bytes_total) and WAL bytes PostgreSQL wrote (pg_stat_wal), over the run.
allocated() { curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | awk '/^jvm_gc_memory_allocated_bytes_total/ {printf "%.0f", $2}'; }
wal() { psql -XAtq -c "select wal_bytes from pg_stat_wal"; }

rows=()
for c in $CONNECTIONS; do
  threads=$(( c < 2 ? 1 : 2 ))
  echo "== $c connections, ${SECONDS_PER_RUN}s: Payrail"
  a0=$(allocated); w0=$(wal)
  PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=run-$$-$c wrk -t$threads -c"$c" -d"${SECONDS_PER_RUN}s" --latency \
    -s bench/unique-keys.lua "http://127.0.0.1:$PORT" > "$out/wrk-$c.txt"
  sleep 1; a1=$(allocated); w1=$(wal)
  cat "$out/wrk-$c.txt"
  requests=$(awk '/requests in/ {print $1}' "$out/wrk-$c.txt")
  read -r kb_alloc wal_b < <(awk -v a=$((a1 - a0)) -v w=$((w1 - w0)) -v r="$requests" \
    'BEGIN { printf "%.0f %.0f\n", (r > 0 ? a / r / 1024 : 0), (r > 0 ? w / r : 0) }')
  p_rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out/wrk-$c.txt")
  p_50=$(ms "$(awk '$1=="50%" {print $2}' "$out/wrk-$c.txt")")
  p_99=$(ms "$(awk '$1=="99%" {print $2}' "$out/wrk-$c.txt")")
  errors=$(awk '/Non-2xx/ {print $NF}' "$out/wrk-$c.txt"); errors=${errors:-0}

  echo "== $c connections, ${SECONDS_PER_RUN}s: pgbench (same SQL, one transaction per payment)"
  rm -f "$out"/pgbench_log.*
  (cd "$out" && pgbench -n -c "$c" -j 2 -T "$SECONDS_PER_RUN" -l --log-prefix=pgbench_log -f pgbench-payment.sql) > "$out/pgbench-$c.txt" 2>&1
  grep -E 'tps|latency average|failed' "$out/pgbench-$c.txt"
  g_tps=$(awk '/^tps/ {printf "%.0f", $3}' "$out/pgbench-$c.txt")
  # pgbench reports only the mean; its per-transaction log (column 3, microseconds) gives the percentiles.
  read -r g_50 g_99 < <(cat "$out"/pgbench_log.* | awk '{print $3}' | sort -n |
    awk '{v[NR]=$1} END {i50=int(NR*0.50); i99=int(NR*0.99); if (i50<1) i50=1; if (i99<1) i99=1; printf "%.2f %.2f\n", v[i50]/1000, v[i99]/1000}')
  rm -f "$out"/pgbench_log.*
  ratio=$(awk -v a="$p_rps" -v b="$g_tps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  rows+=("| $c | $p_rps | $p_50 | $p_99 | $errors | $kb_alloc | $wal_b | $g_tps | $g_50 | $g_99 | ${ratio}x |")
done

{
  echo
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${SECONDS_PER_RUN}s per run"
  echo
  echo "| connections | Payrail payments/s | p50 ms | p99 ms | non-2xx | JVM KB allocated / payment | WAL bytes / payment | pgbench tps | p50 ms | p99 ms | Payrail / pgbench |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee -a "$out/results.md"
batch=$(curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | awk '/^payrail_writer_batch_size_(sum|count)/ {v[$1]=$2} END {for (k in v) if (k ~ /count/) c=v[k]; else s=v[k]; if (c>0) printf "%.1f", s/c}')
echo "mean payments per group-commit transaction over the whole run: ${batch:-?}"
