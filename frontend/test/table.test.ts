import { describe, expect, it } from 'vitest';
import type { Patch, SortKey, TableRow, TableState } from '../src/net/types';
import { matchesFilter, rowComparator, shownRows, sortShown } from '../src/state/table';
import { reordersTable, tableChange } from '../src/state/store';

const rows: Record<string, TableRow> = {
  '1': { pid: 1, name: 'systemd', username: 'root', cmdline: '/sbin/init', rss: 12e6, cpu_percent: 0 },
  '2': { pid: 2, name: 'kthreadd', username: 'root', kernel_thread: true, rss: 0 },
  '300': { pid: 300, name: 'Chrome', username: 'alice', cmdline: '/opt/chrome --type=renderer', rss: 300e6, cpu_percent: 12.5 },
  '42': { pid: 42, name: 'sleep', username: 'bob', cmdline: 'sleep 600', rss: 1e6 },
  '43': { pid: 43, name: 'zombie', username: 'bob', rss: 5e6 },
};

const q = { sort: 'rss' as const, order: 'desc' as const, filter: '', kernelThreads: false };

describe('process table ordering', () => {
  it('sorts by memory descending and hides kernel threads by default', () => {
    expect(shownRows(rows, new Map(), q).map((r) => r.row.pid)).toEqual([300, 1, 43, 42]);
  });

  it('sorts strings case-insensitively, ascending', () => {
    const pids = shownRows(rows, new Map(), { ...q, sort: 'name', order: 'asc', kernelThreads: true }).map((r) => r.row.pid);
    expect(pids).toEqual([300, 2, 42, 1, 43]);
  });

  it('puts missing values last in both orders', () => {
    const cmp = rowComparator('cpu_percent', 'asc');
    const sorted = Object.values(rows).sort(cmp).map((r) => r.pid);
    expect(sorted.slice(-3).sort()).toEqual([2, 42, 43]);
    const desc = Object.values(rows).sort(rowComparator('cpu_percent', 'desc')).map((r) => r.pid);
    expect(desc.slice(0, 2)).toEqual([300, 1]);
  });

  it('filters by name, cmdline, user or exact PID', () => {
    expect(matchesFilter(rows['300']!, 'chrome')).toBe(true);
    expect(matchesFilter(rows['300']!, 'RENDERER')).toBe(true);
    expect(matchesFilter(rows['42']!, 'bob')).toBe(true);
    expect(matchesFilter(rows['42']!, '42')).toBe(true);
    expect(matchesFilter(rows['43']!, '4')).toBe(false);
    expect(shownRows(rows, new Map(), { ...q, filter: '300' }).map((r) => r.row.pid)).toEqual([300]);
  });

  it('keeps fading ghosts in order until a live row has the same PID', () => {
    const ghosts = new Map([['77', { row: { pid: 77, name: 'gone', rss: 2e6 } as TableRow }], ['42', { row: { pid: 42, name: 'old' } as TableRow }]]);
    const out = shownRows(rows, ghosts, q);
    expect(out.map((r) => [r.row.pid, r.ghost])).toEqual([
      [300, false],
      [1, false],
      [43, false],
      [77, true],
      [42, false],
    ]);
  });

  it('orders 2000 rows quickly', () => {
    const many: Record<string, TableRow> = {};
    for (let i = 1; i <= 2000; i++) many[i] = { pid: i, name: `p${i % 97}`, rss: (i * 7919) % 100000, cpu_percent: (i * 31) % 100 };
    const out: ReturnType<typeof shownRows> = [];
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) shownRows(many, new Map(), { ...q, sort: k % 2 ? 'cpu_percent' : 'name' }, out);
    const per = (performance.now() - t0) / 20;
    expect(out.length).toBe(2000);
    expect(per).toBeLessThan(20);
  });
});

describe('tableChange', () => {
  const change = (patch: unknown, sort: SortKey, filtering: boolean): string => tableChange(patch as Patch<TableState>, sort, filtering);
  it('tells a change of order from a change of which rows show', () => {
    expect(change({ rows: { '1': { cpu_percent: 3 } } }, 'rss', false)).toBe('none');
    expect(change({ rows: { '1': { rss: 3 }, '2': { rss: 4, cpu_percent: 1 } } }, 'rss', false)).toBe('order');
    expect(change({ rows: { '1': { rss: 3 }, '2': null } }, 'rss', false)).toBe('rows');
    expect(change({ rows: { '1': { rss: 3 }, '9': { pid: 9, name: 'new', rss: 1 } } }, 'rss', false)).toBe('rows');
    expect(change({ rows: { '1': { rss: 3, name: 'x' } } }, 'rss', true)).toBe('rows');
    expect(change({ rows: { '1': { rss: 3, name: 'x' } } }, 'rss', false)).toBe('order');
    expect(change({ rows: { '1': { kernel_thread: false } } }, 'cpu_percent', false)).toBe('rows');
    expect(change({ order: 'asc' }, 'rss', false)).toBe('rows');
  });

  it('sorting the rows again gives the order gathering them would', () => {
    const rows: Record<string, TableRow> = {};
    for (let pid = 1; pid <= 50; pid++) rows[pid] = { pid, rss: (pid * 37) % 11, name: `p${pid}` };
    const q = { sort: 'rss' as SortKey, order: 'desc' as const, filter: '', kernelThreads: false };
    const out = shownRows(rows, new Map(), q);
    for (let pid = 1; pid <= 50; pid += 3) (rows[pid] as TableRow).rss = (pid * 13) % 7;
    const resorted = sortShown(out, 'rss', 'desc').map((s) => s.row.pid);
    expect(resorted).toEqual(shownRows(rows, new Map(), q, []).map((s) => s.row.pid));
  });
});

describe('reordersTable', () => {
  const reorders = (patch: unknown, sort: SortKey, filtering: boolean): boolean => reordersTable(patch as Patch<TableState>, sort, filtering);
  it('says when a patch can change which rows show or their order', () => {
    expect(reorders({ rows: { '1': { cpu_percent: 3 } } }, 'rss', false)).toBe(false);
    expect(reorders({ total: 12 }, 'rss', false)).toBe(false);
    expect(reorders({ rows: { '1': { rss: 3 } } }, 'rss', false)).toBe(true);
    expect(reorders({ rows: { '1': null } }, 'rss', false)).toBe(true);
    expect(reorders({ rows: { '9': { pid: 9, name: 'new', rss: 1 } } }, 'cpu_percent', false)).toBe(true);
    expect(reorders({ rows: { '1': { cmdline: 'x y' } } }, 'rss', false)).toBe(false);
    expect(reorders({ rows: { '1': { cmdline: 'x y' } } }, 'rss', true)).toBe(true);
    expect(reorders({ rows: { '1': { kernel_thread: true } } }, 'rss', false)).toBe(true);
    expect(reorders({ sort: 'pid' }, 'rss', false)).toBe(true);
  });
});
