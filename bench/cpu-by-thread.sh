#!/usr/bin/env bash
# Where the intake's CPU goes, by thread: one embedded Payrail per checkout (roles BENCH_ROLES, default
# api,relay,admin), BENCH_WARMUP s (default 100) of POST /v1/payments at 64 connections so the JIT is mostly done,
# then 20 s measured: CPU time per 1,000 payments of each group of the JVM's threads (by name: ForkJoinPool =
# virtual threads of the requests, payrail-* = Payrail's workers, C1/C2 = the JIT, data-plane-kafka = the embedded
# broker...) and of PostgreSQL's processes (client backends, autovacuum, WAL writer...), read from /proc.
#
#   git worktree add /tmp/core e05bbad && (cd /tmp/core && ./mvnw -q -DskipTests package)
#   ./mvnw -q -DskipTests package
#   bench/cpu-by-thread.sh /tmp/core .
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PORT=8000
. "$here/bench/common.sh"
need wrk wrk
hz=$(getconf CLK_TCK)
checkouts=(); for c in "$@"; do checkouts+=("$(cd "$c" && pwd)"); done
for checkout in "${checkouts[@]}"; do
  cd "$checkout" && mkdir -p "$out"
  start_payrail "${BENCH_ROLES:-api,relay,admin}" >/dev/null
  post_payments warm "${BENCH_WARMUP:-100}" >/dev/null
  thread_snapshot "$payrail_pid" > "$out/threads-before.txt"; b0=$(busy_ticks)
  post_payments measured 20 --latency > "$out/wrk-threads.txt"
  thread_snapshot "$payrail_pid" > "$out/threads-after.txt"; b1=$(busy_ticks)
  read -r requests rate p99 <<<"$(wrk_result "$out/wrk-threads.txt")"
  echo "## $checkout: $rate payments/s, p99 $p99 ms, machine CPU $(awk -v b=$((b1 - b0)) -v r="$requests" -v hz="$hz" \
    'BEGIN { printf "%.0f", b * 1e6 / hz / r }') ms per 1,000 payments"
  echo "| CPU ms per 1,000 payments | threads |"
  echo "|---|---|"
  thread_report "$out/threads-before.txt" "$out/threads-after.txt" "$requests"
  stop_payrail
done
