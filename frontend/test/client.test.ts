// The client state machine: subscribe after hello, merge-patch state, resync on a seq gap or a new
// epoch, reconnect with backoff and subscribe again, gone, readable errors.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcpulseClient, type ClientError } from '../src/net/client';
import { FakeSocket, fixture, fixtureNames } from './helpers';

const EPOCH = 'c0ffee01-0001';

function hello(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixture('server/hello.json'), ...over };
}

/** A golden server message with the sequence number this test needs. */
function at(name: string, seq: number): Record<string, unknown> {
  return { ...fixture(`server/${name}.json`), seq, epoch: EPOCH };
}

/** A member of a golden message, by path. */
function field(name: string, ...path: string[]): unknown {
  let v: unknown = fixture(`server/${name}.json`);
  for (const k of path) v = (v as Record<string, unknown>)[k];
  return v;
}

const SNAP_RSS = field('snapshot', 'state', 'processes', '4242', 'rss') as number;
const DELTA_RSS = field('delta', 'patch', 'processes', '4242', 'rss') as number;

function setup(): { client: ProcpulseClient; ws: FakeSocket } {
  const client = new ProcpulseClient({ url: 'ws://test/ws', WebSocket: FakeSocket, random: () => 0.5 });
  client.connect();
  const ws = FakeSocket.last();
  ws.open();
  return { client, ws };
}

async function flushMicrotasks(): Promise<void> {
  await Promise.resolve();
  await Promise.resolve();
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ProcpulseClient', () => {
  it('offers procpulse.v1 (and the bearer token) as subprotocols', () => {
    const c = new ProcpulseClient({ url: 'ws://x/ws', WebSocket: FakeSocket, token: 's3cret' });
    c.connect();
    expect(FakeSocket.last().protocols).toEqual(['procpulse.v1', 'bearer.s3cret']);
    c.close();
  });

  it('waits for hello, then sends every wanted subscription', async () => {
    const { client, ws } = setup();
    client.subscribeTable({ sort: 'cpu_percent' });
    client.subscribeSystem();
    client.subscribe([4242, 99999]);
    await flushMicrotasks();
    expect(ws.sent).toEqual([]); // nothing before hello
    ws.receive(hello());
    await flushMicrotasks();
    const sent = ws.takeSent();
    expect(sent.map((m) => m.type)).toEqual(['subscribe', 'subscribe', 'subscribe']);
    expect(sent[0]).toMatchObject({ topic: 'processes', sort: 'cpu_percent', order: 'desc', limit: 5000, filter: '', kernel_threads: false });
    expect(sent[1]).toMatchObject({ topic: 'system' });
    expect(sent[2]).toMatchObject({ pids: [4242, 99999] });
    expect(client.status.state).toBe('live');
  });

  it('batches subscriptions made in one turn into one message', async () => {
    const { client, ws } = setup();
    ws.receive(hello());
    await flushMicrotasks();
    ws.takeSent();
    client.subscribe([1]);
    client.subscribe([2, 3]);
    client.subscribe([2]);
    await flushMicrotasks();
    expect(ws.takeSent()).toEqual([{ type: 'subscribe', id: expect.any(Number), pids: [1, 2, 3] }]);
    client.unsubscribe([2]);
    await flushMicrotasks();
    expect(ws.takeSent()).toEqual([{ type: 'unsubscribe', id: expect.any(Number), pids: [2] }]);
  });

  it('applies snapshots and deltas to the state and calls process listeners', async () => {
    const { client, ws } = setup();
    const updates: [number, number | undefined][] = [];
    client.subscribe([4242], (pid, rec) => updates.push([pid, rec?.rss]));
    client.subscribeSystem();
    ws.receive(hello());
    await flushMicrotasks();
    ws.receive(at('ack', 2));
    ws.receive(at('snapshot', 3));
    const p = client.state.processes['4242']!;
    expect(p.rss).toBe(SNAP_RSS);
    expect('read_bytes' in p).toBe(false); // null = unavailable = absent
    ws.receive(at('snapshot_full', 4));
    ws.receive(at('delta', 5));
    const patch = field('delta', 'patch') as { processes: Record<string, object>; system: { cpu: { percent: number } }; table: { total: number } };
    expect(client.state.processes['4242']).toMatchObject(patch.processes['4242']!);
    expect(client.state.processes['4242']?.vms).toBe(field('snapshot_full', 'state', 'processes', '4242', 'vms')); // untouched members stay
    expect(client.state.system?.cpu?.percent).toBe(patch.system.cpu.percent);
    expect(client.state.system?.memory?.total).toBe(field('snapshot_full', 'state', 'system', 'memory', 'total'));
    expect(client.state.table?.total).toBe(patch.table.total);
    expect(updates).toEqual([
      [4242, SNAP_RSS],
      [4242, field('snapshot_full', 'state', 'processes', '4242', 'rss')],
      [4242, DELTA_RSS],
    ]);
  });

  it('reports the rows a delta removes', async () => {
    const { client, ws } = setup();
    client.subscribeTable();
    ws.receive(hello());
    await flushMicrotasks();
    const full = fixture('server/snapshot_full.json') as { state: { table: { rows: Record<string, unknown> } } };
    full.state.table.rows['17'] = { pid: 17, name: 'old', rss: 1 };
    ws.receive({ ...full, seq: 2, epoch: EPOCH });
    const removed: unknown[] = [];
    client.on('delta', (e) => removed.push(...e.removedRows));
    ws.receive(at('delta', 3));
    expect(removed).toEqual([{ pid: 17, name: 'old', rss: 1 }]);
    expect(client.state.table?.rows?.['17']).toBeUndefined();
  });

  it('sends resync on a seq gap and ignores deltas until the full snapshot', async () => {
    const { client, ws } = setup();
    client.subscribe([4242]);
    ws.receive(hello());
    await flushMicrotasks();
    ws.takeSent();
    ws.receive(at('snapshot', 3)); // seq 3 after hello's 1: gap
    expect(ws.takeSent()).toEqual([{ type: 'resync' }]);
    ws.receive(at('delta', 4));
    expect(client.state.processes['4242']).toBeUndefined(); // not applied
    ws.receive(at('snapshot_full', 5));
    expect(client.state.processes['4242']?.rss).toBe(field('snapshot_full', 'state', 'processes', '4242', 'rss'));
    ws.receive(at('delta', 6));
    expect(client.state.processes['4242']?.rss).toBe(DELTA_RSS);
    expect(ws.takeSent()).toEqual([]);
  });

  it('sends resync when the epoch changes', async () => {
    const { client, ws } = setup();
    ws.receive(hello());
    await flushMicrotasks();
    ws.takeSent();
    const reasons: string[] = [];
    client.on('resync', (r) => reasons.push(r.reason));
    ws.receive({ ...at('pong', 2), epoch: 'other' });
    expect(ws.takeSent()).toEqual([{ type: 'resync' }]);
    expect(reasons[0]).toContain('epoch');
    expect(client).toBeDefined();
  });

  it('asks for resync after a delta it cannot decode', async () => {
    const { client, ws } = setup();
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    ws.receive(hello());
    await flushMicrotasks();
    ws.takeSent();
    ws.receive({ type: 'delta', seq: 2, epoch: EPOCH, time: 1, patch: { processes: { '1': { rss: 'x' } } } });
    expect(ws.takeSent()).toEqual([{ type: 'resync' }]);
    expect(errors[0]?.code).toBe('protocol');
  });

  it('reconnects with backoff, clears the state and subscribes again', async () => {
    const { client, ws } = setup();
    client.subscribe([4242]);
    client.subscribeSystem();
    ws.receive(hello());
    await flushMicrotasks();
    ws.receive(at('ack', 2));
    ws.receive(at('snapshot', 3));
    ws.drop(1001, 'shutdown');
    expect(client.status).toMatchObject({ state: 'reconnecting', attempt: 1 });
    expect(client.status.reason).toContain('server going away');
    vi.advanceTimersByTime(499);
    expect(FakeSocket.instances.length).toBe(1);
    vi.advanceTimersByTime(2);
    expect(FakeSocket.instances.length).toBe(2);
    // The second attempt fails too: the delay doubles.
    FakeSocket.last().drop(1006);
    expect(client.status.attempt).toBe(2);
    vi.advanceTimersByTime(999);
    expect(FakeSocket.instances.length).toBe(2);
    vi.advanceTimersByTime(2);
    const ws3 = FakeSocket.last();
    ws3.open();
    ws3.receive(hello({ epoch: 'new-epoch' }));
    await flushMicrotasks();
    expect(client.status).toMatchObject({ state: 'live', attempt: 0 });
    expect(client.state.processes).toEqual({});
    const sent = ws3.takeSent();
    expect(sent).toEqual([
      { type: 'subscribe', id: expect.any(Number), topic: 'system' },
      { type: 'subscribe', id: expect.any(Number), pids: [4242] },
    ]);
    // A new connection has a new epoch; that is not a gap.
    ws3.receive({ ...at('pong', 2), epoch: 'new-epoch' });
    expect(ws3.takeSent()).toEqual([]);
  });

  it('caps the backoff', () => {
    const c = new ProcpulseClient({ url: 'ws://x', WebSocket: FakeSocket, random: () => 0.5, maxBackoffMs: 4000 });
    c.connect();
    for (let i = 0; i < 10; i++) {
      FakeSocket.last().drop();
      vi.advanceTimersByTime(c.status.retryAt! - Date.now());
    }
    FakeSocket.last().drop();
    expect(c.status.retryAt! - Date.now()).toBe(4000);
    c.close();
  });

  it('pings when idle and reconnects when the server stays silent', async () => {
    const { client, ws } = setup();
    ws.receive(hello());
    await flushMicrotasks();
    ws.takeSent();
    vi.advanceTimersByTime(11000);
    expect(ws.takeSent()).toEqual([{ type: 'ping' }]);
    vi.advanceTimersByTime(10000);
    expect(ws.closed?.code).toBe(4000);
    expect(client.status.state).toBe('reconnecting');
  });

  it('with ownTimer: false it starts no timer; tick() does the idle check', async () => {
    const client = new ProcpulseClient({ url: 'ws://test/ws', WebSocket: FakeSocket, random: () => 0.5, ownTimer: false });
    client.connect();
    const sock = FakeSocket.last();
    sock.open();
    sock.receive(hello());
    await flushMicrotasks();
    sock.takeSent();
    vi.advanceTimersByTime(25000); // no timer of its own: silence goes unnoticed
    expect(sock.takeSent()).toEqual([]);
    expect(client.status.state).toBe('live');
    client.tick(); // 25 s of silence: more than twice idleMs
    expect(sock.closed?.code).toBe(4000);
    expect(client.status.state).toBe('reconnecting');
    client.close();
    client.tick(); // closed: nothing to check, no error
  });

  it('ends a subscription on gone and calls the listener without a record', async () => {
    const { client, ws } = setup();
    const seen: (number | undefined)[] = [];
    client.subscribe([4242], (_pid, rec, msg) => seen.push(msg.type === 'gone' ? -1 : rec?.rss));
    ws.receive(hello());
    await flushMicrotasks();
    ws.receive(at('ack', 2));
    ws.receive(at('snapshot', 3));
    ws.receive(at('gone', 4));
    expect(seen).toEqual([SNAP_RSS, -1]);
    expect(client.subscribedPids()).toEqual([]);
  });

  it('turns server errors into readable errors that name the request', async () => {
    const { client, ws } = setup();
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    ws.receive(hello());
    await flushMicrotasks();
    client.subscribe([0x7fffffff]);
    await flushMicrotasks();
    const [req] = ws.takeSent();
    ws.receive({ type: 'error', seq: 2, epoch: EPOCH, ref: req!.id, code: 'limit', message: 'too many subscriptions' });
    expect(errors).toEqual([
      { code: 'limit', message: 'too many subscriptions', ref: req!.id, request: { type: 'subscribe', id: req!.id, pids: [0x7fffffff] } },
    ]);
  });

  it('sends a subscription again after the server rate-limited it', async () => {
    const { client, ws } = setup();
    ws.receive(hello());
    await flushMicrotasks();
    client.subscribe([4242, 5151]);
    await flushMicrotasks();
    const [req] = ws.takeSent();
    client.unsubscribe([5151]); // no longer wanted by the time of the retry
    await flushMicrotasks();
    ws.takeSent();
    ws.receive({ type: 'error', seq: 2, epoch: EPOCH, ref: req!.id, code: 'rate_limited', message: 'more than 20 messages per second' });
    vi.advanceTimersByTime(999);
    expect(ws.sent).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(ws.takeSent()).toEqual([{ type: 'subscribe', id: expect.any(Number), pids: [4242] }]);
  });

  it('clamps the table limit to the server limit', async () => {
    const { client, ws } = setup();
    client.subscribeTable({ limit: 5000 });
    ws.receive(hello({ limits: { max_process_limit: 1000 } }));
    await flushMicrotasks();
    expect(ws.takeSent()[0]).toMatchObject({ topic: 'processes', limit: 1000 });
  });
});

/** Whether an object member anywhere is null (array elements may be: arrays are values). */
function hasNullMember(v: unknown): boolean {
  if (Array.isArray(v) || v === null || typeof v !== 'object') return false;
  return Object.values(v).some((x) => x === null || hasNullMember(x));
}

describe('replaying every golden server message', () => {
  it('applies them in order without protocol errors, resyncs or nulls left in the state', async () => {
    const { client, ws } = setup();
    const errors: ClientError[] = [];
    const resyncs: string[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('resync', (r) => resyncs.push(r.reason));
    client.subscribe([4242, 99999]);
    client.subscribeSystem();
    client.subscribeTable({ sort: 'cpu_percent', limit: 100, filter: 'chrome' });
    ws.receive(hello());
    await flushMicrotasks();
    // The session as the fixtures tell it (ordered by their seq), numbered without gaps.
    const msgs = fixtureNames('server')
      .map((n) => fixture(`server/${n}`))
      .filter((m) => m.type !== 'hello' && m.full !== true)
      .sort((a, b) => (a.seq as number) - (b.seq as number));
    msgs.forEach((m, i) => ws.receive({ ...m, seq: i + 2, epoch: EPOCH }));
    expect(errors.filter((e) => e.code === 'protocol')).toEqual([]);
    expect(resyncs).toEqual([]);
    expect(hasNullMember(client.state)).toBe(false);
    // A full snapshot at the end replaces everything.
    ws.receive({ ...fixture('server/snapshot_full.json'), seq: msgs.length + 2, epoch: EPOCH });
    expect(client.state.processes['4242']?.pid).toBe(4242);
    expect(hasNullMember(client.state)).toBe(false);
  });
});
