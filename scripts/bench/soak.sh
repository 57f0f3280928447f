#!/usr/bin/env bash
# Soak of issue #7: scripts/bench/soak.sh DURATION_SECONDS (default 1800). See soak.mjs for what it
# does; CLIENTS=1000 SPAWN=200 by default. Needs the build and the frontend's node_modules (ws).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
install_frontend
[ -x "$BUILD_DIR/server/procpulse" ] || build_server Release
# Client sockets and the server's: raise the soft limit to the hard one for both.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node "$ROOT/scripts/bench/soak.mjs" "${1:-1800}"
