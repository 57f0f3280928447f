#!/usr/bin/env bash
# The real server built with ThreadSanitizer under the integration tests (the tests themselves are
# the ordinary build's: only the server is instrumented). Zero reports is the bar: halt_on_error
# makes a report end the server with a failure status, which the harness asserts.
# Needs the ordinary build (scripts/test.sh builds it first). Environment: TSAN_BUILD_DIR,
# TSAN_BUILD_ONLY=1 (build, do not run), TSAN_SKIP_BUILD=1 (run what is built).
# The TSan server embeds the web app like the ordinary one (the integration tests expect it there).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TSAN_DIR="${TSAN_BUILD_DIR:-$ROOT/build-tsan}"
if [ ! -f "$TSAN_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$TSAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPROCPULSE_SANITIZE=thread -DPROCPULSE_BUILD_TESTS=OFF -DPROCPULSE_BUILD_BENCH=OFF
fi
if [ "${TSAN_SKIP_BUILD:-0}" != 1 ]; then
    cmake --build "$TSAN_DIR" -j "$(nproc)" --target procpulse
    cmake --build "$BUILD_DIR" -j "$(nproc)" --target integration_tests
fi
[ "${TSAN_BUILD_ONLY:-0}" = 1 ] && exit 0
echo "procpulse: integration tests against the ThreadSanitizer server"
PROCPULSE_SERVER_BIN="$TSAN_DIR/server/procpulse" \
    TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1" \
    "$BUILD_DIR/tests/integration/integration_tests"
