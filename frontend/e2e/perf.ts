/**
 * Main-thread cost per tick in Chromium (issue #4 benchmark; not part of `npm test`):
 *   npm run perf                         # 60 s, 1000 extra processes, 8 watched
 *   PERF_SECONDS=20 PERF_POPULATION=200 npm run perf
 * Starts the real server (--interval 1s by default, PERF_INTERVAL to change), a population of
 * sleeping processes so the table has ~N rows, watches 8 of them in the compare view, then samples
 * Chrome's own main-thread task time (CDP Performance.getMetrics, TaskDuration) once per tick, and
 * times the app's JavaScript per tick (WebSocket message handlers + animation-frame callbacks) in
 * the page. Prints median / p99 / max and long tasks (> 50 ms); writes tests/e2e/artifacts/perf.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { ARTIFACTS, launchBrowser, shot, skipReason, sleep, startServer } from './harness';

const SECONDS = Number(process.env.PERF_SECONDS ?? 60);
const POPULATION = Number(process.env.PERF_POPULATION ?? 1000);
const INTERVAL = process.env.PERF_INTERVAL ?? '1s';
const WATCHED = 8;

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] as number;
}

function summary(xs: number[]): string {
  return `median ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})`;
}

/** In the page, before the app starts: time message handlers and frame callbacks. */
const INSTRUMENT = `(() => {
  const perf = { js: 0, longTasks: [] };
  window.__perf = perf;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((ts) => { const t0 = performance.now(); try { cb(ts); } finally { perf.js += performance.now() - t0; } });
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    set(fn) { desc.set.call(this, fn && ((ev) => { const t0 = performance.now(); try { fn.call(this, ev); } finally { perf.js += performance.now() - t0; } })); },
    get() { return desc.get.call(this); },
  });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) perf.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
})();`;

const skip = skipReason();
it.skipIf(skip !== null)(
  `main-thread time per tick: ${POPULATION} processes, ${WATCHED} watched, ${SECONDS} s`,
  async () => {
    const population: ChildProcess[] = [];
    for (let i = 0; i < POPULATION; i++) population.push(spawn('/usr/bin/sleep', ['3600'], { stdio: 'ignore' }));
    const server = await startServer(0, ['--interval', INTERVAL]);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.addInitScript(INSTRUMENT);
      const watched = population.slice(0, WATCHED - 1).map((p) => p.pid as number);
      watched.push(server.proc.pid as number);
      await page.goto(`${server.url}?watch=${watched.join(',')}&view=compare`);
      await page.waitForSelector('.conn[data-health="live"]');
      await page.waitForFunction((n) => Object.keys((window as any).procpulse.client.state.table?.rows ?? {}).length >= n, POPULATION, { timeout: 30000 });
      await sleep(3000); // let start-up work settle
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const taskTime = async (): Promise<number> => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return (metrics.find((m: { name: string }) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
      };
      const jsTime = (): Promise<number> => page.evaluate(() => (window as any).__perf.js as number);
      const ticks = (): Promise<number> => page.evaluate(() => (window as any).procpulse.client.lastSeq as number);

      const perTickTask: number[] = [];
      const perTickJs: number[] = [];
      let lastTask = await taskTime();
      let lastJs = await jsTime();
      let lastSeq = await ticks();
      const end = Date.now() + SECONDS * 1000;
      while (Date.now() < end) {
        await sleep(200);
        const seq = await ticks();
        if (seq === lastSeq) continue;
        const task = await taskTime();
        const js = await jsTime();
        const n = seq - lastSeq; // server messages since the last sample (one delta per tick)
        perTickTask.push((task - lastTask) / n);
        perTickJs.push((js - lastJs) / n);
        lastTask = task;
        lastJs = js;
        lastSeq = seq;
      }
      const longTasks = await page.evaluate(() => (window as any).__perf.longTasks as number[]);
      const rows = await page.evaluate(() => Object.keys((window as any).procpulse.client.state.table?.rows ?? {}).length);
      await shot(page, 'perf-compare');
      const report = {
        seconds: SECONDS,
        interval: INTERVAL,
        table_rows: rows,
        watched: WATCHED,
        main_thread_task_ms_per_tick: { median: quantile(perTickTask, 0.5), p99: quantile(perTickTask, 0.99), max: Math.max(...perTickTask), n: perTickTask.length },
        app_js_ms_per_tick: { median: quantile(perTickJs, 0.5), p99: quantile(perTickJs, 0.99), max: Math.max(...perTickJs) },
        long_tasks: longTasks.length,
      };
      console.log(`\nprocpulse perf: ${rows} table rows, ${WATCHED} watched, ${SECONDS} s at ${INTERVAL}`);
      console.log(`  main-thread task time per tick: ${summary(perTickTask)}`);
      console.log(`  app JavaScript per tick:        ${summary(perTickJs)}`);
      console.log(`  long tasks (> 50 ms):           ${longTasks.length}`);
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'perf.json'), JSON.stringify(report, null, 2));
    } finally {
      await browser.close();
      await server.stop();
      for (const p of population) p.kill('SIGKILL');
    }
  },
  SECONDS * 1000 + 120_000,
);
