/**
 * Other origins against the real server, in Debian's Chromium: CLIENT.md's example and the
 * embedding example of README.md ("Embedding"), each taken from its document as written, run from
 * pages served by a tiny Node server on two other loopback ports: one origin the server allows
 * (--allow-origin, --allow-embed), one it does not.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRONTEND, launchBrowser, newAppPage, shot, skipReason, startChild, startServer, type Child, type Server } from './harness';

const skip = skipReason();
if (skip) console.warn(`\n*** browser tests SKIPPED: ${skip}\n`);

/** The first ```html block after `heading` (or the first at all) in a Markdown file. */
export function htmlBlock(file: string, heading?: string): string {
  let text = readFileSync(resolve(FRONTEND, file), 'utf8');
  if (heading) text = text.slice(text.indexOf(heading));
  const m = /```html\n([\s\S]*?)```/.exec(text);
  if (!m) throw new Error(`no html block in ${file}`);
  return m[1] as string;
}

const CLIENT_EXAMPLE = htmlBlock('CLIENT.md');
const EMBED_EXAMPLE = htmlBlock('README.md', '## Embedding');

interface PageServer {
  http: HttpServer;
  origin: string;
}

/** A loopback HTTP server answering every path with `page(path)` as HTML. */
async function servePages(page: (path: string) => string): Promise<PageServer> {
  const http = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta charset="utf-8"><title>other origin</title>${page(req.url ?? '/')}`);
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  return { http, origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

describe.skipIf(skip !== null)('pages of other origins', () => {
  let server: Server;
  let browser: Browser;
  let allowed: PageServer;
  let foreign: PageServer;
  let a: Child;
  let b: Child;
  let target: Child;
  const errors: string[] = [];
  let embedPage = '';

  beforeAll(async () => {
    a = startChild(`ppA${process.pid % 100000}`);
    b = startChild(`ppB${process.pid % 100000}`);
    target = startChild(`ppT${process.pid % 100000}`);
    const pages = (path: string): string => (path.startsWith('/embed.html') ? embedPage : CLIENT_EXAMPLE);
    allowed = await servePages(pages);
    foreign = await servePages(pages);
    server = await startServer(0, ['--allow-origin', allowed.origin, '--allow-embed', allowed.origin, '--allow-actions']);
    // The README's example with this server's address and a child's PID (all it says to change).
    embedPage = EMBED_EXAMPLE.replaceAll('http://127.0.0.1:8080/', server.url).replaceAll('1234', String(a.pid));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((ok) => allowed?.http.close(ok));
    await new Promise((ok) => foreign?.http.close(ok));
    await a?.kill();
    await b?.kill();
    await target?.kill();
  });

  const clientUrl = (o: PageServer): string => `${o.origin}/client.html?server=${server.url.replace(/\/$/, '')}&pids=${a.pid},${b.pid}`;

  it("CLIENT.md's example shows every PID live from an allowed origin", async () => {
    const page = await newAppPage(browser, errors);
    await page.goto(clientUrl(allowed));
    const out = page.locator('#out');
    for (const c of [a, b]) await expect.poll(() => out.textContent(), { timeout: 15000 }).toMatch(new RegExp(`^${c.pid} ${c.name}: RSS \\d+ B, CPU [\\d.]+ %$`, 'm'));
    // Live: the text keeps changing as samples arrive (CPU and RSS are re-sent on each change).
    await expect.poll(() => page.title(), { timeout: 10000 }).toBe('procpulse: live');
    await expect.poll(() => page.locator('#rules').textContent(), { timeout: 10000 }).toBe('0 alert rules');
    expect(errors).toEqual([]);
    await shot(page, 'origins-client-example');
    await page.close();
  });

  it('from an origin the server does not allow, the import is refused', async () => {
    const seen: string[] = [];
    const page = await newAppPage(browser, seen);
    await page.goto(clientUrl(foreign));
    await expect.poll(() => seen.join('\n'), { timeout: 10000 }).toMatch(/CORS policy/);
    expect(await page.locator('#out').textContent()).toBe('');
    await page.close();
    // And the preflight a script would need says which flag to add.
    const res = await fetch(`${server.url}api/alerts/rules`, {
      method: 'OPTIONS',
      headers: { Origin: foreign.origin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await res.json()) as { error: string }).error).toContain(`--allow-origin ${foreign.origin}`);
  });

  /** The frame of the embed view inside `page`, once it has navigated. */
  async function embedFrame(page: Page): Promise<Frame> {
    await expect.poll(() => page.frames().length, { timeout: 10000 }).toBe(2);
    return page.frames()[1] as Frame;
  }

  it('the embedding example renders in a page of an allowed origin', async () => {
    const page = await newAppPage(browser, errors);
    await page.goto(`${allowed.origin}/embed.html`);
    const frame = await embedFrame(page);
    await frame.waitForSelector('.embed .chart[data-points]', { timeout: 15000 });
    expect(await frame.locator('.embed .chart').count()).toBe(2);
    expect(errors).toEqual([]);
    await shot(page, 'origins-embed-allowed');
    await page.close();
  });

  it('and is blocked, with a log line saying why, in a page of another origin', async () => {
    const seen: string[] = [];
    const page = await newAppPage(browser, seen);
    await page.goto(`${foreign.origin}/embed.html`);
    await expect.poll(() => server.log.join(''), { timeout: 10000 }).toContain(`framed by a page of ${foreign.origin}, which --allow-embed does not name`);
    const frame = await embedFrame(page);
    await expect.poll(() => frame.url(), { timeout: 10000 }).toMatch(/^chrome-error:/);
    expect(await frame.locator('.embed').count()).toBe(0);
    await page.close();
  });

  /** The state letter of /proc/PID/stat (S sleeping, T stopped). */
  const stateOf = (pid: number): string => (/\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? [])[1] ?? '?';

  it('process actions: Signal asks for confirmation, Cancel does nothing, Confirm stops and continues', async () => {
    const page = await newAppPage(browser, errors);
    await page.goto(`${server.url}?watch=${target.pid}&view=process&pid=${target.pid}`);
    const controls = page.locator(`.detail[data-pid="${target.pid}"] .process-actions`);
    await controls.waitFor({ state: 'visible', timeout: 15000 });
    await controls.locator('select[name="signal"]').selectOption('STOP');
    await controls.locator('.send-signal').click();
    const dialog = controls.locator('dialog.action-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('.action-question').textContent()).toBe(`Send SIGSTOP to ${target.name} (PID ${target.pid})?`);
    await shot(page, 'origins-action-confirm');
    await dialog.locator('.cancel-action').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(stateOf(target.pid)).toBe('S');
    await controls.locator('.send-signal').click();
    await dialog.locator('.confirm-action').click();
    await expect.poll(() => stateOf(target.pid), { timeout: 5000 }).toBe('T');
    await expect.poll(() => controls.locator('.action-result').textContent()).toBe(`sent SIGSTOP to PID ${target.pid}`);
    await controls.locator('select[name="signal"]').selectOption('CONT');
    await controls.locator('.send-signal').click();
    await dialog.locator('.confirm-action').click();
    await expect.poll(() => stateOf(target.pid), { timeout: 5000 }).toBe('S');
    expect(errors).toEqual([]);
    await page.close();
  });
});
