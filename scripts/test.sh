#!/usr/bin/env bash
# Install what is missing, build, run every test:
#   1. the Release build under CTest (unit, live and integration tests against the real server);
#   2. AddressSanitizer + UndefinedBehaviorSanitizer: the unit tests, and the integration tests
#      against the sanitized server (halt_on_error: a report fails the run; the harness asserts a
#      clean exit of every server it starts);
#   3. ThreadSanitizer: the integration tests against a TSan server (scripts/tsan.sh);
#   4. the fuzzers briefly over their committed corpora and regression inputs (scripts/fuzz.sh);
#   5. the frontend's unit and browser tests.
# SKIP_SANITIZERS=1 or SKIP_FUZZ=1 leave steps out (for a quick local run; CI runs everything).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_packages "${DEB_PACKAGES[@]}" "${DEB_TEST_PACKAGES[@]}"
install_frontend
build_server Release
(cd "$BUILD_DIR" && ctest --output-on-failure -j 2 --timeout 300)

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
    ASAN_DIR="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
    if [ ! -f "$ASAN_DIR/build.ninja" ]; then
        cmake -S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
            -DPROCPULSE_SANITIZE=address -DPROCPULSE_BUILD_BENCH=OFF
    fi
    cmake --build "$ASAN_DIR" -j "$(nproc)" --target procfs_tests core_tests protocol_tests procpulse
    export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    (cd "$ASAN_DIR" && ctest --output-on-failure -j 2 --timeout 300 \
        -R '^(procfs_tests|core_tests|protocol_tests)$')
    echo "procpulse: integration tests against the AddressSanitizer + UBSan server"
    PROCPULSE_SERVER_BIN="$ASAN_DIR/server/procpulse" \
        "$BUILD_DIR/tests/integration/integration_tests"
    unset ASAN_OPTIONS UBSAN_OPTIONS
    bash "$ROOT/scripts/tsan.sh"
fi
if [ "${SKIP_FUZZ:-0}" != 1 ] && [ -x "$ROOT/scripts/fuzz.sh" ]; then
    bash "$ROOT/scripts/fuzz.sh" --brief
fi
if [ -f "$ROOT/frontend/package.json" ]; then
    (cd "$ROOT/frontend" && npm run --silent test)
fi
