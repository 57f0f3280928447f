/**
 * Issue 17's app-state defects against the real server, in Debian's Chromium: the table's count
 * agrees with the top bar; the Alerts list is the server's, live; "Watch" is the server's
 * persisted watch list and survives a restart; a PID that does not exist adds nothing; an exited
 * zombie shows its last live figures and one exit time, live and after a reload; 24 h windows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage, shot, skipReason, startChild, startServer, type Child, type Server } from './harness';

const skip = skipReason();
if (skip) console.warn(`\n*** browser tests SKIPPED: ${skip}\n`);

const SLEEPER = `ppW${process.pid % 100000}`;

/** A python3 parent whose child holds 48 MiB, exits after 1.5 s and stays a zombie until SIGUSR1. */
const ZOMBIE_PY = `
import os, signal, sys, time
pid = os.fork()
if pid == 0:
    keep = bytearray(48 << 20)
    for i in range(0, len(keep), 4096): keep[i] = 1
    time.sleep(1.5)
    os._exit(0)
print(pid, flush=True)
signal.signal(signal.SIGUSR1, lambda *a: os.waitpid(pid, 0))
while True: time.sleep(1)
`;

async function json(url: string, init?: RequestInit): Promise<any> {
  const r = await fetch(url, init);
  return r.json();
}

const post = (url: string, body: unknown): Promise<any> => json(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe.skipIf(skip !== null)('app state against the real server', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let sleeper: Child;
  let parent: ChildProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'procpulse-appstate-'));
  const db = join(dir, 'pp.db');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    sleeper = startChild(SLEEPER);
    server = await startServer(0, ['--db', db]);
    browser = await launchBrowser();
    page = await newAppPage(browser, pageErrors);
    page.setDefaultTimeout(10000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sleeper?.kill();
    if (parent?.pid && parent.exitCode === null) process.kill(parent.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** The text of a fact of the process view ("RSS", "User", …). */
  const fact = (label: string): Promise<string> =>
    page.evaluate((l) => [...document.querySelectorAll('.detail .fact')].find((f) => f.querySelector('dt')?.textContent === l)?.querySelector('dd')?.textContent ?? '', label);

  it('the table counts "N of M processes (kernel threads hidden)", M the top bar\'s count', async () => {
    await page.goto(server.url);
    await page.waitForSelector('.conn[data-health="live"]', { timeout: 15000 });
    await expect
      .poll(
        async () => {
          const count = (await page.textContent('.count')) ?? '';
          const summary = (await page.textContent('.summary')) ?? '';
          const m = /^(\d+) of (\d+) processes \(kernel threads hidden\)$/.exec(count);
          const procs = /(\d+) procs/.exec(summary);
          return m && procs ? m[2] === procs[1] && Number(m[1]) <= Number(m[2]) : `${count} | ${summary}`;
        },
        { timeout: 10000 },
      )
      .toBe(true);
  });

  it('Alerts lists the server\'s rules, kept live: added here, deleted here and by REST elsewhere', async () => {
    const ids: number[] = [];
    for (const t of [1e12, 2e12, 3e12]) ids.push((await post(`${server.url}api/alerts/rules`, { metric: 'rss', threshold: t })).rule.id);
    await page.goto(`${server.url}#/process/${sleeper.pid}`);
    await page.waitForSelector(`.detail[data-pid="${sleeper.pid}"] .chart[data-points]`, { timeout: 15000 });
    await page.click('.detail .quick-alert');
    await page.locator('.detail .quick-rule button[type="submit"]').click();
    await page.click('.tab[data-view="alerts"]');
    const rules = page.locator('.rule-list li[data-rule-id]');
    await expect.poll(() => rules.count(), { timeout: 10000 }).toBe(4);
    await page.click(`[data-delete-rule="${ids[0]}"]`);
    await expect.poll(() => rules.count(), { timeout: 10000 }).toBe(3);
    await fetch(`${server.url}api/alerts/rules/${ids[1]}`, { method: 'DELETE' }); // another client
    await expect.poll(() => rules.count(), { timeout: 10000 }).toBe(2);
    expect(await page.locator(`.rule-list li[data-rule-id="${ids[1]}"]`).count()).toBe(0);
  });

  it('a PID that does not exist says "no such process" and adds no tab and no watch entry', async () => {
    let missing = 4_000_000;
    while (existsSync(`/proc/${missing}`)) missing++;
    await page.goto(`${server.url}#/process/${missing}`);
    await expect.poll(() => page.locator('.toast-stack').textContent(), { timeout: 10000 }).toContain(`No such process: PID ${missing}`);
    await shot(page, 'appstate-no-such-pid');
    await page.click('.tab[data-view="exited"]');
    await page.fill('.open-pid input', String(missing));
    await page.click('.open-pid button[type="submit"]');
    await expect.poll(() => page.textContent('.open-pid .form-message'), { timeout: 10000 }).toContain('No such process');
    expect(await page.locator(`.chip[data-pid="${missing}"]`).count()).toBe(0);
    expect(await page.evaluate((p) => (window as any).procpulse.watched.has(p), missing)).toBe(false);
    expect(new URL(page.url()).searchParams.get('watch') ?? '').not.toContain(String(missing));
    const list = await json(`${server.url}api/processes/metrics`);
    expect(Object.keys(list.processes)).not.toContain(String(missing));
  });

  it('an exited zombie shows its last live figures and one exit time, live and after a reload', async () => {
    parent = spawn('/usr/bin/python3', ['-c', ZOMBIE_PY], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zpid = await new Promise<number>((ok) => parent?.stdout?.once('data', (d: Buffer) => ok(Number(String(d).trim()))));
    await page.goto(`${server.url}#/process/${zpid}`);
    await page.waitForSelector(`.detail[data-pid="${zpid}"] .chart[data-points]`, { timeout: 15000 });
    await expect.poll(() => fact('RSS'), { timeout: 10000 }).toMatch(/MiB/);
    // Wait for the zombie (RSS 0 in its own samples), then let the parent reap it.
    await expect.poll(() => page.evaluate((p) => (window as any).procpulse.watched.get(p)?.record?.status, zpid), { timeout: 10000 }).toBe('zombie');
    expect(await fact('RSS')).toMatch(/^[1-9][\d.]* MiB$/);
    process.kill(parent.pid as number, 'SIGUSR1');
    await page.waitForSelector('.detail .badge.exited:not(.hidden)', { timeout: 10000 });
    const liveExit = await page.textContent('.detail .badge.exited');
    expect(await fact('RSS')).toMatch(/^[1-9][\d.]* MiB$/);
    expect(await fact('VMS')).not.toBe('0 B');
    await shot(page, 'appstate-exited-live');
    await page.reload();
    await page.waitForSelector(`.detail[data-pid="${zpid}"][data-history="loaded"]`, { timeout: 15000 });
    expect(await page.textContent('.detail .badge.exited')).toBe(liveExit);
    expect(await fact('RSS')).toMatch(/^[1-9][\d.]* MiB$/);
    for (const label of ['User', 'PPID', 'Started']) expect(await fact(label)).not.toBe('—');
    expect(await fact('PPID')).toBe(String(parent.pid));
    expect(await fact('CPU time')).toMatch(/^\d+\.\d\d s usr/);
    await shot(page, 'appstate-exited-reload');
  });

  it('"Watch" is the server\'s watch list: kept over a restart with its history; 24 h from the store', async () => {
    await page.goto(`${server.url}#/process/${sleeper.pid}`);
    await expect.poll(() => page.locator('.detail .badge.server-watch').textContent(), { timeout: 10000 }).toBe('watched on server');
    const list = await json(`${server.url}api/processes/metrics`);
    expect(Object.keys(list.processes)).toContain(String(sleeper.pid));
    await expect.poll(async () => (await json(`${server.url}api/processes/${sleeper.pid}/history`)).series.t.length, { timeout: 10000 }).toBeGreaterThan(4);
    const before = Date.now() / 1000;
    await server.stop();
    server = await startServer(0, ['--db', db]);
    await page.goto(server.url); // no watch list in the URL: it comes from the server
    await page.waitForSelector(`.chip[data-pid="${sleeper.pid}"][data-server-watch="true"]`, { timeout: 15000 });
    const h = await json(`${server.url}api/processes/${sleeper.pid}/history?from=${Math.floor(before - 600)}`);
    expect(h.series.t.filter((t: number) => t < before).length).toBeGreaterThan(0); // stored before the restart
    // 24 h, from the store at a step of a minute: the chart spans 24 h and holds the old points.
    await page.click(`.chip[data-pid="${sleeper.pid}"] .chip-name`);
    await page.click('.detail [data-window="86400"]');
    await expect.poll(() => page.getAttribute('.detail .chart', 'data-span'), { timeout: 10000 }).toBe('86400');
    await expect.poll(async () => Number(await page.getAttribute('.detail .chart', 'data-points')), { timeout: 10000 }).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('.detail .chart', 'data-points'))).toBeLessThanOrEqual(2000);
    expect(await page.textContent('.detail .resolution')).toContain('1 point per 1 min');
    expect(new URL(page.url()).searchParams.get('window')).toBe('24h');
    await shot(page, 'appstate-24h');
    await page.click('.tab[data-view="system"]');
    await expect.poll(() => page.getAttribute('.system .chart', 'data-span'), { timeout: 10000 }).toBe('86400');
    // Unwatch removes it from the server's list.
    await page.click(`.chip[data-pid="${sleeper.pid}"] .chip-close`);
    await expect.poll(async () => Object.keys((await json(`${server.url}api/processes/metrics`)).processes), { timeout: 10000 }).not.toContain(String(sleeper.pid));
  });

  it('no script errors on the page', () => {
    expect(pageErrors.filter((e) => !/Failed to load resource|WebSocket/.test(e))).toEqual([]);
  });
});
