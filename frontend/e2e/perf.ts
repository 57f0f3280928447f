/**
 * Main-thread cost per tick in Chromium (issue #4 benchmark; not part of `npm test`):
 *   npm run perf                         # 60 s, 1000 extra processes, 8 watched
 *   PERF_SECONDS=20 PERF_POPULATION=200 npm run perf
 *   PERF_SERVER_ARGS='--full-read-every 1' npm run perf     # extra server arguments
 * Starts the real server (--interval 1s by default, PERF_INTERVAL to change), a population of
 * sleeping processes so the table has ~N rows, watches 8 of them in the compare view, then samples
 * Chrome's own main-thread task time (CDP Performance.getMetrics, TaskDuration) once per tick, and
 * times the app's JavaScript per tick (WebSocket message handlers + animation-frame callbacks) in
 * the page. Prints median / p99 / max and long tasks (> 50 ms); writes tests/e2e/artifacts/perf.json.
 * With PERF_TRACE=SECONDS it then records a Chrome trace that long and prints where the main thread's
 * time goes per tick (self time by trace event: scripts, style, layout, paint, GC…), and saves the
 * trace as tests/e2e/artifacts/perf-trace.json (open it in chrome://tracing or DevTools).
 * With PERF_PROFILE=SECONDS it samples the page's JavaScript with V8's profiler that long and prints
 * the functions with the most self time (build with `npx vite build --minify false` for names).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { it } from 'vitest';
import { ARTIFACTS, launchBrowser, shot, skipReason, sleep, startServer } from './harness';

const SECONDS = Number(process.env.PERF_SECONDS ?? 60);
const POPULATION = Number(process.env.PERF_POPULATION ?? 1000);
const INTERVAL = process.env.PERF_INTERVAL ?? '1s';
const WATCHED = 8;
const TRACE_SECONDS = Number(process.env.PERF_TRACE ?? 0);
const PROFILE_SECONDS = Number(process.env.PERF_PROFILE ?? 0);
const SERVER_ARGS = (process.env.PERF_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
/** The view measured: compare (the default) or system (per-core, disk and network charts). */
const VIEW = process.env.PERF_VIEW ?? 'compare';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Samples the page's JavaScript and prints self time per function, per message. */
async function profile(cdp: CDPSession, seconds: number, ticks: () => Promise<number>): Promise<void> {
  const seq0 = await ticks();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await sleep(seconds * 1000);
  const { profile: p } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const n = Math.max(1, (await ticks()) - seq0);
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    if (!f || f.functionName === '(idle)' || f.functionName === '(program)') return;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]);
  const total = top.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  profile, ${seconds} s (${n} messages): JavaScript self time per message, ${(total / n).toFixed(2)} ms in all`);
  for (const [name, ms] of top.slice(0, 25)) console.log(`    ${name.slice(0, 70).padEnd(70)} ${(ms / n).toFixed(3)} ms`);
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Self time (ms) per event name on the renderer's main thread: each complete event's duration
 * minus that of the events nested in it.
 */
export function mainThreadSelfTime(events: TraceEvent[]): Map<string, number> {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const out = new Map<string, number>();
  if (!main) return out;
  const xs = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const stack: { end: number; name: string; child: number; dur: number }[] = [];
  const close = (until: number): void => {
    while (stack.length && (stack[stack.length - 1] as { end: number }).end <= until) {
      const top = stack.pop() as { name: string; child: number; dur: number };
      out.set(top.name, (out.get(top.name) ?? 0) + (top.dur - top.child) / 1000);
      const parent = stack[stack.length - 1];
      if (parent) parent.child += top.dur;
    }
  };
  for (const e of xs) {
    close(e.ts);
    stack.push({ end: e.ts + (e.dur as number), name: e.name, child: 0, dur: e.dur as number });
  }
  close(Infinity);
  return out;
}

async function trace(browser: Browser, page: Page, seconds: number, ticks: () => Promise<number>): Promise<void> {
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.gc', 'blink', 'cc', 'toplevel', 'gpu'];
  const seq0 = await ticks();
  await browser.startTracing(page, { categories });
  await sleep(seconds * 1000);
  const buf = await browser.stopTracing();
  const n = Math.max(1, (await ticks()) - seq0);
  writeFileSync(join(ARTIFACTS, 'perf-trace.json'), buf);
  const events = (JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const self = [...mainThreadSelfTime(events)].sort((a, b) => b[1] - a[1]);
  const total = self.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  trace, ${seconds} s (${n} messages): main-thread self time per message, ${(total / n).toFixed(2)} ms in all`);
  for (const [name, ms] of self.slice(0, 18)) console.log(`    ${name.padEnd(36)} ${(ms / n).toFixed(3)} ms`);
}

/** "1s", "250ms", "2000" -> milliseconds. */
function parseWindowMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) return null;
  return m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]);
}

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
  const perf = { js: 0, timers: 0, longTasks: [] };
  window.__perf = perf;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((ts) => { const t0 = performance.now(); try { cb(ts); } finally { perf.js += performance.now() - t0; } });
  for (const name of ['setInterval', 'setTimeout']) {
    const orig = window[name].bind(window);
    window[name] = (cb, ms, ...args) => orig(typeof cb === 'function' ? (...a) => { const t0 = performance.now(); try { cb(...a); } finally { const d = performance.now() - t0; perf.js += d; perf.timers += d; } } : cb, ms, ...args);
  }
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
    const server = await startServer(0, ['--interval', INTERVAL, ...SERVER_ARGS]);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.addInitScript(INSTRUMENT);
      const watched = population.slice(0, WATCHED - 1).map((p) => p.pid as number);
      watched.push(server.proc.pid as number);
      await page.goto(`${server.url}?watch=${watched.join(',')}&view=${VIEW}`);
      await page.waitForSelector('.conn[data-health="live"]');
      await page.waitForFunction((n) => Object.keys((window as any).procpulse.client.state.table?.rows ?? {}).length >= n, POPULATION, { timeout: 30000 });
      await sleep(3000); // let start-up work settle
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const ticks = (): Promise<number> => page.evaluate(() => (window as any).procpulse.client.lastSeq as number);
      // One reading: Chrome's cumulative main-thread times (ms), then the page's message count and
      // app JavaScript time. Read about once a tick: every reading is itself a main-thread task.
      // TaskDuration is wall time of the main thread's tasks (it grows when other processes take the
      // CPU away mid-task); ThreadTime is the main thread's CPU time, steadier on a busy machine.
      const KINDS = ['TaskDuration', 'ThreadTime', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'] as const;
      const read = async (): Promise<{ seq: number; js: number; timers: number; m: Record<string, number> }> => {
        const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
        const m: Record<string, number> = {};
        for (const k of KINDS) m[k] = (metrics.find((x) => x.name === k)?.value ?? 0) * 1000;
        const p = await page.evaluate(() => ({ seq: (window as any).procpulse.client.lastSeq as number, js: (window as any).__perf.js as number, timers: (window as any).__perf.timers as number }));
        return { ...p, m };
      };

      const perTick: Record<string, number[]> = { js: [], timers: [] };
      for (const k of KINDS) perTick[k] = [];
      let last = await read();
      const interval = (parseWindowMs(INTERVAL) ?? 1000) * 0.97;
      const end = Date.now() + SECONDS * 1000;
      while (Date.now() < end) {
        await sleep(interval);
        const now = await read();
        if (now.seq === last.seq) continue;
        const n = now.seq - last.seq; // server messages since the last reading (one delta per tick)
        for (const k of KINDS) perTick[k]!.push(((now.m[k] as number) - (last.m[k] as number)) / n);
        perTick.js!.push((now.js - last.js) / n);
        perTick.timers!.push((now.timers - last.timers) / n);
        last = now;
      }
      const perTickTask = perTick.TaskDuration as number[];
      const perTickJs = perTick.js as number[];
      // What one reading costs the page's main thread (it is part of the figures above).
      const r0 = await read();
      for (let i = 0; i < 20; i++) await read();
      const readingCost = ((await read()).m.TaskDuration! - r0.m.TaskDuration!) / 21;
      const longTasks = await page.evaluate(() => (window as any).__perf.longTasks as number[]);
      const rows = await page.evaluate(() => Object.keys((window as any).procpulse.client.state.table?.rows ?? {}).length);
      if (TRACE_SECONDS > 0) await trace(browser, page, TRACE_SECONDS, ticks);
      if (PROFILE_SECONDS > 0) await profile(cdp, PROFILE_SECONDS, ticks);
      await shot(page, 'perf-compare');
      const report = {
        seconds: SECONDS,
        interval: INTERVAL,
        server_args: SERVER_ARGS,
        table_rows: rows,
        watched: WATCHED,
        main_thread_task_ms_per_tick: { median: quantile(perTickTask, 0.5), p99: quantile(perTickTask, 0.99), max: Math.max(...perTickTask), n: perTickTask.length },
        main_thread_cpu_ms_per_tick: { median: quantile(perTick.ThreadTime!, 0.5), p99: quantile(perTick.ThreadTime!, 0.99), max: Math.max(...perTick.ThreadTime!) },
        app_js_ms_per_tick: { median: quantile(perTickJs, 0.5), p99: quantile(perTickJs, 0.99), max: Math.max(...perTickJs) },
        app_timers_ms_per_tick: { median: quantile(perTick.timers!, 0.5), p99: quantile(perTick.timers!, 0.99) },
        chrome_script_ms_per_tick: { median: quantile(perTick.ScriptDuration!, 0.5), p99: quantile(perTick.ScriptDuration!, 0.99) },
        layout_ms_per_tick: { median: quantile(perTick.LayoutDuration!, 0.5), p99: quantile(perTick.LayoutDuration!, 0.99) },
        style_ms_per_tick: { median: quantile(perTick.RecalcStyleDuration!, 0.5), p99: quantile(perTick.RecalcStyleDuration!, 0.99) },
        reading_cost_ms: readingCost,
        long_tasks: longTasks.length,
      };
      console.log(`\nprocpulse perf: ${rows} table rows, ${WATCHED} watched, ${SECONDS} s at ${INTERVAL}${SERVER_ARGS.length ? ` (server ${SERVER_ARGS.join(' ')})` : ''}`);
      console.log(`  main-thread task time per tick: ${summary(perTickTask)}`);
      console.log(`  main-thread CPU time per tick:  ${summary(perTick.ThreadTime!)}`);
      console.log(`  app JavaScript per tick:        ${summary(perTickJs)}`);
      console.log(`  of which timers:                ${summary(perTick.timers!)}`);
      console.log(`  of which Chrome counts script ${quantile(perTick.ScriptDuration!, 0.5).toFixed(2)} ms, style ${quantile(perTick.RecalcStyleDuration!, 0.5).toFixed(2)} ms, layout ${quantile(perTick.LayoutDuration!, 0.5).toFixed(2)} ms (medians)`);
      console.log(`  one reading by this script costs ${readingCost.toFixed(2)} ms of main-thread time (included above, once per tick)`);
      console.log(`  long tasks (> 50 ms):           ${longTasks.length}`);
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'perf.json'), JSON.stringify(report, null, 2));
    } finally {
      await browser.close();
      await server.stop();
      for (const p of population) p.kill('SIGKILL');
    }
  },
  (SECONDS + TRACE_SECONDS + PROFILE_SECONDS) * 1000 + 120_000,
);
