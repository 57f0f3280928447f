#!/usr/bin/env bash
# Install what is missing, build, run every test (C++ under CTest, then the frontend's).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_packages "${DEB_PACKAGES[@]}" "${DEB_TEST_PACKAGES[@]}"
install_frontend
build_server Release
(cd "$BUILD_DIR" && ctest --output-on-failure -j 2 --timeout 300)

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer (no server binary:
# only the core library and the unit test executables are built, and no web app: they check the
# placeholder table instead).
ASAN_DIR="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
if [ ! -f "$ASAN_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPROCPULSE_SANITIZE=ON \
        -DPROCPULSE_BUILD_BENCH=OFF -DPROCPULSE_EMBED_WEB_APP=OFF
fi
cmake --build "$ASAN_DIR" -j "$(nproc)" --target procfs_tests core_tests protocol_tests
(cd "$ASAN_DIR" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --output-on-failure -j 2 --timeout 300 -R '^(procfs_tests|core_tests|protocol_tests)$')
if [ -f "$ROOT/frontend/package.json" ]; then
    (cd "$ROOT/frontend" && npm run --silent test)
fi
