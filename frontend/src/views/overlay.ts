/**
 * One metric of several watched processes on one chart, each its own colour with a legend. Used by
 * the compare view and the embed view. The chart is rebuilt when the set of series changes and
 * redrawn when any of the processes has a new sample.
 */
import { Aligner, type AlignSource } from '../charts/align';
import { TimeChart } from '../charts/chart';
import { displayName, type Store, type WatchEntry } from '../state/store';
import { seriesColor } from './dom';
import { OVERLAY_METRICS } from './metrics';

export interface OverlayOptions {
  height?: number;
  title?: boolean;
  /** uPlot's own legend (off where the view shows its own list). */
  legend?: boolean;
}

export class OverlayChart {
  private readonly parent: HTMLElement;
  private readonly store: Store;
  private readonly opts: OverlayOptions;
  private chart: TimeChart | null = null;
  private key = '';
  private drawn = '';
  private readonly aligner = new Aligner();

  constructor(parent: HTMLElement, store: Store, opts: OverlayOptions = {}) {
    this.parent = parent;
    this.store = store;
    this.opts = opts;
  }

  /** Draws `metric` for `pids` (colours follow each PID's place in `colorOrder`). */
  update(metric: string, pids: number[], colorOrder: number[], force = false): void {
    const def = OVERLAY_METRICS[metric];
    if (!def) return;
    const entries = pids.map((p) => this.store.watched.get(p)).filter((e): e is WatchEntry => !!e);
    const key = `${metric}|${entries.map((e) => `${e.pid}:${e.record?.name ?? ''}`).join(',')}`;
    if (force || key !== this.key || !this.chart) {
      this.chart?.destroy();
      this.key = key;
      this.drawn = '';
      this.chart = new TimeChart(this.parent, {
        title: this.opts.title === false ? undefined : def.label,
        name: def.label,
        unit: def.unit,
        height: this.opts.height ?? 260,
        legend: this.opts.legend ?? true,
        minTop: def.unit === 'percent' ? 1 : undefined,
        series: entries.map((e) => ({
          label: `${displayName(e) ?? '?'} ${e.pid}`,
          color: seriesColor(Math.max(0, colorOrder.indexOf(e.pid))),
        })),
      });
    }
    const versions = `${this.store.windowSec}|${entries.map((e) => e.version).join(',')}`;
    if (versions === this.drawn) return;
    this.drawn = versions;
    const sources: AlignSource[] = [];
    let end = -Infinity;
    for (const e of entries) {
      const ring = e.ring;
      if (!ring) {
        sources.push({ times: new Float64Array(0), parts: [] });
        continue;
      }
      sources.push({ times: ring.times(), parts: def.parts.map((m) => ring.column(m)) });
      end = Math.max(end, ring.lastTime);
    }
    if (end === -Infinity) end = Date.now() / 1000;
    // The last hour at most: longer windows are drawn from the store by the process and system views.
    const win = Math.min(this.store.windowSec, Math.max(3600, (this.store.hello?.history_ms ?? 0) / 1000));
    const a = this.aligner.align(sources, end - win);
    this.chart.setData(a.times, a.cols, win, end);
  }

  get seriesCount(): number {
    return this.key ? this.key.split('|')[1]?.split(',').filter(Boolean).length ?? 0 : 0;
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
    this.key = '';
  }
}
