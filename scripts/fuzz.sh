#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang 14 in build-fuzz and runs each for SECONDS
# (default 60): first the inputs that once crashed (tests/fuzz/regressions/<target>/) as plain
# inputs, then fuzzing from a copy of the committed seed corpus that grows in
# build-fuzz/corpus/<target>/. Prints executions and coverage per target and in total; exits
# nonzero on any crash, leak or timeout, whose input is copied to tests/fuzz/regressions/<target>/.
#   scripts/fuzz.sh [SECONDS]    fuzz every target for SECONDS
#   scripts/fuzz.sh --brief      5 s each (scripts/test.sh)
#   FUZZ_TARGETS="api config" scripts/fuzz.sh 30   only those targets
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECONDS_EACH=60
case "${1:-}" in
--brief) SECONDS_EACH=5 ;;
'') ;;
*[!0-9]* | 0)
    echo "usage: scripts/fuzz.sh [SECONDS | --brief]" >&2
    exit 2
    ;;
*) SECONDS_EACH=$1 ;;
esac

FUZZ_DIR="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SRC="$ROOT/tests/fuzz"
install_packages "${DEB_PACKAGES[@]}" clang-14 libclang-rt-14-dev

if [ ! -f "$FUZZ_DIR/build.ninja" ]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # -O2 with assertions on (no NDEBUG): Boost.JSON's checks fire under the fuzzer.
    CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$FUZZ_DIR" -G Ninja -DPROCPULSE_FUZZ=ON \
        -DPROCPULSE_BUILD_TESTS=OFF -DPROCPULSE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g" "${launcher[@]}"
fi
cmake --build "$FUZZ_DIR" -j "$(nproc)" --target fuzz_all
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

# The dictionary of each target (none for the rest).
dict_of() {
    case "$1" in
    client_message | alert_rule | merge_patch) echo json ;;
    api | split_target | history_query) echo http ;;
    config) echo config ;;
    filter) echo filter ;;
    pid_* | meminfo | stat | vmstat | loadavg | uptime) echo procfs ;;
    esac
}

targets=${FUZZ_TARGETS:-$(sed -n '/^set(PROCPULSE_FUZZ_TARGETS/,/)/p' "$SRC/CMakeLists.txt" |
    sed 's/set(PROCPULSE_FUZZ_TARGETS//; s/)//')}
# A smaller quarantine and shorter allocation stacks than ASan's defaults: twice the executions.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=16:malloc_context_size=8}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
failed=()
total_execs=0
report=()
for t in $targets; do
    bin="$FUZZ_DIR/tests/fuzz/fuzz_$t"
    log="$FUZZ_DIR/logs/$t.log"
    corpus="$FUZZ_DIR/corpus/$t"
    artifacts="$FUZZ_DIR/artifacts/$t/"
    mkdir -p "$(dirname "$log")" "$corpus" "$artifacts"
    opts=(-rss_limit_mb=2048 -timeout=10 -artifact_prefix="$artifacts")
    d=$(dict_of "$t")
    [ -n "$d" ] && opts+=(-dict="$SRC/dict/$d.dict")

    # Inputs that once crashed, each run once.
    if [ -d "$SRC/regressions/$t" ]; then
        mapfile -t inputs < <(find "$SRC/regressions/$t" -type f | sort)
        if [ "${#inputs[@]}" -gt 0 ] && ! "$bin" "${opts[@]}" "${inputs[@]}" >"$log.regressions" 2>&1; then
            echo "fuzz: $t fails on a regression input (see $log.regressions)" >&2
            tail -n 30 "$log.regressions" >&2
            failed+=("$t")
            continue
        fi
    fi

    # Fuzz from the seeds plus what earlier runs found (the committed corpus is never written).
    cp -n "$SRC/corpus/$t/"* "$corpus/" 2>/dev/null || true
    status=0
    "$bin" "${opts[@]}" -max_total_time="$SECONDS_EACH" -print_final_stats=1 "$corpus" \
        >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    total_execs=$((total_execs + ${execs:-0}))
    result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status)"
        failed+=("$t")
        mkdir -p "$SRC/regressions/$t"
        for a in "$artifacts"*; do
            [ -f "$a" ] || continue
            cp "$a" "$SRC/regressions/$t/"
            echo "fuzz: $t: $(basename "$a") copied to tests/fuzz/regressions/$t/ (commit it)" >&2
            rm -f "$a"
        done
        grep -E 'ERROR|runtime error|SUMMARY' "$log" | head -n 5 >&2 || true
    fi
    report+=("$(printf '%-16s %12s execs  cov %5s  ft %6s  corpus %5s  %s' \
        "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
    echo "${report[-1]}"
done

echo
echo "fuzz: ${SECONDS_EACH}s per target"
printf '%s\n' "${report[@]}"
echo "fuzz: $total_execs executions in all, ${#failed[@]} failing target(s)${failed:+: ${failed[*]}}"
[ "${#failed[@]}" -eq 0 ]
