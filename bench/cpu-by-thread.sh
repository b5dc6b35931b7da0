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
PORT=8000; KEY=sk_live_0b85ac22a90a4019b0e79d07b672cf34
out=bench-results
. "$here/bench/common.sh"
need wrk wrk
hz=$(getconf CLK_TCK)

snapshot() { # "TICKS GROUP" for every thread of the JVM and every PostgreSQL process
  local task pid
  for task in /proc/"$1"/task/*; do
    echo "$(proc_ticks "${task#/proc/}") $(sed 's/[0-9 #-]*$//; s/ /_/g' "$task/comm")#${task##*/}"
  done 2>/dev/null
  for pid in $(pgrep -f "^postgres: "); do
    echo "$(proc_ticks "$pid") pg:$(tr '\0' ' ' < "/proc/$pid/cmdline" \
      | awk '{print ($2 == ENVIRON["PGUSER"] ? "client_backend" : $2 "_" $3)}')#$pid"
  done 2>/dev/null
}

checkouts=(); for c in "$@"; do checkouts+=("$(cd "$c" && pwd)"); done
for checkout in "${checkouts[@]}"; do
  cd "$checkout" && mkdir -p "$out"
  start_payrail "${BENCH_ROLES:-api,relay,admin}" >/dev/null
  post_payments warm "${BENCH_WARMUP:-100}" >/dev/null
  snapshot "$payrail_pid" > "$out/threads-before.txt"; b0=$(busy_ticks)
  post_payments measured 20 --latency > "$out/wrk-threads.txt"
  snapshot "$payrail_pid" > "$out/threads-after.txt"; b1=$(busy_ticks)
  read -r requests rate p99 <<<"$(wrk_result "$out/wrk-threads.txt")"
  echo "## $checkout: $rate payments/s, p99 $p99 ms, machine CPU $(awk -v b=$((b1 - b0)) -v r="$requests" -v hz="$hz" \
    'BEGIN { printf "%.0f", b * 1e6 / hz / r }') ms per 1,000 payments"
  echo "| CPU ms per 1,000 payments | threads |"
  echo "|---|---|"
  # A thread or process born during the run counts from zero; the id after # keeps threads and processes of one
  # group apart until they are summed.
  awk -v r="$requests" -v hz="$hz" 'FNR == NR { before[$2] = $1; next } { d = $1 - before[$2]; sub(/#.*/, "", $2);
        if (d > 0) sum[$2] += d } END { for (g in sum) printf "| %.1f | %s |\n", sum[g] * 1e6 / hz / r, g }' \
    "$out/threads-before.txt" "$out/threads-after.txt" | sort -t'|' -k2 -nr | head -20
  stop_payrail
done
