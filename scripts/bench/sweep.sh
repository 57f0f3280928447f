#!/usr/bin/env bash
# Sweep benchmark of issue #2: CPU microseconds per process per full /proc sweep for
#   (a) procpulse's collector (bench_sweep),
#   (b) the practical limit, a C reader with fds kept open and pread (raw_reader),
#   (c) psutil.process_iter with the equivalent attributes (psutil_sweep.py, Debian's python3-psutil),
# over a population of N idle processes with two extra threads each. Prints the medians of RUNS
# runs and the ratios as a markdown table; raw lines and the table go to scripts/bench/out/.
# When it can, it measures in a PID namespace of its own with its own /proc (unshare), so that the
# processes of other work on the machine neither join the sweeps nor come and go during a run;
# ISOLATE=0 measures on the machine's /proc instead.
# Environment: SIZES="200 1000" RUNS=7 SWEEPS=100 PSUTIL_SWEEPS=20 ISOLATE=1 BUILD_DIR=build
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SIZES="${SIZES:-200 1000}"
RUNS="${RUNS:-7}"
SWEEPS="${SWEEPS:-100}"
PSUTIL_SWEEPS="${PSUTIL_SWEEPS:-20}" # psutil is slow and steady: fewer sweeps keep the run short
PYTHON=/usr/bin/python3 # Debian's interpreter, the one python3-psutil is installed for
BENCH="$ROOT/scripts/bench"
OUT="$BENCH/out"
BIN="$BUILD_DIR/scripts/bench"

if [ -z "${SWEEP_SH_ISOLATED:-}" ]; then
    install_packages python3-psutil
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
    fi
    cmake --build "$BUILD_DIR" --target bench_sweep raw_reader idle_threads
    mkdir -p "$OUT"
    # Measure as PID 1 of a new PID namespace (as root, or else in a user namespace). unshare
    # ignores INT and TERM; when it dies, --kill-child sends TERM to the script inside, whose trap
    # ends the population, and the kernel ends whatever is left when that script exits.
    if [ "${ISOLATE:-1}" = 1 ]; then
        for ns in "--pid --fork --mount-proc" "--user --map-root-user --pid --fork --mount-proc"; do
            # shellcheck disable=SC2086
            unshare $ns true 2>/dev/null || continue
            # shellcheck disable=SC2086
            SWEEP_SH_ISOLATED="own PID namespace" unshare $ns --kill-child=TERM "$0" "$@" &
            inner=$!
            trap 'kill -KILL "$inner" 2>/dev/null; exit 130' INT TERM
            wait "$inner"
            exit $?
        done
        echo "sweep.sh: cannot make a PID namespace; measuring on the machine's /proc" >&2
    fi
    SWEEP_SH_ISOLATED="machine's /proc"
fi

# The collector keeps six fds per process (directory, stat, statm, status, io, cmdline).
max_n=0
for n in $SIZES; do [ "$n" -gt "$max_n" ] && max_n=$n; done
need=$(((max_n + 1000) * 6))
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge "$need" ]; then
    ulimit -n "$need"
else
    ulimit -n "$hard"
    echo "sweep.sh: warning: ulimit -n is capped at $hard, $need wanted" >&2
fi

# The population: started here, ended by PID only.
population=()
stop_population() {
    local pid
    for pid in "${population[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${population[@]}"; do wait "$pid" 2>/dev/null || true; done
    population=()
}
trap stop_population EXIT
trap 'exit 130' INT TERM

# Each member writes one byte to a shared FIFO once its threads exist; reading N bytes waits for all.
ready="$OUT/ready.fifo"
rm -f "$ready"
mkfifo "$ready"
exec 3<>"$ready"
rm -f "$ready"

start_population() {
    local n=$1 i
    for ((i = 0; i < n; i++)); do
        "$BIN/idle_threads" >&3 3>&- &
        population+=("$!")
    done
    if ! read -r -N "$n" -t 120 -u 3 _; then
        echo "sweep.sh: the population of $n did not come up" >&2
        exit 1
    fi
}

# field NAME LINE: the value of NAME=... in a key=value line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

table="$OUT/results.md"
{
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($cpu), Linux $(uname -r);" \
        "medians of $RUNS runs of $SWEEPS sweeps ($PSUTIL_SWEEPS for psutil), CPU µs per process per sweep," \
        "$SWEEP_SH_ISOLATED"
    echo
    echo "| N | processes swept | (a) collector µs | (b) raw reader µs | (c) psutil µs | (a)/(b) ≤ 1.2 | (c)/(a) ≥ 5 |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
} >"$table"

for n in $SIZES; do
    stop_population
    echo "sweep.sh: N=$n, $RUNS runs of $SWEEPS sweeps ($PSUTIL_SWEEPS for psutil)," \
        "load average before the population starts $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    start_population "$n"
    raw="$OUT/runs-$n.txt"
    : >"$raw"
    for ((r = 1; r <= RUNS; r++)); do
        "$BIN/bench_sweep" --sweeps "$SWEEPS" >>"$raw" 3>&-
        "$BIN/raw_reader" --sweeps "$SWEEPS" >>"$raw" 3>&-
        "$PYTHON" "$BENCH/psutil_sweep.py" --sweeps "$PSUTIL_SWEEPS" >>"$raw" 3>&-
    done
    med() { grep "^impl=$1 " "$raw" | while read -r line; do field "$2" "$line"; done | median; }
    a=$(med collector cpu_us)
    b=$(med raw_reader cpu_us)
    c=$(med psutil cpu_us)
    procs=$(med collector processes)
    printf '| %s | %.0f | %.2f | %.2f | %.2f | %s | %s |\n' "$n" "$procs" "$a" "$b" "$c" \
        "$(ratio "$a" "$b")" "$(ratio "$c" "$a")" >>"$table"
done
stop_population

cat "$table"
