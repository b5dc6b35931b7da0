#!/usr/bin/env bash
# How long the intake takes to reach its steady rate, and what it costs there: one embedded Payrail per checkout,
# then BENCH_SLICES (default 6) back-to-back 20 s runs of POST /v1/payments (64 connections, unique keys, wrk), each
# printed with its rate, p99, the CPU time the JIT compiler threads took during it and the Payrail JVM's CPU time
# per payment. On this 2-core machine the JIT keeps compiling the request path for 60-90 s of load; the last slices,
# where the compiler threads are idle, are the steady state. Roles: BENCH_ROLES (default api,relay,admin).
#
#   git worktree add /tmp/core e05bbad && (cd /tmp/core && ./mvnw -q -DskipTests package)
#   ./mvnw -q -DskipTests package
#   bench/intake-settle.sh /tmp/core .
#   BENCH_ROLES=api,relay bench/intake-settle.sh /tmp/core .
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PORT=8000
. "$here/bench/common.sh"
need wrk wrk
roles=${BENCH_ROLES:-api,relay,admin}
hz=$(getconf CLK_TCK)
jit_of() { # clock ticks of the JVM's C1/C2 compiler threads
  local sum=0 task
  for task in /proc/"$1"/task/*; do
    grep -q "^C[12] Compiler" "$task/comm" 2>/dev/null && sum=$((sum + $(proc_ticks "${task#/proc/}")))
  done
  echo "$sum"
}
echo "| checkout | slice | payments/s | p99 ms | JIT CPU s | Payrail CPU ms / payment |"
echo "|---|---|---|---|---|---|"
checkouts=(); for c in "$@"; do checkouts+=("$(cd "$c" && pwd)"); done
for checkout in "${checkouts[@]}"; do
  cd "$checkout" && mkdir -p "$out"
  start_payrail "$roles" >/dev/null
  for slice in $(seq 1 "${BENCH_SLICES:-6}"); do
    j0=$(jit_of "$payrail_pid"); p0=$(proc_ticks "$payrail_pid")   # ./payrail execs java: the pid is the JVM's
    post_payments "settle-$slice" 20 --latency > "$out/wrk-settle.txt"
    j1=$(jit_of "$payrail_pid"); p1=$(proc_ticks "$payrail_pid")
    read -r requests rate p99 <<<"$(wrk_result "$out/wrk-settle.txt")"
    awk -v n="$checkout" -v s="$slice" -v rate="$rate" -v p99="$p99" -v j=$((j1 - j0)) -v p=$((p1 - p0)) -v r="$requests" \
        -v hz="$hz" 'BEGIN { printf "| %s | %d | %d | %s | %.1f | %.3f |\n", n, s, rate, p99, j / hz, p * 1000 / hz / r }'
  done
  stop_payrail
done
