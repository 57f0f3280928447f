// A/B of web-app builds in one run (a benchmark, not a test): main-thread time per tick of two or
// more built `dist/` directories, measured alternately so that machine drift hits all alike.
//
//   node scripts/perf-ab.mjs NAME=DIR NAME=DIR [...]
//   e.g. git stash; npm run build; cp -r dist /tmp/dist-a; git stash pop; npm run build
//        node scripts/perf-ab.mjs before=/tmp/dist-a after=dist
//
// Starts one server per build (PROCPULSE_BIN, default ../build/server/procpulse; --interval 1s,
// --db :memory:) on 127.0.0.1, POPULATION (1000) extra `sleep` processes, and Debian's Chromium.
// Each round opens a fresh page per build (1600x1000, the compare view watching 7 of the sleeps and
// the server, like `npm run perf`), waits SETTLE_MS (4000), then reads Chrome's main-thread CPU
// (ThreadTime) and task time (TaskDuration) once per tick for TICKS (10) ticks; ROUNDS (8) rounds.
// Prints the median and 90th percentile per build. Ends the processes it started, by PID.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '..', process.env.PROCPULSE_BIN ?? '../build/server/procpulse');
const POPULATION = Number(process.env.POPULATION ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const TICKS = Number(process.env.TICKS ?? 10);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 4000);

const builds = process.argv.slice(2).map((a) => {
  const i = a.indexOf('=');
  if (i <= 0) throw new Error(`expected NAME=DIR, got "${a}"`);
  const dir = resolve(a.slice(i + 1));
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing`);
  return { name: a.slice(0, i), dir };
});
if (builds.length < 2) {
  console.error('usage: node scripts/perf-ab.mjs NAME=DIST_DIR NAME=DIST_DIR [...]');
  process.exit(2);
}
if (!existsSync(BIN)) throw new Error(`${BIN} not found (build the server or set PROCPULSE_BIN)`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = [];

function startServer(dir) {
  const proc = spawn(BIN, ['--listen', '127.0.0.1:0', '--static-dir', dir, '--interval', '1s', '--db', ':memory:'], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let log = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${log}`)), 15000);
    const onData = (d) => {
      log += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) {
        clearTimeout(timer);
        ok({ proc, url: m[1] });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
  });
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
}

let browser;
try {
  const population = [];
  for (let i = 0; i < POPULATION; i++) {
    const p = spawn('/usr/bin/sleep', ['3600'], { stdio: 'ignore' });
    started.push(p);
    population.push(p.pid);
  }
  for (const b of builds) Object.assign(b, await startServer(b.dir), { cpu: [], task: [] });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of builds) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const watched = [...population.slice(0, 7), b.proc.pid];
      await page.goto(`${b.url}?watch=${watched.join(',')}&view=${process.env.PERF_VIEW ?? 'compare'}`);
      await page.waitForSelector('.conn[data-health="live"]', { timeout: 30000 });
      await sleep(SETTLE_MS);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const read = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const get = (n) => (metrics.find((x) => x.name === n)?.value ?? 0) * 1000;
        const seq = await page.evaluate(() => window.procpulse.client.lastSeq);
        return { seq, cpu: get('ThreadTime'), task: get('TaskDuration') };
      };
      let last = await read();
      for (let i = 0; i < TICKS; i++) {
        await sleep(970);
        const now = await read();
        const n = now.seq - last.seq; // server messages since the last reading (one a tick)
        if (n <= 0) continue;
        b.cpu.push((now.cpu - last.cpu) / n);
        b.task.push((now.task - last.task) / n);
        last = now;
      }
      await page.close();
    }
  }
  console.log(`perf-ab: ${POPULATION} extra processes, ${ROUNDS} rounds x ${TICKS} ticks per build, main-thread ms per tick`);
  for (const b of builds) {
    console.log(
      `  ${b.name.padEnd(12)} CPU median ${quantile(b.cpu, 0.5).toFixed(2)} p90 ${quantile(b.cpu, 0.9).toFixed(2)} | task median ${quantile(b.task, 0.5).toFixed(2)} p90 ${quantile(b.task, 0.9).toFixed(2)} (n=${b.cpu.length})`,
    );
  }
} finally {
  await browser?.close();
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}
