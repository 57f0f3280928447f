// Issue 17's app-state defects in the store, against a fake socket and a fake REST server: the
// alert rules are the server's (REST + rule_added/rule_deleted), a PID the server knows nothing of
// adds nothing, an exited process shows its last live figures and the server's exit time, and the
// step choice and gaps of long windows.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseStep, isLongWindow, joinColumns } from '../src/state/longwindow';
import { SeriesRing } from '../src/state/series';
import { shownRecord } from '../src/state/store';
import { countText } from '../src/views/table';
import { EPOCH, flush, hello, setup } from './store-setup';

const RULE = (id: number, pid = 2614) => ({ id, name: `RSS > 1000 B · PID ${pid}`, metric: 'rss', op: '>', threshold: 1000, for: 0, hysteresis: 50, scope: 'pid', pid });
const RULES = 'GET http://t/api/alerts/rules';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
  vi.setSystemTime(1795655600_000);
});

describe('alert rules are always the server\'s', () => {
  it('adding one before the list was read shows all of the server\'s rules, not only the new one', async () => {
    const t = setup({ 'POST http://t/api/alerts/rules': [201, { success: true, rule: RULE(4) }], [RULES]: [200, { success: true, rules: [RULE(1), RULE(2), RULE(3), RULE(4)] }] });
    // No rules read yet (added from a process view): a list of the one added rule would hide three.
    const added = await t.store.addRule({ metric: 'rss', threshold: 1000, scope: 'pid', pid: 2614 });
    expect(added.ok).toBe(true);
    await flush();
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });

  it('is read at start (hello) and when the Alerts view opens', async () => {
    const t = setup({ [RULES]: [200, { success: true, rules: [RULE(1), RULE(2), RULE(3)] }] });
    await hello(t);
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 2, 3]);
    t.routes[RULES] = [200, { success: true, rules: [RULE(1), RULE(3)] }];
    t.store.open('alerts');
    await flush();
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 3]);
  });

  it('follows rule_added and rule_deleted from other clients', async () => {
    const t = setup({ [RULES]: [200, { success: true, rules: [RULE(1), RULE(2), RULE(3)] }] });
    await hello(t);
    t.ws.receive({ type: 'rule_added', seq: 2, epoch: EPOCH, rule: RULE(7, 99) });
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 2, 3, 7]);
    t.ws.receive({ type: 'rule_deleted', seq: 3, epoch: EPOCH, id: 2 });
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 3, 7]);
    t.ws.receive({ type: 'rule_added', seq: 4, epoch: EPOCH, rule: RULE(7, 99) }); // ours, heard again
    expect(t.store.rules?.map((r) => r.id)).toEqual([1, 3, 7]);
  });
});

describe('a PID the server knows nothing of', () => {
  it('adds no tab and no watch entry, and says "no such process"', async () => {
    const t = setup({ 'GET http://t/api/processes/99999/history': [404, { success: false, error: 'Process not found or inaccessible' }] });
    await hello(t);
    t.store.open('exited');
    t.store.open('process', 99999);
    expect(t.store.shownWatched()).toEqual([]); // no tab while it is looked up
    const sub = t.ws.sent.find((m) => Array.isArray(m.pids) && (m.pids as number[]).includes(99999));
    t.ws.receive({ type: 'ack', seq: 2, epoch: EPOCH, ref: sub?.id, op: 'subscribe', pids: [], not_found: [99999] });
    await flush();
    expect(t.store.watched.has(99999)).toBe(false);
    expect(t.store.view).toBe('exited'); // back where it was opened from
    expect(t.store.noSuchPid).toBe(99999);
    expect(t.store.errors.map((e) => e.message).join()).toContain('No such process');
  });

  it('a PID that runs gets its tab once the server confirms it', async () => {
    const t = setup();
    await hello(t);
    t.store.open('process', 4242);
    const sub = t.ws.sent.find((m) => Array.isArray(m.pids) && (m.pids as number[]).includes(4242));
    t.ws.receive({ type: 'ack', seq: 2, epoch: EPOCH, ref: sub?.id, op: 'subscribe', pids: [4242], not_found: [] });
    expect(t.store.shownWatched()).toEqual([4242]);
  });
});

describe('an exited process', () => {
  it('shows its last live figures, not the zombie\'s, and the server\'s exit time after a reload', async () => {
    const series = { t: [100, 101, 102], rss: [50 << 20, 50 << 20, 0], vms: [90 << 20, 90 << 20, 0], cpu_percent: [3, 4, 0] };
    const proc = { pid: 77, start: 5, name: 'python3', cmdline: 'python3 job.py', ppid: 1, username: 'root', uid: 0, create_time: 90, cpu_user: 1.5, cpu_system: 0.25, rss: 50 << 20, vms: 90 << 20, live_time: 101, exit_time: 103.5 };
    const t = setup({ 'GET http://t/api/processes/77/history': [200, { success: true, pid: 77, start: 5, name: 'python3', cmdline: 'python3 job.py', series, process: proc, exit_time: 103.5 }] });
    const e = t.store.watch(77);
    await t.store.loadHistory(e);
    expect(e.exited?.time).toBe(103.5); // the time of the gone message, not the last sample's
    const r = shownRecord(e);
    expect(r).toMatchObject({ rss: 50 << 20, vms: 90 << 20, ppid: 1, username: 'root', create_time: 90, cpu_user: 1.5, cpu_system: 0.25, cpu_percent: 4 });
  });

  it('that was a zombie when it left keeps the figures of its last live record', () => {
    const e = { pid: 8, ring: null, version: 0, record: { pid: 8, rss: 0, vms: 0, status: 'zombie', zombie: true, cmdline: '' }, lastLive: { pid: 8, rss: 1 << 20, vms: 2 << 20, status: 'sleeping', zombie: false, cmdline: 'x y' }, exited: { reason: 'exited', time: 5 } };
    expect(shownRecord(e)).toMatchObject({ rss: 1 << 20, vms: 2 << 20, status: 'zombie', cmdline: 'x y' });
    const live = { ...e, exited: undefined, record: { ...e.lastLive } };
    expect(shownRecord(live)?.rss).toBe(1 << 20);
  });
});

describe('long windows', () => {
  it('chooses a round step that keeps a chart within the point budget', () => {
    expect(chooseStep(21600, 1)).toBe(15); // 6 h: 1440 points
    expect(chooseStep(86400, 1)).toBe(60); // 24 h: 1440 points
    expect(chooseStep(604800, 1)).toBe(600); // 7 d: 1008 points
    expect(chooseStep(86400, 0.25, 2000)).toBe(60);
    expect(chooseStep(60, 0.25)).toBe(1); // never finer than a second here (round steps)
    expect(chooseStep(600, 5)).toBe(5); // never finer than the sampling interval
    for (const w of [21600, 86400, 604800]) expect(w / chooseStep(w, 1)).toBeLessThanOrEqual(1500);
    expect(isLongWindow(3600, 3_600_000)).toBe(false);
    expect(isLongWindow(21600, 3_600_000)).toBe(true);
  });

  it('joins stored points and live samples at the step, with gaps where there is no data', () => {
    const fetched = { t: Float64Array.from([0, 60, 120, 600, 660]), cols: { rss: Float64Array.from([1, 2, 3, 4, 5]) } };
    const ring = new SeriesRing(['rss'] as const, 100);
    for (let t = 650; t <= 800; t += 10) ring.push(t, () => t);
    const { times, columns } = joinColumns(fetched, 660, ring, ['rss'] as const, 60, 180);
    const rss = Array.from(columns[0] as Float64Array);
    // A NaN between 120 and 600 (no data for 480 s), stored points up to 660, then the last live
    // sample of each 60 s bucket after it and the newest one.
    expect(Array.from(times)).toEqual([0, 60, 120, 360, 600, 660, 710, 770, 800]);
    expect(rss.map((v) => (Number.isNaN(v) ? null : v))).toEqual([1, 2, 3, null, 4, 5, 710, 770, 800]);
  });
});

describe('the table count', () => {
  it('agrees with the top bar and says kernel threads are hidden', () => {
    expect(countText(43, 43, 104, false, false)).toBe('43 of 104 processes (kernel threads hidden)');
    expect(countText(104, 104, 104, false, true)).toBe('104 processes');
    expect(countText(3, 3, 104, true, false)).toBe('3 matching (kernel threads hidden)');
    expect(countText(50, 70, 104, true, true)).toBe('50 of 70 matching');
  });
});
