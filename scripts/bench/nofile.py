#!/usr/bin/env python3
"""The largest population of live processes the server serves under a descriptor limit (issue #10,
part 3).

Usage: nofile.py [BINARY] [NOFILE] [N ...] [-- SERVER ARGS ...]
  (defaults: build/server/procpulse, 1024, populations 500 1000 2000 4000 8000 12000 16000)

For each population N (in order): starts `prlimit --nofile=NOFILE BINARY --listen 127.0.0.1:0
--interval 1s --db :memory:` plus SERVER ARGS, starts N `sleep 600` children, and counts the
population as served when, within 60 s, (1) GET /api/processes/list?sort=pid&limit=100000 lists
every child, (2) a WebSocket client gets hello, subscribes to the first and last child and gets a
snapshot holding both, and (3) the server is still running. Prints one line per N: the sweep time
and the /proc files kept open (from /metrics), the server's RSS, "accept:" and "Too many open files"
lines in its log. Kills the children and the server by PID between runs. Stops at the first N that
fails and reports the largest that passed.
"""
import base64, json, os, re, signal, socket, struct, subprocess, sys, time, urllib.request


def http_get(port, path, timeout=20):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.read().decode()


class WS:
    """A minimal WebSocket client: text frames, no extensions (enough for hello and a snapshot)."""

    def __init__(self, port, timeout=20):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.s.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the upgrade")
            head += chunk
        status, _, self.buf = head.partition(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n")[0]:
            raise ConnectionError(status.split(b"\r\n")[0].decode())

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def recv(self):
        message = b""
        while True:
            self._need(2)
            b0, b1 = self.buf[0], self.buf[1]
            n, at = b1 & 0x7F, 2
            if n == 126:
                self._need(4)
                n, at = struct.unpack(">H", self.buf[2:4])[0], 4
            elif n == 127:
                self._need(10)
                n, at = struct.unpack(">Q", self.buf[2:10])[0], 10
            self._need(at + n)
            payload, self.buf = self.buf[at:at + n], self.buf[at + n:]
            if b0 & 0x0F == 8:
                raise ConnectionError("close frame")
            if b0 & 0x0F in (0, 1):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def send(self, text):
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n))
        self.s.sendall(head + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(data)))

    def next_of(self, kind, limit=20):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            m = self.recv()
            if m.get("type") == kind:
                return m
        return None


def gauge(text, name):
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(binary, nofile, n, extra):
    log_path = f"/tmp/procpulse_nofile_{os.getpid()}_{n}.log"
    log = open(log_path, "w+")
    srv = subprocess.Popen(["prlimit", f"--nofile={nofile}", binary, "--listen", "127.0.0.1:0",
                            "--interval", "1s", "--db", ":memory:", "--log-level", "warn"] + extra,
                           stderr=log, stdout=subprocess.DEVNULL)
    children = []
    try:
        port, end = None, time.monotonic() + 30
        while port is None and time.monotonic() < end and srv.poll() is None:
            log.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", log.read())
            if m:
                port = int(m.group(1))
            else:
                time.sleep(0.05)
        if port is None:
            return False, "server did not start: " + open(log_path).read()[-300:]
        try:
            for _ in range(n):
                children.append(subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL,
                                                 stdout=subprocess.DEVNULL, close_fds=True))
        except OSError as e:  # out of PIDs or processes: a limit of the machine, not the server
            return False, f"could start only {len(children)} children: {e}"
        want = {c.pid for c in children}
        t0, listed = time.monotonic(), set()
        while time.monotonic() - t0 < 60 and srv.poll() is None:
            try:
                body = json.loads(http_get(port, "/api/processes/list?sort=pid&limit=100000"))
                listed = {p["pid"] for p in body["processes"]}
                if want <= listed:
                    break
            except Exception:
                pass
            time.sleep(0.5)
        if srv.poll() is not None:
            return False, f"server exited ({srv.returncode})"
        if not want <= listed:
            return False, f"REST lists {len(want & listed)} of {n} children after 60 s"
        seen = time.monotonic() - t0
        ws = WS(port)
        hello = ws.recv()
        if hello.get("type") != "hello":
            return False, "no hello"
        a, b = children[0].pid, children[-1].pid
        ws.send(json.dumps({"type": "subscribe", "id": 1, "pids": [a, b]}))
        snap = ws.next_of("snapshot")
        if not snap or not {str(a), str(b)} <= set(snap["state"]["processes"]):
            return False, "no snapshot with the subscribed children"
        metrics = http_get(port, "/metrics")
        text = open(log_path).read()
        g = lambda name, f: "n/a" if gauge(metrics, name) is None else f % gauge(metrics, name)
        return True, (f"all listed after {seen:.1f} s; "
                      f"sweep {g('procpulse_sweep_seconds', '%.3f')} s; "
                      f"/proc files kept {g('procpulse_proc_files_open', '%.0f')} of budget "
                      f"{g('procpulse_proc_files_budget', '%.0f')}; "
                      f"server RSS {rss_mib(srv.pid):.0f} MiB; log: "
                      f"{text.count('accept:')} accept, {text.count('Too many open files')} EMFILE")
    finally:
        for c in children:
            c.kill()
        for c in children:
            c.wait()
        srv.send_signal(signal.SIGTERM)
        try:
            srv.wait(10)
        except subprocess.TimeoutExpired:
            srv.kill()
            srv.wait()
        log.close()
        os.unlink(log_path)


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    binary = argv[0] if argv else "build/server/procpulse"
    nofile = int(argv[1]) if len(argv) > 1 else 1024
    sizes = [int(x) for x in argv[2:]] or [500, 1000, 2000, 4000, 8000, 12000, 16000]
    best = 0
    for n in sizes:
        ok, what = run(binary, nofile, n, extra)
        print(f"nofile={nofile} N={n}: {'served' if ok else 'FAILED'}: {what}", flush=True)
        if not ok:
            break
        best = n
    print(f"largest population served under --nofile={nofile}: {best}")


if __name__ == "__main__":
    main()
