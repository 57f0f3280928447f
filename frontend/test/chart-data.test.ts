import { describe, expect, it } from 'vitest';
import { chartCsv, chartSummary, columnStats, exportName, hoveredIndex, isTimeGap, timeGaps } from '../src/charts/data';

describe('chart data', () => {
  const xs = Float64Array.from([100, 101, 102, 103, 163, 164, 165]); // a minute without samples after 103

  it('finds gaps in time, not changes of spacing', () => {
    expect(timeGaps(xs)).toEqual([[3, 4]]);
    // A coarser tier further back (10 s apart, then 1 s): no gap.
    const tiers = [0, 10, 20, 30, 31, 32, 33];
    expect(timeGaps(tiers)).toEqual([]);
    expect(isTimeGap([0, 1], 0)).toBe(false);
  });

  it('hovers a sample only near it: before the first, after the last and inside a gap there is none', () => {
    expect(hoveredIndex(xs, 0, 100.4)).toBe(0);
    expect(hoveredIndex(xs, 0, 40)).toBeNull(); // the process did not exist yet
    expect(hoveredIndex(xs, 3, 120)).toBeNull(); // in the gap
    expect(hoveredIndex(xs, 6, 165.9)).toBe(6);
    expect(hoveredIndex(xs, 6, 200)).toBeNull();
    expect(hoveredIndex(xs, null, 100)).toBeNull();
    expect(hoveredIndex([50], 0, 51)).toBe(0);
    expect(hoveredIndex([50], 0, 80)).toBeNull();
  });

  it('summarises last, min and max, skipping missing values', () => {
    const col = [NaN, 3, null, 1, 5, 4, NaN];
    expect(columnStats(col)).toEqual({ last: 4, min: 1, max: 5, count: 4 });
    expect(columnStats([NaN, null])).toEqual({ last: null, min: null, max: null, count: 0 });
    const text = chartSummary({
      name: 'Memory',
      unit: 'bytes',
      labels: ['RSS', 'VMS'],
      xs,
      cols: [[1024, 2048, 4096, 1024, 1024, 1024, 3072], [NaN, NaN, NaN, NaN, NaN, NaN, NaN]],
      from: 100,
      to: 165,
      windowSec: 300,
      zoomed: false,
    });
    expect(text).toBe('Memory, last 5m: RSS 3.00 KiB (min 1.00 KiB, max 4.00 KiB); VMS: no data');
    const zoomed = chartSummary({ name: 'CPU', unit: 'percent', labels: ['CPU %'], xs, cols: [[1, 2, 3, 4, 5, 6, 7]], from: 101, to: 103, windowSec: 300, zoomed: true });
    expect(zoomed).toBe('CPU, zoomed to 2s: CPU % 4.0% (min 2.0%, max 4.0%)');
  });

  it('writes CSV with ISO and epoch times, empty fields for missing values, only the range asked', () => {
    const csv = chartCsv(['RSS', 'a "quoted", label'], [1767225600, 1767225600.25, 1767225601], [[1, NaN, 3], [null, 2.5, 1 / 3]], 1767225600.1);
    expect(csv).toBe('time_iso,time_epoch,RSS,"a ""quoted"", label"\r\n2026-01-01T00:00:00.250Z,1767225600.25,,2.5\r\n2026-01-01T00:00:01.000Z,1767225601,3,0.333333\r\n');
    expect(chartCsv(['x'], [], [[]])).toBe('time_iso,time_epoch,x\r\n');
  });

  it('names exported files after the chart and the time', () => {
    expect(exportName('Page faults', 'csv', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('page-faults-2026-01-02T03-04-05Z.csv');
    expect(exportName('RSS (1234)', 'png', new Date(0))).toBe('rss-1234-1970-01-01T00-00-00Z.png');
    expect(exportName('…', 'png', new Date(0))).toBe('chart-1970-01-01T00-00-00Z.png');
  });
});
