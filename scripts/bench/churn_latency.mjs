#!/usr/bin/env node
// Live latency under churn (issue #7, defect 6), loopback only, bounded in count and time.
// One fresh server (build/server/procpulse, --interval 1s, --db :memory:). A steady client in its
// own worker thread (its own event loop, so the churn generator cannot delay its reads) subscribes
// to 10 PIDs and a 50-row table and records, for every delta, receive time minus the delta's sample
// time. Phases alternate quiet / churn (A/B, PHASES pairs of PHASE seconds each): during churn,
// CHURN clients connect, subscribe to 10 PIDs and a table, read (or, one in four, stop reading)
// for 1-10 s, drop and reconnect, as in soak.mjs. Prints p50/p99/max per phase kind and the ratio
// churn/quiet, and writes the samples to scripts/bench/out/churn-latency-<time>.json.
// Usage: node scripts/bench/churn_latency.mjs   (env CHURN=1000 PHASE=30 PHASES=3 BUILD_DIR=build,
//        SERVER_LOG=FILE keeps the server's log)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'frontend', 'package.json'));
const WebSocket = require('ws');

if (!isMainThread) {
  // The steady client: reports [receive time, sample time] for every delta.
  const ws = new WebSocket(`ws://127.0.0.1:${workerData.port}/ws`);
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'subscribe', pids: workerData.pids }));
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'processes', limit: 50 }));
  });
  ws.on('message', (data) => {
    const now = Date.now() / 1000;
    const m = JSON.parse(data.toString());
    if (m.type === 'delta') parentPort.postMessage([now, m.time]);
  });
  ws.on('close', () => parentPort.postMessage('closed'));
} else {
  await main();
}

async function main() {
  const churn = Number(process.env.CHURN ?? 1000);
  const phase = Number(process.env.PHASE ?? 30);
  const phases = Number(process.env.PHASES ?? 3);
  const buildDir = resolve(root, process.env.BUILD_DIR ?? 'build');
  const server = spawn(join(buildDir, 'server', 'procpulse'),
    ['--listen', '127.0.0.1:0', '--interval', '1s', '--db', ':memory:', '--log-level', 'warn',
     '--max-connections', String(churn + 200), '--max-connections-per-ip', String(churn + 200),
     '--max-pending-per-ip', String(churn + 200)],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('server did not start: ' + log)), 15000);
    server.stderr.on('data', (d) => {
      if (log.length < 1e6) log += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) { clearTimeout(t); ok(Number(m[1])); }
    });
  });

  // Ten long-lived processes the steady client and the churners subscribe to.
  const kids = Array.from({ length: 9 }, () => spawn('/bin/sleep', ['3600'], { stdio: 'ignore' }));
  const pids = [1, ...kids.map((k) => k.pid)];

  let kind = 'warmup';
  const lat = { quiet: [], churn: [], warmup: [] };
  const gaps = { quiet: [], churn: [], warmup: [] };
  let lastRecv = 0;
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { port, pids } });
  worker.on('message', (m) => {
    if (m === 'closed') { console.error('steady client closed'); return; }
    const [recv, sampled] = m;
    lat[kind].push((recv - sampled) * 1000);
    if (lastRecv) gaps[kind].push((recv - lastRecv) * 1000);
    lastRecv = recv;
  });

  let churning = false;
  const counts = { connects: 0, errors: 0 };
  const open = new Set();
  function client() {
    if (!churning) return;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    open.add(ws);
    counts.connects++;
    const reads = Math.random() >= 0.25;
    let timer;
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', pids }));
      ws.send(JSON.stringify({ type: 'subscribe', topic: 'processes', limit: 50 }));
      if (!reads) ws._socket.pause();
      timer = setTimeout(() => ws.terminate(), 1000 + Math.random() * 9000);
    });
    ws.on('error', () => { if (churning) counts.errors++; });
    ws.on('close', () => {
      open.delete(ws);
      clearTimeout(timer);
      setTimeout(client, 50 + Math.random() * 200);
    });
  }
  const sleep = (s) => new Promise((ok) => setTimeout(ok, s * 1000));

  await sleep(5); // warm-up: the steady client has its snapshot and a few deltas
  for (let i = 0; i < phases; i++) {
    kind = 'quiet';
    await sleep(phase);
    kind = 'churn';
    churning = true;
    for (let c = 0; c < churn; c++) setTimeout(client, (c * 1000) / 200); // 200 connects/s ramp
    await sleep(phase);
    churning = false;
    for (const ws of open) ws.terminate();
    kind = 'warmup';
    await sleep(3); // churners gone before the next quiet phase
  }
  await worker.terminate();
  const exit = await new Promise((ok) => {
    const t0 = Date.now();
    server.on('exit', (code, sig) => ok({ code, sig, ms: Date.now() - t0 }));
    server.kill('SIGTERM');
    setTimeout(() => server.kill('SIGKILL'), 10000);
  });
  for (const k of kids) k.kill('SIGTERM');
  if (process.env.SERVER_LOG) writeFileSync(process.env.SERVER_LOG, log);

  const q = (xs, p) => {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  const stats = (xs) => ({ n: xs.length, p50: q(xs, 0.5), p99: q(xs, 0.99), max: Math.max(...xs) });
  const result = {
    churn, phase, phases, connects: counts.connects, errors: counts.errors, exit,
    quiet: stats(lat.quiet), churning: stats(lat.churn),
    gap_quiet: stats(gaps.quiet), gap_churn: stats(gaps.churn),
  };
  mkdirSync(join(root, 'scripts/bench/out'), { recursive: true });
  writeFileSync(join(root, `scripts/bench/out/churn-latency-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ ...result, lat, gaps }, null, 1));
  const f = (x) => x.toFixed(1);
  console.log(`delta latency (receive - sample time), ${phases} x ${phase} s quiet / ${phase} s with ${churn} churning clients`);
  console.log(`  quiet: n ${result.quiet.n}, p50 ${f(result.quiet.p50)} ms, p99 ${f(result.quiet.p99)} ms, max ${f(result.quiet.max)} ms`);
  console.log(`  churn: n ${result.churning.n}, p50 ${f(result.churning.p50)} ms, p99 ${f(result.churning.p99)} ms, max ${f(result.churning.max)} ms` +
    ` (${counts.connects} connects, ${counts.errors} errors)`);
  console.log(`  ratio churn/quiet: p50 ${(result.churning.p50 / result.quiet.p50).toFixed(2)}, p99 ${(result.churning.p99 / result.quiet.p99).toFixed(2)}`);
  console.log(`  largest gap between deltas: quiet ${f(result.gap_quiet.max)} ms, churn ${f(result.gap_churn.max)} ms`);
  console.log(`  exit after SIGTERM: code ${exit.code} signal ${exit.sig} in ${exit.ms} ms`);
  process.exit(exit.code === 0 ? 0 : 1);
}
