#!/usr/bin/env node
// Soak benchmark of issue #7 (loopback only, bounded in count and time):
//   - a fresh server (build/server/procpulse, --db in a temporary directory, --interval 1s);
//   - CLIENTS WebSocket clients churning: each connects, subscribes to 10 PIDs and a table, reads
//     (or, one in four, stops reading) for 1-10 s, drops, and reconnects;
//   - SPAWN short-lived processes per second (sleep 0.5-3 s), each subscribed to by a client as it
//     appears (the PID is sent at once: the server reads it on demand);
//   - REST polling (/api/processes/list, /api/system) and a /metrics scrape every second;
//   - the server's RSS, open fds and threads sampled every 5 s from /proc/PID.
// Prints the least-squares slope per hour and the peak of each, the error counts, and the exit
// status after SIGTERM; writes the samples to scripts/bench/out/soak-<time>.json.
// Usage: node scripts/bench/soak.mjs DURATION_SECONDS   (env CLIENTS=1000 SPAWN=200 BUILD_DIR=build)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'frontend', 'package.json'));
const WebSocket = require('ws');

const duration = Number(process.argv[2] ?? 1800);
const clients = Number(process.env.CLIENTS ?? 1000);
const spawnRate = Number(process.env.SPAWN ?? 200);
const buildDir = resolve(root, process.env.BUILD_DIR ?? 'build');
const dir = mkdtempSync(join(tmpdir(), 'procpulse-soak-'));

const server = spawn(join(buildDir, 'server', 'procpulse'),
  ['--listen', '127.0.0.1:0', '--interval', '1s', '--db', join(dir, 'soak.db'), '--log-level', 'warn',
   '--max-connections', String(clients + 200), '--max-connections-per-ip', String(clients + 200),
   // Every client is 127.0.0.1: the default budget of 8 waiting handshakes per address cuts some
   // of a thousand reconnecting clients (by design, see --max-pending-per-ip).
   '--max-pending-per-ip', String(process.env.PENDING ?? clients + 200)],
  { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
const port = await new Promise((ok, fail) => {
  const t = setTimeout(() => fail(new Error('server did not start: ' + log)), 15000);
  server.stderr.on('data', (d) => {
    log += d;
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
    if (m) { clearTimeout(t); ok(Number(m[1])); }
  });
});
server.stderr.on('data', (d) => { if (log.length < 1e6) log += d; });

const errors = { ws: 0, rest: 0, metrics: 0, spawn: 0 };
const wsErrorKinds = {}; // WebSocket client errors by message
const counts = { connects: 0, messages: 0, spawned: 0, subscribed_young: 0, rest: 0, scrapes: 0 };
const young = []; // PIDs started recently, handed to the next clients
let stopping = false;

function client() {
  if (stopping) return;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  counts.connects++;
  const reads = Math.random() >= 0.25;
  let timer;
  ws.on('open', () => {
    const pids = [];
    while (pids.length < 10 && young.length) pids.push(young.shift());
    counts.subscribed_young += pids.length;
    for (const p of [1, process.pid]) if (pids.length < 10) pids.push(p);
    ws.send(JSON.stringify({ type: 'subscribe', pids }));
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'processes', limit: 50 }));
    if (!reads) ws._socket.pause(); // stops reading: the server must handle the lagging client
    timer = setTimeout(() => ws.terminate(), 1000 + Math.random() * 9000);
  });
  ws.on('message', () => { counts.messages++; });
  ws.on('error', (e) => {
    if (stopping) return;
    errors.ws++;
    const kind = String(e.message).replace(/\d+/g, 'N');
    wsErrorKinds[kind] = (wsErrorKinds[kind] ?? 0) + 1;
  });
  ws.on('close', () => { clearTimeout(timer); setTimeout(client, 50 + Math.random() * 200); });
}

function spawner() {
  const every = 1000 / spawnRate;
  const t = setInterval(() => {
    if (stopping) return clearInterval(t);
    const c = spawn('/bin/sleep', [String(0.5 + Math.random() * 2.5)], { stdio: 'ignore' });
    c.on('error', () => errors.spawn++);
    if (c.pid) { counts.spawned++; young.push(c.pid); if (young.length > 2000) young.shift(); }
  }, every);
}

async function poll() {
  while (!stopping) {
    const t0 = Date.now();
    for (const path of ['/api/processes/list', '/api/system']) {
      try { const r = await fetch(`http://127.0.0.1:${port}${path}`); await r.text(); if (!r.ok) errors.rest++; counts.rest++; }
      catch { if (!stopping) errors.rest++; }
    }
    try {
      const r = await fetch(`http://127.0.0.1:${port}/metrics`);
      const text = await r.text();
      if (!r.ok) errors.metrics++;
      counts.scrapes++;
      const m = /\nprocpulse_history_bytes (\S+)/.exec(text);
      if (m) historyBytes = Number(m[1]);
    }
    catch { if (!stopping) errors.metrics++; }
    await new Promise((ok) => setTimeout(ok, Math.max(0, 1000 - (Date.now() - t0))));
  }
}

const samples = [];
let historyBytes = 0; // procpulse_history_bytes of the last scrape: the in-memory history's share
function sample() {
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
    const threads = Number(/Threads:\s+(\d+)/.exec(status)[1]);
    const fds = readdirSync(`/proc/${server.pid}/fd`).length;
    samples.push({ t: (Date.now() - start) / 1000, rss, fds, threads, history: historyBytes,
                   rss_less_history: rss - historyBytes });
  } catch { /* the server is gone: reported below */ }
}

function slope(key) {
  // Least squares over the samples after the first minute (warm-up), per hour.
  const s = samples.filter((x) => x.t >= Math.min(60, duration / 4));
  const n = s.length;
  if (n < 2) return 0;
  const mt = s.reduce((a, x) => a + x.t, 0) / n, mv = s.reduce((a, x) => a + x[key], 0) / n;
  let num = 0, den = 0;
  for (const x of s) { num += (x.t - mt) * (x[key] - mv); den += (x.t - mt) ** 2; }
  return den ? (num / den) * 3600 : 0;
}

const start = Date.now();
for (let i = 0; i < clients; i++) setTimeout(client, (i * 1000) / 200); // 200 connects/s ramp
spawner();
poll();
sample();
const sampler = setInterval(sample, 5000);
await new Promise((ok) => setTimeout(ok, duration * 1000));
stopping = true;
clearInterval(sampler);
sample();
const exitStatus = await new Promise((ok) => {
  const t0 = Date.now();
  server.on('exit', (code, sig) => ok({ code, sig, ms: Date.now() - t0 }));
  server.kill('SIGTERM');
  setTimeout(() => server.kill('SIGKILL'), 10000);
});
const peak = (k) => Math.max(...samples.map((x) => x[k]));
const result = {
  duration, clients, spawn_per_sec: spawnRate, counts, errors, ws_error_kinds: wsErrorKinds, exit: exitStatus,
  rss: { first: samples[0]?.rss, peak: peak('rss'), slope_per_hour: slope('rss') },
  fds: { first: samples[0]?.fds, peak: peak('fds'), slope_per_hour: slope('fds') },
  threads: { first: samples[0]?.threads, peak: peak('threads'), slope_per_hour: slope('threads') },
  history: { first: samples[0]?.history, peak: peak('history'), slope_per_hour: slope('history') },
  rss_less_history: { first: samples[0]?.rss_less_history, peak: peak('rss_less_history'),
                      slope_per_hour: slope('rss_less_history') },
  sanitizer_report: /Sanitizer|runtime error:/.test(log),
};
mkdirSync(join(root, 'scripts/bench/out'), { recursive: true });
writeFileSync(join(root, `scripts/bench/out/soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ ...result, samples }, null, 1));
rmSync(dir, { recursive: true, force: true });
const mib = (b) => (b / 1048576).toFixed(1);
console.log(`soak ${duration} s, ${clients} churning clients, ${spawnRate} processes/s`);
console.log(`  connects ${counts.connects}, messages ${counts.messages}, spawned ${counts.spawned}, ` +
  `young PIDs subscribed ${counts.subscribed_young}, REST ${counts.rest}, scrapes ${counts.scrapes}`);
console.log(`  RSS ${mib(result.rss.first)} -> peak ${mib(result.rss.peak)} MiB, slope ${mib(result.rss.slope_per_hour)} MiB/h`);
console.log(`  in-memory history ${mib(result.history.first)} -> peak ${mib(result.history.peak)} MiB, slope ${mib(result.history.slope_per_hour)} MiB/h; ` +
  `RSS less history slope ${mib(result.rss_less_history.slope_per_hour)} MiB/h`);
console.log(`  fds ${result.fds.first} -> peak ${result.fds.peak}, slope ${result.fds.slope_per_hour.toFixed(1)}/h`);
console.log(`  threads ${result.threads.first} -> peak ${result.threads.peak}, slope ${result.threads.slope_per_hour.toFixed(1)}/h`);
console.log(`  errors ${JSON.stringify(errors)} (WebSocket errors by kind: ${JSON.stringify(wsErrorKinds)}); exit after SIGTERM: code ${exitStatus.code} signal ${exitStatus.sig} in ${exitStatus.ms} ms`);
process.exit(exitStatus.code === 0 && !result.sanitizer_report ? 0 : 1);
