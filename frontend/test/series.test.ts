import { describe, expect, it } from 'vitest';
import { SeriesRing } from '../src/state/series';
import { Aligner } from '../src/charts/align';

describe('SeriesRing', () => {
  it('appends, keeps the newest `capacity` samples contiguous, maps missing to NaN', () => {
    const r = new SeriesRing(['a', 'b'] as const, 3);
    for (let t = 1; t <= 10; t++) r.push(t, (k) => (k === 'a' ? t * 10 : t % 2 ? null : t));
    expect(r.length).toBe(3);
    expect(Array.from(r.times())).toEqual([8, 9, 10]);
    expect(Array.from(r.column('a'))).toEqual([80, 90, 100]);
    const b = Array.from(r.column('b'));
    expect(b[0]).toBe(8);
    expect(Number.isNaN(b[1])).toBe(true);
    expect(r.last('a')).toBe(100);
    expect(r.lastTime).toBe(10);
    expect(r.firstTime).toBe(8);
  });

  it('returns views, not copies, and compacts only when the buffer end is reached', () => {
    const r = new SeriesRing(['v'] as const, 4);
    for (let t = 1; t <= 4; t++) r.push(t, () => t);
    const view = r.column('v');
    expect(view.buffer.byteLength).toBe(8 * 8); // 2 x capacity, shared storage
    r.push(5, () => 5);
    expect(Array.from(r.column('v'))).toEqual([2, 3, 4, 5]);
    for (let t = 6; t <= 20; t++) r.push(t, () => t);
    expect(Array.from(r.times())).toEqual([17, 18, 19, 20]);
  });

  it('ignores samples that are not newer (replayed history)', () => {
    const r = new SeriesRing(['v'] as const, 10);
    r.pushColumns(new Float64Array([1, 2, 3]), { v: new Float64Array([10, 20, 30]) });
    expect(r.push(3, () => 99)).toBe(false);
    expect(r.pushColumns([2, 3, 4, 5], { v: [0, 0, 40, 50] })).toBe(2);
    expect(Array.from(r.column('v'))).toEqual([10, 20, 30, 40, 50]);
  });

  it('finds the first sample at or after a time', () => {
    const r = new SeriesRing(['v'] as const, 10);
    for (let t = 0; t < 10; t++) r.push(t * 2, () => t);
    expect(r.indexAtOrAfter(-1)).toBe(0);
    expect(r.indexAtOrAfter(5)).toBe(3);
    expect(r.indexAtOrAfter(6)).toBe(3);
    expect(r.indexAtOrAfter(100)).toBe(10);
  });

  it('rejects a silly capacity', () => {
    expect(() => new SeriesRing(['v'], 0)).toThrow(RangeError);
  });
});

describe('Aligner', () => {
  it('merges series on one time axis, NaN where one has no sample, summing parts', () => {
    const a = new Aligner();
    const out = a.align(
      [
        { times: new Float64Array([1, 2, 3]), parts: [new Float64Array([1, 2, 3]), new Float64Array([10, 10, 10])] },
        { times: new Float64Array([2, 3, 4]), parts: [new Float64Array([5, 6, 7])] },
      ],
      0,
    );
    expect(Array.from(out.times)).toEqual([1, 2, 3, 4]);
    expect(Array.from(out.cols[0]!)).toEqual([11, 12, 13, NaN]);
    expect(Array.from(out.cols[1]!)).toEqual([NaN, 5, 6, 7]);
  });

  it('starts one sample before the window so lines enter from the edge', () => {
    const a = new Aligner();
    const out = a.align([{ times: new Float64Array([1, 2, 3, 4, 5]), parts: [new Float64Array([1, 2, 3, 4, 5])] }], 3.5);
    expect(Array.from(out.times)).toEqual([3, 4, 5]);
  });
});
