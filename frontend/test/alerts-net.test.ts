// The client library's side of #5: the alerts topic (state.alerts kept by snapshot and delta, stale
// nulls stripped), `alert` events, `history` requests over the socket, and the REST helpers for
// history and alert rules. Messages are the samples in test/fixtures (captured from the server).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcpulseClient, type ClientError } from '../src/net/client';
import { decode } from '../src/net/decode';
import * as enc from '../src/net/encode';
import { ProcpulseApi, apiBaseFromSocketUrl, historyQuery } from '../src/net/rest';
import type { AlertMsg, HistoryMsg, SnapshotMsg } from '../src/net/types';
import { FakeSocket, fixture, sample } from './helpers';

const EPOCH = 'c0ffee01-0001';
const ID = '1:2614:347932';

function decoded<T>(name: string): T {
  const d = decode(JSON.stringify(sample(name)));
  if (!d.ok) throw new Error(`${name}: ${d.error}`);
  return d.msg as T;
}

async function flush(): Promise<void> {
  await Promise.resolve();
  await Promise.resolve();
}

/** A client subscribed to alerts, after hello and the ack of that subscription. */
async function alertsClient(): Promise<{ client: ProcpulseClient; ws: FakeSocket }> {
  const client = new ProcpulseClient({ url: 'ws://test/ws', WebSocket: FakeSocket, random: () => 0.5 });
  client.subscribeAlerts();
  client.connect();
  const ws = FakeSocket.last();
  ws.open();
  ws.receive({ ...fixture('server/hello.json'), epoch: EPOCH, seq: 1 });
  await flush();
  const sub = ws.sent.find((m) => m.topic === 'alerts');
  ws.receive({ type: 'ack', seq: 2, epoch: EPOCH, ref: sub?.id, op: 'subscribe', topic: 'alerts', pids: [], not_found: [] });
  return { client, ws };
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('decode: alerts and history', () => {
  it('an alert snapshot keeps the stale null (a removal) and carries recent_alerts', () => {
    const m = decoded<SnapshotMsg>('snapshot_alerts');
    expect(m.state.alerts?.active?.[ID]).toMatchObject({ id: ID, state: 'firing', metric: 'rss', pid: 2614, start: 347932, name: 'sleep' });
    expect(m.state.alerts?.active?.['2:777:1234']).toBeNull();
    expect(m.recent_alerts).toHaveLength(1);
    expect(m.recent_alerts?.[0]?.id).toBe(ID);
  });

  it('alert messages: firing, resolved with a reason, a system alert with pid null', () => {
    expect(decoded<AlertMsg>('alert_firing').event).toMatchObject({ id: ID, rule_id: 1, state: 'firing', value: 1855488, threshold: 1000 });
    expect(decoded<AlertMsg>('alert_resolved').event).toMatchObject({ state: 'resolved', reason: 'exited', since: 1795655507.824 });
    const sys = decoded<AlertMsg>('alert_system').event;
    expect(sys.pid).toBeNull();
    expect(sys.id).toBe('4:system');
  });

  it('a history reply: columns as Float64Arrays, NaN for null', () => {
    const m = decoded<HistoryMsg>('history');
    expect(m.ref).toBe(21);
    expect(m.series.t).toBeInstanceOf(Float64Array);
    expect(m.series.t.length).toBe(2);
    expect(Number.isNaN(m.series.cols.cpu_percent![0])).toBe(true);
    expect(m.series.cols.rss![1]).toBe(1855488);
  });

  it('every sample decodes to its own content (nothing added, nothing lost)', () => {
    for (const name of ['snapshot_alerts', 'alert_firing', 'alert_resolved', 'alert_system', 'delta_alerts_value', 'delta_alerts_resolved', 'delta_alerts_unsubscribed', 'error_history']) {
      const raw = sample(name);
      const d = decode(JSON.stringify(raw));
      expect(d.ok, name).toBe(true);
      if (!d.ok) continue;
      const json = JSON.parse(JSON.stringify(d.msg)) as Record<string, unknown>;
      if (name === 'snapshot_alerts') json.history = {}; // decode gives {processes: {}} for none
      expect(json, name).toEqual(raw);
    }
  });

  it('refuses malformed alerts, naming the path', () => {
    const bad = sample('alert_firing');
    (bad.event as Record<string, unknown>).value = 'high';
    const d = decode(JSON.stringify(bad));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toBe('alert.event.value: expected a number');
    const noId = sample('alert_firing');
    delete (noId.event as Record<string, unknown>).id;
    expect(decode(JSON.stringify(noId)).ok).toBe(false);
    const map = sample('snapshot_alerts');
    (map.state as { alerts: { active: unknown } }).alerts.active = [1];
    expect(decode(JSON.stringify(map)).ok).toBe(false);
  });
});

describe('encode: alerts topic and history requests', () => {
  it('as the protocol writes them', () => {
    expect(enc.subscribeAlerts(5)).toEqual({ type: 'subscribe', id: 5, topic: 'alerts' });
    expect(enc.unsubscribeTopic('alerts')).toEqual({ type: 'unsubscribe', topic: 'alerts' });
    expect(enc.history({ pid: 1234, start: 8812, from: 1795650000, to: 1795653600 }, 9)).toEqual({
      type: 'history',
      id: 9,
      pid: 1234,
      start: 8812,
      from: 1795650000,
      to: 1795653600,
    });
    expect(enc.history({ pid: 1 })).toEqual({ type: 'history', pid: 1 });
  });
});

describe('ProcpulseClient: alerts topic', () => {
  it('subscribes after hello, and again after a reconnect', async () => {
    const { ws } = await alertsClient();
    expect(ws.sent).toContainEqual({ type: 'subscribe', id: expect.any(Number), topic: 'alerts' });
    ws.drop();
    vi.advanceTimersByTime(1000);
    const ws2 = FakeSocket.last();
    expect(ws2).not.toBe(ws);
    ws2.open();
    ws2.receive({ ...fixture('server/hello.json'), epoch: 'other', seq: 1 });
    await flush();
    expect(ws2.sent.filter((m) => m.topic === 'alerts')).toEqual([{ type: 'subscribe', id: expect.any(Number), topic: 'alerts' }]);
  });

  it('keeps state.alerts from the snapshot (stale nulls stripped) and the deltas', async () => {
    const { client, ws } = await alertsClient();
    ws.receive(sample('snapshot_alerts'));
    expect(Object.keys(client.state.alerts?.active ?? {})).toEqual([ID]);
    expect(client.state.alerts?.active?.[ID]?.value).toBe(1855488);
    const events: AlertMsg[] = [];
    client.on('alert', (m) => events.push(m));
    ws.receive(sample('alert_firing'));
    ws.receive(sample('delta_alerts_value'));
    expect(client.state.alerts?.active?.[ID]).toMatchObject({ value: 2101248, since: 1795655507.824, name: 'sleep' });
    ws.receive(sample('alert_resolved'));
    ws.receive(sample('delta_alerts_resolved'));
    expect(client.state.alerts?.active).toEqual({});
    expect(events.map((e) => e.event.state)).toEqual(['firing', 'resolved']);
    ws.receive(sample('alert_system'));
    expect(events[2]?.event.pid).toBeNull();
    ws.receive(sample('delta_alerts_unsubscribed'));
    expect(client.state.alerts).toBeUndefined();
  });

  it('a re-subscription snapshot replaces what the client held', async () => {
    const { client, ws } = await alertsClient();
    ws.receive(sample('snapshot_alerts'));
    ws.receive(sample('alert_firing'));
    ws.receive({ ...sample('snapshot_alerts'), seq: 5, state: { alerts: { active: { [ID]: null, '9:1:1': { id: '9:1:1', state: 'firing' } } } } });
    expect(Object.keys(client.state.alerts?.active ?? {})).toEqual(['9:1:1']);
  });

  it('unsubscribe forgets the alerts member', async () => {
    const { client, ws } = await alertsClient();
    ws.receive(sample('snapshot_alerts'));
    ws.takeSent();
    client.unsubscribeAlerts();
    expect(ws.takeSent()).toEqual([{ type: 'unsubscribe', id: expect.any(Number), topic: 'alerts' }]);
    expect(client.state.alerts).toBeUndefined();
  });

  it('a rate-limited alerts subscription is sent again', async () => {
    const client = new ProcpulseClient({ url: 'ws://test/ws', WebSocket: FakeSocket, random: () => 0 });
    client.connect();
    const ws = FakeSocket.last();
    ws.open();
    ws.receive({ ...fixture('server/hello.json'), epoch: EPOCH, seq: 1 });
    await flush();
    client.subscribeAlerts();
    const sub = ws.takeSent().find((m) => m.topic === 'alerts');
    ws.receive({ type: 'error', seq: 2, epoch: EPOCH, ref: sub?.id, code: 'rate_limited', message: 'slow down' });
    vi.advanceTimersByTime(1100);
    expect(ws.takeSent()).toContainEqual({ type: 'subscribe', id: expect.any(Number), topic: 'alerts' });
  });
});

describe('ProcpulseClient: history requests', () => {
  it('resolves with the reply to its own id', async () => {
    const { client, ws } = await alertsClient();
    const p = client.history({ pid: 2614, from: 100, to: 200 });
    const req = ws.sent[ws.sent.length - 1]!;
    expect(req).toMatchObject({ type: 'history', pid: 2614, from: 100, to: 200 });
    ws.receive({ ...sample('history'), seq: 3, ref: req.id });
    const m = await p;
    expect(m.pid).toBe(2614);
    expect(m.series.cols.rss?.length).toBe(2);
  });

  it('rejects with the server error, without reporting it to everyone', async () => {
    const { client, ws } = await alertsClient();
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    const p = client.history({ pid: 999999 });
    const req = ws.sent[ws.sent.length - 1]!;
    ws.receive({ ...sample('error_history'), seq: 3, ref: req.id });
    await expect(p).rejects.toMatchObject({ code: 'no_such_process', message: 'no history for pid 999999', request: { type: 'history', pid: 999999 } });
    expect(errors).toEqual([]);
  });

  it('waits for the connection, asks again after a reconnect, and times out', async () => {
    const client = new ProcpulseClient({ url: 'ws://test/ws', WebSocket: FakeSocket, random: () => 0.5 });
    const early = client.history({ pid: 7 }, 60_000);
    client.connect();
    const ws = FakeSocket.last();
    ws.open();
    ws.receive({ ...fixture('server/hello.json'), epoch: EPOCH, seq: 1 });
    await flush();
    const first = ws.sent.find((m) => m.type === 'history');
    expect(first).toMatchObject({ pid: 7 });
    ws.drop();
    vi.advanceTimersByTime(1000);
    const ws2 = FakeSocket.last();
    ws2.open();
    ws2.receive({ ...fixture('server/hello.json'), epoch: EPOCH, seq: 1 });
    await flush();
    expect(ws2.sent.find((m) => m.type === 'history')).toEqual(first);
    ws2.receive({ ...sample('history'), seq: 2, ref: first?.id, pid: 7 });
    expect((await early).pid).toBe(7);

    const late = client.history({ pid: 8 }, 5000);
    vi.advanceTimersByTime(5001);
    await expect(late).rejects.toMatchObject({ code: 'timeout' });
  });

  it('close() rejects what is still waiting', async () => {
    const { client } = await alertsClient();
    const p = client.history({ pid: 1 });
    client.close();
    await expect(p).rejects.toMatchObject({ code: 'connection' });
  });
});

/** A fetch that answers from a table of (method path) -> (status, body), recording the calls. */
function fakeFetch(routes: Record<string, [number, unknown]>): { fetch: typeof fetch; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    const key = `${init.method ?? 'GET'} ${url.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '')}`;
    const route = routes[key];
    if (!route) throw new TypeError('Failed to fetch');
    const [status, body] = route;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { fetch: f, calls };
}

describe('ProcpulseApi (REST)', () => {
  it('history: query string, columns decoded', async () => {
    const { fetch, calls } = fakeFetch({ 'GET /api/processes/2614/history': [200, sample('rest_history')] });
    const api = new ProcpulseApi({ base: 'http://h:1/', fetch });
    const r = await api.processHistory(2614, { from: 10, to: 20, metrics: ['rss', 'cpu_percent'], step: 0.5, start: 347932 });
    expect(calls[0]?.url).toBe('http://h:1/api/processes/2614/history?from=10&to=20&metrics=rss,cpu_percent&step=0.5&start=347932');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.pid).toBe(2614);
    expect(r.value.series.t.length).toBe(5);
    expect(Number.isNaN(r.value.series.cols.cpu_percent![0])).toBe(true);
    expect(r.value.series.cols.vms).toBeUndefined();
  });

  it('history names the process it describes (kept after the process exited)', async () => {
    const body = { ...(sample('rest_history') as Record<string, unknown>), start: 347932, name: 'worker', cmdline: 'worker --id 7' };
    const { fetch } = fakeFetch({ 'GET /api/processes/2614/history': [200, body] });
    const r = await new ProcpulseApi({ base: 'http://h', fetch }).processHistory(2614);
    expect(r.ok && [r.value.start, r.value.name, r.value.cmdline]).toEqual([347932, 'worker', 'worker --id 7']);
    const { fetch: bare } = fakeFetch({ 'GET /api/processes/2614/history': [200, sample('rest_history')] });
    const r2 = await new ProcpulseApi({ base: 'http://h', fetch: bare }).processHistory(2614);
    expect(r2.ok && r2.value.name).toBeUndefined();
  });

  it('history of a PID the server does not know: 404 with its reason', async () => {
    const { fetch } = fakeFetch({ 'GET /api/processes/9/history': [404, { success: false, error: 'Process not found or inaccessible' }] });
    const r = await new ProcpulseApi({ base: 'http://h', fetch }).processHistory(9);
    expect(r).toEqual({ ok: false, status: 404, error: 'Process not found or inaccessible' });
  });

  it('rules: list, add (201), refused (400 with the reason), delete', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /api/alerts/rules': [200, sample('rest_rules')],
      'POST /api/alerts/rules': [201, sample('rest_rule_created')],
      'DELETE /api/alerts/rules/1': [200, { success: true }],
    });
    const api = new ProcpulseApi({ base: 'http://h', fetch, token: 's3cret' });
    const list = await api.rules();
    expect(list.ok && list.value).toEqual([{ id: 1, name: 'RSS > 1000 B · PID 2614', metric: 'rss', op: '>', threshold: 1000, for: 0, hysteresis: 50, scope: 'pid', pid: 2614 }]);
    const added = await api.addRule({ metric: 'rss', op: '>', threshold: 1000, scope: 'pid', pid: 2614 });
    expect(added.ok && added.value.id).toBe(1);
    const post = calls[1]!;
    expect(post.init.method).toBe('POST');
    expect(JSON.parse(String(post.init.body))).toEqual({ metric: 'rss', op: '>', threshold: 1000, scope: 'pid', pid: 2614 });
    expect((post.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect((post.init.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    expect(await api.deleteRule(1)).toEqual({ ok: true, value: true });

    const refusing = fakeFetch({ 'POST /api/alerts/rules': [400, sample('rest_rule_refused')] });
    const r = await new ProcpulseApi({ base: 'http://h', fetch: refusing.fetch }).addRule({ metric: 'rss', threshold: 1, scope: 'name' });
    expect(r).toEqual({ ok: false, status: 400, error: 'scope name needs "pattern": a name glob such as "chrom*"' });
  });

  it('alert overview', async () => {
    const { fetch } = fakeFetch({ 'GET /api/alerts': [200, sample('rest_alerts')] });
    const r = await new ProcpulseApi({ base: 'http://h', fetch }).alerts();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.active).toEqual([]);
    expect(r.value.recent.map((e) => e.state)).toEqual(['resolved', 'firing']);
  });

  it('no server, no JSON, an unexpected body: results, not exceptions', async () => {
    const none = await new ProcpulseApi({ base: 'http://h', fetch: fakeFetch({}).fetch }).rules();
    expect(none).toMatchObject({ ok: false, status: 0, error: expect.stringContaining('cannot reach the server') });
    const html = await new ProcpulseApi({ base: 'http://h', fetch: fakeFetch({ 'GET /api/alerts/rules': [502, '<html>'] }).fetch }).rules();
    expect(html).toMatchObject({ ok: false, status: 502 });
    const odd = await new ProcpulseApi({ base: 'http://h', fetch: fakeFetch({ 'GET /api/alerts/rules': [200, { success: true, rules: [{ id: 'x' }] }] }).fetch }).rules();
    expect(odd).toMatchObject({ ok: false, error: expect.stringContaining('rules[0].id') });
  });

  it('helpers', () => {
    expect(apiBaseFromSocketUrl('ws://127.0.0.1:8080/ws')).toBe('http://127.0.0.1:8080');
    expect(apiBaseFromSocketUrl('wss://box.example/ws')).toBe('https://box.example');
    expect(historyQuery({})).toBe('');
    expect(historyQuery({ metrics: ['rss'] })).toBe('?metrics=rss');
  });
});
