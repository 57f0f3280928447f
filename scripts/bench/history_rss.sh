#!/usr/bin/env bash
# Server RSS with N processes and a full in-memory history window, accelerated (issue #5):
# the real server reads a fixture /proc tree of N processes at 100 ms for as many sweeps as one
# hour at 1 Hz holds (3600), with --history sized to keep all of them; its RSS is read at the end.
# Usage: scripts/bench/history_rss.sh [N=1000] [sweeps=3600]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-1000}"
SWEEPS="${2:-3600}"
BIN="${PROCPULSE_BIN:-$ROOT/build/server/procpulse}"
[ -x "$BIN" ] || { cmake -S "$ROOT" -B "$ROOT/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null; cmake --build "$ROOT/build" --target procpulse; }
TREE="$(mktemp -d /tmp/procpulse-rss-XXXXXX)"
SRV=""
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TREE"; }
trap cleanup EXIT
FIX="$ROOT/tests/fixtures/proc"
cp "$FIX"/{meminfo,stat,vmstat,loadavg,uptime} "$TREE/"
rest="$(cut -d' ' -f2- "$FIX/1201/stat")"
for i in $(seq 1 "$N"); do
    pid=$((10000 + i)); d="$TREE/$pid"; mkdir "$d"
    cp "$FIX/1201/"{statm,status,io,cmdline} "$d/"
    echo "$pid $rest" > "$d/stat"
done
HIST_MS=$((SWEEPS * 100 + 1000))
"$BIN" --listen 127.0.0.1:0 --interval 100ms --history "${HIST_MS}ms" --proc-root "$TREE" \
    --db :memory: --log-level warn 2>/dev/null &
SRV=$!
sleep 2
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SRV/status"; }
start_rss=$(rss)
secs=$((SWEEPS / 10 + 2))
echo "N=$N sweeps=$SWEEPS: waiting ${secs}s (100 ms interval)..." >&2
sleep "$secs"
end_rss=$(rss)
printf '{"processes":%d,"sweeps":%d,"rss_start_kib":%d,"rss_end_kib":%d,"rss_end_mib":%.1f}\n' \
    "$N" "$SWEEPS" "$start_rss" "$end_rss" "$(echo "$end_rss / 1024" | bc -l)"
