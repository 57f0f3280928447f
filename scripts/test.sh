#!/usr/bin/env bash
# Install what is missing, build, run every test (C++ under CTest, then the frontend's).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_packages "${DEB_PACKAGES[@]}" "${DEB_TEST_PACKAGES[@]}"
install_frontend
build_frontend
build_server Release
(cd "$BUILD_DIR" && ctest --output-on-failure -j 2 --timeout 300)
if [ -f "$ROOT/frontend/package.json" ]; then
    (cd "$ROOT/frontend" && npm run --silent test)
fi
