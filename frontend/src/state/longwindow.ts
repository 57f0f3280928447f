/**
 * Windows longer than the server's in-memory history (6 h, 24 h, 7 d): the points come from the
 * server's store through the REST history endpoints (stitched from memory and the retention tiers),
 * fetched at a step that keeps each chart within MAX_POINTS, and the live samples since the fetch
 * are appended at the same step. Where the server has no points the chart shows a gap.
 * Pure functions (step choice, gaps, joining) plus a small holder of one fetched range.
 */
import type { HistoryColumns } from '../net/types';
import type { SeriesRing } from './series';

/** Points per chart a fetch aims at, at most (the live tail adds a few more until the next fetch). */
export const MAX_POINTS = 1500;

/** Steps a long window is fetched at, in seconds: round values a person can read as a resolution. */
const STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/**
 * The step for a window: the finest round step, never finer than the sampling interval, that keeps
 * `windowSec / step` within `maxPoints`.
 */
export function chooseStep(windowSec: number, intervalSec: number, maxPoints = MAX_POINTS): number {
  const least = Math.max(windowSec / Math.max(1, maxPoints), intervalSec, 0.001);
  for (const s of STEPS) if (s >= least - 1e-9) return s;
  return Math.ceil(least);
}

/** Whether a window needs the server's store (longer than the in-memory history the socket sends). */
export function isLongWindow(windowSec: number, historyMs: number | undefined): boolean {
  return windowSec > Math.max((historyMs ?? 3600_000) / 1000, 3600);
}

/** "1 s", "15 s", "1 min", "10 min", "1 h". */
export function formatStep(step: number): string {
  if (step < 1) return `${Math.round(step * 1000)} ms`;
  if (step < 60) return `${+step.toFixed(2)} s`;
  if (step < 3600) return `${+(step / 60).toFixed(1)} min`;
  return `${+(step / 3600).toFixed(1)} h`;
}

/** Columns ready for a chart: times and one array per metric, NaN for no value (a gap). */
export interface ChartColumns {
  times: Float64Array;
  columns: Float64Array[];
}

/**
 * Joins fetched points (up to `fetchedTo`) and the ring's samples after them, the latter thinned to
 * the last sample of each `step` bucket, and puts a NaN point wherever two neighbours lie more than
 * `maxGap` seconds apart, so that the line breaks where there is no data instead of bridging it.
 */
export function joinColumns<K extends string>(
  fetched: HistoryColumns | null,
  fetchedTo: number,
  ring: SeriesRing<K> | null,
  keys: readonly K[],
  step: number,
  maxGap: number,
): ChartColumns {
  const ts: number[] = [];
  const cols: number[][] = keys.map(() => []);
  let prev = Number.NEGATIVE_INFINITY;
  const add = (t: number, value: (c: number) => number): void => {
    if (t <= prev) return;
    if (t - prev > maxGap && prev > Number.NEGATIVE_INFINITY) {
      ts.push(prev + (t - prev) / 2);
      for (const c of cols) c.push(Number.NaN);
    }
    ts.push(t);
    cols.forEach((c, i) => c.push(value(i)));
    prev = t;
  };
  if (fetched) {
    const fc = keys.map((k) => fetched.cols[k]);
    for (let i = 0; i < fetched.t.length; i++) {
      add(fetched.t[i] as number, (c) => {
        const v = fc[c]?.[i];
        return v === undefined || v === null ? Number.NaN : (v as number);
      });
    }
  }
  if (ring && ring.length) {
    const times = ring.times();
    const rc = keys.map((k) => ring.column(k));
    for (let i = ring.indexAtOrAfter(fetchedTo); i < times.length; i++) {
      const t = times[i] as number;
      if (t <= fetchedTo) continue;
      // The last sample of its bucket (as the server's step does), and always the newest one.
      const next = times[i + 1];
      if (next !== undefined && Math.floor(next / step) === Math.floor(t / step)) continue;
      add(t, (c) => rc[c]?.[i] as number);
    }
  }
  return { times: Float64Array.from(ts), columns: cols.map((c) => Float64Array.from(c)) };
}

/** One fetched long range (of a process or of the system) and when to fetch it again. */
export class LongRange {
  windowSec = 0;
  step = 1;
  from = 0;
  to = 0;
  series: HistoryColumns | null = null;
  state: 'idle' | 'loading' | 'loaded' | 'error' = 'idle';
  error = '';
  /** Bumped when new points arrive. */
  version = 0;
  private requested = 0;

  /** Whether a fetch is due for this window at `now` (seconds): new window, or the data aged. */
  due(windowSec: number, now: number): boolean {
    if (this.state === 'loading') return this.windowSec !== windowSec;
    if (this.windowSec !== windowSec || this.state === 'idle') return true;
    // The older tiers move on slowly: a fetch every twentieth of the window, at most once a minute.
    return now - this.requested > Math.max(60, windowSec / 20);
  }

  /** Fetches the window's points with `get`; the result lands here (a later request wins). */
  async load(windowSec: number, step: number, now: number, get: (from: number, to: number, step: number) => Promise<{ ok: true; value: HistoryColumns } | { ok: false; error: string }>): Promise<void> {
    const id = ++this.version;
    this.windowSec = windowSec;
    this.step = step;
    this.requested = now;
    this.state = 'loading';
    const from = Math.floor(now - windowSec);
    const to = now;
    const r = await get(from, to, step);
    if (id !== this.version) return; // a newer request is out
    this.version++;
    if (r.ok) {
      this.series = r.value;
      this.from = from;
      this.to = r.value.t.length ? Math.max(r.value.t[r.value.t.length - 1] as number, to - step) : to - step;
      this.state = 'loaded';
      this.error = '';
    } else {
      this.state = 'error';
      this.error = r.error;
    }
  }
}
