#!/usr/bin/env bash
# Fan-out benchmark of issue #3 ("Performance"), loopback only:
#   1. for each C in $CONNECTIONS: a fresh server, fanout_client with C connections (10 PIDs and
#      `system` each) for $DURATION s; the server's CPU % and RSS sampled from /proc/PID/stat and
#      /proc/PID/status over the client's measurement window. With RT_PASS=1 (default) the runs
#      are repeated with server and client under SCHED_FIFO (chrt -f 10), which takes the other
#      tenants of a shared machine out of the latency (not how procpulse is meant to be run);
#   2. #2's population ($POP idle processes with two extra threads, idle_threads) with
#      $POP_CONNECTIONS clients, and btop (update_ms = 1000, headless in a tmux session of its own)
#      sampled over the same window.
# Prints markdown tables; the client's JSON, the samples and the tables go to scripts/bench/out/.
# Environment: CONNECTIONS="100 1000" DURATION=60 POP=1000 POP_CONNECTIONS=100 CLIENT_THREADS=1
#              CONNECT_RATE=200 SKIP_POP=0 RT_PASS=1 PIDS=a,b,... (instead of the 9 subjects) BUILD_DIR=build
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CONNECTIONS="${CONNECTIONS:-100 1000}"
DURATION="${DURATION:-60}"
POP="${POP:-1000}"
POP_CONNECTIONS="${POP_CONNECTIONS:-100}"
CLIENT_THREADS="${CLIENT_THREADS:-1}"
CONNECT_RATE="${CONNECT_RATE:-200}"
SKIP_POP="${SKIP_POP:-0}"
RT_PASS="${RT_PASS:-1}"
BENCH="$ROOT/scripts/bench"
OUT="$BENCH/out"
BIN="$BUILD_DIR/scripts/bench"
SERVER="$BUILD_DIR/server/procpulse"
HZ=$(getconf CLK_TCK)

[ "$SKIP_POP" = 1 ] || install_packages btop tmux
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$BUILD_DIR" --target procpulse fanout_client idle_threads
mkdir -p "$OUT"

# 1000 client sockets, 1000 server sockets, and the collector's six fds per process.
need=$(((POP + 1000) * 6 + 4000))
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge "$need" ]; then
    ulimit -n "$need"
else
    ulimit -n "$hard"
    echo "fanout.sh: warning: ulimit -n is capped at $hard, $need wanted" >&2
fi

# Everything started here is remembered by PID and ended by PID.
server_pid="" sampler_pid="" client_pid="" db=""
population=() subjects=()
tmux_sock="procpulse-fanout-$$"
tmux_session="fanout-btop-$$"
btop_started=0

stop_pid() { # PID [signal]: end one process this script started and reap it
    [ -n "$1" ] || return 0
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
stop_btop() {
    [ "$btop_started" = 1 ] || return 0
    tmux -L "$tmux_sock" kill-session -t "$tmux_session" 2>/dev/null || true
    btop_started=0
}
stop_population() {
    local pid
    for pid in "${population[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${population[@]}"; do wait "$pid" 2>/dev/null || true; done
    population=()
}
cleanup() {
    local pid
    for pid in "${subjects[@]}"; do stop_pid "$pid"; done
    stop_pid "$client_pid"
    stop_pid "$sampler_pid"
    stop_pid "$server_pid"
    stop_btop
    stop_population
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server TAG [PREFIX...]: a fresh server on 127.0.0.1:0 with a history database of its own
# (removed afterwards); sets server_pid and port.
start_server() {
    local log="$OUT/fanout-server-$1.log" i
    db="$OUT/fanout-$1.db"
    rm -f "$db" "$db-wal" "$db-shm"
    : >"$log"
    "${@:2}" "$SERVER" --listen 127.0.0.1:0 --interval 1s --log-level warn --db "$db" \
        --max-connections 2000 --max-connections-per-ip 2000 2>"$log" &
    server_pid=$!
    port=""
    for ((i = 0; i < 100; i++)); do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "fanout.sh: the server did not start; see $log" >&2
    exit 1
}

stop_server() {
    kill -TERM "$server_pid" 2>/dev/null || true
    local rc=0
    wait "$server_pid" || rc=$?
    [ "$rc" -eq 0 ] || echo "fanout.sh: warning: the server exited with status $rc on SIGTERM" >&2
    server_pid=""
    rm -f "$db" "$db-wal" "$db-shm"
}

# sample_loop FILE PID...: every 0.5 s, one line per PID "wall pid cpu_ticks rss_kb" and one line
# "wall sys busy_ticks total_ticks" for the whole machine (/proc/stat), until ended.
sample_loop() {
    local file=$1 pid t k v a rss
    shift
    while :; do
        t=$EPOCHREALTIME
        for pid in "$@"; do
            { read -r a </proc/"$pid"/stat; } 2>/dev/null || continue
            read -r -a a <<<"${a##*) }" # fields from (3) state on: (14) utime is a[11], (15) stime a[12]
            rss=0
            { while read -r k v _; do if [ "$k" = VmRSS: ]; then rss=$v; fi; done </proc/"$pid"/status; } 2>/dev/null || true
            echo "$t $pid $((a[11] + a[12])) $rss"
        done
        read -r _ a </proc/stat
        read -r -a a <<<"$a" # user nice system idle iowait irq softirq steal
        echo "$t sys $((a[0] + a[1] + a[2] + a[5] + a[6] + a[7])) $((a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7]))"
        sleep 0.5
    done >>"$file"
}

# usage_in FILE KEY START END: "cpu_percent rss_mean_mib rss_max_mib" of KEY (a PID or sys) over
# the samples inside [START, END]; for sys, the machine's busy % (100 = all cores).
usage_in() {
    awk -v key="$2" -v s="$3" -v e="$4" -v hz="$HZ" '
        $2 == key && $1 >= s && $1 <= e {
            if (!n) { t0 = $1; c0 = $3; a0 = $4 }
            t1 = $1; c1 = $3; a1 = $4; r += $4; if ($4 > m) m = $4; n++
        }
        END {
            if (n < 2) { print "nan nan nan"; exit }
            if (key == "sys") printf "%.1f - -\n", (c1 - c0) / (a1 - a0) * 100
            else printf "%.2f %.1f %.1f\n", (c1 - c0) / hz / (t1 - t0) * 100, r / n / 1024, m / 1024
        }' "$1"
}

# jget FILE EXPR: a value from the client's JSON (EXPR indexes the parsed object `d`).
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# Subscriptions: the server itself and 9 subjects started here, each a shell that wakes 10 times a
# second (its CPU time, faults and context switches change every tick, like any active process).
# Processes of the machine would do too, but they come and go; PIDS="a,b,..." overrides.
if [ -z "${PIDS:-}" ]; then
    for ((i = 0; i < 9; i++)); do
        bash -c 'while :; do sleep 0.1; done' </dev/null >/dev/null 2>&1 &
        subjects+=("$!")
    done
    others=$(IFS=,; echo "${subjects[*]}")
else
    others=$PIDS
fi

# run_client TAG C [PREFIX...]: runs fanout_client against the running server while sampling it (and btop,
# when running); leaves the JSON in $OUT/fanout-TAG.json and the samples in $OUT/fanout-TAG.samples.
run_client() {
    local tag=$1 c=$2 json="$OUT/fanout-$1.json" samples="$OUT/fanout-$1.samples"
    local watch=("$server_pid")
    [ "$btop_started" = 1 ] && watch+=("$btop_pid")
    : >"$samples"
    sample_loop "$samples" "${watch[@]}" &
    sampler_pid=$!
    echo "fanout.sh: $tag: $c connections for ${DURATION} s (server pid $server_pid, port $port)" >&2
    "${@:3}" "$BIN/fanout_client" --port "$port" --connections "$c" --duration "$DURATION" \
        --threads "$CLIENT_THREADS" --connect-rate "$CONNECT_RATE" \
        --pids "$server_pid${others:+,$others}" >"$json" &
    client_pid=$!
    local rc=0
    wait "$client_pid" || rc=$?
    client_pid=""
    stop_pid "$sampler_pid"
    sampler_pid=""
    [ "$rc" -eq 0 ] || { echo "fanout.sh: fanout_client failed ($rc)" >&2; exit 1; }
}

machine="nproc $(nproc), $(sed -n '/^model name/{s/^model name[[:space:]]*: //p;q}' /proc/cpuinfo), kernel $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
table="$OUT/fanout-results.md"
{
    echo "Machine: $machine; loopback; interval 1 s; $DURATION s per run; client threads $CLIENT_THREADS"
    echo
    echo "Latency = receipt - delta.time, the wall clock at the START of the sweep; after-sweep = minus that tick's sweep duration; spread = receipt - the first receipt of the same tick."
    echo
    echo "| run | clients | p50 ms | p99 ms | max ms | after-sweep p50 / p99 ms | spread p99 ms | sweep p50 ms | processes | server CPU % | server RSS MiB (mean/max) | machine busy % | delta B/client/s | full B/client/s | delta/full | gone | client CPU % |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$table"

row() { # TAG C
    local json="$OUT/fanout-$1.json" samples="$OUT/fanout-$1.samples" s e
    s=$(jget "$json" 'd["window_start"]')
    e=$(jget "$json" 'd["window_end"]')
    read -r cpu rss_mean rss_max < <(usage_in "$samples" "$server_pid_run" "$s" "$e")
    read -r busy _ _ < <(usage_in "$samples" sys "$s" "$e")
    printf '| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s |\n' "$2" \
        "$(jget "$json" 'd["clients_measured"]')" \
        "$(jget "$json" 'd["latency_ms"]["p50"]')" "$(jget "$json" 'd["latency_ms"]["p99"]')" \
        "$(jget "$json" 'd["latency_ms"]["max"]')" \
        "$(jget "$json" 'd["latency_after_sweep_ms"]["p50"]')" "$(jget "$json" 'd["latency_after_sweep_ms"]["p99"]')" \
        "$(jget "$json" 'd["fanout_spread_ms"]["p99"]')" "$(jget "$json" 'd["server_sweep_ms"]["p50"]')" \
        "$(jget "$json" 'd["server_processes"]')" "$cpu" "$rss_mean" "$rss_max" "$busy" \
        "$(jget "$json" 'd["delta_bytes_per_client_per_sec"]')" \
        "$(jget "$json" 'd["full_bytes_per_client_per_sec"]')" \
        "$(jget "$json" 'd["delta_to_full_ratio"]')" "$(jget "$json" 'd["gone"]')" \
        "$(jget "$json" 'd["client_cpu_percent"]')" >>"$table"
}

for c in $CONNECTIONS; do
    start_server "c$c"
    server_pid_run=$server_pid
    sleep 2 # a few ticks before the first client
    run_client "c$c" "$c"
    stop_server
    row "c$c" "C=$c"
done
if [ "$RT_PASS" = 1 ]; then
    for c in $CONNECTIONS; do
        start_server "c$c-rt" chrt -f 10
        server_pid_run=$server_pid
        sleep 2
        run_client "c$c-rt" "$c" chrt -f 10
        stop_server
        row "c$c-rt" "C=$c, SCHED_FIFO"
    done
fi

if [ "$SKIP_POP" != 1 ]; then
    # The population of #2: started here, ended by PID only. Each member writes one byte to a
    # FIFO once its threads exist; reading POP bytes waits for all of them.
    ready="$OUT/fanout-ready.fifo"
    rm -f "$ready"
    mkfifo "$ready"
    exec 3<>"$ready"
    rm -f "$ready"
    for ((i = 0; i < POP; i++)); do
        "$BIN/idle_threads" >&3 &
        population+=("$!")
    done
    if ! read -r -N "$POP" -t 120 -u 3 _; then
        echo "fanout.sh: the population of $POP did not come up" >&2
        exit 1
    fi
    exec 3<&-

    # btop with update_ms = 1000 from a config directory of its own, in a tmux server of its own.
    conf="$OUT/btop-config"
    mkdir -p "$conf/btop"
    printf 'update_ms = 1000\n' >"$conf/btop/btop.conf"
    tmux -L "$tmux_sock" new-session -d -s "$tmux_session" -x 200 -y 50 \
        "exec env XDG_CONFIG_HOME='$conf' LANG=C.UTF-8 btop"
    btop_started=1
    btop_pid=$(tmux -L "$tmux_sock" display -p -t "$tmux_session" '#{pane_pid}')
    sleep 1
    if [ "$(cat /proc/"$btop_pid"/comm 2>/dev/null)" != btop ]; then
        echo "fanout.sh: btop did not start in tmux (pane pid $btop_pid)" >&2
        exit 1
    fi

    start_server "pop$POP"
    server_pid_run=$server_pid
    sleep 2
    run_client "pop$POP" "$POP_CONNECTIONS"
    stop_server
    row "pop$POP" "C=$POP_CONNECTIONS, N=$POP idle processes"
    json="$OUT/fanout-pop$POP.json"
    samples="$OUT/fanout-pop$POP.samples"
    s=$(jget "$json" 'd["window_start"]')
    e=$(jget "$json" 'd["window_end"]')
    read -r pcpu prss _ < <(usage_in "$samples" "$server_pid_run" "$s" "$e")
    read -r bcpu brss _ < <(usage_in "$samples" "$btop_pid" "$s" "$e")
    stop_btop
    stop_population
    {
        echo
        echo "Population N=$POP idle processes (two extra threads each), $POP_CONNECTIONS clients, same window:"
        echo
        echo "| | CPU % | RSS MiB (mean) |"
        echo "|---|---:|---:|"
        echo "| procpulse (sweep at 1 s + $POP_CONNECTIONS clients) | $pcpu | $prss |"
        echo "| btop (update_ms = 1000, 200x50 tmux pane) | $bcpu | $brss |"
        echo "| procpulse / btop | $(awk -v a="$pcpu" -v b="$bcpu" 'BEGIN { printf "%.2f", a / b }') | |"
    } >>"$table"
fi

cat "$table"
