#!/usr/bin/env bash
# Install what is missing, build (Release; the web app is compiled into the binary), serve on
# http://127.0.0.1:8080.
# Extra arguments go to the server, e.g. scripts/run.sh --interval 500ms
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_packages "${DEB_PACKAGES[@]}"
install_frontend
build_server Release
exec "$BUILD_DIR/server/procpulse" "$@"
