/**
 * Fixed-capacity time series in typed arrays: one column of times and one per metric, NaN where a
 * value is unavailable. Storage is 2x the capacity so the newest `capacity` samples are always
 * contiguous: `view()` returns subarrays (no copy) that uPlot can draw directly. When the buffer
 * end is reached the newest samples are moved to the front once, which costs O(1) per push amortised.
 */
export class SeriesRing<K extends string = string> {
  readonly capacity: number;
  readonly keys: readonly K[];
  private t: Float64Array;
  private readonly cols: Record<K, Float64Array>;
  private start = 0;
  private end = 0;

  constructor(keys: readonly K[], capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be >= 1');
    this.capacity = Math.floor(capacity);
    this.keys = keys;
    this.t = new Float64Array(this.capacity * 2);
    const cols = {} as Record<K, Float64Array>;
    for (const k of keys) cols[k] = new Float64Array(this.capacity * 2);
    this.cols = cols;
  }

  get length(): number {
    return this.end - this.start;
  }

  /** Time of the newest sample, or -Infinity when empty. */
  get lastTime(): number {
    return this.end > this.start ? (this.t[this.end - 1] as number) : -Infinity;
  }

  get firstTime(): number {
    return this.end > this.start ? (this.t[this.start] as number) : -Infinity;
  }

  /**
   * Appends one sample. `get` returns each metric's value (null/undefined -> NaN). Samples not
   * newer than the last one are ignored, so replayed history never duplicates points.
   */
  push(time: number, get: (key: K) => number | null | undefined): boolean {
    if (!(time > this.lastTime)) return false;
    if (this.end === this.t.length) this.compact();
    const i = this.end;
    this.t[i] = time;
    for (const k of this.keys) {
      const v = get(k);
      this.cols[k][i] = v === null || v === undefined ? NaN : v;
    }
    this.end++;
    if (this.end - this.start > this.capacity) this.start++;
    return true;
  }

  /** Appends the samples of history columns that are newer than what the ring holds. */
  pushColumns(t: ArrayLike<number>, cols: Partial<Record<string, ArrayLike<number>>>): number {
    let added = 0;
    const last = this.lastTime;
    for (let i = 0; i < t.length; i++) {
      const time = t[i] as number;
      if (!(time > last)) continue;
      if (this.push(time, (k) => cols[k]?.[i])) added++;
    }
    return added;
  }

  clear(): void {
    this.start = this.end = 0;
  }

  /** Times of the stored samples, oldest first (a view: valid until the next push). */
  times(): Float64Array {
    return this.t.subarray(this.start, this.end);
  }

  /** One metric's values aligned with times() (a view: valid until the next push). */
  column(key: K): Float64Array {
    return this.cols[key].subarray(this.start, this.end);
  }

  /** The newest value of a metric (NaN when unavailable or empty). */
  last(key: K): number {
    return this.end > this.start ? (this.cols[key][this.end - 1] as number) : NaN;
  }

  /** Index (into times()) of the first sample at or after `time`. */
  indexAtOrAfter(time: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.t[mid] as number) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.start;
  }

  /** Moves the newest capacity-1 samples to the front of the buffers. */
  private compact(): void {
    const keep = Math.min(this.end - this.start, this.capacity - 1);
    const from = this.end - keep;
    this.t.copyWithin(0, from, this.end);
    for (const k of this.keys) this.cols[k].copyWithin(0, from, this.end);
    this.start = 0;
    this.end = keep;
  }
}
