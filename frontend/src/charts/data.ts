/**
 * Pure helpers of the chart wrapper, on the columns it draws (times in seconds, values with NaN or
 * null for "no value"): where the line has a gap, which sample the cursor hovers, the text summary
 * that stands in for the picture, the data table's rows and the CSV export.
 */
import { formatUnit, formatWindow, type Unit } from '../util/format';

/** A column as uPlot draws it: null is a gap. */
export type Column = ArrayLike<number | null>;

function valueAt(col: Column, i: number): number | null {
  const v = col[i];
  return v === null || v === undefined || Number.isNaN(v) ? null : v;
}

/**
 * Whether the samples at i and i + 1 are far apart enough to be a gap in time (the server was
 * stopped, the process did not run): more than three times the spacing on both sides of it. A
 * change of spacing (a coarser history tier further back) is not a gap.
 */
export function isTimeGap(xs: ArrayLike<number>, i: number): boolean {
  const n = xs.length;
  if (i < 0 || i + 1 >= n) return false;
  const dx = (xs[i + 1] as number) - (xs[i] as number);
  const before = i > 0 ? (xs[i] as number) - (xs[i - 1] as number) : NaN;
  const after = i + 2 < n ? (xs[i + 2] as number) - (xs[i + 1] as number) : NaN;
  const near = Math.max(Number.isNaN(before) ? 0 : before, Number.isNaN(after) ? 0 : after);
  return near > 0 && dx > 3 * near;
}

/** Index pairs [i, i + 1] (from `i0` to `i1`) between which a line must not be drawn. */
export function timeGaps(xs: ArrayLike<number>, i0 = 0, i1 = xs.length - 1): [number, number][] {
  const out: [number, number][] = [];
  for (let i = Math.max(0, i0); i < i1; i++) if (isTimeGap(xs, i)) out.push([i, i + 1]);
  return out;
}

/**
 * The sample shown for a cursor at time `x` whose closest sample is `idx`, or null when the cursor
 * is in no sample's neighbourhood (before the first one, after the last, inside a gap): farther
 * from it than one and a half times the spacing to its nearer neighbour.
 */
export function hoveredIndex(xs: ArrayLike<number>, idx: number | null, x: number): number | null {
  if (idx === null || idx < 0 || idx >= xs.length) return null;
  const at = xs[idx] as number;
  const prev = idx > 0 ? at - (xs[idx - 1] as number) : Infinity;
  const next = idx + 1 < xs.length ? (xs[idx + 1] as number) - at : Infinity;
  let step = Math.min(prev, next);
  if (step === Infinity) step = 2; // a single sample: its own couple of seconds
  return Math.abs(x - at) <= 1.5 * step ? idx : null;
}

export interface Stats {
  last: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

/** Last, smallest and largest value of `col` over the samples `from`..`to` (inclusive). */
export function columnStats(col: Column, from = 0, to = col.length - 1): Stats {
  let min: number | null = null;
  let max: number | null = null;
  let last: number | null = null;
  let count = 0;
  for (let i = Math.max(0, from); i <= to && i < col.length; i++) {
    const v = valueAt(col, i);
    if (v === null) continue;
    count++;
    last = v;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  return { last, min, max, count };
}

/** First index with xs[i] >= t (xs sorted). */
export function lowerIndex(xs: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Last index with xs[i] <= t (xs sorted); -1 when none. */
export function upperIndex(xs: ArrayLike<number>, t: number): number {
  return lowerIndex(xs, t + 1e-9) - 1;
}

export interface SummaryInput {
  name: string;
  unit: Unit;
  labels: string[];
  xs: ArrayLike<number>;
  cols: Column[];
  /** The time range shown (seconds). */
  from: number;
  to: number;
  /** The window the chart follows, when not zoomed. */
  windowSec: number;
  zoomed: boolean;
}

/**
 * The text alternative of a chart: "Memory, last 5m: RSS 12.0 MiB (min 10.0 MiB, max 13.1 MiB); …".
 */
export function chartSummary(s: SummaryInput): string {
  const i0 = lowerIndex(s.xs, s.from);
  const i1 = upperIndex(s.xs, s.to);
  const span = s.zoomed ? `zoomed to ${formatWindow(Math.max(1, Math.round(s.to - s.from)))}` : `last ${formatWindow(s.windowSec)}`;
  const parts = s.labels.map((label, k) => {
    const st = columnStats(s.cols[k] ?? [], i0, i1);
    if (st.count === 0) return `${label}: no data`;
    return `${label} ${formatUnit(s.unit, st.last)} (min ${formatUnit(s.unit, st.min)}, max ${formatUnit(s.unit, st.max)})`;
  });
  return `${s.name}, ${span}: ${parts.join('; ')}`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvNumber(v: number | null): string {
  return v === null ? '' : String(+v.toFixed(6));
}

/**
 * The samples from `from` to `to` as CSV: `time_iso,time_epoch,<label>…`, one row per sample, an
 * empty field where a series has no value. Times in UTC (ISO 8601) and as seconds since the epoch.
 */
export function chartCsv(labels: string[], xs: ArrayLike<number>, cols: Column[], from = -Infinity, to = Infinity): string {
  const lines = [['time_iso', 'time_epoch', ...labels].map(csvField).join(',')];
  const i0 = lowerIndex(xs, from);
  const i1 = upperIndex(xs, to);
  for (let i = i0; i <= i1; i++) {
    const t = xs[i] as number;
    const row = [new Date(t * 1000).toISOString(), String(+t.toFixed(3))];
    for (const c of cols) row.push(csvNumber(valueAt(c, i)));
    lines.push(row.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for an export: "memory-1234-2026-01-02T03-04-05Z.csv". */
export function exportName(name: string, ext: string, now = new Date()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `${slug}-${stamp}.${ext}`;
}
