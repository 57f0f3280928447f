#!/usr/bin/env python3
"""Time from fork to a successful GET /api/processes/metrics/<pid> (issue #10, part 1).

Starts the server given as argv[1] on 127.0.0.1 (any free port) with --interval 5s, then 20 times:
fork+exec `sleep 30`, ask for its metrics until the answer is 200 (bounded to 10 s), record the
time from just before the fork to the 200, kill the child by its PID. Prints each figure, then the
median and how many requests the first success needed.
"""
import json, os, re, signal, statistics, subprocess, sys, time, urllib.error, urllib.request

def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/server/procpulse"
    interval = sys.argv[2] if len(sys.argv) > 2 else "5s"
    srv = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--interval", interval,
                            "--db", ":memory:", "--log-level", "warn"],
                           stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = srv.stderr.readline()
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
        if port is None:
            sys.exit("server did not start")
        times, tries = [], []
        for _ in range(20):
            t0 = time.perf_counter()
            child = subprocess.Popen(["sleep", "30"])
            n = 0
            ok = False
            while time.perf_counter() - t0 < 10 and not ok:
                n += 1
                try:
                    with urllib.request.urlopen(
                            f"http://127.0.0.1:{port}/api/processes/metrics/{child.pid}") as r:
                        ok = r.status == 200 and json.load(r)["success"]
                except urllib.error.HTTPError as e:
                    if e.code != 404:
                        raise
            dt = time.perf_counter() - t0
            child.kill()
            child.wait()
            if not ok:
                sys.exit(f"pid {child.pid} not found within 10 s")
            times.append(dt * 1000)
            tries.append(n)
            time.sleep(0.05)
        print("ms:", " ".join(f"{t:.2f}" for t in times))
        print(f"median {statistics.median(times):.2f} ms, max {max(times):.2f} ms; "
              f"requests until found: max {max(tries)}")
    finally:
        srv.send_signal(signal.SIGTERM)
        srv.wait(timeout=10)

if __name__ == "__main__":
    main()
