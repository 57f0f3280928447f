// Every golden message in shared/fixtures: server messages decode to typed values with the right
// fields; client fixtures equal what the encoders produce for the same calls.
import { describe, expect, it } from 'vitest';
import { decode } from '../src/net/decode';
import * as enc from '../src/net/encode';
import type { AckMsg, DeltaMsg, ErrorMsg, GoneMsg, HelloMsg, PongMsg, ServerMessage, SnapshotMsg } from '../src/net/types';
import { fixture, fixtureNames, fixtureText } from './helpers';

function decoded(name: string): ServerMessage {
  const d = decode(fixtureText(`server/${name}`));
  if (!d.ok) throw new Error(`${name}: ${d.error}`);
  return d.msg;
}

describe('server fixtures decode', () => {
  it('covers every server fixture', () => {
    const names = fixtureNames('server');
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) {
      const raw = fixture(`server/${name}`);
      const msg = decoded(name);
      expect(msg.type).toBe(raw.type);
      expect(msg.seq).toBe(raw.seq);
      expect(msg.epoch).toBe(raw.epoch);
    }
  });

  it('hello', () => {
    const m = decoded('hello.json') as HelloMsg;
    expect(m).toMatchObject({
      type: 'hello', seq: 1, epoch: 'c0ffee01-0001', protocol: 1, server: 'procpulse/0.1.0', host: 'box',
      interval_ms: 1000, history_ms: 900000, cpu_count: 2, page_size: 4096, mem_total: 25276502016, time: 1795653000,
    });
    expect(m.limits).toEqual({ max_message_bytes: 8192, max_subscriptions: 256, messages_per_sec: 20, message_burst: 40, max_process_limit: 5000 });
  });

  it('ack and ack_topic', () => {
    const a = decoded('ack.json') as AckMsg;
    expect(a).toEqual({ type: 'ack', seq: 2, epoch: 'c0ffee01-0001', ref: 7, op: 'subscribe', pids: [4242], not_found: [99999] });
    const t = decoded('ack_topic.json') as AckMsg;
    expect(t).toEqual({ type: 'ack', seq: 2, epoch: 'c0ffee01-0001', ref: 'sys', op: 'subscribe', topic: 'system', pids: [], not_found: [] });
  });

  it('snapshot: records and history columns', () => {
    const s = decoded('snapshot.json') as SnapshotMsg;
    expect(s.ref).toBe(7);
    expect(s.full).toBe(false);
    expect(s.time).toBe(1795653000);
    const p = s.state.processes?.['4242'];
    expect(p).toMatchObject({ pid: 4242, start: 88123, ppid: 1, name: 'a) b', cmdline: '/usr/bin/a) b --serve', username: 'alice', uid: 1000, status: 'sleeping' });
    expect(p).toMatchObject({ rss: 10485760, vms: 104857600, shared: 2097152, cpu_percent: 12.5, memory_percent: 0.04, num_threads: 3, kernel_thread: false, zombie: false });
    expect(p?.read_bytes).toBeNull();
    expect(p?.unavailable).toEqual(['io']);
    const h = s.history.processes['4242'];
    expect(h).toBeDefined();
    expect(Array.from(h!.t)).toEqual([1795652998, 1795652999, 1795653000]);
    expect(h!.cols.rss).toBeInstanceOf(Float64Array);
    expect(Array.from(h!.cols.rss!)).toEqual([10485760, 10485760, 10485760]);
    expect(Number.isNaN(h!.cols.cpu_percent![0])).toBe(true);
    expect(Array.from(h!.cols.cpu_percent!.subarray(1))).toEqual([10, 12.5]);
    expect(Object.keys(h!.cols).sort()).toEqual(
      ['cpu_percent', 'major_faults_per_sec', 'minor_faults_per_sec', 'num_threads', 'read_bytes_per_sec', 'rss', 'shared', 'vms', 'write_bytes_per_sec'],
    );
    expect(s.history.system).toBeUndefined();
  });

  it('snapshot_full: system, table and system history', () => {
    const s = decoded('snapshot_full.json') as SnapshotMsg;
    expect(s.full).toBe(true);
    expect(s.ref).toBeUndefined();
    const sys = s.state.system!;
    expect(sys.memory).toMatchObject({ total: 25276502016, available: 24681119744, used: 319475712, percent: 2.4 });
    expect(sys.cpu).toEqual({ count: 2, percent: null, per_core: [null, null] });
    expect(sys.load).toEqual([0.46, 0.15, 0.05]);
    expect(sys.process_count).toBe(64);
    const t = s.state.table!;
    expect(t).toMatchObject({ sort: 'rss', order: 'desc', limit: 50, filter: '', kernel_threads: false, total: 1 });
    expect(t.rows?.['4242']).toMatchObject({ pid: 4242, name: 'a) b', faults_per_sec: 128, kernel_thread: false, cmdline: '/usr/bin/a) b --serve' });
    const hs = s.history.system!;
    expect(Array.from(hs.t)).toEqual([1795653000]);
    expect(Array.from(hs.cols.mem_used!)).toEqual([319475712]);
    expect(Number.isNaN(hs.cols.cpu_percent![0])).toBe(true);
  });

  it('delta: patch with removals', () => {
    const d = decoded('delta.json') as DeltaMsg;
    expect(d.time).toBe(1795653001);
    expect(d.patch.processes?.['4242']).toEqual({ rss: 10489856, cpu_percent: 3.1, minor_faults: 2561, minor_faults_per_sec: 1 });
    expect(d.patch.system).toEqual({ cpu: { percent: 12.5 } });
    expect(d.patch.table?.total).toBe(2);
    expect(d.patch.table?.rows?.['17']).toBeNull();
    expect(d.patch.table?.rows?.['4242']).toEqual({ cpu_percent: 3.1, rss: 10489856 });
  });

  it('gone, error, pong', () => {
    const g = decoded('gone.json') as GoneMsg;
    expect(g).toMatchObject({ pid: 4242, start: 88123, reason: 'exited', time: 1795653002 });
    expect(g.last?.name).toBe('a) b');
    expect(g.last?.rss).toBe(10485760);
    const e = decoded('error.json') as ErrorMsg;
    expect(e).toEqual({ type: 'error', seq: 7, epoch: 'c0ffee01-0001', ref: 8, code: 'bad_request', message: '"pids" must be an array of positive integers' });
    const p = decoded('pong.json') as PongMsg;
    expect(p).toEqual({ type: 'pong', seq: 8, epoch: 'c0ffee01-0001', ref: 9, time: 1795653003.5 });
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
      expect(d.seq).toBe(5);
    }
  });

  it('history columns of different lengths', () => {
    const raw = fixture('server/snapshot.json') as { history: { processes: Record<string, Record<string, unknown[]>> } };
    raw.history.processes['4242']!.rss = [1];
    expect(decode(JSON.stringify(raw)).ok).toBe(false);
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
