// Every golden message in shared/fixtures: server messages decode to typed values with the right
// fields; client fixtures equal what the encoders produce for the same calls.
import { describe, expect, it } from 'vitest';
import { decode, decodeValue } from '../src/net/decode';
import * as enc from '../src/net/encode';
import type { AckMsg, DeltaMsg, ErrorMsg, GoneMsg, HelloMsg, PongMsg, ServerMessage, SnapshotMsg } from '../src/net/types';
import { fixture, fixtureNames, fixtureText } from './helpers';

function decoded(name: string): ServerMessage {
  const d = decode(fixtureText(`server/${name}`));
  if (!d.ok) throw new Error(`${name}: ${d.error}`);
  return d.msg;
}

/** The decoded message as plain JSON again: typed-array columns back to arrays, NaN back to null. */
function asJson(v: unknown): unknown {
  if (v instanceof Float64Array) return Array.from(v, (x) => (Number.isNaN(x) ? null : x));
  if (Array.isArray(v)) return v.map(asJson);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = asJson(x);
    return out;
  }
  return v;
}

/** History arrives as {t, rss: […], …}; decode keeps `t` and puts metrics under `cols`. */
function historyAsRaw(h: unknown): unknown {
  // Per-core CPU decodes to columns core0, core1, …: back to the server's array of arrays.
  const cols = (c: { t: unknown; cols: Record<string, unknown> }) => {
    const out: Record<string, unknown> = { t: c.t };
    const cores: unknown[] = [];
    for (const [k, v] of Object.entries(c.cols)) {
      const m = /^core(\d+)$/.exec(k);
      if (m) cores[Number(m[1])] = v;
      else out[k] = v;
    }
    if (cores.length) out.cpu_percent_per_core = cores;
    return out;
  };
  const { processes, system } = h as { processes: Record<string, { t: unknown; cols: Record<string, unknown> }>; system?: { t: unknown; cols: Record<string, unknown> } };
  const out: Record<string, unknown> = { processes: Object.fromEntries(Object.entries(processes).map(([k, c]) => [k, cols(c)])) };
  if (system) out.system = cols(system);
  return out;
}

describe('server fixtures decode', () => {
  const names = fixtureNames('server');

  it('there are fixtures of every server message type', () => {
    const types = new Set(names.map((n) => fixture(`server/${n}`).type));
    for (const t of ['hello', 'ack', 'snapshot', 'delta', 'gone', 'error', 'pong']) expect(types).toContain(t);
  });

  // Every member the golden message holds comes out of decode, with the same value and nothing else.
  for (const name of names) {
    it(`${name} decodes to the same content`, () => {
      const raw = fixture(`server/${name}`);
      const msg = decoded(name);
      expect(msg.type).toBe(raw.type);
      expect(msg.seq).toBe(raw.seq);
      expect(msg.epoch).toBe(raw.epoch);
      const json = asJson(msg) as Record<string, unknown>;
      if (msg.type === 'snapshot') {
        const h = asJson(historyAsRaw(msg.history)) as Record<string, unknown>;
        const rawH = (raw.history ?? {}) as Record<string, unknown>;
        if (!('processes' in rawH)) delete h.processes; // decode gives an empty map for "none"
        json.history = h;
        if (!('history' in raw)) delete json.history;
      }
      if (msg.type === 'history') {
        const series = json.series as { t: unknown; cols: Record<string, unknown> };
        json.series = { t: series.t, ...series.cols };
      }
      expect(json).toEqual(raw);
    });
  }

  it('hello: numbers and limits are typed', () => {
    const m = decoded('hello.json') as HelloMsg;
    expect(m.protocol).toBe(1);
    expect(typeof m.interval_ms).toBe('number');
    expect(m.limits.max_process_limit).toBeGreaterThan(0);
    expect(m.limits.max_subscriptions).toBeGreaterThan(0);
  });

  it('ack lists subscribed and missing PIDs', () => {
    const a = decoded('ack.json') as AckMsg;
    expect(a.op).toBe('subscribe');
    expect(Array.isArray(a.pids) && Array.isArray(a.not_found)).toBe(true);
    const t = decoded('ack_topic.json') as AckMsg;
    expect(t.topic).toBe('system');
    expect(t.ref).toBe('sys'); // string ids are echoed as strings
  });

  it('snapshot: full records and history columns as Float64Arrays, NaN for null', () => {
    const s = decoded('snapshot.json') as SnapshotMsg;
    const raw = fixture('server/snapshot.json') as { history: { processes: Record<string, Record<string, (number | null)[]>> } };
    const pid = Object.keys(raw.history.processes)[0]!;
    const p = s.state.processes?.[pid];
    expect(p?.pid).toBe(Number(pid));
    expect(typeof p?.name).toBe('string');
    expect(typeof p?.rss).toBe('number');
    const h = s.history.processes[pid]!;
    expect(h.t).toBeInstanceOf(Float64Array);
    for (const [col, values] of Object.entries(raw.history.processes[pid]!)) {
      if (col === 't') continue;
      expect(h.cols[col]).toBeInstanceOf(Float64Array);
      values.forEach((v, i) => (v === null ? expect(Number.isNaN(h.cols[col]![i])).toBe(true) : expect(h.cols[col]![i]).toBe(v)));
    }
  });

  it('snapshot_full: system, table and system history', () => {
    const s = decoded('snapshot_full.json') as SnapshotMsg;
    expect(s.full).toBe(true);
    expect(s.state.system?.memory?.total).toBeGreaterThan(0);
    expect(s.state.table?.rows).toBeDefined();
    expect(s.history.system?.t).toBeInstanceOf(Float64Array);
    expect(s.history.system?.cols.mem_used).toBeInstanceOf(Float64Array);
  });

  it('delta: a patch that keeps nulls (removals)', () => {
    const d = decoded('delta.json') as DeltaMsg;
    const raw = fixture('server/delta.json') as { patch: { table: { rows: Record<string, unknown> } } };
    const removed = Object.keys(raw.patch.table.rows).filter((k) => raw.patch.table.rows[k] === null);
    expect(removed.length).toBeGreaterThan(0);
    for (const k of removed) expect(d.patch.table?.rows?.[k]).toBeNull();
  });

  it('gone, error, pong', () => {
    const g = decoded('gone.json') as GoneMsg;
    expect(g.reason).toBe('exited');
    expect(g.last?.pid).toBe(g.pid);
    const e = decoded('error.json') as ErrorMsg;
    expect(e.code).toBe('bad_request');
    expect(e.message.length).toBeGreaterThan(0);
    const p = decoded('pong.json') as PongMsg;
    expect(p.ref).toBeDefined();
  });
});

describe('decode rejects what the protocol does not allow', () => {
  it('bad JSON, non-objects, missing envelope', () => {
    expect(decode('{').ok).toBe(false);
    expect(decode('[1]').ok).toBe(false);
    expect(decode('{"type":"pong"}').ok).toBe(false);
  });

  it('wrongly typed members, naming the path', () => {
    const raw = fixture('server/delta.json');
    (raw.patch as { processes: Record<string, Record<string, unknown>> }).processes['4242']!.rss = 'big';
    const d = decode(JSON.stringify(raw));
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.error).toContain('patch.processes.4242.rss');
      expect(d.seq).toBe(raw.seq);
    }
  });

  it('history columns of different lengths', () => {
    const raw = fixture('server/snapshot.json') as { history: { processes: Record<string, Record<string, unknown[]>> } };
    raw.history.processes['4242']!.rss = [1];
    expect(decode(JSON.stringify(raw)).ok).toBe(false);
  });

  it('checks nested records, arrays and PID keys, naming the path', () => {
    const bad = (edit: (patch: Record<string, any>) => void): string => {
      const raw = fixture('server/delta.json') as { patch: Record<string, any> };
      edit(raw.patch);
      const d = decode(JSON.stringify(raw));
      return d.ok ? 'ok' : d.error;
    };
    expect(bad((p) => (p.system.cpu.percent = 'x'))).toContain('patch.system.cpu.percent: expected a number');
    expect(bad((p) => (p.system.cpu.per_core = [1, 'x']))).toContain('patch.system.cpu.per_core: expected an array of numbers');
    expect(bad((p) => (p.processes['4242'].unavailable = ['io', 3]))).toContain('patch.processes.4242.unavailable: expected an array of strings');
    expect(bad((p) => (p.table.rows['5151'].kernel_thread = 1))).toContain('patch.table.rows.5151.kernel_thread: expected a boolean');
    expect(bad((p) => (p.table.rows['5151'] = 7))).toContain('patch.table.rows.5151: expected an object');
    expect(bad((p) => (p.table.rows['51x'] = {}))).toContain('patch.table.rows.51x: expected a PID key');
    expect(bad((p) => (p.table.rows[''] = {}))).toContain('expected a PID key');
    expect(bad(() => undefined)).toBe('ok');
  });

  it('drops unknown members of records at any depth and leaves the parsed value as it was', () => {
    const raw = fixture('server/delta.json') as { patch: Record<string, any> };
    raw.patch.processes['4242'].future = 1;
    raw.patch.system.cpu.future = { x: 1 };
    raw.patch.table.rows['5151'].future = 'x';
    raw.patch.table.rows['5152'] = { rss: 5 };
    const before = structuredClone(raw);
    const d = decodeValue(raw);
    expect(d.ok).toBe(true);
    const patch = (d.ok ? d.msg : null) as DeltaMsg;
    expect(patch.patch.processes?.['4242']).toEqual({ cpu_percent: 3.1, rss: 10489856, minor_faults: 2561, minor_faults_per_sec: 1.0 });
    expect(patch.patch.system?.cpu).toEqual({ percent: 12.5 });
    expect(patch.patch.table?.rows).toEqual({ '5151': { cpu_percent: 31.7, rss: 213909504, memory_percent: 0.85, faults_per_sec: 1024.0 }, '5152': { rss: 5 }, '17': null });
    expect(raw).toEqual(before);
    // Records with nothing to drop are used as parsed, not copied.
    expect(patch.patch.table?.rows?.['5152']).toBe(raw.patch.table.rows['5152']);
  });

  it('unknown types are reported with their envelope; unknown members are dropped', () => {
    const d = decode('{"type":"future","seq":3,"epoch":"e"}');
    expect(d).toMatchObject({ ok: false, seq: 3, epoch: 'e', type: 'future' });
    const p = decode('{"type":"pong","seq":3,"epoch":"e","extra":{"x":1}}');
    expect(p.ok && p.msg).toEqual({ type: 'pong', seq: 3, epoch: 'e' });
  });
});

describe('client fixtures equal the encoders', () => {
  const cases: Record<string, () => unknown> = {
    'ping.json': () => enc.ping(9),
    'resync.json': () => enc.resync(),
    'subscribe_pids.json': () => enc.subscribePids([4242, 99999], 7),
    'subscribe_processes.json': () =>
      enc.subscribeProcesses({ sort: 'cpu_percent', order: 'desc', limit: 100, filter: 'chrome', kernel_threads: false }, 11),
    'subscribe_system.json': () => enc.subscribeSystem('sys'),
    'unsubscribe_pids.json': () => enc.unsubscribePids([4242], 10),
    'unsubscribe_processes.json': () => enc.unsubscribeTopic('processes'),
  };

  it('has a case for every client fixture', () => {
    expect(Object.keys(cases).sort()).toEqual(fixtureNames('client'));
  });

  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const text = enc.encode(make() as Parameters<typeof enc.encode>[0]);
      expect(JSON.parse(text)).toEqual(fixture(`client/${name}`));
      // Same members in the same order as the golden file.
      expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(fixture(`client/${name}`)));
    });
  }
});
