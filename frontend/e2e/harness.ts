/**
 * Browser-test harness: starts the real procpulse server (PROCPULSE_BIN, default
 * ../build/server/procpulse) on 127.0.0.1, child processes to look at, and Debian's Chromium through
 * playwright-core. Never downloads a browser. The server runs without --static-dir: the web app
 * tested is the one the CMake build compiled into the binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const FRONTEND = resolve(import.meta.dirname, '..');
export const BIN = resolve(FRONTEND, process.env.PROCPULSE_BIN ?? '../build/server/procpulse');
export const HAVE_BIN = existsSync(BIN);
export const ARTIFACTS = resolve(FRONTEND, '../tests/e2e/artifacts');
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Says clearly why the browser tests do not run. */
export function skipReason(): string | null {
  if (!HAVE_BIN) return `PROCPULSE_BIN not found: ${BIN} does not exist (build the server, or set PROCPULSE_BIN)`;
  return null;
}

export interface Server {
  url: string;
  port: number;
  proc: ChildProcess;
  log: string[];
  stop(): Promise<void>;
}

/**
 * Starts the server; resolves when it prints `listening on http://127.0.0.1:PORT/`. Fails when the
 * binary has no web app built in (it says so at start-up: a build without Node.js or npm).
 */
export async function startServer(port = 0, extra: string[] = []): Promise<Server> {
  // --db :memory:: keep nothing (the default writes ~/.local/state/procpulse/procpulse.db).
  const args = ['--listen', `127.0.0.1:${port}`, '--interval', '250ms', '--db', ':memory:', ...extra];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 15 s:\n${log.join('')}`)), 15000);
    const onData = (d: Buffer): void => {
      log.push(d.toString());
      const text = log.join('');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (m && text.includes('web app not built')) {
        clearTimeout(timer);
        proc.kill('SIGTERM');
        fail(new Error(`${BIN} has no web app built in (build it with Node.js and npm):\n${text}`));
      } else if (m) {
        clearTimeout(timer);
        ok(m[1] as string);
      }
    };
    proc.stderr?.on('data', onData);
    proc.stdout?.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited (${code}) before listening:\n${log.join('')}`));
    });
  });
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      proc.kill('SIGTERM');
    });
  return { url, port: Number(new URL(url).port), proc, log, stop };
}

export interface Child {
  pid: number;
  name: string;
  proc: ChildProcess;
  kill(): Promise<void>;
}

const tmp = mkdtempSync(join(tmpdir(), 'procpulse-e2e-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/**
 * A child process with a name of its own (its `comm`), found in the table by filtering for it.
 * `grow` makes it a node script that allocates memory step by step, so its RSS line moves:
 * `true` from the start (1 MiB per 200 ms, up to 40 MiB), `'on-signal'` only after it gets SIGUSR2
 * (4 MiB per 100 ms, up to 128 MiB), so a test can set a threshold on its resting size first.
 */
export function startChild(name: string, grow: boolean | 'on-signal' = false): Child {
  let proc: ChildProcess;
  if (grow) {
    const script = join(tmp, `${name}.cjs`);
    const body =
      grow === 'on-signal'
        ? `process.on('SIGUSR2', () => { const t = setInterval(() => { keep.push(Buffer.alloc(4 << 20, keep.length)); if (keep.length >= 32) clearInterval(t); }, 100); });
           setInterval(() => {}, 1000);`
        : `setInterval(() => { if (keep.length < 40) keep.push(Buffer.alloc(1 << 20, keep.length)); }, 200);`;
    writeFileSync(script, `process.title = ${JSON.stringify(name)};\nconst keep = [];\n${body}\n`);
    proc = spawn(process.execPath, [script], { stdio: 'ignore' });
  } else {
    const link = join(tmp, name);
    if (!existsSync(link)) symlinkSync('/usr/bin/sleep', link);
    proc = spawn(link, ['600'], { stdio: 'ignore' });
  }
  const pid = proc.pid;
  if (!pid) throw new Error(`could not start ${name}`);
  return {
    pid,
    name,
    proc,
    kill: () =>
      new Promise((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', () => done());
        process.kill(pid, 'SIGKILL');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page of the app's size whose script errors and console errors are collected in `errors`. */
export async function newAppPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // A failed resource load names its URL (the message alone does not say which request).
    const url = m.location()?.url;
    if (m.type() === 'error') errors.push(url && m.text().startsWith('Failed to load resource') ? `${m.text()} ${url}` : m.text());
  });
  return page;
}

/** Saves a screenshot under tests/e2e/artifacts/. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Points drawn by the chart with the given title inside `scope` (a CSS selector). */
export async function chartPoints(page: Page, scope: string, title?: string): Promise<number> {
  return page.evaluate(
    ([sel, t]) => {
      const charts = [...document.querySelectorAll<HTMLElement>(`${sel} .chart`)];
      const c = t ? charts.find((x) => x.querySelector('.chart-title')?.textContent === t) : charts[0];
      return Number(c?.dataset.points ?? 0);
    },
    [scope, title ?? ''] as const,
  );
}

/**
 * Cells of the visible rows, and header cells, whose text is wider than their content box
 * ("class: text width > room"), and number cells cut with an ellipsis (a number must never be cut).
 */
export function overflowingCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const td of document.querySelectorAll<HTMLElement>('.prow .td:not(.mark), .ptable-head .th:not(.mark)')) {
      if (td.offsetParent === null || !td.textContent) continue; // a hidden row
      const cs = getComputedStyle(td);
      const room = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const range = document.createRange();
      range.selectNodeContents(td);
      const w = range.getBoundingClientRect().width;
      if (w > room + 0.5) out.push(`${td.className}: "${td.textContent}" ${w.toFixed(1)} > ${room}`);
      else if (td.classList.contains('num') && td.textContent.endsWith('…')) out.push(`${td.className}: "${td.textContent}" is cut`);
    }
    return out;
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (npm axe-core, injected from node_modules) on the page; returns its serious and
 * critical violations, each with the selectors and failure summaries of up to five nodes.
 */
export async function axeViolations(page: Page, context = 'html'): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: resolve(FRONTEND, 'node_modules/axe-core/axe.min.js') });
  return page.evaluate(async (ctx) => {
    const axe = (window as unknown as { axe: { run(c: string, o: object): Promise<{ violations: any[] }> } }).axe;
    const r = await axe.run(ctx, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n: any) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
      }));
  }, context);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
