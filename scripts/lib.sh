#!/usr/bin/env bash
# Shared helpers for run.sh and test.sh: install what is missing, configure and build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

# Debian packages the build, tests and benchmarks need. Installed only when missing.
DEB_PACKAGES=(libboost1.81-dev libboost-json1.81-dev libboost-test1.81-dev libsqlite3-dev zlib1g-dev
    ninja-build)
DEB_TEST_PACKAGES=(python3-psutil chromium clang-14 libclang-rt-14-dev)

missing_packages() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
    done
}

install_packages() {
    local missing
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    echo "procpulse: installing missing Debian packages: $missing"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

# npm ci only when the lock file changed since the last install. The CMake build then builds the
# web app (npm run build) and compiles frontend/dist into the server (cmake/embed_web_app.cmake).
install_frontend() {
    [ -f "$ROOT/frontend/package-lock.json" ] || return 0
    local stamp="$ROOT/frontend/node_modules/.procpulse-lock"
    if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/frontend/package-lock.json" "$stamp"; then
        (cd "$ROOT/frontend" && npm ci --no-audit --no-fund)
        cp "$ROOT/frontend/package-lock.json" "$stamp"
    fi
}

# Configure once, then incremental builds. $1 = build type.
build_server() {
    local type="${1:-Release}"
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${@:2}"
    fi
    cmake --build "$BUILD_DIR" -j "$(nproc)"
}
