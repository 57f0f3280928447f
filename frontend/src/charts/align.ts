/**
 * Aligns several series that have their own times onto one time axis, as uPlot needs for an overlay
 * (compare and embed charts). The server samples every process on the same tick, so times mostly
 * coincide; where one series has no sample at a time its value is NaN. Output buffers are reused
 * between calls, and only the window being shown is merged.
 */
import { lowerIndex } from './data';

export interface AlignSource {
  times: Float64Array;
  /** Columns added together to form the series (e.g. minor + major faults). */
  parts: Float64Array[];
}

export interface Aligned {
  times: Float64Array;
  cols: Float64Array[];
}

/** Times closer than this (seconds) are the same tick. */
const SAME_TICK = 1e-3;

export class Aligner {
  private t = new Float64Array(64);
  private cols: Float64Array[] = [];
  private readonly idx: number[] = [];

  /** Merges the sources from time `from` on; the result views are valid until the next call. */
  align(sources: readonly AlignSource[], from: number): Aligned {
    let total = 0;
    const idx = this.idx;
    idx.length = sources.length;
    sources.forEach((s, k) => {
      const i = Math.max(0, lowerIndex(s.times, from) - 1);
      idx[k] = i;
      total += s.times.length - i;
    });
    if (this.t.length < total) this.t = new Float64Array(total * 2);
    while (this.cols.length < sources.length) this.cols.push(new Float64Array(this.t.length));
    for (let k = 0; k < sources.length; k++) {
      if ((this.cols[k] as Float64Array).length < this.t.length) this.cols[k] = new Float64Array(this.t.length);
    }
    let n = 0;
    for (;;) {
      let tmin = Infinity;
      for (let k = 0; k < sources.length; k++) {
        const s = sources[k] as AlignSource;
        const i = idx[k] as number;
        if (i < s.times.length && (s.times[i] as number) < tmin) tmin = s.times[i] as number;
      }
      if (tmin === Infinity) break;
      this.t[n] = tmin;
      for (let k = 0; k < sources.length; k++) {
        const s = sources[k] as AlignSource;
        const i = idx[k] as number;
        const col = this.cols[k] as Float64Array;
        if (i < s.times.length && (s.times[i] as number) - tmin < SAME_TICK) {
          let v = 0;
          for (const p of s.parts) v += p[i] as number;
          col[n] = v;
          idx[k] = i + 1;
        } else col[n] = NaN;
      }
      n++;
    }
    return { times: this.t.subarray(0, n), cols: this.cols.slice(0, sources.length).map((c) => c.subarray(0, n)) };
  }
}
