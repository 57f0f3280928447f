/**
 * Alerts and time travel against the real server, in Debian's Chromium: a rule on a process the
 * test makes grow fires a visible alert (badge, notice, panel entry) and resolves when the process
 * exits; the rule form shows the server's reason for refusing a rule; a process that exited opens
 * with the history the server kept, from the "recently exited" list and from a link.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartPoints, launchBrowser, newAppPage, shot, skipReason, sleep, startChild, startServer, type Child, type Server } from './harness';

const skip = skipReason();
if (skip) console.warn(`\n*** browser tests SKIPPED: ${skip}\n`);

const suffix = String(process.pid % 100000);
const GROWER = `ppG${suffix}`;
const SHORT = `ppS${suffix}`;

describe.skipIf(skip !== null)('alerts and exited processes against the real server', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let grower: Child;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    grower = startChild(GROWER, 'on-signal');
    server = await startServer();
    browser = await launchBrowser();
    page = await newAppPage(browser, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await grower?.kill();
  });

  const firing = (): Promise<string | null> => page.getAttribute('.alert-badge', 'data-count');

  it('starts with no alert firing', async () => {
    await page.goto(`${server.url}?watch=${grower.pid}&view=process&pid=${grower.pid}`);
    await page.waitForSelector('.conn[data-health="live"]', { timeout: 15000 });
    await page.waitForSelector(`.detail[data-pid="${grower.pid}"] .chart[data-points]`, { timeout: 15000 });
    await expect.poll(() => page.locator('.detail .proc-name').textContent(), { timeout: 10000 }).toBe(GROWER);
    await expect.poll(firing, { timeout: 10000 }).toBe('0');
  });

  it('"Alert when RSS > …" is prefilled with this PID and 1.2 × its RSS', async () => {
    const rss = await page.evaluate((pid) => (window as any).procpulse.watched.get(pid).record.rss as number, grower.pid);
    await page.click('.detail .quick-alert');
    const form = page.locator('.detail .quick-rule .rule-form');
    await form.waitFor({ state: 'visible' });
    expect(await form.locator('select[name="scope"]').inputValue()).toBe('pid');
    expect(await form.locator('input[name="pid"]').inputValue()).toBe(String(grower.pid));
    expect(await form.locator('select[name="metric"]').inputValue()).toBe('rss');
    expect(await form.locator('select[name="op"]').inputValue()).toBe('>');
    // The threshold field holds a number in the unit chosen beside it (MiB for a node process).
    const shown = Number(await form.locator('input[name="threshold"]').inputValue());
    const unit = Number(await form.locator('select[name="unit"]').inputValue());
    expect(Math.abs(shown * unit - rss * 1.2) / (rss * 1.2)).toBeLessThan(0.06);
    await form.locator('input[name="for"]').fill('1s');
    await shot(page, '20-quick-rule');
    await form.locator('button[type="submit"]').click();
    await form.locator('.form-message.ok').waitFor({ timeout: 10000 });
    expect(await form.locator('.form-message').textContent()).toContain(`PID ${grower.pid}`);
  });

  it('the process grows -> a visible alert: badge, notice, panel entry', async () => {
    process.kill(grower.pid, 'SIGUSR2'); // 4 MiB per 100 ms, up to 128 MiB
    await expect.poll(firing, { timeout: 20000, interval: 250 }).toBe('1');
    expect(await page.getAttribute('.alert-badge', 'class')).toContain('firing');
    const toast = page.locator(`.alert-toast[data-pid="${grower.pid}"]`);
    await toast.waitFor({ timeout: 5000 });
    expect(await toast.locator('.toast-title').textContent()).toContain(GROWER);
    await page.waitForSelector('.detail .badge.alerting:not(.hidden)');
    await expect.poll(() => page.locator(`.chip[data-pid="${grower.pid}"]`).getAttribute('class')).toContain('alerting');
    await shot(page, '21-alert-fired');
    // The badge opens the alerts panel, from any view.
    await page.click('.tab[data-view="system"]');
    await page.click('.alert-badge');
    const row = page.locator(`.alerts .alert-table tr[data-pid="${grower.pid}"]`);
    await row.waitFor({ timeout: 5000 });
    expect(await row.locator('.who').textContent()).toContain(GROWER);
    expect(await row.locator('.rule').textContent()).toMatch(new RegExp(`^RSS > [0-9.]+ MiB for 1s · PID ${grower.pid}$`));
    expect(await row.locator('.value').textContent()).toMatch(/MiB \/ \d/);
    expect(await row.locator('.since').textContent()).toMatch(/^\d\d:\d\d:\d\d \(/);
    await page.locator('.alerts .event-list li[data-state="firing"]', { hasText: GROWER }).first().waitFor({ timeout: 5000 });
    expect(await page.locator('.alerts .rule-list li').count()).toBe(1);
    await shot(page, '22-alerts-panel');
  });

  it('the process exits -> the alert resolves and the badge clears', async () => {
    await grower.kill();
    await expect.poll(firing, { timeout: 15000, interval: 250 }).toBe('0');
    await expect.poll(() => page.locator('.alerts .alert-table tbody tr').count(), { timeout: 5000 }).toBe(0);
    expect(await page.locator('.alerts .firing .empty').isVisible()).toBe(true);
    const resolved = page.locator('.alerts .event-list li[data-state="resolved"]').first();
    await resolved.waitFor({ timeout: 5000 });
    expect(await resolved.locator('.ev-state').textContent()).toBe('resolved: process exited');
    expect(await resolved.textContent()).toContain(GROWER);
    expect(await page.locator('.alert-toast').count()).toBe(0); // the notice went with it
    await shot(page, '23-alert-resolved');
  });

  it('the rule form shows the server\'s reason for refusing a rule', async () => {
    const form = page.locator('.alerts .rule-form');
    await form.locator('select[name="scope"]').selectOption('name');
    await form.locator('input[name="pattern"]').fill('');
    await form.locator('select[name="metric"]').selectOption('cpu_percent');
    await form.locator('input[name="threshold"]').fill('90');
    await form.locator('button[type="submit"]').click();
    const msg = form.locator('.form-message.error');
    await msg.waitFor({ timeout: 10000 });
    // The server's sentence, as it wrote it (scope name needs "pattern": …).
    expect(await msg.textContent()).toMatch(/refused the rule: scope name needs "pattern"/);
    expect(await msg.getAttribute('role')).toBe('alert');
    await shot(page, '24-rule-refused');
    // Fixed, it goes through and shows up in the list.
    await form.locator('input[name="pattern"]').fill('chrom*');
    await form.locator('button[type="submit"]').click();
    await form.locator('.form-message.ok', { hasText: 'name chrom*' }).waitFor({ timeout: 10000 });
    await expect.poll(() => page.locator('.alerts .rule-list li').count()).toBe(2);
    await expect.poll(() => page.locator('.alerts .rule-list li').last().textContent()).toContain('name chrom*');
  });

  it('a byte threshold typed with its unit', async () => {
    const form = page.locator('.alerts .rule-form');
    await form.locator('select[name="scope"]').selectOption('system');
    await form.locator('select[name="metric"]').selectOption('mem_used');
    await form.locator('input[name="threshold"]').fill('1.5T');
    await form.locator('input[name="for"]').fill('5m');
    await form.locator('button[type="submit"]').click();
    await form.locator('.form-message.ok', { hasText: 'Memory used > 1.50 TiB' }).waitFor({ timeout: 10000 });
    const rules = await page.evaluate(() => (window as any).procpulse.rules as { metric: string; threshold: number; for: number; scope: string }[]);
    expect(rules.find((r) => r.metric === 'mem_used')).toMatchObject({ threshold: 1.5 * 1024 ** 4, for: 300, scope: 'system' });
    await expect.poll(() => page.locator('.alerts .rule-list li').last().locator('.rule-text').textContent()).toBe('Memory used > 1.50 TiB for 5m · system');
  });

  it('rules are deleted from the list', async () => {
    const before = await page.locator('.alerts .rule-list li').count();
    await page.locator('.alerts .rule-list li').first().locator('[data-delete-rule]').click();
    await expect.poll(() => page.locator('.alerts .rule-list li').count(), { timeout: 5000 }).toBe(before - 1);
    const onServer = await page.evaluate(async () => ((await (await fetch('/api/alerts/rules')).json()) as { rules: unknown[] }).rules.length);
    expect(onServer).toBe(before - 1);
  });

  it('a process that exited is listed under Exited and opens with its history', async () => {
    const short = startChild(SHORT);
    try {
      await page.waitForFunction((pid) => !!(window as any).procpulse.client.state.table?.rows?.[String(pid)], short.pid, { timeout: 15000 });
      await sleep(2500); // ten samples at 250 ms
    } finally {
      await short.kill();
    }
    await page.click('.tab[data-view="exited"]');
    // On a busy machine processes exit every tick: find it by name.
    await page.fill('.exited .filter', SHORT);
    const item = page.locator(`.exited-item[data-pid="${short.pid}"]`);
    await item.waitFor({ timeout: 10000 });
    expect(await item.locator('.name').textContent()).toBe(SHORT);
    expect(await page.locator('.exited-item').count()).toBe(1);
    await shot(page, '25-exited-list');
    await item.click();
    const detail = page.locator(`.detail[data-pid="${short.pid}"]`);
    await detail.waitFor();
    await expect.poll(() => detail.getAttribute('data-history'), { timeout: 10000 }).toBe('loaded');
    expect(await detail.locator('.proc-name').textContent()).toBe(SHORT);
    expect(await detail.locator('.badge.exited').textContent()).toMatch(/^Exited \d\d:\d\d:\d\d$/);
    expect(await detail.locator('.quick-alert').isVisible()).toBe(false);
    await expect.poll(() => chartPoints(page, '.detail', 'Memory'), { timeout: 5000 }).toBeGreaterThan(5);
    await shot(page, '26-exited-history');

    // A page opened after it exited, straight from a link, knows it only from the server.
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await fresh.goto(`${server.url}#/process/${short.pid}`);
      const d = fresh.locator(`.detail[data-pid="${short.pid}"]`);
      await d.waitFor({ timeout: 15000 });
      await expect.poll(() => d.getAttribute('data-history'), { timeout: 10000 }).toBe('loaded');
      expect(await d.locator('.badge.exited').isVisible()).toBe(true);
      expect(await d.locator('.history-note').textContent()).toMatch(/^Not running: the history the server kept/);
      await expect.poll(() => chartPoints(fresh, '.detail', 'Memory'), { timeout: 5000 }).toBeGreaterThan(5);
      expect(new URL(fresh.url()).searchParams.get('pid')).toBe(String(short.pid)); // the hash became the usual query
      await shot(fresh, '27-exited-from-link');
      // A PID the server never saw says so, and adds no tab (issue 17: e2e/appstate.e2e.ts).
      await fresh.goto(`${server.url}#/process/4194303`);
      await expect.poll(() => fresh.locator('.toast-stack').textContent(), { timeout: 15000 }).toContain('No such process: PID 4194303');
      expect(await fresh.locator('.chip[data-pid="4194303"]').count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('no script errors on the page', () => {
    // The refused rule's 400 is logged by the browser itself; it is the answer the test asked for.
    // So is a 404 of /threads: the process view's Threads section asked once more as the process
    // the test ended exited (it then says "no such process" and stops asking).
    expect(
      pageErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::|status of 400|status of 404 \(Not Found\) \S+\/api\/processes\/\d+\/threads$/.test(e)),
    ).toEqual([]);
  });
});
