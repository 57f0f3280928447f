// Alerts and time travel in the app's state: texts and typed thresholds (pure), the store's alert
// events, notices and firing count, rules through REST, and exited processes loaded from history.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertEvent } from '../src/net/types';
import {
  activeAlerts,
  addRecent,
  alertingPids,
  eventRuleText,
  formatThreshold,
  metricsFor,
  parseThreshold,
  quickRule,
  ruleText,
  stateText,
  subjectText,
  thresholdInput,
  valueText,
} from '../src/state/alerts';
import { ALERT_TOAST_MS, RECENT_EXITED, SAVED_EXITED } from '../src/state/store';
import { fixture, sample } from './helpers';
import { EPOCH, flush, hello, setup } from './store-setup';

const ID = '1:2614:347932';
const MiB = 1024 ** 2;

function event(over: Partial<AlertEvent> = {}): AlertEvent {
  return { ...(sample('alert_firing').event as AlertEvent), ...over };
}

describe('alert texts and typed thresholds', () => {
  it('rules in words', () => {
    expect(ruleText({ metric: 'rss', op: '>', threshold: 512 * MiB, for: 30, scope: 'pid', pid: 1234 })).toBe('RSS > 512 MiB for 30s · PID 1234');
    expect(ruleText({ metric: 'cpu_percent', op: '>=', threshold: 90, scope: 'name', pattern: 'chrom*' })).toBe('CPU % >= 90% · name chrom*');
    expect(ruleText({ metric: 'memory_percent', threshold: 95, for: 300, scope: 'system' })).toBe('Memory used % > 95% for 5m · system');
    expect(ruleText({ metric: 'faults_per_sec', op: '<', threshold: 1000, scope: 'any' })).toBe('Page faults/s < 1000/s · any process');
    expect(ruleText({ metric: 'load1', op: '>', threshold: 4, scope: 'system' })).toBe('Load (1 min) > 4 · system');
  });

  it('metric menus follow the scope', () => {
    expect(metricsFor('system')).toContain('swap_percent');
    expect(metricsFor('system')).not.toContain('rss');
    expect(metricsFor('pid')).toContain('rss');
    expect(metricsFor('any')).not.toContain('load1');
  });

  it('thresholds: bytes with the chosen unit or their own, numbers with % or /s', () => {
    expect(parseThreshold('120', 'bytes', MiB)).toEqual({ value: 120 * MiB });
    expect(parseThreshold('1.5G', 'bytes', MiB)).toEqual({ value: 1.5 * 1024 ** 3 });
    expect(parseThreshold('800 MiB', 'bytesRate', 1)).toEqual({ value: 800 * MiB });
    expect(parseThreshold('90%', 'percent')).toEqual({ value: 90 });
    expect(parseThreshold('1e3/s', 'rate')).toEqual({ value: 1000 });
    expect(parseThreshold('2.5', 'load')).toEqual({ value: 2.5 });
    expect(parseThreshold('', 'bytes')).toEqual({ error: 'Enter a threshold' });
    expect(parseThreshold('lots', 'bytes')).toMatchObject({ error: expect.stringContaining('not a size') });
    expect(parseThreshold('ninety', 'percent')).toMatchObject({ error: expect.stringContaining('not a number') });
  });

  it('prefills a byte threshold in the largest unit that fits', () => {
    expect(thresholdInput(49492787, 'bytes')).toEqual({ text: '47.2', byteUnit: MiB });
    expect(thresholdInput(1.5 * 1024 ** 3, 'bytes')).toEqual({ text: '1.5', byteUnit: 1024 ** 3 });
    expect(thresholdInput(500, 'bytes')).toEqual({ text: '500', byteUnit: 1 });
    expect(thresholdInput(90, 'percent')).toEqual({ text: '90', byteUnit: 1 });
    // What is prefilled reads back to (nearly) the same value.
    const t = thresholdInput(123456789, 'bytes');
    const back = parseThreshold(t.text, 'bytes', t.byteUnit);
    expect('value' in back && Math.abs(back.value - 123456789) / 123456789).toBeLessThan(0.001);
  });

  it('the quick rule of a process: its PID, RSS × 1.2', () => {
    expect(quickRule(42, 100 * MiB)).toEqual({ metric: 'rss', op: '>', threshold: Math.round(120 * MiB), for: 10, scope: 'pid', pid: 42 });
    expect(quickRule(42, undefined).threshold).toBe(Math.round(120 * MiB));
  });

  it('events in words', () => {
    expect(subjectText(event())).toBe('sleep (PID 2614)');
    expect(subjectText(event({ pid: null }))).toBe('System');
    expect(subjectText(event({ name: undefined }))).toBe('PID 2614');
    expect(valueText(event())).toBe('RSS 1.77 MiB (threshold 1000 B)');
    expect(valueText(event({ pid: null, metric: 'memory_percent', value: 93.12, threshold: 90 }))).toBe('Memory used % 93.1% (threshold 90%)');
    expect(stateText(event())).toBe('firing');
    expect(stateText(event({ state: 'resolved', reason: 'exited' }))).toBe('resolved: process exited');
    expect(stateText(event({ state: 'resolved', reason: 'rule_deleted' }))).toBe('resolved: rule deleted');
    expect(formatThreshold('cpu_percent', false, 85.5)).toBe('85.5%');
    expect(eventRuleText(event({ rule: 'rss > 1000 (pid 2614)' }), null)).toBe('rss > 1000 (pid 2614)');
    expect(eventRuleText(event(), [{ id: 1, name: 'x', metric: 'rss', op: '>', threshold: 1000, scope: 'pid', pid: 2614 }])).toBe('RSS > 1000 B · PID 2614');
  });

  it('firing alerts oldest first; alerting PIDs; recent events without repeats, capped', () => {
    const a = event({ id: 'a', since: 20, pid: 1 });
    const b = event({ id: 'b', since: 10, pid: 2 });
    const s = event({ id: 's', since: 30, pid: undefined });
    expect(activeAlerts({ active: { a, b, s } }).map((e) => e.id)).toEqual(['b', 'a', 's']);
    expect(activeAlerts(undefined)).toEqual([]);
    expect([...alertingPids({ active: { a, b, s } })].sort()).toEqual([1, 2]);
    let list: AlertEvent[] = [];
    list = addRecent(list, a, 2);
    list = addRecent(list, a, 2);
    expect(list).toHaveLength(1);
    list = addRecent(list, b, 2);
    list = addRecent(list, s, 2);
    expect(list.map((e) => e.id)).toEqual(['s', 'b']);
  });
});

// ---- the store ---------------------------------------------------------------------------------

/** A Storage in memory. */
class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length(): number {
    return this.m.size;
  }
  clear(): void {
    this.m.clear();
  }
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  key(i: number): string | null {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string): void {
    this.m.delete(k);
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
  vi.setSystemTime(1795655600_000);
});

describe('Store: alerts', () => {
  it('counts firing alerts, keeps recent events, and shows a notice until it resolves', async () => {
    const t = await (async () => {
      const s = setup();
      await hello(s);
      return s;
    })();
    const { store, ws } = t;
    ws.receive({ ...sample('snapshot_alerts'), seq: 2 });
    expect(store.firingCount()).toBe(1);
    expect(store.recentAlerts.map((e) => e.id)).toEqual([ID]);
    expect([...store.alerting]).toEqual([2614]);
    ws.receive({ ...sample('alert_firing'), seq: 3 });
    expect(store.recentAlerts).toHaveLength(1); // the same event as in recent_alerts
    expect(store.alertToasts.map((x) => x.event.id)).toEqual([ID]);
    ws.receive({ ...sample('alert_resolved'), seq: 4 });
    ws.receive({ ...sample('delta_alerts_resolved'), seq: 5 });
    expect(store.firingCount()).toBe(0);
    expect(store.alerting.size).toBe(0);
    expect(store.alertToasts).toEqual([]);
    expect(store.recentAlerts.map((e) => e.state)).toEqual(['resolved', 'firing']);
  });

  it('notices go away after a while, and on dismissal', async () => {
    const t = setup();
    await hello(t);
    t.ws.receive({ ...sample('alert_firing'), seq: 2 });
    t.ws.receive({ ...sample('alert_system'), seq: 3 });
    expect(t.store.alertToasts).toHaveLength(2);
    t.store.dismissAlertToast(t.store.alertToasts[1]!.id);
    expect(t.store.alertToasts.map((x) => x.event.id)).toEqual([ID]);
    t.store.tick(Date.now() + ALERT_TOAST_MS + 1);
    expect(t.store.alertToasts).toEqual([]);
  });

  it('alert changes are drawn in the next frame, once', async () => {
    const t = setup();
    const calls: string[][] = [];
    t.store.setRenderer((d) => calls.push([...d]));
    t.frames.splice(0).forEach((f) => f());
    calls.length = 0;
    await hello(t);
    t.frames.splice(0).forEach((f) => f());
    calls.length = 0;
    t.ws.receive({ ...sample('snapshot_alerts'), seq: 2 });
    t.ws.receive({ ...sample('alert_firing'), seq: 3 });
    t.ws.receive({ ...sample('delta_alerts_value'), seq: 4 });
    expect(t.frames).toHaveLength(1);
    t.frames.shift()!();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(expect.arrayContaining(['alerts', 'table']));
  });

  it('rules through REST: loaded when the alerts view opens, added, refused with the reason, deleted', async () => {
    const t = setup({
      'GET http://t/api/alerts/rules': [200, sample('rest_rules')],
      'POST http://t/api/alerts/rules': [201, { success: true, rule: { id: 2, name: 'n', metric: 'cpu_percent', op: '>', threshold: 90, for: 0, hysteresis: 4.5, scope: 'any' } }],
      'DELETE http://t/api/alerts/rules/1': [200, { success: true }],
    });
    t.store.open('alerts');
    await flush();
    expect(t.store.rules?.map((r) => r.id)).toEqual([1]);
    const added = await t.store.addRule({ metric: 'cpu_percent', threshold: 90 });
    expect(added.ok).toBe(true);
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 2]);
    await t.store.deleteRule(1);
    expect(t.store.rules?.map((r) => r.id)).toEqual([2]);
    expect(t.calls).toEqual(['GET http://t/api/alerts/rules', 'POST http://t/api/alerts/rules', 'DELETE http://t/api/alerts/rules/1']);

    const refusing = setup({ 'POST http://t/api/alerts/rules': [400, sample('rest_rule_refused')] });
    const r = await refusing.store.addRule({ metric: 'rss', threshold: 1, scope: 'name' });
    expect(r).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('needs "pattern"') });
    expect(refusing.store.rules).toBeNull();
  });
});

describe('Store: exited processes', () => {
  const history = sample('rest_history');

  it('a PID that is not running opens with the history the server kept', async () => {
    const t = setup({ 'GET http://t/api/processes/2614/history': [200, history] });
    t.store.open('process', 2614);
    await hello(t, { time: 1795655600 + 42 }); // the server's clock is 42 s ahead: its hour counts
    const sub = t.ws.sent.find((m) => Array.isArray(m.pids));
    t.ws.receive({ type: 'ack', seq: 2, epoch: EPOCH, ref: sub?.id, op: 'subscribe', pids: [], not_found: [2614] });
    const e = t.store.watched.get(2614)!;
    expect(e.history).toBe('loading');
    await flush();
    expect(t.calls.filter((c) => c.includes('/history'))).toEqual([`GET http://t/api/processes/2614/history?from=${1795655600 + 42 - 3600}`]);
    expect(e.history).toBe('loaded');
    expect(e.notFound).toBe(false);
    expect(e.exited).toEqual({ reason: 'exited', time: 1795655509.324 });
    expect(Array.from(e.ring!.times())).toEqual((history.series as { t: number[] }).t);
    expect(e.record?.rss).toBe(1855488);
    expect(e.record?.cpu_percent).toBe(0);
    expect(e.record?.vms).toBeUndefined(); // not in this reply
  });

  it('a PID the server never saw says so; a failed request says why', async () => {
    const t = setup({ 'GET http://t/api/processes/9/history': [404, { success: false, error: 'Process not found or inaccessible' }] });
    const e = t.store.watch(9);
    await t.store.loadHistory(e);
    expect(e).toMatchObject({ history: 'none', historyError: 'Process not found or inaccessible' });
    const f = t.store.watch(10);
    await t.store.loadHistory(f);
    expect(f.history).toBe('error');
    expect(f.historyError).toContain('cannot reach the server');
  });

  it('the PID running again is a new process: the history view gives way to live data', async () => {
    const t = setup({ 'GET http://t/api/processes/4242/history': [200, history] });
    const e = t.store.watch(4242);
    await t.store.loadHistory(e);
    expect(e.history).toBe('loaded');
    await hello(t);
    t.ws.receive({ ...fixture('server/snapshot.json'), seq: 2, epoch: EPOCH });
    expect(e.history).toBeUndefined();
    expect(e.exited).toBeUndefined();
    expect(e.record?.name).toBe('a) b');
    // A fresh ring from the snapshot: none of the old process's points.
    expect(Array.from(e.ring!.times())).not.toContain(1795655507.324);
  });

  it('rows that leave the table are remembered (newest first, bounded) and survive a reload', async () => {
    const storage = new MemoryStorage();
    const t = setup({}, storage);
    t.store.pushTableQuery();
    await hello(t);
    const N = RECENT_EXITED + 5; // a whole population leaves at once
    const full = fixture('server/snapshot_full.json') as { state: { table: { rows: Record<string, unknown> } } };
    for (let pid = 100; pid <= 100 + N; pid++) full.state.table.rows[String(pid)] = { pid, name: `p${pid}`, username: 'me', rss: pid };
    t.ws.receive({ ...full, seq: 2, epoch: EPOCH });
    const gone: Record<string, null> = {};
    for (let pid = 100; pid < 100 + N; pid++) gone[String(pid)] = null;
    t.ws.receive({ type: 'delta', seq: 3, epoch: EPOCH, time: 1795655601, patch: { table: { rows: gone } } });
    expect(t.store.recentExited).toHaveLength(RECENT_EXITED);
    t.ws.receive({ type: 'delta', seq: 4, epoch: EPOCH, time: 1795655602, patch: { table: { rows: { [String(100 + N)]: null } } } });
    expect(t.store.recentExited).toHaveLength(RECENT_EXITED);
    expect(t.store.recentExited[0]?.row.name).toBe(`p${100 + N}`); // the latest first
    t.store.tick();
    const again = setup({}, storage);
    expect(again.store.recentExited).toHaveLength(SAVED_EXITED);
    expect(again.store.recentExited[0]?.row).toMatchObject({ name: `p${100 + N}`, username: 'me' });
    // Watching one of them starts from what was known of it.
    const known = again.store.recentExited[5]!.row;
    expect(again.store.watch(known.pid!).record?.name).toBe(known.name);
  });
});
