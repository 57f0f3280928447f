#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets, tests/fuzz/corpus/<target>/, from the fixtures
# (tests/fixtures/proc, shared/fixtures) and the inputs of the unit tests. Run once and commit the
# result; scripts/fuzz.sh never writes there (what it finds goes to build-fuzz/corpus/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec python3 - "$ROOT" <<'PY'
import hashlib, json, pathlib, re, shutil, sys

root = pathlib.Path(sys.argv[1])
out = root / "tests/fuzz/corpus"
fixtures = root / "tests/fixtures/proc"
shared = root / "shared/fixtures"
corpus = {}

def add(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    name = name or hashlib.sha1(data).hexdigest()[:16]
    corpus.setdefault(target, {})[name] = data

def raw_strings(path):
    """The R"(...)" literals of a test source."""
    return re.findall(r'R"\((.*?)\)"', (root / path).read_text(), re.S)

def compact(v):
    return json.dumps(v, separators=(",", ":"))

# /proc readers: every file of the fixture tree.
for f in ["stat", "statm", "status", "io", "cmdline"]:
    for p in sorted(fixtures.glob("[0-9]*/" + f)):
        add("pid_" + f, p.read_bytes(), p.parent.name)
for f in ["meminfo", "stat", "vmstat", "loadavg", "uptime"]:
    add(f, (fixtures / f).read_bytes(), "fixture")
for target, f in [("diskstats", "diskstats"), ("net_dev", "net/dev"),
                  ("mountinfo", "self/mountinfo")]:
    add(target, (fixtures / f).read_bytes(), "fixture")

# Client messages: the golden ones and those of the decoder's unit tests.
for p in sorted((shared / "client").glob("*.json")):
    add("client_message", p.read_bytes(), p.stem)
for s in raw_strings("tests/unit/protocol/messages_test.cpp"):
    if s.startswith("{"):
        add("client_message", s)
add("client_message", '{"type":"history","pid":4242,"from":1,"to":2,"step":0.5,"start":88123,'
    '"metrics":["rss","cpu_percent"]}', "history")

# Alert rules of the unit tests.
for s in raw_strings("tests/unit/core/alerts_test.cpp"):
    if s.startswith("{"):
        add("alert_rule", s)

# Merge patch: [before, after] and [before, patch] of each golden case, and consecutive server
# messages (a snapshot and the delta after it).
for c in json.loads((shared / "merge_patch_cases.json").read_text()):
    add("merge_patch", compact([c["before"], c["after"]]))
    add("merge_patch", compact([c["before"], c["patch"]]))
server = {p.stem: json.loads(p.read_text()) for p in (shared / "server").glob("*.json")}
for a, b in [("snapshot", "delta"), ("delta", "delta_gone"), ("snapshot_full", "snapshot_table")]:
    add("merge_patch", compact([server[a], server[b]]), a + "-" + b)

# REST: the requests of the API's unit tests, as "METHOD\nTARGET\nBODY".
api = (root / "tests/unit/http/api_test.cpp").read_text()
requests = set()
for target in re.findall(r'\bget\("([^"]*)"', api):
    requests.add(("GET", target, ""))
for target, body in re.findall(r'\bpost\("([^"]*)",\s*(?:R"\((.*?)\)"|"[^"]*")', api):
    requests.add(("POST", target, body))
for method, target in re.findall(r'\bcall\("([A-Z]+)",\s*"([^"]*)"', api):
    requests.add((method, target, ""))
requests |= {
    ("POST", "/api/alerts/rules", '{"metric":"rss","op":">","threshold":1000,"scope":"name","pattern":"chr*"}'),
    ("GET", "/api/alerts/rules", ""),
    ("DELETE", "/api/alerts/rules/1", ""),
    ("POST", "/api/processes/monitor/add", '{"pid":9000}'),
    ("POST", "/api/processes/monitor/add", '{"pid":42}'),
    ("GET", "/api/processes/metrics/42", ""),
    ("GET", "/api/processes/42/history?from=1795680001&step=2&metrics=rss", ""),
    ("GET", "/api/processes/1201/history?start=123456", ""),
    ("GET", "/api/processes/search?name=a)", ""),
}
for method, target, body in sorted(requests):
    add("api", f"{method}\n{target}\n{body}")
    add("split_target", target)

# History queries: the query strings of the API's history requests, and a few more.
queries = {t.split("?", 1)[1] for _, t, _ in requests if "/history?" in t}
queries |= {"from=1795680001&to=1795680003&step=2&metrics=rss,cpu_percent",
            "from=-1e308&to=1e308&step=1e-300", "metrics=mem_used,load1", "start=0&step=0.5"}
for q in sorted(queries):
    add("history_query", q)

# Command lines of the config tests, one argument per line.
cfg = (root / "tests/unit/config/config_test.cpp").read_text()
for group in re.findall(r'\{((?:\s*"--[^"]*"\s*,?)(?:\s*"[^"]*"\s*,?)*)\}', cfg):
    add("config", "\n".join(re.findall(r'"([^"]*)"', group)))
add("config", "--listen\n[::1]:0\n--interval\n250ms\n--history\n15m\n--retention\n1s:1h,10s:24h\n"
    "--max-subscriptions\n10\n--rate-limit\n5\n--write-timeout=2s\n--full-read-every\n3", "all")

# Filters: every case of the shared filter cases.
for c in json.loads((shared / "filter_cases.json").read_text())["cases"]:
    add("filter", c["filter"])

if out.exists():
    shutil.rmtree(out)
for target, files in sorted(corpus.items()):
    d = out / target
    d.mkdir(parents=True)
    for name, data in files.items():
        (d / name).write_bytes(data)
    print(f"{target}: {len(files)} inputs")
PY
