#!/usr/bin/env bash
# Compares the intake of several checkouts (say, main and the commit before a change) on this machine, alternating
# them round by round, because this VM's speed moves from one minute to the next by as much as a change's effect.
# Beside the rate it prints work per payment, which does not move with the VM's speed: bytes the JVM allocated
# (Micrometer's jvm_gc_memory_allocated_bytes_total), WAL bytes and buffer accesses of PostgreSQL (pg_stat_wal,
# pg_stat_database), and the machine's busy CPU time (/proc/stat, all processes: Payrail, PostgreSQL, wrk).
#
#   git worktree add /tmp/before <commit> && (cd /tmp/before && ./mvnw -q -DskipTests package)
#   ./mvnw -q -DskipTests package
#   ROUNDS=3 bench/intake-compare.sh /tmp/before .
#
# Each run: a fresh embedded Payrail (roles BENCH_ROLES, default api,relay,admin) on port 8000, a warm-up (BENCH_WARMUP
# seconds, default 90: on 2 cores the JIT compiles the request path for 60-90 s of load, bench/intake-settle.sh shows
# it slice by slice, and a shorter warm-up measures compile time more than the code), then 20 s of
# POST /v1/payments with unique keys at 64 connections (wrk, bench/unique-keys.lua of this checkout).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PORT=8000
. "$here/bench/common.sh"
need wrk wrk; need psql postgresql-client
allocated() { curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | awk '/^jvm_gc_memory_allocated_bytes_total/ {printf "%.0f", $2}'; }
pg() { psql -XAtq -c "select (select wal_bytes from pg_stat_wal), (select sum(blks_hit + blks_read) from pg_stat_database)" | tr '|' ' '; }
checkouts=(); for c in "$@"; do checkouts+=("$(cd "$c" && pwd)"); done
for round in $(seq 1 "${ROUNDS:-3}"); do
  for checkout in "${checkouts[@]}"; do
    cd "$checkout" && mkdir -p "$out"
    start_payrail "${BENCH_ROLES:-api,relay,admin}" >/dev/null
    post_payments "warm-$round" "${BENCH_WARMUP:-90}" >/dev/null
    a0=$(allocated); read -r w0 b0 < <(pg); c0=$(busy_ticks)
    post_payments "run-$round" 20 --latency > "$out/wrk-compare.txt"
    sleep 2; a1=$(allocated); read -r w1 b1 < <(pg); c1=$(busy_ticks)
    read -r requests rate p99 <<<"$(wrk_result "$out/wrk-compare.txt")"
    awk -v n="$checkout" -v round="$round" -v r="$requests" -v rate="$rate" -v p99="$p99" -v a=$((a1 - a0)) \
        -v w=$((w1 - w0)) -v b=$((b1 - b0)) -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "| %s | %d | %d/s | %s | %.0f | %.0f | %.0f | %.2f |\n", n, round, rate, p99, a / r / 1024, w / r, b / r, c * 1000 / hz / r }'
    stop_payrail
  done
done | { echo "| checkout | round | payments/s | p99 ms | JVM KB allocated / payment | WAL bytes / payment | buffer accesses / payment | machine CPU ms / payment |"; echo "|---|---|---|---|---|---|---|---|"; cat; }
