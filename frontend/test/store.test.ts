// The store between the client and the views: rings start from snapshot history and gain one point
// per delta; exits are kept; removed table rows fade; rendering happens once per frame.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcpulseClient } from '../src/net/client';
import { Store, GHOST_MS } from '../src/state/store';
import { connectionHealth } from '../src/views/status';
import { describeError } from '../src/views/errors';
import { FakeSocket, fixture } from './helpers';

/** A golden server message with the sequence number this test needs. */
function at(name: string, seq: number): Record<string, unknown> {
  return { ...fixture(`server/${name}.json`), seq, epoch: fixture('server/hello.json').epoch };
}

async function flush(): Promise<void> {
  await Promise.resolve();
  await Promise.resolve();
}

function setup(): { store: Store; ws: FakeSocket; frames: (() => void)[] } {
  FakeSocket.instances = [];
  const client = new ProcpulseClient({ url: 'ws://t/ws', WebSocket: FakeSocket });
  const frames: (() => void)[] = [];
  const store = new Store(client, (cb) => frames.push(cb));
  client.connect();
  const ws = FakeSocket.last();
  ws.open();
  return { store, ws, frames };
}

/** A store watching 4242, with the hello, ack and snapshot fixtures received. */
async function watching4242(hello: Record<string, unknown> = {}): Promise<{ store: Store; ws: FakeSocket; frames: (() => void)[] }> {
  const t = setup();
  t.store.watch(4242);
  t.ws.receive({ ...fixture('server/hello.json'), ...hello });
  await flush();
  t.ws.receive(at('ack', 2));
  t.ws.receive(at('snapshot', 3));
  return t;
}

beforeEach(() => {
  vi.useFakeTimers();
});

describe('Store', () => {
  it('starts charts from the snapshot history and appends each delta', async () => {
    const { store, ws } = await watching4242();
    const e = store.watched.get(4242)!;
    const snap = fixture('server/snapshot.json') as { history: { processes: Record<string, { t: number[] }> } };
    const t = snap.history.processes['4242']!.t;
    expect(e.record?.name).toBe('a) b');
    expect(Array.from(e.ring!.times())).toEqual(t);
    const delta = at('delta', 4) as { time: number; patch: { processes: Record<string, { rss: number; cpu_percent: number }> } };
    ws.receive(delta);
    expect(Array.from(e.ring!.times())).toEqual([...t, delta.time]);
    expect(e.ring!.last('rss')).toBe(delta.patch.processes['4242']!.rss);
    expect(e.ring!.last('cpu_percent')).toBe(delta.patch.processes['4242']!.cpu_percent);
    expect(Number.isNaN(e.ring!.last('read_bytes_per_sec'))).toBe(true);
    // A second delta with the same time adds nothing.
    ws.receive(at('delta', 5));
    expect(e.ring!.length).toBe(t.length + 1);
  });

  it('sizes rings from the hello (history window / interval)', async () => {
    const { store } = await watching4242({ interval_ms: 250 });
    expect(store.watched.get(4242)!.ring!.capacity).toBe(3600 + 32);
  });

  it('marks a watched process exited and keeps its series', async () => {
    const { store, ws } = await watching4242();
    const gone = at('gone', 4) as { time: number };
    ws.receive(gone);
    const e = store.watched.get(4242)!;
    expect(e.exited).toEqual({ reason: 'exited', time: gone.time });
    expect(e.ring!.lastTime).toBe(gone.time);
    expect(store.client.subscribedPids()).toEqual([]);
  });

  it('marks PIDs the server did not find', async () => {
    const { store, ws } = setup();
    store.watch(99999);
    ws.receive(fixture('server/hello.json'));
    await flush();
    ws.receive({ ...at('ack', 2), pids: [], not_found: [99999] });
    expect(store.watched.get(99999)!.notFound).toBe(true);
  });

  it('keeps removed table rows as ghosts for a while', async () => {
    const { store, ws } = setup();
    store.pushTableQuery();
    ws.receive(fixture('server/hello.json'));
    await flush();
    const full = fixture('server/snapshot_full.json') as { state: { table: { rows: Record<string, unknown> } } };
    full.state.table.rows['17'] = { pid: 17, name: 'short-lived' };
    ws.receive({ ...full, seq: 2, epoch: fixture('server/hello.json').epoch });
    ws.receive(at('delta', 3));
    expect(store.ghosts.get('17')?.row.name).toBe('short-lived');
    store.tick(Date.now() + GHOST_MS + 1);
    expect(store.ghosts.size).toBe(0);
  });

  it('keeps the recently exited list across a reload (written every few seconds)', async () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) } as Storage;
    FakeSocket.instances = [];
    const client = new ProcpulseClient({ url: 'ws://t/ws', WebSocket: FakeSocket });
    const store = new Store(client, () => undefined, undefined, storage);
    client.connect();
    const ws = FakeSocket.last();
    ws.open();
    store.pushTableQuery();
    ws.receive(fixture('server/hello.json'));
    await flush();
    const full = fixture('server/snapshot_full.json') as { state: { table: { rows: Record<string, unknown> } } };
    full.state.table.rows['17'] = { pid: 17, name: 'short-lived', rss: 4096 };
    ws.receive({ ...full, seq: 2, epoch: fixture('server/hello.json').epoch });
    ws.receive(at('delta', 3)); // removes 17
    const t0 = Date.now();
    store.tick(t0 + 6000);
    const first = data.get('procpulse.exited');
    expect(JSON.parse(first ?? '[]')).toEqual([{ at: expect.any(Number), row: { pid: 17, name: 'short-lived', rss: 4096 } }]);
    // Another exit: the new one first, the earlier one kept as it was written.
    const d = at('delta', 4) as { patch: Record<string, unknown> };
    d.patch = { table: { rows: { '5152': null } } };
    ws.receive(d);
    store.tick(t0 + 12000);
    const saved = JSON.parse(data.get('procpulse.exited') ?? '[]') as { row: { pid: number } }[];
    expect(saved.map((g) => g.row.pid)).toEqual([5152, 17]);
    const reloaded = new Store(new ProcpulseClient({ url: 'ws://t/ws', WebSocket: FakeSocket }), () => undefined, undefined, storage);
    expect(reloaded.recentExited.map((g) => g.row.pid)).toEqual([5152, 17]);
    expect(reloaded.recentExited[1]?.row.name).toBe('short-lived');
  });

  it('collects the table rows each delta changes until the table draws', async () => {
    const { store, ws } = setup();
    store.pushTableQuery();
    ws.receive(fixture('server/hello.json'));
    await flush();
    expect(store.rowChanges.all).toBe(true);
    const full = fixture('server/snapshot_full.json') as { state: { table: { rows: Record<string, unknown> } } };
    full.state.table.rows['17'] = { pid: 17, name: 'short-lived' };
    ws.receive({ ...full, seq: 2, epoch: fixture('server/hello.json').epoch });
    expect(store.rowChanges.all).toBe(true); // a snapshot of the table: every row is new
    store.rowChanges.clear(); // the table drew
    // delta.json patches row 5151 and removes 17; 5152 is untouched.
    ws.receive(at('delta', 3));
    expect(store.rowChanges.all).toBe(false);
    expect(store.rowChanges.has(5151)).toBe(true);
    expect(store.rowChanges.has(17)).toBe(true);
    expect(store.rowChanges.has(5152)).toBe(false);
    expect(store.client.state.table?.rows?.['5151']?.cpu_percent).toBe(31.7);
    // Changes add up over deltas until the table clears them.
    const d = at('delta', 4) as { patch: Record<string, unknown> };
    d.patch = { table: { rows: { '5152': { rss: 1 } } } };
    const [version, order] = [store.tableVersion, store.tableOrderVersion];
    ws.receive(d);
    // Only the sort key (rss by default) changed: the same rows, maybe in another order.
    expect([store.tableVersion, store.tableOrderVersion]).toEqual([version, order + 1]);
    expect([5151, 17, 5152].map((p) => store.rowChanges.has(p))).toEqual([true, true, true]);
    store.rowChanges.clear();
    // A delta without table rows changes none.
    const sys = at('delta', 5) as { patch: Record<string, unknown> };
    sys.patch = { system: { timestamp: 1795653002 } };
    ws.receive(sys);
    expect(store.rowChanges.size).toBe(0);
    expect(store.rowChanges.has(5151)).toBe(false);
    // A new connection's hello starts over: every row counts as changed.
    ws.receive({ ...fixture('server/hello.json'), seq: 1 });
    expect(store.rowChanges.all).toBe(true);
  });

  it('renders at most once per frame, with the parts that changed', async () => {
    const { store, ws, frames } = await watching4242();
    const calls: string[][] = [];
    store.setRenderer((d) => calls.push([...d].sort()));
    ws.receive(at('delta', 4));
    expect(frames.length).toBe(1);
    frames.shift()!();
    expect(calls.length).toBe(1);
    expect(calls[0]).toEqual(expect.arrayContaining(['conn', 'table', 'watch']));
  });

  it('describes the connection state', () => {
    const base = { hello: null, lastDataAt: 0 };
    expect(connectionHealth({ ...base, conn: { state: 'connecting', attempt: 0 } }, 0).health).toBe('connecting');
    expect(connectionHealth({ ...base, conn: { state: 'reconnecting', attempt: 2, retryAt: 5000, reason: 'connection lost' } }, 1200)).toMatchObject({
      health: 'reconnecting',
      text: 'Reconnecting in 4 s',
    });
    const hello = fixture('server/hello.json') as never;
    expect(connectionHealth({ conn: { state: 'live', attempt: 0 }, hello, lastDataAt: 10_000 }, 11_000)).toMatchObject({ health: 'live', text: 'Live · 1 s' });
    expect(connectionHealth({ conn: { state: 'live', attempt: 0 }, hello, lastDataAt: 10_000 }, 20_000)).toMatchObject({ health: 'stale' });
    const memoryOnly = { ...(fixture('server/hello.json') as object), history_persisted: false } as never;
    const shown = connectionHealth({ conn: { state: 'live', attempt: 0 }, hello: memoryOnly, lastDataAt: 10_000 }, 11_000);
    expect(shown.text).toBe('Live · 1 s · history not persisted');
    expect(shown.detail).toContain('memory only');
    const failing = { ...(fixture('server/hello.json') as object), store_error: 'sqlite: database or disk is full' } as never;
    const warned = connectionHealth({ conn: { state: 'live', attempt: 0 }, hello: failing, lastDataAt: 10_000 }, 11_000);
    expect(warned.text).toBe('Live · 1 s · history not being saved');
    expect(warned.detail).toContain('database or disk is full');
  });

  it('counts a repeated error instead of stacking it', () => {
    const { store } = setup();
    for (let i = 0; i < 5; i++) store.addError({ code: 'rate_limited', message: 'too fast' });
    store.addError({ code: 'limit', message: 'too many' });
    expect(store.errors.map((e) => [e.code, e.count])).toEqual([
      ['rate_limited', 5],
      ['limit', 1],
    ]);
  });

  it('explains server errors', () => {
    const d = describeError({ code: 'limit', message: 'at most 256 subscriptions', request: { type: 'subscribe', pids: [1, 2] } });
    expect(d.title).toBe('Limit reached');
    expect(d.text).toContain('at most 256 subscriptions');
    expect(d.text).toContain('subscribe 1, 2');
    expect(describeError({ code: 'weird', message: '' }).title).toContain('weird');
  });
});
