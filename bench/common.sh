# Shared by the bench/*.sh scripts (sourced): installing a missing tool, starting and stopping a Payrail of their
# own, posting payments with wrk and reading its report, reading CPU time from /proc. Expects PORT to be set; sets
# out (the results folder, relative to the working directory: the caller creates it where it runs Payrail) and KEY.
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=bench-results
KEY=sk_live_0b85ac22a90a4019b0e79d07b672cf34   # the demo merchant's API key (post_payments, the merchant API)

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $2 from Debian's packages..." >&2
    apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null || { echo "bench: $1 is required (apt-get install $2)" >&2; exit 1; }
}

payrail_pid=; data=; log=$out/payrail.log
stop_payrail() { # stop_payrail [keep]: stops it and deletes its data dir, unless "keep" (to start again on it)
  [ -n "$payrail_pid" ] || return 0
  kill "$payrail_pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$payrail_pid" 2>/dev/null || break; sleep 0.5; done
  [ "${1:-}" = keep ] || rm -rf "$data"; payrail_pid=
}
trap stop_payrail EXIT

start_payrail() { # start_payrail [ROLES [DATA-DIR]]: embedded, in a fresh data dir unless one is given (a restart);
  # exports the database login of embedded.env
  data=${2:-$(pwd)/$out/data-$(date +%s%N)}
  echo "starting Payrail (roles ${1:-all}, embedded, data in $data, port $PORT)..."
  env ${1:+PAYRAIL_ROLES=$1} PAYRAIL_DATA_DIR="$data" PAYRAIL_HTTP_PORT="$PORT" ./payrail > "$log" 2>&1 &
  payrail_pid=$!
  for _ in $(seq 1 180); do
    curl -s "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q ok && break
    kill -0 $payrail_pid 2>/dev/null || { echo "Payrail exited; see $log" >&2; exit 1; }
    sleep 1
  done
  set -a; . "$data/embedded.env"; set +a   # PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD: the application role
}

ms() { # wrk latency (e.g. 850.00us, 12.31ms, 1.02s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

jit_ticks() { # jit_ticks PID -> CPU clock ticks of that JVM's JIT compiler threads (C1, C2) so far
  local task t=0
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in C1\ CompilerThre*|C2\ CompilerThre*) t=$((t + $(proc_ticks "${task#/proc/}"))) ;; esac
  done 2>/dev/null
  echo "$t"
}

percent() { # percent PART WHOLE -> PART as a whole per cent of WHOLE (0 when WHOLE is 0)
  awk -v p="$1" -v w="$2" 'BEGIN { printf "%.0f", (w > 0 ? 100 * p / w : 0) }'
}

busy_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }   # the machine's busy CPU clock ticks, all processes
cpu_ms_per() { # cpu_ms_per TICKS COUNT -> milliseconds of CPU per item (0.00 when COUNT is 0), from busy_ticks deltas
  awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (n > 0 ? 1000 * t / hz / n : 0) }'
}

wrk_result() { # wrk_result FILE -> "REQUESTS RATE P99_MS" from a wrk --latency report
  echo "$(awk '/requests in/ {print $1}' "$1") $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$1") $(ms "$(awk '$1=="99%" {print $2}' "$1")")"
}

post_payments() { # post_payments RUN-ID SECONDS [WRK-OPTION...]: POST /v1/payments, unique keys, 64 connections
  # Paced when BENCH_RATE and BENCH_PACED_CONNECTIONS are set (bench/unique-keys.lua); the report goes to stdout.
  PAYRAIL_API_KEY=$KEY BENCH_RUN_ID=$1-$$ wrk -t2 -c64 -d"$2s" "${@:3}" -s "$bench_dir/unique-keys.lua" \
    "http://127.0.0.1:$PORT"
}

proc_ticks() { # proc_ticks PID or PID/task/TID -> its user + system CPU clock ticks (fields after the name)
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

thread_snapshot() { # thread_snapshot PID -> "TICKS GROUP#ID" for every thread of that JVM and every PostgreSQL process
  local task pid
  for task in /proc/"$1"/task/*; do
    echo "$(proc_ticks "${task#/proc/}") $(sed 's/[0-9 #-]*$//; s/ /_/g' "$task/comm")#${task##*/}"
  done 2>/dev/null
  for pid in $(pgrep -f "^postgres: "); do
    echo "$(proc_ticks "$pid") pg:$(tr '\0' ' ' < "/proc/$pid/cmdline" \
      | awk '{print ($2 == ENVIRON["PGUSER"] ? "client_backend" : $2 "_" $3)}')#$pid"
  done 2>/dev/null
}

thread_report() { # thread_report BEFORE AFTER COUNT [TOP]: CPU ms per 1,000 of COUNT by thread group, largest first
  # A thread or process born during the run counts from zero; the id after # keeps threads and processes of one
  # group apart until they are summed.
  awk -v r="$3" -v hz="$(getconf CLK_TCK)" 'FNR == NR { before[$2] = $1; next } { d = $1 - before[$2]; sub(/#.*/, "", $2);
        if (d > 0) sum[$2] += d } END { for (g in sum) printf "| %.1f | %s |\n", sum[g] * 1e6 / hz / r, g }' \
    "$1" "$2" | sort -t'|' -k2 -nr | head -"${4:-20}"
}

superuser() { PGUSER=postgres PGPASSWORD=$(cat "$data/secrets/postgres-superuser.password") psql -qtAX "$@"; }

start_payrail_with_statements() { # start_payrail_with_statements ROLES: as start_payrail, then restarted once on its
  # data dir with pg_stat_statements preloaded (PostgreSQL's own extension, shipped with the embedded server;
  # Payrail itself does not load it)
  start_payrail "$1" >/dev/null
  superuser -c "alter system set shared_preload_libraries = 'pg_stat_statements'" \
            -c "alter system set pg_stat_statements.track = 'all'" \
            -c "alter system set pg_stat_statements.track_planning = on"
  stop_payrail keep
  start_payrail "$1" "$data" >/dev/null
  superuser -c "create extension if not exists pg_stat_statements"
}

statements_report() { # statements_report COUNT WHAT [TOP]: since the last pg_stat_statements_reset(), per COUNT
  # (payments, deliveries, ...): each statement's planning + execution time in µs, its calls, rows per call, and
  # how many of its calls were planned again (1.00: a plan built for every call; a prepared statement on its cached
  # generic plan has ~0), and the WAL it wrote per COUNT (bytes, and full-page images: the first change of a page
  # after a checkpoint logs the whole 8 KB page, which is what random keys in a B-tree cost)
  local n=$1 payrails="query not like '%pg_stat_statements%' and query not like '%/* bench */%'"   # not the script's own
  echo "all statements: $(superuser -c "select round(sum(total_plan_time + total_exec_time)::numeric * 1000 / $n)
                                          from pg_stat_statements where $payrails") µs per $2"
  echo "all statements' WAL: $(superuser -c "select round(sum(wal_bytes) / $n) || ' bytes, ' || round(sum(wal_fpi)::numeric / $n, 2)
                                          || ' full-page images' from pg_stat_statements where $payrails") per $2"
  echo "| µs / $2 | calls / $2 | mean µs | rows / call | plans / call | WAL bytes / $2 | full pages / $2 | statement |"
  echo "|---|---|---|---|---|---|---|---|"
  superuser -F ' | ' -c "
    select round((total_plan_time + total_exec_time)::numeric * 1000 / $n), round(calls::numeric / $n, 2),
           round((mean_plan_time + mean_exec_time)::numeric * 1000), round(rows::numeric / greatest(calls, 1), 1),
           round(plans::numeric / greatest(calls, 1), 2), round(wal_bytes / $n), round(wal_fpi::numeric / $n, 2),
           left(regexp_replace(query, '\s+', ' ', 'g'), 110)
      from pg_stat_statements
     where $payrails
     order by total_plan_time + total_exec_time desc limit ${3:-20}" | sed 's/^/| /; s/$/ |/'
}
