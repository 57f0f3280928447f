#!/usr/bin/env bash
# Install what is missing, build, run every test:
#   1. the Release build under CTest (unit, live and integration tests against the real server);
#   2. AddressSanitizer + UndefinedBehaviorSanitizer: the unit tests, and the integration tests
#      against the sanitized server (halt_on_error: a report fails the run; the harness asserts a
#      clean exit of every server it starts);
#   3. ThreadSanitizer: the integration tests against a TSan server (scripts/tsan.sh);
#   4. the fuzzers briefly over their committed corpora and regression inputs (scripts/fuzz.sh);
#   5. the frontend's unit and browser tests.
# The sanitized integration runs mostly wait on the server, so each overlaps the next build (the
# TSan server builds while the ASan run goes on; the fuzzers build while the TSan run goes on):
# that keeps the whole script near 20 minutes on 2 cores.
# SKIP_SANITIZERS=1 or SKIP_FUZZ=1 leave steps out (for a quick local run; CI runs everything).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_packages "${DEB_PACKAGES[@]}" "${DEB_TEST_PACKAGES[@]}"
install_frontend
build_server Release
(cd "$BUILD_DIR" && ctest --output-on-failure -j 2 --timeout 300)

LOGS="$BUILD_DIR/test-logs"
mkdir -p "$LOGS"
# Runs "$@" in the background with its output in $LOGS/$1.log; `finish NAME` waits and shows it.
declare -A JOBS
start() {
    local name=$1
    shift
    "$@" >"$LOGS/$name.log" 2>&1 &
    JOBS[$name]=$!
}
finish() {
    local name=$1 rc=0
    wait "${JOBS[$name]}" || rc=$?
    cat "$LOGS/$name.log"
    if [ "$rc" -ne 0 ]; then
        echo "procpulse: $name failed (status $rc)" >&2
        exit "$rc"
    fi
}

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
    ASAN_DIR="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
    TSAN_DIR="${TSAN_BUILD_DIR:-$ROOT/build-tsan}"
    if [ ! -f "$ASAN_DIR/build.ninja" ]; then
        cmake -S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
            -DPROCPULSE_SANITIZE=address -DPROCPULSE_BUILD_BENCH=OFF
    fi
    cmake --build "$ASAN_DIR" -j "$(nproc)" --target procfs_tests core_tests protocol_tests procpulse
    (cd "$ASAN_DIR" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --output-on-failure -j 2 --timeout 300 -R '^(procfs_tests|core_tests|protocol_tests)$')
    echo "procpulse: integration tests against the AddressSanitizer + UBSan server"
    start asan-integration env PROCPULSE_SERVER_BIN="$ASAN_DIR/server/procpulse" \
        ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$BUILD_DIR/tests/integration/integration_tests"
    TSAN_BUILD_ONLY=1 bash "$ROOT/scripts/tsan.sh"
    finish asan-integration
    if [ "${SKIP_FUZZ:-0}" != 1 ]; then
        start fuzz-build env FUZZ_BUILD_ONLY=1 bash "$ROOT/scripts/fuzz.sh" --brief
    fi
    TSAN_SKIP_BUILD=1 bash "$ROOT/scripts/tsan.sh"
    [ "${SKIP_FUZZ:-0}" != 1 ] && finish fuzz-build
fi
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
    bash "$ROOT/scripts/fuzz.sh" --brief
fi
if [ -f "$ROOT/frontend/package.json" ]; then
    (cd "$ROOT/frontend" && npm run --silent test)
fi
