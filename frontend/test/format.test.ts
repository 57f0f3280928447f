import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatBytesRate,
  formatClock,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  formatSpan,
  formatUnit,
  formatWindow,
  parseBytes,
  parseDuration,
  parseWindow,
} from '../src/util/format';
import { niceTop } from '../src/charts/chart';

describe('format', () => {
  it('bytes in binary units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(10485760)).toBe('10.0 MiB');
    expect(formatBytes(104857600)).toBe('100 MiB');
    expect(formatBytes(1023.9 * 1024)).toBe('1.00 MiB');
    expect(formatBytes(25276502016)).toBe('23.5 GiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(NaN)).toBe('—');
    expect(formatBytesRate(2048)).toBe('2.00 KiB/s');
  });

  it('bytes just under a digit boundary: the decimals follow the rounded value (four characters at most)', () => {
    const KiB = 1024;
    const MiB = 1024 ** 2;
    const GiB = 1024 ** 3;
    const cases: [number, string][] = [
      [9.994 * KiB, '9.99 KiB'],
      [9.996 * KiB, '10.0 KiB'],
      [99.94 * KiB, '99.9 KiB'],
      [99.95 * KiB, '100 KiB'],
      [999.4 * KiB, '999 KiB'],
      [999.95 * KiB, '0.98 MiB'],
      [9.996 * MiB, '10.0 MiB'],
      [9.999 * MiB, '10.0 MiB'],
      [10 * MiB - 1, '10.0 MiB'],
      [99.95 * MiB, '100 MiB'],
      [99.99 * MiB, '100 MiB'],
      [1023.95 * MiB, '1.00 GiB'],
      [9.9999 * GiB, '10.0 GiB'],
    ];
    for (const [v, text] of cases) expect(formatBytes(v), String(v)).toBe(text);
    // Every value of a sweep over the boundaries has at most three significant digits.
    for (let e = 10; e < 40; e += 0.01) {
      const number = formatBytes(2 ** e).split(' ')[0] as string;
      expect(number.length, `${2 ** e} -> ${number}`).toBeLessThanOrEqual(4);
      expect(number.replace('.', '').replace(/^0+/, '').length, `${2 ** e} -> ${number}`).toBeLessThanOrEqual(3);
    }
  });

  it('percent, counts and rates', () => {
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(0.04, 2)).toBe('0.04%');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1.23k');
    expect(formatCount(37000.2)).toBe('37.0k');
    expect(formatCount(2500000)).toBe('2.50M');
    expect(formatCount(1.5)).toBe('1.5');
    expect(formatCount(9996)).toBe('10.0k');
    expect(formatCount(99960)).toBe('100k');
    expect(formatRate(128)).toBe('128/s');
    expect(formatRate(null)).toBe('—');
  });

  it('durations', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(725)).toBe('12m 05s');
    expect(formatDuration(4 * 3600 + 12 * 60)).toBe('4h 12m');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe('3d 4h');
    expect(formatDuration(-3)).toBe('0s');
  });

  it('clock times', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5).getTime() / 1000;
    expect(formatClock(t)).toBe('03:04:05');
  });

  it('windows', () => {
    expect(parseWindow('5m')).toBe(300);
    expect(parseWindow('15')).toBe(900);
    expect(parseWindow('90s')).toBe(90);
    expect(parseWindow('1h')).toBe(3600);
    expect(parseWindow('x')).toBeNull();
    expect(parseWindow('0m')).toBeNull();
    expect(formatWindow(300)).toBe('5m');
    expect(formatWindow(90)).toBe('90s');
  });

  it('nice axis tops', () => {
    expect(niceTop(0, 'percent')).toBe(1);
    expect(niceTop(87, 'percent')).toBe(100);
    expect(niceTop(13, 'rate')).toBe(15);
    expect(niceTop(10.5 * 1024 * 1024, 'bytes')).toBe(12 * 1024 * 1024);
  });
});

describe('typed input', () => {
  it('parses sizes: binary letters and IEC units, decimal SI units, a default unit for bare numbers', () => {
    expect(parseBytes('512')).toBe(512);
    expect(parseBytes('512', 1024 ** 2)).toBe(512 * 1024 ** 2);
    expect(parseBytes('120M')).toBe(120 * 1024 ** 2);
    expect(parseBytes('120 MiB')).toBe(120 * 1024 ** 2);
    expect(parseBytes('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes(' 2 gib ')).toBe(2 * 1024 ** 3);
    expect(parseBytes('1 GB')).toBe(1e9);
    expect(parseBytes('500 kB')).toBe(500_000);
    expect(parseBytes('2e9')).toBe(2e9);
    expect(parseBytes('10 MiB/s')).toBe(10 * 1024 ** 2);
    for (const bad of ['', 'abc', '12 apples', '-5M', '1.2.3']) expect(parseBytes(bad)).toBeNull();
  });

  it('parses durations', () => {
    expect(parseDuration('30')).toBe(30);
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('1m 30s')).toBe(90);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('250ms')).toBe(0.25);
    for (const bad of ['', 'soon', '5x', 'm5']) expect(parseDuration(bad)).toBeNull();
  });

  it('writes spans short and exact, so they read back the same', () => {
    expect(formatSpan(0)).toBe('0s');
    expect(formatSpan(1)).toBe('1s');
    expect(formatSpan(300)).toBe('5m');
    expect(formatSpan(90)).toBe('1m 30s');
    expect(formatSpan(5400)).toBe('1h 30m');
    expect(formatSpan(90061)).toBe('1d 1h 1m 1s');
    expect(formatSpan(0.5)).toBe('0.5s');
    for (const s of [1, 59, 61, 3600, 3661, 86400]) expect(parseDuration(formatSpan(s))).toBe(s);
  });

  it('formats values by unit', () => {
    expect(formatUnit('bytes', 1536)).toBe('1.50 KiB');
    expect(formatUnit('bytesRate', 2048)).toBe('2.00 KiB/s');
    expect(formatUnit('percent', 12.345)).toBe('12.3%');
    expect(formatUnit('rate', 1234)).toBe('1.23k/s');
    expect(formatUnit('load', 0.5)).toBe('0.50');
    expect(formatUnit('count', 7)).toBe('7');
    expect(formatUnit('bytes', NaN)).toBe('—');
  });
});
