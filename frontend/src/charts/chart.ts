/**
 * The one uPlot wrapper: a live time chart over a sliding window. Data arrives as typed-array views
 * straight from the series rings (no copies); NaN marks unavailable values. setData() draws at most
 * once per animation frame: extra calls within a frame only replace what the next frame draws.
 * The chart follows its container's width, and destroy() frees the uPlot instance.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes, formatCount, formatUnit, type Unit } from '../util/format';

export { formatUnit, type Unit };

export interface ChartSeries {
  label: string;
  /** A CSS colour, or `var(--name)` resolved when the chart is created. */
  color: string;
  fill?: boolean;
}

export interface ChartSpec {
  title?: string;
  unit: Unit;
  series: ChartSeries[];
  height?: number;
  /** Show uPlot's legend with live values (default true). */
  legend?: boolean;
  /** Lowest top of the y range, so flat near-zero lines do not look like noise. */
  minTop?: number;
}

/** Shorter labels for the y axis. */
function axisLabel(unit: Unit, v: number): string {
  switch (unit) {
    case 'bytes':
    case 'bytesRate':
      return v === 0 ? '0' : formatBytes(v).replace('.00', '');
    case 'percent':
      return `${+v.toFixed(1)}%`;
    case 'load':
      return String(+v.toFixed(2));
    default:
      return formatCount(v);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local wall-clock tick labels: HH:MM:SS when ticks are less than a minute apart, else HH:MM. */
function timeLabel(sec: number, incr: number): string {
  const d = new Date(sec * 1000);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return incr < 60 ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

/** Time axis steps in whole seconds (labels read HH:MM:SS, so never less than a second apart). */
const TIME_INCRS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Axis steps for byte values: 1, 2, 2.5, 5 … times powers of 1024, so ticks read "256 MiB". */
const BYTE_INCRS: number[] = (() => {
  const out: number[] = [];
  for (let k = 0; k < 6; k++) {
    for (const m of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) out.push(m * 1024 ** k);
  }
  return out;
})();

function cssColor(el: Element, color: string): string {
  const m = /^var\((--[\w-]+)\)$/.exec(color);
  if (!m) return color;
  return getComputedStyle(el).getPropertyValue(m[1] as string).trim() || '#888';
}

function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1] as string, 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * Which animation frame is being drawn: the document timeline's time, the same for every
 * requestAnimationFrame callback of one frame (views draw charts from the store's frame callback).
 * Reading it costs nothing and, unlike counting frames with a requestAnimationFrame of our own, asks
 * the browser for no extra frame.
 */
function currentFrame(): number {
  const t = document.timeline?.currentTime;
  return typeof t === 'number' ? t : performance.now();
}

export class TimeChart {
  readonly el: HTMLElement;
  private readonly spec: ChartSpec;
  private plot: uPlot | null;
  private readonly resizeObserver: ResizeObserver;
  private x0 = 0;
  private x1 = 1;
  private y1 = 1;
  private pending: uPlot.AlignedData | null = null;
  private drawnFrame = Number.NaN;
  private rafId = 0;

  constructor(parent: HTMLElement, spec: ChartSpec) {
    this.spec = spec;
    this.el = document.createElement('div');
    this.el.className = 'chart';
    if (spec.title) {
      const h = document.createElement('div');
      h.className = 'chart-title';
      h.textContent = spec.title;
      this.el.append(h);
    }
    const body = document.createElement('div');
    body.className = 'chart-body';
    this.el.append(body);
    parent.append(this.el);

    const styleEl = this.el;
    const axis = cssColor(styleEl, 'var(--chart-axis)');
    const grid = cssColor(styleEl, 'var(--chart-grid)');
    const font = '11px ui-sans-serif, system-ui, sans-serif';
    const unit = spec.unit;
    // Legend values: the hovered sample, or the newest one when the cursor is elsewhere.
    const fmt = (u: uPlot, v: number | null, sidx: number, didx: number | null): string => {
      if (didx != null) return formatUnit(unit, v);
      const col = u.data[sidx];
      if (!col) return '—';
      for (let i = col.length - 1; i >= 0; i--) {
        const x = col[i];
        if (x != null && !Number.isNaN(x)) return formatUnit(unit, x);
      }
      return '—';
    };

    const opts: uPlot.Options = {
      width: Math.max(200, body.clientWidth || parent.clientWidth || 400),
      height: spec.height ?? 140,
      padding: [6, 10, 0, 0],
      legend: { show: spec.legend ?? true, live: true },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
      scales: {
        x: { time: true, range: () => [this.x0, this.x1] },
        y: { range: () => [0, this.y1] },
      },
      axes: [
        {
          stroke: axis,
          font,
          size: 24,
          space: 80,
          incrs: TIME_INCRS,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1, size: 3 },
          values: (_u: uPlot, splits: number[], _axis: number, _space: number, incr: number) => splits.map((v) => timeLabel(v, incr)),
        },
        {
          stroke: axis,
          font,
          size: 58,
          space: 32,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1, size: 3 },
          ...(unit === 'bytes' || unit === 'bytesRate' ? { incrs: BYTE_INCRS } : {}),
          values: (_u: uPlot, splits: number[]) => splits.map((v) => axisLabel(unit, v)),
        },
      ],
      series: [
        { value: (_u: uPlot, v: number | null) => (v == null ? '' : timeLabel(v, 1)) },
        ...spec.series.map((s) => {
          const stroke = cssColor(styleEl, s.color);
          const o: uPlot.Series = { label: s.label, stroke, width: 1.5, value: fmt, points: { show: false } };
          if (s.fill) o.fill = withAlpha(stroke, 0.12);
          return o;
        }),
      ],
    };
    const empty: uPlot.AlignedData = [new Float64Array(0), ...spec.series.map(() => new Float64Array(0))];
    this.plot = new uPlot(opts, empty, body);

    this.resizeObserver = new ResizeObserver(() => {
      const w = Math.floor(body.clientWidth);
      if (this.plot && w > 0 && w !== this.plot.width) this.plot.setSize({ width: w, height: this.plot.height });
    });
    this.resizeObserver.observe(body);
  }

  /** Number of drawn points of the first series (for tests and diagnostics). */
  get pointCount(): number {
    const xs = this.plot?.data[0];
    return xs ? xs.length : 0;
  }

  /**
   * Shows `times` and one column per series over the last `windowSec` seconds ending at `end`
   * (default: the newest time). Arrays are used as given, so pass views, not copies.
   */
  setData(times: Float64Array, columns: ArrayLike<number>[], windowSec: number, end?: number): void {
    const last = times.length ? (times[times.length - 1] as number) : Date.now() / 1000;
    this.x1 = end ?? last;
    this.x0 = this.x1 - windowSec;
    // Skip what lies left of the window (binary search: the times are sorted).
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] as number) < this.x0) lo = mid + 1;
      else hi = mid;
    }
    const from = Math.max(0, lo - 1);
    const xs = times.subarray(from);
    let max = 0;
    const ys = columns.map((c) => {
      const col = c instanceof Float64Array ? c.subarray(from) : Float64Array.from(c).subarray(from);
      for (let i = 0; i < col.length; i++) {
        const v = col[i] as number;
        if (v > max) max = v; // NaN compares false
      }
      return col;
    });
    this.y1 = niceTop(Math.max(max * 1.08, this.spec.minTop ?? 0), this.spec.unit);
    this.pending = [xs, ...ys] as uPlot.AlignedData;
    this.draw();
  }

  private draw(): void {
    if (!this.plot || !this.pending) return;
    const frame = currentFrame();
    if (frame === this.drawnFrame) {
      // Already drawn in this frame: draw the latest data in the next one.
      if (!this.rafId) {
        this.rafId = requestAnimationFrame(() => {
          this.rafId = 0;
          this.draw();
        });
      }
      return;
    }
    this.drawnFrame = frame;
    const data = this.pending;
    this.pending = null;
    this.plot.setData(data);
    // What is on screen, for the browser tests and for people inspecting the page.
    const points = String(data[0].length);
    const span = String(Math.round(this.x1 - this.x0)); // the x range, in seconds
    if (this.el.dataset.span !== span) this.el.dataset.span = span;
    const series = String(data.length - 1);
    if (this.el.dataset.points !== points) this.el.dataset.points = points;
    if (this.el.dataset.series !== series) this.el.dataset.series = series;
  }

  destroy(): void {
    if (this.rafId) cancelAnimationFrame(this.rafId);
    this.resizeObserver.disconnect();
    this.plot?.destroy();
    this.plot = null;
    this.el.remove();
  }
}

/** A round upper bound for the y axis. */
export function niceTop(v: number, unit: Unit): number {
  if (!(v > 0)) return unit === 'bytes' || unit === 'bytesRate' ? 1024 : 1;
  if (unit === 'bytes' || unit === 'bytesRate') {
    const p = 1024 ** Math.floor(Math.log(v) / Math.log(1024));
    for (const m of [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 100, 128, 160, 200, 256, 320, 400, 512, 640, 800, 1024]) {
      if (m * p >= v) return m * p;
    }
    return v;
  }
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (m * p >= v) return m * p;
  }
  return v;
}
