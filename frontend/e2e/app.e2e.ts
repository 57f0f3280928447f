/**
 * The web app against the real server, in Debian's Chromium. The tests run in order and share one
 * server, one browser page and two child processes, like a person using the app would.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartPoints,
  launchBrowser,
  newAppPage,
  overflowingCells,
  shot,
  skipReason,
  startChild,
  startServer,
  type Child,
  type Server,
} from './harness';

const skip = skipReason();
if (skip) console.warn(`\n*** browser tests SKIPPED: ${skip}\n`);

const suffix = String(process.pid % 100000);
const NAME_A = `ppA${suffix}`; // comm is at most 15 characters
const NAME_B = `ppB${suffix}`;

describe.skipIf(skip !== null)('web app against the real server', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let a: Child;
  let b: Child;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    a = startChild(NAME_A, true);
    b = startChild(NAME_B);
    server = await startServer();
    browser = await launchBrowser();
    page = await newAppPage(browser, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await a?.kill();
    await b?.kill();
  });

  it('lists the child process in the table', async () => {
    await page.goto(server.url);
    await page.waitForSelector('.conn[data-health="live"]', { timeout: 15000 });
    await page.waitForFunction((pid) => !!(window as any).procpulse.client.state.table?.rows?.[String(pid)], a.pid, { timeout: 15000 });
    await page.waitForSelector('.prow[data-pid]');
    const rows = await page.locator('.prow[data-pid]:visible').count();
    expect(rows).toBeGreaterThan(5);
    await shot(page, '01-table');
  });

  it('sorts by clicking column headers, again to reverse', async () => {
    const pids = (): Promise<number[]> =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.prow[data-pid]')]
          .filter((r) => r.style.display !== 'none')
          .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
          .slice(0, 10)
          .map((r) => Number(r.dataset.pid)),
      );
    const sorted = (xs: number[], dir: 1 | -1): boolean => xs.every((x, i) => i === 0 || (x - (xs[i - 1] as number)) * dir > 0);
    await page.click('.th[data-key="pid"]');
    await expect.poll(async () => sorted(await pids(), -1), { timeout: 5000 }).toBe(true);
    expect(await page.getAttribute('.th[data-key="pid"]', 'aria-sort')).toBe('descending');
    await page.click('.th[data-key="pid"]');
    await expect.poll(async () => sorted(await pids(), 1), { timeout: 5000 }).toBe(true);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('pid');
    await page.click('.th[data-key="rss"]');
    await expect.poll(() => page.getAttribute('.th[data-key="rss"]', 'aria-sort')).toBe('descending');
  });

  it('kernel threads are hidden until the toggle is on', async () => {
    const kthreads = (): Promise<number> =>
      page.evaluate(() => Object.values((window as any).procpulse.client.state.table?.rows ?? {}).filter((r: any) => r.kernel_thread).length);
    expect(await kthreads()).toBe(0);
    await page.check('.toggle input');
    await expect.poll(kthreads, { timeout: 10000 }).toBeGreaterThan(0);
    await page.uncheck('.toggle input');
    await expect.poll(kthreads, { timeout: 10000 }).toBe(0);
  });

  it('texts are cut to their column with an ellipsis; nothing overflows a cell', async () => {
    // Cells are not clipped (see views/fit.ts): every text must fit its column by itself.
    expect(await overflowingCells(page)).toEqual([]);
    // B's command line (the symlink's path and an argument) is longer than the room left after
    // its name: it shows cut, as a prefix of the real one with an ellipsis.
    await page.fill('.filter', NAME_B);
    const row = page.locator(`.prow[data-pid="${b.pid}"]`);
    await row.waitFor({ state: 'visible', timeout: 10000 });
    const full = (await page.evaluate((pid) => (window as any).procpulse.client.state.table.rows[String(pid)].cmdline as string, b.pid)) ?? '';
    expect(full.length).toBeGreaterThan(30);
    const cmd = (await row.locator('.cmd').textContent()) ?? '';
    expect(cmd.endsWith('…')).toBe(true);
    expect(full.startsWith(cmd.slice(0, -1))).toBe(true);
    expect(cmd.length).toBeGreaterThan(3);
    expect(await overflowingCells(page)).toEqual([]);
    // A narrower table cuts more (the widths are read again on resize).
    await page.setViewportSize({ width: 1200, height: 1000 });
    await expect.poll(async () => ((await row.locator('.cmd').textContent()) ?? '').length, { timeout: 5000 }).toBeLessThan(cmd.length);
    expect(await overflowingCells(page)).toEqual([]);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await expect.poll(async () => (await row.locator('.cmd').textContent()) ?? '', { timeout: 5000 }).toBe(cmd);
    await page.fill('.filter', '');
  });

  it('filtering finds it', async () => {
    await page.fill('.filter', NAME_A);
    const row = page.locator(`.prow[data-pid="${a.pid}"]`);
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await expect.poll(() => page.locator('.prow[data-pid]:visible').count(), { timeout: 10000 }).toBe(1);
    expect(await row.locator('.name').textContent()).toBe(NAME_A);
  });

  it('click -> its charts gain points over a few ticks', async () => {
    await page.click(`.prow[data-pid="${a.pid}"]`);
    await page.waitForSelector(`.detail[data-pid="${a.pid}"] .chart[data-points]`, { timeout: 10000 });
    const first = await chartPoints(page, '.detail', 'Memory');
    await expect.poll(() => chartPoints(page, '.detail', 'Memory'), { timeout: 10000, interval: 250 }).toBeGreaterThan(first + 3);
    expect(await page.locator('.detail .proc-name').textContent()).toBe(NAME_A);
    expect(page.url()).toContain(`watch=${a.pid}`);
    await shot(page, '02-detail');
  });

  it('kill it -> the view marks it exited and keeps its charts', async () => {
    const points = await chartPoints(page, '.detail', 'Memory');
    await a.kill();
    await page.waitForSelector('.detail .badge.exited:not(.hidden)', { timeout: 10000 });
    expect(await page.locator('.detail .badge.exited').textContent()).toMatch(/Exited/);
    expect(await chartPoints(page, '.detail', 'Memory')).toBeGreaterThanOrEqual(points);
    await shot(page, '03-exited');
  });

  it('compare with two processes draws two series', async () => {
    await page.fill('.filter', NAME_B);
    const row = page.locator(`.prow[data-pid="${b.pid}"]`);
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await row.click();
    await page.waitForSelector(`.detail[data-pid="${b.pid}"]`);
    // A third, live process with a bigger footprint: the server itself.
    const serverPid = server.proc.pid as number;
    await page.fill('.filter', String(serverPid));
    const srow = page.locator(`.prow[data-pid="${serverPid}"]`);
    await srow.waitFor({ state: 'visible', timeout: 10000 });
    await srow.locator('.mark').click();
    await page.fill('.filter', '');
    await page.click('.tab[data-view="compare"]');
    await page.waitForSelector('.compare .chart[data-series]');
    // Hide the exited one: two live series remain.
    await page.uncheck(`.legend-list li[data-pid="${a.pid}"] input`);
    await expect.poll(() => page.locator('.compare .chart').getAttribute('data-series'), { timeout: 5000 }).toBe('2');
    await expect.poll(() => page.locator('.compare .chart').getAttribute('data-points').then(Number), { timeout: 10000 }).toBeGreaterThan(3);
    expect(await page.locator('.compare .legend-list li').count()).toBe(3); // the list names every watched process
    await page.check(`.legend-list li[data-pid="${a.pid}"] input`);
    await expect.poll(() => page.locator('.compare .chart').getAttribute('data-series'), { timeout: 5000 }).toBe('3');
    await shot(page, '04-compare');
  });

  it('the system panel shows memory, CPU and its charts', async () => {
    await page.click('.tab[data-view="system"]');
    await page.waitForSelector('.system .meter .bar-text');
    await expect.poll(() => chartPoints(page, '.system', 'CPU'), { timeout: 10000 }).toBeGreaterThan(2);
    expect(await page.locator('.system .core').count()).toBeGreaterThan(0);
    await shot(page, '05-system');
  });

  it('reload keeps the watched PIDs', async () => {
    await page.click(`.chip[data-pid="${b.pid}"] .chip-name`);
    await page.waitForSelector(`.detail[data-pid="${b.pid}"]`);
    await expect.poll(() => new URL(page.url()).searchParams.get('pid')).toBe(String(b.pid));
    expect(new URL(page.url()).searchParams.get('watch')?.split(',').map(Number).sort()).toEqual([a.pid, b.pid, server.proc.pid].sort());
    await page.reload();
    await page.waitForSelector('.conn[data-health="live"]', { timeout: 15000 });
    for (const pid of [a.pid, b.pid, server.proc.pid]) await page.waitForSelector(`.chip[data-pid="${pid}"]`);
    await page.waitForSelector(`.detail[data-pid="${b.pid}"] .chart[data-points]`);
    // Charts start from the history in the snapshot, not empty: the process has run for several
    // 250 ms ticks already.
    expect(await chartPoints(page, '.detail', 'Memory')).toBeGreaterThan(8);
    // The exited process is remembered but no longer found.
    await expect.poll(() => page.locator(`.chip[data-pid="${a.pid}"]`).getAttribute('class'), { timeout: 10000 }).toContain('exited');
  });

  it('dark theme switch', async () => {
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    for (let i = 0; i < 3; i++) {
      await page.click('.topbar .icon-btn');
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== before) break;
    }
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(after).not.toBe(before);
    await page.evaluate(() => localStorage.setItem('procpulse.theme', 'dark'));
    await page.reload();
    await page.waitForSelector(`.detail[data-pid="${b.pid}"] .chart[data-points]`, { timeout: 15000 });
    await expect.poll(() => chartPoints(page, '.detail', 'Memory'), { timeout: 10000 }).toBeGreaterThan(3);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shot(page, '06-detail-dark');
  });

  it('the window switch changes the charts and the URL', async () => {
    await page.click('.detail .seg[data-window="60"]');
    await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe('1m');
    await page.click('.detail .seg[data-window="300"]');
    await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe(null);
  });

  it('server errors are shown as readable messages', async () => {
    // More messages at once than the server's token bucket allows: it answers rate_limited.
    await page.evaluate(() => {
      for (let i = 0; i < 80; i++) (window as any).procpulse.client.ping();
    });
    const toast = page.locator('.toast[data-code="rate_limited"]').first();
    await toast.waitFor({ timeout: 10000 });
    // Counted, not stacked (the replies may arrive over a few frames: the first can show alone).
    await expect.poll(() => toast.locator('.toast-title').textContent(), { timeout: 5000 }).toMatch(/^Too many requests \(×\d+\)$/);
    expect(await page.locator('.toast').count()).toBe(1);
    await shot(page, '10-error');
    await toast.locator('.close').click();
  });

  it('keyboard: / filters, arrows move, Enter opens', async () => {
    await page.click('.tab[data-view="system"]');
    await page.keyboard.press('/');
    await page.keyboard.type(NAME_B);
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector(`.prow.cursor[data-pid="${b.pid}"]`, { timeout: 5000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.detail[data-pid="${b.pid}"]`);
    await page.fill('.filter', '');
  });

  it('/embed renders the charts', async () => {
    const embed = await browser.newPage({ viewport: { width: 800, height: 500 } });
    await embed.goto(`${server.url}embed?pids=${b.pid},${server.proc.pid}&metrics=rss,cpu_percent&window=5m&theme=dark`);
    await embed.waitForSelector('.embed .chart[data-points]', { timeout: 15000 });
    expect(await embed.locator('.embed .chart').count()).toBe(2);
    await expect.poll(() => chartPoints(embed, '.embed'), { timeout: 10000 }).toBeGreaterThan(3);
    expect(await embed.locator('.embed .chart').first().getAttribute('data-series')).toBe('2');
    expect(await embed.locator('.topbar').count()).toBe(0);
    await shot(embed, '07-embed-dark');
    await embed.close();
  });

  it('/procpulse-client.js works on its own in a page', async () => {
    const lib = await browser.newPage();
    await lib.goto(`${server.url}api/processes/list`); // any page of the server's origin
    // As a third-party page would: a module script importing the served library. (A string, so the
    // test runner does not rewrite the dynamic import.)
    const rec = (await lib.evaluate(`(async (pid) => {
      const { ProcpulseClient } = await import('/procpulse-client.js');
      const client = new ProcpulseClient();
      return new Promise((done) => {
        let ticks = 0;
        client.subscribe([pid]);
        client.subscribeSystem();
        client.on('delta', () => {
          // Deltas arrive every tick even when the process does not change: the system topic moves.
          const r = client.state.processes[String(pid)];
          if (r && client.state.system && ++ticks >= 3) {
            client.close();
            done({ name: r.name, rss: r.rss, ticks });
          }
        });
        client.connect();
      });
    })(${b.pid})`)) as { name?: string; rss?: number; ticks: number };
    expect(rec.name).toBe(NAME_B);
    expect(rec.rss).toBeGreaterThan(0);
    await lib.close();
  });

  it('server restart -> the page reconnects by itself', async () => {
    const port = server.port;
    await server.stop();
    await page.waitForSelector('.conn[data-health="reconnecting"]', { timeout: 10000 });
    await shot(page, '08-reconnecting');
    server = await startServer(port);
    await page.waitForSelector('.conn[data-health="live"]', { timeout: 30000 });
    // Data flows again: new samples reach the chart of the watched process.
    const points = await chartPoints(page, '.detail', 'Memory');
    await expect.poll(() => chartPoints(page, '.detail', 'Memory'), { timeout: 10000, interval: 250 }).toBeGreaterThan(points + 2);
    await shot(page, '09-reconnected');
  });

  it('a narrow window stacks the table above the views', async () => {
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.waitForTimeout(300);
    const [t, v] = await Promise.all([page.locator('.table-pane').boundingBox(), page.locator('.side-pane').boundingBox()]);
    expect(v!.y).toBeGreaterThanOrEqual(t!.y + t!.height - 1);
    await shot(page, '11-narrow');
    await page.setViewportSize({ width: 1600, height: 1000 });
  });

  it('the page, its bundle (gzip) and its icon come from the binary', async () => {
    const fresh = await browser.newPage();
    const bundles: { encoding: string | null; cache: string | null }[] = [];
    fresh.on('response', (r) => {
      if (/\/assets\/main-[^/]*\.js$/.test(r.url()))
        bundles.push({ encoding: r.headers()['content-encoding'] ?? null, cache: r.headers()['cache-control'] ?? null });
    });
    const doc = await fresh.goto(server.url);
    expect(doc?.status()).toBe(200);
    expect(doc?.headers()['etag']).toMatch(/^"[0-9a-f]{20}"$/);
    expect(doc?.headers()['cache-control']).toBe('no-cache');
    await fresh.waitForSelector('.prow', { timeout: 15000 });
    expect(bundles).toEqual([{ encoding: 'gzip', cache: 'public, max-age=31536000, immutable' }]);
    for (const path of ['favicon.ico', 'favicon.svg']) {
      const icon = await fresh.request.get(`${server.url}${path}`);
      expect(icon.status(), path).toBe(200);
      expect(icon.headers()['content-type'], path).toBe('image/svg+xml');
    }
    await fresh.close();
    expect(pageErrors.filter((e) => /status of 404/.test(e))).toEqual([]);
  });

  it('no script errors on the page', () => {
    expect(pageErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e))).toEqual([]);
  });
});
