// Which table rows changed since the table last drew: PIDs from row patches, or all rows.
import { describe, expect, it } from 'vitest';
import { RowChanges } from '../src/state/changes';

describe('RowChanges', () => {
  it('counts every row as changed until the first clear', () => {
    const c = new RowChanges();
    expect(c.all).toBe(true);
    expect(c.has(1)).toBe(true);
    c.addPatch({ '5': { rss: 1 } });
    expect(c.size).toBe(0); // nothing to record while everything counts
    c.clear();
    expect(c.all).toBe(false);
    expect(c.has(1)).toBe(false);
    expect(c.has(5)).toBe(false);
  });

  it('records the PIDs a row patch names, removed rows too', () => {
    const c = new RowChanges();
    c.clear();
    c.addPatch({ '5151': { cpu_percent: 3 }, '17': null });
    c.addPatch({ '5151': { rss: 2 }, '40000': { pid: 40000, name: 'new' } });
    c.add(7);
    expect([5151, 17, 40000, 7].map((p) => c.has(p))).toEqual([true, true, true, true]);
    expect(c.has(5152)).toBe(false);
    expect(c.size).toBe(4);
    c.addPatch(undefined);
    c.addPatch(null);
    expect(c.size).toBe(4);
    c.clear();
    expect(c.has(5151)).toBe(false);
    expect(c.size).toBe(0);
  });

  it('addAll makes every row changed until the next clear', () => {
    const c = new RowChanges();
    c.clear();
    c.addPatch({ '1': {} });
    c.addAll();
    expect(c.all).toBe(true);
    expect(c.has(123456)).toBe(true);
    c.clear();
    expect(c.has(1)).toBe(false);
  });
});
