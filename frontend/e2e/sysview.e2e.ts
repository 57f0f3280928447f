/**
 * The fuller System view and the process internals against the real server, in Debian's
 * Chromium: per-core CPU chart with labelled cores, disk and network charts, the device and file
 * system tables; a process's threads (a node child has several), its open descriptor count and
 * open files list, and the note that the environment is not shown.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAppPage, shot, skipReason, startChild, startServer, type Child, type Server } from './harness';

const skip = skipReason();
if (skip) console.warn(`\n*** browser tests SKIPPED: ${skip}\n`);

describe.skipIf(skip !== null)('system devices and process internals against the real server', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let child: Child;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    child = startChild(`ppT${process.pid % 100000}`, true);
    server = await startServer();
    browser = await launchBrowser();
    page = await newAppPage(browser, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await child?.kill();
  });

  it('System view: a chart line per labelled core, disk and network charts, device tables', async () => {
    await page.goto(`${server.url}?view=system`);
    await page.waitForSelector('.conn[data-health="live"]', { timeout: 15000 });
    const cores = await page.evaluate(() => (window as any).procpulse.client.state.system.cpu.per_core.length as number);
    expect(cores).toBeGreaterThan(0);
    const coreChart = page.locator('.core-chart');
    await expect.poll(() => coreChart.locator('.u-legend .u-series').allTextContents(), { timeout: 10000 }).toEqual(
      expect.arrayContaining([expect.stringContaining('CPU 0')]),
    );
    const titles = await page.locator('.system .chart-title').allTextContents();
    expect(titles.join('|')).toContain('Disk throughput');
    expect(titles.join('|')).toContain('Network throughput');
    // The interface table lists lo (every network namespace has it); the server's record decides.
    await expect.poll(() => page.locator('.device-table caption').allTextContents()).toEqual(['Disks', 'Network interfaces', 'File systems']);
    await expect.poll(() => page.locator('.device-table:nth-child(2) tbody th').allTextContents(), { timeout: 10000 }).toContain('lo');
    const mounts = await page.evaluate(() => Object.keys((window as any).procpulse.client.state.system.filesystems ?? {}));
    if (mounts.length) {
      await expect.poll(() => page.locator('.device-table:nth-child(3) tbody th').allTextContents()).toEqual(mounts);
      expect(await page.locator('.device-table:nth-child(3) .fs-bar .bar-fill').count()).toBe(mounts.length);
    }
    await shot(page, 'system-devices-1600');
  });

  it('process detail: threads, open fd count, open files on demand, no environment', async () => {
    await page.goto(`${server.url}?watch=${child.pid}&view=process&pid=${child.pid}`);
    const panel = page.locator(`.detail[data-pid="${child.pid}"] .detail-threads`);
    await panel.waitFor({ timeout: 15000 });
    // node runs its main thread and worker threads: at least 2 rows, the first one the PID itself.
    await expect.poll(() => panel.locator('tbody tr').count(), { timeout: 10000 }).toBeGreaterThan(1);
    expect(await panel.locator('tbody tr:first-child td:first-child').textContent()).toBe(String(child.pid));
    // The second poll has a CPU % per thread over its gap.
    await expect.poll(() => panel.locator('tbody tr:first-child td:nth-child(4)').textContent(), { timeout: 10000 }).toMatch(/%$/);
    const fdText = await panel.locator('.fact dd').textContent();
    expect(Number(fdText)).toBeGreaterThan(2);
    await panel.locator('summary', { hasText: 'Open files' }).click();
    await expect.poll(() => panel.locator('.open-files li').allTextContents(), { timeout: 10000 }).toEqual(
      expect.arrayContaining([expect.stringMatching(/^0 → /)]),
    );
    expect(await panel.locator('.env-note').textContent()).toBe('Environment is not shown: it can hold secrets.');
    await shot(page, 'process-threads-1600');
    expect(pageErrors).toEqual([]);
  });
});
