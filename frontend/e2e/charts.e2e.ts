/**
 * Charts you can interrogate, numbers that fit, the phone layout and accessibility (issue #17,
 * defects 5, 7, 8 and 11), against the real server in Debian's Chromium. One server, one browser and
 * one page, used in order like a person would; the screenshots of every view at 1920x1080, 1400x900
 * and 390x844 are saved on the way (tests/e2e/artifacts/).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../src/util/format';
import { axeViolations, chartPoints, launchBrowser, newAppPage, overflowingCells, shot, skipReason, startChild, startServer, type Child, type Server } from './harness';

const skip = skipReason();
if (skip) console.warn(`\n*** browser tests SKIPPED: ${skip}\n`);

const suffix = String(process.pid % 100000);
const NAME_G = `ppG${suffix}`;
const NAME_L = `ppL${suffix}`;

const SIZES = [
  [1920, 1080],
  [1400, 900],
  [390, 844],
] as const;

const MEMORY = '.detail .chart:has(.chart-title:text-is("Memory"))';

/** The legend texts of a chart: [label, value] per entry, the time first. */
function legend(page: Page, chart: string): Promise<[string, string][]> {
  return page.locator(`${chart} .u-legend .u-series`).evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('.u-label')?.textContent ?? '', r.querySelector('.u-value')?.textContent ?? ''] as [string, string]),
  );
}

/** The plot area of a chart (uPlot's over layer). */
async function plotBox(page: Page, chart: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(`${chart} .u-over`).boundingBox();
  if (!box) throw new Error(`no plot area for ${chart}`);
  return box;
}

function zoomed(page: Page, chart: string): Promise<[number, number] | null> {
  return page
    .locator(chart)
    .getAttribute('data-zoomed')
    .then((z) => (z ? (z.split(',').map(Number) as [number, number]) : null));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe.skipIf(skip !== null)('charts, layout and accessibility', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let grow: Child;
  let late: Child | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    grow = startChild(NAME_G, true);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await newAppPage(browser, pageErrors);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), server?.stop(), grow?.kill(), late?.kill()]);
  });

  it('the hovered sample shows its time; before the process existed the values are a gap', async () => {
    await page.goto(`${server.url}?watch=${grow.pid}&view=process&pid=${grow.pid}`);
    await page.waitForSelector(`.detail[data-pid="${grow.pid}"] .chart[data-points]`, { timeout: 15000 });
    await expect.poll(() => chartPoints(page, '.detail', 'Memory'), { timeout: 10000 }).toBeGreaterThan(8);
    const box = await plotBox(page, MEMORY);
    // The newest sample, at the right edge: its time and values.
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await expect.poll(async () => (await legend(page, MEMORY))[0]?.[1] ?? '', { timeout: 5000 }).toMatch(/^\d\d:\d\d:\d\d$/);
    const atEnd = await legend(page, MEMORY);
    expect(await page.locator(`${MEMORY} .u-legend .u-series`).first().isVisible()).toBe(true); // the time is shown
    expect(atEnd[3]?.[1]).toMatch(/MiB$/);
    // The time is that of a sample, and the values are that sample's.
    const shownTime = atEnd[0]?.[1] ?? '';
    const shownRss = atEnd.find(([l]) => l === 'RSS')?.[1] ?? '';
    const match = await page.evaluate(
      ([pid, time, rssText]) => {
        const p2 = (n: number): string => String(n).padStart(2, '0');
        const clock = (t: number): string => {
          const d = new Date(t * 1000);
          return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
        };
        const ring = (window as any).procpulse.watched.get(pid).ring;
        const times: Float64Array = ring.times();
        const rss: Float64Array = ring.column('rss');
        const hits: number[] = [];
        for (let i = 0; i < times.length; i++) if (clock(times[i] as number) === time) hits.push(i);
        return { hits: hits.length, newest: ring.lastTime - (times[hits[hits.length - 1] ?? 0] as number), rss: hits.map((i) => rss[i]), rssText };
      },
      [grow.pid, shownTime, shownRss] as const,
    );
    expect(match.hits).toBeGreaterThan(0);
    expect(match.newest).toBeLessThan(5); // the right edge, less a few pixels of 5 minutes
    expect(match.rss.map((v) => formatBytes(v))).toContain(shownRss);
    // The window is 5 minutes and the process a few seconds old: 10 % from the left it did not exist.
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await expect.poll(async () => (await legend(page, MEMORY)).slice(1).map(([, v]) => v), { timeout: 5000 }).toEqual(['—', '—', '—']);
    expect((await legend(page, MEMORY))[0]?.[1]).toMatch(/^\d\d:\d\d:\d\d$/); // the cursor's time
    // RSS is drawn last, over VMS (uPlot draws series in order).
    expect(atEnd.map(([l]) => l)).toEqual(['Time', 'VMS', 'Shared', 'RSS']);
    expect(await page.locator(MEMORY).getAttribute('data-draw-order')).toBe('VMS,Shared,RSS');
    await page.mouse.move(0, 0);
  });

  it('drag zooms in and holds while samples arrive; Shift+drag and ◀ pan; double-click and Reset go back', async () => {
    const box = await plotBox(page, MEMORY);
    const y = box.y + box.height / 2;
    expect(await zoomed(page, MEMORY)).toBeNull();
    await page.mouse.move(box.x + box.width * 0.9, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.95, y, { steps: 3 });
    await page.mouse.move(box.x + box.width * 0.995, y, { steps: 3 });
    await page.mouse.up();
    await expect.poll(() => zoomed(page, MEMORY), { timeout: 5000 }).not.toBeNull();
    const z = (await zoomed(page, MEMORY)) as [number, number];
    // About 9.5 % of the 5 min window.
    expect(z[1] - z[0]).toBeGreaterThan(20);
    expect(z[1] - z[0]).toBeLessThan(40);
    expect(await page.locator(`${MEMORY} .chart-reset`).isVisible()).toBe(true);
    // New samples arrive; the zoomed range stays.
    const points = await chartPoints(page, '.detail', 'Memory');
    await expect.poll(() => chartPoints(page, '.detail', 'Memory'), { timeout: 10000 }).toBeGreaterThan(points + 3);
    expect(await zoomed(page, MEMORY)).toEqual(z);
    expect(await page.locator(`${MEMORY} .u-wrap`).getAttribute('aria-label')).toMatch(/^Memory, zoomed to /);
    // Shift+drag to the right: back in time by the dragged share of the range.
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const panned = (await zoomed(page, MEMORY)) as [number, number];
    expect(panned[0]).toBeLessThan(z[0] - (z[1] - z[0]) * 0.15);
    expect(panned[1] - panned[0]).toBeCloseTo(z[1] - z[0], 2);
    // ◀ goes back half a range.
    await page.click(`${MEMORY} .chart-pan-left`);
    const left = (await zoomed(page, MEMORY)) as [number, number];
    expect(left[0]).toBeCloseTo(panned[0] - (panned[1] - panned[0]) / 2, 2);
    await page.click(`${MEMORY} .chart-pan-right`);
    expect((await zoomed(page, MEMORY))?.[0]).toBeCloseTo(panned[0], 2);
    // Double-click: the live window again.
    await page.mouse.dblclick(box.x + box.width / 2, y);
    await expect.poll(() => zoomed(page, MEMORY), { timeout: 5000 }).toBeNull();
    expect(await page.locator(`${MEMORY} .chart-reset`).isVisible()).toBe(false);
    // The Reset button does the same.
    await page.click(`${MEMORY} .chart-pan-left`);
    expect(await zoomed(page, MEMORY)).not.toBeNull();
    await page.click(`${MEMORY} .chart-reset`);
    expect(await zoomed(page, MEMORY)).toBeNull();
    expect(await page.locator(`${MEMORY} .chart-help`).getAttribute('title')).toMatch(/Shift\+drag/);
  });

  it('exports the samples as CSV and the chart as PNG', async () => {
    const [csvFile] = await Promise.all([page.waitForEvent('download'), page.click(`${MEMORY} .chart-csv`)]);
    expect(csvFile.suggestedFilename()).toMatch(/^memory-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
    const lines = readFileSync(await csvFile.path()).toString().trim().split(/\r\n/);
    expect(lines[0]).toBe('time_iso,time_epoch,VMS,Shared,RSS');
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines.slice(1)) {
      const [iso, epoch, vms, shared, rss] = line.split(',');
      expect(Math.abs(Date.parse(iso as string) / 1000 - Number(epoch))).toBeLessThan(0.001);
      expect(Number(rss)).toBeGreaterThan(1 << 20);
      expect(Number(vms)).toBeGreaterThanOrEqual(Number(rss));
      expect(Number(shared)).toBeGreaterThan(0);
    }
    const last = lines[lines.length - 1]?.split(',') as string[];
    const rss = await page.evaluate((pid) => (window as any).procpulse.watched.get(pid).ring.last('rss') as number, grow.pid);
    expect(Number(last[4])).toBeLessThanOrEqual(rss);

    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.click(`${MEMORY} .chart-png`)]);
    expect(pngFile.suggestedFilename()).toMatch(/^memory-.*\.png$/);
    const png = pngSize(readFileSync(await pngFile.path()));
    const canvas = await page.locator(`${MEMORY} canvas`).evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
    expect(png.width).toBe(canvas.width);
    expect(png.height).toBeGreaterThan(canvas.height + 20); // the title and legend above the plot
  });

  it('charts have a text summary and a data table', async () => {
    await expect
      .poll(() => page.locator(`${MEMORY} .u-wrap[role="img"]`).getAttribute('aria-label'), { timeout: 5000 })
      .toMatch(/^Memory, last 5m: VMS [\d.]+ MiB \(min [\d.]+ MiB, max [\d.]+ MiB\); Shared .*; RSS [\d.]+ MiB \(min [\d.]+ MiB, max [\d.]+ MiB\)$/);
    await page.click(`${MEMORY} .chart-table-toggle`);
    expect(await page.getAttribute(`${MEMORY} .chart-table-toggle`, 'aria-pressed')).toBe('true');
    const table = page.locator(`${MEMORY} .chart-table table`);
    await table.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['Time', 'VMS', 'Shared', 'RSS']);
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(8);
    expect(await table.locator('tbody tr').first().locator('td').last().textContent()).toMatch(/MiB$/);
    await page.click(`${MEMORY} .chart-table-toggle`);
    expect(await page.locator(`${MEMORY} .chart-table`).isVisible()).toBe(false);
  });

  it('compare: a tooltip with the time; a process that started later is a gap before it existed', async () => {
    late = startChild(NAME_L);
    await page.evaluate((pid) => (window as any).procpulse.watch(pid), late.pid);
    await page.click('.tab[data-view="compare"]');
    await page.waitForSelector('.compare .chart[data-series="2"]', { timeout: 10000 });
    await expect.poll(() => page.locator('.compare .chart').getAttribute('data-points').then(Number), { timeout: 10000 }).toBeGreaterThan(8);
    // Wait until the late one has a few samples of its own, so the right edge has both.
    await expect.poll(() => page.evaluate((pid) => (window as any).procpulse.watched.get(pid)?.ring?.length ?? 0, late!.pid), { timeout: 10000 }).toBeGreaterThan(3);
    const chart = '.compare .chart';
    const box = await plotBox(page, chart);
    const tip = page.locator(`${chart} .chart-tip`);
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await expect.poll(() => tip.isVisible(), { timeout: 5000 }).toBe(true);
    expect(await tip.locator('.chart-tip-time').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
    const values = (): Promise<string[]> => tip.locator('div:not(.chart-tip-time) span:last-child').allTextContents();
    await expect.poll(async () => (await values()).every((v) => /B$/.test(v)), { timeout: 5000 }).toBe(true);
    // Where G lived alone: G has a value, L none.
    const [first, lateStart] = await page.evaluate(
      ([g, l]) => [(window as any).procpulse.watched.get(g).ring.firstTime, (window as any).procpulse.watched.get(l).ring.firstTime] as number[],
      [grow.pid, late.pid],
    );
    const xs = await page.evaluate(() => {
      const c = document.querySelector('.compare .chart') as HTMLElement;
      return c.dataset.points;
    });
    expect(Number(xs)).toBeGreaterThan(0);
    // The chart ends at the newest sample and spans 5 minutes: place the cursor between the two starts.
    const end = await page.evaluate(
      ([g, l]) => Math.max((window as any).procpulse.watched.get(g).ring.lastTime, (window as any).procpulse.watched.get(l).ring.lastTime),
      [grow.pid, late.pid],
    );
    const t = ((first as number) + (lateStart as number)) / 2;
    const frac = 1 - (end - t) / 300;
    await page.mouse.move(box.x + box.width * frac, box.y + box.height / 2);
    await expect.poll(values, { timeout: 5000 }).toEqual([expect.stringMatching(/MiB$/), '—']);
    await page.mouse.move(0, 0);
  });

  it('numbers fit their cells at 1920, 1400 and 390 px, whatever the sort; the last column is in view', async () => {
    await page.goto(`${server.url}?view=system`);
    await page.waitForSelector('.prow[data-pid]', { timeout: 15000 });
    for (const [w, hgt] of SIZES) {
      await page.setViewportSize({ width: w, height: hgt });
      await expect.poll(() => overflowingCells(page), { timeout: 5000 }).toEqual([]);
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(() => overflowingCells(page), { timeout: 5000 }).toEqual([]);
    // The last column is inside the table's visible part, not beyond its right edge ("Fau").
    await page.locator('.ptable-viewport').evaluate((el) => (el.scrollLeft = 0));
    const [vp, last] = await Promise.all([page.locator('.ptable-viewport').boundingBox(), page.locator('.th[data-key="faults_per_sec"]').boundingBox()]);
    expect(last!.x + last!.width, JSON.stringify([vp, last])).toBeLessThanOrEqual(vp!.x + vp!.width + 0.5);
    // Each header, with its sort arrow, fits its column.
    for (const key of ['pid', 'username', 'status', 'cpu_percent', 'rss', 'vms', 'shared', 'memory_percent', 'num_threads', 'faults_per_sec']) {
      await page.click(`.th[data-key="${key}"]`);
      await expect.poll(() => page.getAttribute(`.th[data-key="${key}"]`, 'aria-sort'), { timeout: 5000 }).not.toBe('none');
      expect(await overflowingCells(page), key).toEqual([]);
    }
    await page.click('.th[data-key="rss"]');
  });

  it('column headers sort from the keyboard; the open process row is aria-selected', async () => {
    const rss = page.locator('.th[data-key="rss"]');
    expect(await rss.getAttribute('tabindex')).toBe('0');
    const before = await rss.getAttribute('aria-sort');
    await rss.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rss.getAttribute('aria-sort'), { timeout: 5000 }).not.toBe(before);
    const after = await rss.getAttribute('aria-sort');
    await page.keyboard.press(' ');
    await expect.poll(() => rss.getAttribute('aria-sort'), { timeout: 5000 }).not.toBe(after);
    // Opened from a link, not by a click in the table.
    await page.goto(`${server.url}?watch=${grow.pid}&view=process&pid=${grow.pid}&q=${NAME_G}`);
    const row = page.locator(`.prow[data-pid="${grow.pid}"]`);
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await expect.poll(() => row.getAttribute('aria-selected'), { timeout: 5000 }).toBe('true');
    await page.fill('.filter', '');
    await expect.poll(() => page.locator('.prow[data-pid]:visible').count(), { timeout: 10000 }).toBeGreaterThan(3);
    const states = await page.locator('.prow[data-pid]:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-selected')));
    expect(states.filter((x) => x === 'true').length).toBe(1);
    expect(states.every((x) => x === 'true' || x === 'false')).toBe(true);
  });

  it('an exited row is struck through and marked "exited", not faded', async () => {
    const l = late as Child;
    await page.fill('.filter', NAME_L);
    const row = page.locator(`.prow[data-pid="${l.pid}"]`);
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await l.kill();
    await page.waitForSelector(`.prow.ghost[data-pid="${l.pid}"]`, { timeout: 10000 });
    const look = await row.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { opacity: cs.opacity, style: cs.fontStyle, line: cs.textDecorationLine, state: el.querySelector('.c-status')?.textContent };
    });
    expect(look).toEqual({ opacity: '1', style: 'italic', line: 'line-through', state: 'exited' });
    expect(await axeViolations(page, '.ptable-viewport')).toEqual([]);
    await page.fill('.filter', '');
  });

  it('phone (390x844): top bar, sticky Name column, window buttons and alert button', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}?watch=${grow.pid}&view=process&pid=${grow.pid}`);
    await page.waitForSelector(`.detail[data-pid="${grow.pid}"] .chart[data-points]`, { timeout: 15000 });
    const inView = async (sel: string): Promise<string> => {
      const b = await page.locator(sel).first().boundingBox();
      if (!b) return `${sel}: not shown`;
      const ok = b.width > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= 390.5 && b.y + b.height <= 844.5;
      return ok ? 'ok' : `${sel}: ${JSON.stringify(b)}`;
    };
    expect(await inView('.topbar .conn')).toBe('ok');
    expect(await inView('.topbar .icon-btn')).toBe('ok');
    expect(await inView('.topbar .alert-badge')).toBe('ok');
    expect(await page.locator('.conn-text').textContent()).toMatch(/^Live/);
    expect((await page.locator('.conn-text').boundingBox())!.width).toBeGreaterThan(24); // "Live" at least
    // The window buttons, inside the pane that holds them (it clips).
    const pane = (await page.locator('.side-pane').boundingBox())!;
    for (const b of await page.locator('.detail .seg[data-window]').all()) {
      const box = (await b.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(pane.x);
      expect(box.x + box.width, (await b.textContent()) ?? '').toBeLessThanOrEqual(Math.min(390, pane.x + pane.width) + 0.5);
    }
    // One line: as high as the Unwatch button next to it.
    const [alertBtn, unwatch] = await Promise.all([page.locator('.quick-alert').boundingBox(), page.locator('.head-actions .btn:not(.quick-alert)').last().boundingBox()]);
    expect(alertBtn!.height).toBeLessThanOrEqual(unwatch!.height + 0.5);
    // Scroll the table sideways: the Name column stays where it is, the PID goes.
    const vp = page.locator('.ptable-viewport');
    const firstRow = page.locator('.prow[data-pid]:visible').first();
    const x = async (sel: string): Promise<number> => (await firstRow.locator(sel).boundingBox())!.x;
    await vp.evaluate((el) => (el.scrollLeft = 120));
    const name1 = await x('.c-name');
    const pid1 = await x('.c-pid');
    await vp.evaluate((el) => (el.scrollLeft = 320));
    await expect.poll(() => vp.evaluate((el) => el.scrollLeft)).toBeGreaterThan(300);
    expect(Math.abs((await x('.c-name')) - name1)).toBeLessThan(1);
    expect(await x('.c-pid')).toBeLessThan(pid1 - 150);
    expect(name1).toBeGreaterThanOrEqual((await vp.boundingBox())!.x - 0.5);
    await vp.evaluate((el) => (el.scrollLeft = 0));
  });

  it('every view at 1920x1080, 1400x900 and 390x844 (screenshots), without serious or critical axe violations in either theme', async () => {
    const views: [string, string, string][] = [
      ['table', 'system', '.system .chart[data-points]'],
      ['system', 'system', '.system .chart[data-points]'],
      ['detail', 'process', `.detail[data-pid="${grow.pid}"] .chart[data-points]`],
      ['compare', 'compare', '.compare .chart[data-points]'],
      ['alerts', 'alerts', '.alerts'],
      ['exited', 'exited', '.exited'],
    ];
    const found: string[] = [];
    for (const theme of ['light', 'dark']) {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(`${server.url}?watch=${grow.pid},${server.proc.pid}&theme=${theme}`);
      await page.waitForSelector('.conn[data-health="live"]', { timeout: 15000 });
      await page.waitForSelector('.prow[data-pid]');
      for (const [name, view, ready] of views) {
        await page.evaluate(([v, pid]) => (window as any).procpulse.open(v, v === 'process' ? pid : undefined), [view, grow.pid] as const);
        await page.waitForSelector(ready, { timeout: 15000 });
        if (name !== 'table') {
          // The whole page once per theme; then the part that changes with the view (axe's colour
          // checks over the table are what take the time).
          for (const v of await axeViolations(page, name === 'system' ? 'html' : '.side-pane')) found.push(`${theme} ${name}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`);
        }
        if (theme !== 'light') continue;
        for (const [w, hgt] of SIZES) {
          await page.setViewportSize({ width: w, height: hgt });
          await page.evaluate((n) => document.querySelector(n === 'table' ? '.table-pane' : '.side-pane')?.scrollIntoView({ block: 'start' }), name);
          await shot(page, `${name}-${w}x${hgt}`);
        }
        await page.setViewportSize({ width: 1400, height: 900 });
      }
      const embed = await browser.newPage({ viewport: { width: 800, height: 500 } });
      await embed.goto(`${server.url}embed?pids=${grow.pid},${server.proc.pid}&metrics=rss,cpu_percent&window=5m&theme=${theme}`);
      await embed.waitForSelector('.embed .chart[data-points]', { timeout: 15000 });
      for (const v of await axeViolations(embed)) found.push(`${theme} embed: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`);
      if (theme === 'light') {
        for (const [w, hgt] of SIZES) {
          await embed.setViewportSize({ width: w, height: hgt });
          await shot(embed, `embed-${w}x${hgt}`);
        }
      }
      await embed.close();
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('no script errors on the page', () => {
    expect(pageErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e))).toEqual([]);
  });
});
