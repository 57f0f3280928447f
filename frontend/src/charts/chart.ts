/**
 * The one uPlot wrapper: a live time chart over a sliding window. Data arrives as typed-array views
 * straight from the series rings (no copies); NaN marks unavailable values, drawn as gaps (a column
 * with NaN in view is handed to uPlot as an array with null there, uPlot's gap). setData() draws at
 * most once per animation frame: extra calls within a frame only replace what the next frame draws.
 * The chart follows its container's width, and destroy() frees the uPlot instance.
 *
 * What a person can do with it: hover (the legend, or a tooltip where the legend is off, shows the
 * time and the values of the hovered sample, and "—" where there is none), drag across it to zoom
 * in on a time range (uPlot's cursor.drag, the zoom held until Reset or a double click), Shift+drag
 * or the ◀ ▶ buttons to pan, export the samples shown as CSV or the picture as PNG, and show the
 * samples as a table. The plot has a text summary (aria-label) for screen readers.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes, formatClock, formatCount, formatUnit, type Unit } from '../util/format';
import { chartCsv, chartSummary, exportName, hoveredIndex, isTimeGap, lowerIndex, upperIndex, type Column } from './data';

export { formatUnit, type Unit };

export interface ChartSeries {
  label: string;
  /** A CSS colour, or `var(--name)` resolved when the chart is created. */
  color: string;
  fill?: boolean;
  /** Line dash pattern (CSS px), for a secondary series. */
  dash?: number[];
  width?: number;
}

export interface ChartSpec {
  title?: string;
  /** What the chart shows, for exports and its text summary when it has no title. */
  name?: string;
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

/** How to zoom and pan, on the chart's help mark and buttons. */
export const CHART_HELP =
  'Drag across the chart to zoom in on a time range. Shift+drag, or the ◀ ▶ buttons, to pan. Double-click or Reset to follow the live window again.';

/** The data table shows this many samples at most (the newest of those in view). */
const TABLE_ROWS = 500;

function toolButton(label: string, title: string, cls = ''): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `chart-btn${cls ? ` ${cls}` : ''}`;
  b.textContent = label;
  b.title = title;
  return b;
}

/** Saves `blob` as a file named `name` (an object URL on a temporary link). */
function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Merges two sorted lists of pixel ranges into one sorted list without overlaps (uPlot's gap clip needs that). */
function mergeGaps(a: uPlot.Series.Gaps, b: uPlot.Series.Gaps): uPlot.Series.Gaps {
  if (!b.length) return a;
  if (!a.length) return b;
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: uPlot.Series.Gaps = [];
  for (const g of all) {
    const last = out[out.length - 1];
    if (last && g[0] <= last[1]) last[1] = Math.max(last[1], g[1]);
    else out.push([g[0], g[1]]);
  }
  return out;
}

export class TimeChart {
  readonly el: HTMLElement;
  private readonly spec: ChartSpec;
  private plot: uPlot | null;
  private readonly body: HTMLElement;
  private readonly resetBtn: HTMLButtonElement;
  private readonly tableBtn: HTMLButtonElement;
  private readonly tableBox: HTMLElement;
  private readonly colors: string[];
  private readonly resizeObserver: ResizeObserver;
  private tip: { el: HTMLElement; time: HTMLElement; values: HTMLElement[] } | null = null;
  private x0 = 0;
  private x1 = 1;
  private y1 = 1;
  private windowSec = 0;
  /** The time range chosen by zooming or panning; null: follow the window. */
  private zoom: [number, number] | null = null;
  private pan: { x: number; range: [number, number]; move: (e: MouseEvent) => void; up: () => void } | null = null;
  /** Indices i (into the drawn times) with a gap in time between i and i + 1. */
  private gapIdx: number[] = [];
  /** Per series, the array with null for NaN handed to uPlot when its column has NaN in view. */
  private readonly nullCols: (number | null)[][] = [];
  private pending: uPlot.AlignedData | null = null;
  private drawnFrame = Number.NaN;
  private rafId = 0;
  private summaryAt = 0;
  private tableAt = 0;

  constructor(parent: HTMLElement, spec: ChartSpec) {
    this.spec = spec;
    this.el = document.createElement('div');
    this.el.className = 'chart';
    const head = document.createElement('div');
    head.className = 'chart-head';
    const title = document.createElement('div');
    title.className = 'chart-title';
    if (spec.title) title.textContent = spec.title;
    const tools = document.createElement('div');
    tools.className = 'chart-tools';
    tools.setAttribute('role', 'toolbar');
    tools.setAttribute('aria-label', `${this.name} chart`);
    this.resetBtn = toolButton('Reset', 'Back to the live window (or double-click the chart)', 'chart-reset hidden');
    const left = toolButton('◀', `Pan back in time. ${CHART_HELP}`, 'chart-pan-left');
    const right = toolButton('▶', `Pan forward in time. ${CHART_HELP}`, 'chart-pan-right');
    left.setAttribute('aria-label', 'Pan back in time');
    right.setAttribute('aria-label', 'Pan forward in time');
    this.tableBtn = toolButton('Table', 'Show the samples as a table', 'chart-table-toggle');
    this.tableBtn.setAttribute('aria-pressed', 'false');
    const csv = toolButton('CSV', 'Download the samples in view as CSV', 'chart-csv');
    const png = toolButton('PNG', 'Download the chart as a PNG picture', 'chart-png');
    const help = document.createElement('span');
    help.className = 'chart-help';
    help.textContent = '?';
    help.title = CHART_HELP;
    help.setAttribute('aria-label', CHART_HELP);
    help.setAttribute('role', 'note');
    tools.append(this.resetBtn, left, right, this.tableBtn, csv, png, help);
    head.append(title, tools);
    this.body = document.createElement('div');
    this.body.className = 'chart-body';
    this.tableBox = document.createElement('div');
    this.tableBox.className = 'chart-table hidden';
    this.tableBox.tabIndex = 0;
    this.tableBox.setAttribute('role', 'region');
    this.tableBox.setAttribute('aria-label', `${this.name}: samples`);
    this.el.append(head, this.body, this.tableBox);
    parent.append(this.el);
    this.resetBtn.addEventListener('click', () => this.resetZoom());
    left.addEventListener('click', () => this.panBy(-0.5));
    right.addEventListener('click', () => this.panBy(0.5));
    this.tableBtn.addEventListener('click', () => this.toggleTable());
    csv.addEventListener('click', () => this.exportCsv());
    png.addEventListener('click', () => void this.exportPng());

    const body = this.body;
    const styleEl = this.el;
    const axis = cssColor(styleEl, 'var(--chart-axis)');
    const grid = cssColor(styleEl, 'var(--chart-grid)');
    const font = '11px ui-sans-serif, system-ui, sans-serif';
    const unit = spec.unit;
    const hovering = (u: uPlot): boolean => (u.cursor.left ?? -1) >= 0;
    // Legend values: the hovered sample ("—" where there is none), or the newest one when the
    // cursor is elsewhere.
    const fmt = (u: uPlot, v: number | null, sidx: number, didx: number | null): string => {
      if (didx != null) return formatUnit(unit, v);
      if (hovering(u)) return '—';
      const col = u.data[sidx];
      if (!col) return '—';
      for (let i = col.length - 1; i >= 0; i--) {
        const x = col[i];
        if (x != null && !Number.isNaN(x)) return formatUnit(unit, x);
      }
      return '—';
    };
    // The time: of the hovered sample, of the cursor where there is none, else of the newest sample.
    const timeValue = (u: uPlot, v: number | null): string => {
      if (v != null) return formatClock(v);
      if (hovering(u)) return formatClock(u.posToVal(u.cursor.left as number, 'x'));
      const xs = u.data[0];
      return xs.length ? formatClock(xs[xs.length - 1] as number) : '';
    };
    // Gaps in time (no samples for a while) are not bridged by a line.
    const gaps = (u: uPlot, _sidx: number, idx0: number, idx1: number, nullGaps: uPlot.Series.Gaps): uPlot.Series.Gaps => {
      if (!this.gapIdx.length) return nullGaps;
      const xs = u.data[0];
      const extra: uPlot.Series.Gaps = [];
      for (const i of this.gapIdx) {
        if (i < idx0 || i >= idx1) continue;
        extra.push([Math.round(u.valToPos(xs[i] as number, 'x', true)), Math.round(u.valToPos(xs[i + 1] as number, 'x', true))]);
      }
      return mergeGaps(nullGaps, extra);
    };
    this.colors = spec.series.map((s) => cssColor(styleEl, s.color));

    const opts: uPlot.Options = {
      width: Math.max(200, body.clientWidth || parent.clientWidth || 400),
      height: spec.height ?? 140,
      padding: [6, 10, 0, 0],
      legend: { show: spec.legend ?? true, live: true },
      cursor: {
        drag: { x: true, y: false, setScale: false, dist: 4 },
        points: { size: 6 },
        // No snapping to the nearest sample that has a value: a gap shows as a gap.
        dataIdx: (u, _sidx, idx, x) => hoveredIndex(u.data[0], idx, x),
        bind: {
          // Shift+drag pans; a plain drag selects a range to zoom to (setSelect below).
          mousedown: (_u, _t, handler) => (e: MouseEvent) => {
            if (e.shiftKey && e.button === 0) {
              this.startPan(e);
              return null;
            }
            return handler(e);
          },
          dblclick: () => () => {
            this.resetZoom();
            return null;
          },
        },
      },
      scales: {
        x: { time: true, range: () => this.zoom ?? [this.x0, this.x1] },
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
        { label: 'Time', value: timeValue },
        ...spec.series.map((s, k) => {
          const stroke = this.colors[k] as string;
          const o: uPlot.Series = { label: s.label, stroke, width: s.width ?? 1.5, value: fmt, points: { show: false }, spanGaps: false, gaps };
          if (s.dash) o.dash = s.dash;
          if (s.fill) o.fill = withAlpha(stroke, 0.12);
          return o;
        }),
      ],
      hooks: {
        setSelect: [
          (u) => {
            const sel = u.select;
            if (sel.width > 3) this.zoomTo(u.posToVal(sel.left, 'x'), u.posToVal(sel.left + sel.width, 'x'));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        setCursor: [(u) => this.moveTip(u)],
      },
    };
    const empty: uPlot.AlignedData = [new Float64Array(0), ...spec.series.map(() => new Float64Array(0))];
    this.plot = new uPlot(opts, empty, body);
    const wrap = this.plot.root.querySelector('.u-wrap');
    wrap?.setAttribute('role', 'img');
    wrap?.setAttribute('aria-label', `${this.name}: no data yet`);
    this.el.dataset.drawOrder = spec.series.map((s) => s.label).join(',');
    if (spec.legend === false) this.makeTip();

    this.resizeObserver = new ResizeObserver(() => {
      const w = Math.floor(body.clientWidth);
      if (this.plot && w > 0 && w !== this.plot.width) this.plot.setSize({ width: w, height: this.plot.height });
    });
    this.resizeObserver.observe(body);
  }

  /** The chart's name in exports and its text summary. */
  get name(): string {
    return this.spec.title ?? this.spec.name ?? 'Chart';
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
    this.windowSec = windowSec;
    // Skip what lies left of the window, or of the zoomed range when that starts earlier.
    const from = Math.max(0, lowerIndex(times, this.zoom ? Math.min(this.x0, this.zoom[0]) : this.x0) - 1);
    const xs = times.subarray(from);
    let max = 0;
    const ys = columns.map((c, k) => {
      const col = c instanceof Float64Array ? c.subarray(from) : Float64Array.from(c).subarray(from);
      let nan = false;
      for (let i = 0; i < col.length; i++) {
        const v = col[i] as number;
        if (v > max) max = v;
        else if (v !== v) nan = true;
      }
      return nan ? this.withNulls(k, col) : col;
    });
    this.gapIdx.length = 0;
    for (let i = 0; i + 1 < xs.length; i++) if (isTimeGap(xs, i)) this.gapIdx.push(i);
    this.y1 = niceTop(Math.max(max * 1.08, this.spec.minTop ?? 0), this.spec.unit);
    this.pending = [xs, ...ys] as uPlot.AlignedData;
    this.draw();
  }

  /** `col` with null where it has NaN, in an array kept for series `k`. */
  private withNulls(k: number, col: Float64Array): (number | null)[] {
    const out = (this.nullCols[k] ??= []);
    out.length = col.length;
    for (let i = 0; i < col.length; i++) {
      const v = col[i] as number;
      out[i] = v === v ? v : null;
    }
    return out;
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
    // The text alternatives follow at most once a second.
    const now = performance.now();
    if (now - this.summaryAt >= 1000) this.updateSummary(now);
    if (!this.tableBox.classList.contains('hidden') && now - this.tableAt >= 1000) this.renderTable(now);
  }

  /** The range of times shown. */
  private shown(): [number, number] {
    return this.zoom ?? [this.x0, this.x1];
  }

  /** Labels and columns as drawn. */
  private drawn(): { labels: string[]; xs: ArrayLike<number>; cols: Column[] } {
    const d = this.plot?.data;
    return { labels: this.spec.series.map((s) => s.label), xs: (d?.[0] ?? []) as ArrayLike<number>, cols: (d?.slice(1) ?? []) as Column[] };
  }

  private updateSummary(now = performance.now()): void {
    this.summaryAt = now;
    const { labels, xs, cols } = this.drawn();
    const [from, to] = this.shown();
    const text = chartSummary({ name: this.name, unit: this.spec.unit, labels, xs, cols, from, to, windowSec: this.windowSec, zoomed: !!this.zoom });
    const wrap = this.plot?.root.querySelector('.u-wrap');
    if (wrap && wrap.getAttribute('aria-label') !== text) wrap.setAttribute('aria-label', text);
  }

  /**
   * Shows the times from `a` to `b` (clamped to the samples held; `keepSpan`: shifted rather than
   * cut, for panning) and holds them while new samples arrive.
   */
  private zoomTo(a: number, b: number, keepSpan = false): void {
    if (!this.plot) return;
    const xs = this.plot.data[0];
    const lo = Math.min(this.x0, xs.length ? (xs[0] as number) : this.x0);
    const hi = this.x1;
    if (keepSpan) {
      const span = Math.min(b - a, hi - lo);
      if (a < lo) [a, b] = [lo, lo + span];
      if (b > hi) [a, b] = [hi - span, hi];
    } else {
      a = Math.max(lo, a);
      b = Math.min(hi, b);
    }
    if (!(b - a >= 0.5)) return;
    this.zoom = [a, b];
    this.plot.setScale('x', { min: a, max: b });
    this.zoomChanged();
  }

  /** Pans by `frac` of the range shown (negative: back in time). */
  panBy(frac: number): void {
    const [a, b] = this.shown();
    const d = (b - a) * frac;
    this.zoomTo(a + d, b + d, true);
  }

  /** Back to following the live window. */
  resetZoom(): void {
    if (!this.zoom || !this.plot) return;
    this.zoom = null;
    this.plot.setScale('x', { min: this.x0, max: this.x1 });
    this.zoomChanged();
  }

  private zoomChanged(): void {
    this.resetBtn.classList.toggle('hidden', !this.zoom);
    if (this.zoom) this.el.dataset.zoomed = `${this.zoom[0].toFixed(3)},${this.zoom[1].toFixed(3)}`;
    else delete this.el.dataset.zoomed;
    this.updateSummary();
    if (!this.tableBox.classList.contains('hidden')) this.renderTable();
  }

  private startPan(e: MouseEvent): void {
    const range = this.shown();
    const move = (ev: MouseEvent): void => {
      if (!this.plot || !this.pan) return;
      const w = this.plot.over.clientWidth || 1;
      const dv = ((ev.clientX - this.pan.x) / w) * (this.pan.range[1] - this.pan.range[0]);
      this.zoomTo(this.pan.range[0] - dv, this.pan.range[1] - dv, true);
    };
    const up = (): void => this.endPan();
    this.endPan();
    this.pan = { x: e.clientX, range, move, up };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  private endPan(): void {
    if (!this.pan) return;
    window.removeEventListener('mousemove', this.pan.move);
    window.removeEventListener('mouseup', this.pan.up);
    this.pan = null;
  }

  /** A tooltip with the time and values of the hovered sample, for charts without a legend. */
  private makeTip(): void {
    if (!this.plot) return;
    const el = document.createElement('div');
    el.className = 'chart-tip hidden';
    el.setAttribute('aria-hidden', 'true');
    const time = document.createElement('div');
    time.className = 'chart-tip-time';
    el.append(time);
    const values = this.spec.series.map((s, k) => {
      const row = document.createElement('div');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = this.colors[k] as string;
      const v = document.createElement('span');
      row.append(sw, `${s.label} `, v);
      el.append(row);
      return v;
    });
    this.plot.over.append(el);
    this.tip = { el, time, values };
  }

  private moveTip(u: uPlot): void {
    const tip = this.tip;
    if (!tip) return;
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    tip.el.classList.toggle('hidden', left < 0);
    if (left < 0) return;
    const idxs = u.cursor.idxs ?? [];
    const i0 = idxs[0];
    tip.time.textContent = formatClock(i0 != null ? (u.data[0][i0] as number) : u.posToVal(left, 'x'));
    tip.values.forEach((v, k) => {
      const i = idxs[k + 1];
      const val = i == null ? null : u.data[k + 1]?.[i];
      v.textContent = formatUnit(this.spec.unit, val ?? null);
    });
    const w = u.over.clientWidth;
    const x = left > w / 2 ? left - tip.el.offsetWidth - 12 : left + 12;
    tip.el.style.transform = `translate(${Math.round(x)}px, ${Math.round(Math.max(0, top - 10))}px)`;
  }

  private toggleTable(): void {
    const open = this.tableBox.classList.contains('hidden');
    this.tableBox.classList.toggle('hidden', !open);
    this.tableBtn.setAttribute('aria-pressed', String(open));
    this.tableBtn.classList.toggle('on', open);
    if (open) this.renderTable();
    else this.tableBox.replaceChildren();
  }

  /** The samples in view as an HTML table (the newest TABLE_ROWS of them). */
  private renderTable(now = performance.now()): void {
    this.tableAt = now;
    const { labels, xs, cols } = this.drawn();
    const [from, to] = this.shown();
    const i1 = upperIndex(xs, to);
    const i0 = Math.max(lowerIndex(xs, from), i1 - TABLE_ROWS + 1);
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    const count = i1 - lowerIndex(xs, from) + 1;
    caption.textContent = `${this.name}: ${count > TABLE_ROWS ? `the newest ${TABLE_ROWS} of ${count}` : String(Math.max(0, count))} samples (CSV has them all)`;
    const head = document.createElement('tr');
    for (const l of ['Time', ...labels]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = l;
      head.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    for (let i = i1; i >= i0; i--) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = formatClock(xs[i] as number);
      tr.append(th);
      for (const c of cols) {
        const td = document.createElement('td');
        const v = c[i];
        td.textContent = formatUnit(this.spec.unit, v == null ? null : v);
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.append(caption, thead, tbody);
    this.tableBox.replaceChildren(table);
  }

  /** The samples in view as CSV text (time_iso, time_epoch, one column per series). */
  csv(): string {
    const { labels, xs, cols } = this.drawn();
    const [from, to] = this.shown();
    return chartCsv(labels, xs, cols, from, to);
  }

  private exportCsv(): void {
    download(new Blob([this.csv()], { type: 'text/csv' }), exportName(this.name, 'csv'));
  }

  /** The chart as a picture: its title, a legend with the newest values in view, then the plot. */
  async png(): Promise<Blob | null> {
    const u = this.plot;
    if (!u) return null;
    const src = u.ctx.canvas;
    const dpr = src.width / Math.max(1, u.width);
    const pad = 8 * dpr;
    const line = 18 * dpr;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = Math.round(src.height + pad + 2 * line);
    const ctx = out.getContext('2d');
    if (!ctx) return null;
    const styleEl = this.el;
    ctx.fillStyle = cssColor(styleEl, 'var(--panel)') || '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    const text = cssColor(styleEl, 'var(--text)');
    const [from, to] = this.shown();
    ctx.textBaseline = 'middle';
    ctx.font = `bold ${12 * dpr}px ui-sans-serif, system-ui, sans-serif`;
    ctx.fillStyle = text;
    ctx.fillText(`${this.name} · ${formatClock(from)} – ${formatClock(to)}`, pad, pad + line / 2);
    ctx.font = `${11.5 * dpr}px ui-sans-serif, system-ui, sans-serif`;
    const { xs, cols } = this.drawn();
    const i1 = upperIndex(xs, to);
    let x = pad;
    const y = pad + line * 1.5;
    this.spec.series.forEach((s, k) => {
      let v: number | null = null;
      const c = cols[k];
      for (let i = i1; c && i >= 0 && v === null; i--) {
        const cv = c[i];
        if (cv != null && !Number.isNaN(cv)) v = cv;
      }
      ctx.fillStyle = this.colors[k] as string;
      ctx.fillRect(x, y - 4.5 * dpr, 9 * dpr, 9 * dpr);
      x += 13 * dpr;
      ctx.fillStyle = text;
      const label = `${s.label} ${formatUnit(this.spec.unit, v)}`;
      ctx.fillText(label, x, y);
      x += ctx.measureText(label).width + 14 * dpr;
    });
    ctx.drawImage(src, 0, pad + 2 * line);
    return new Promise((done) => out.toBlob((b) => done(b), 'image/png'));
  }

  private async exportPng(): Promise<void> {
    const blob = await this.png();
    if (blob) download(blob, exportName(this.name, 'png'));
  }

  destroy(): void {
    if (this.rafId) cancelAnimationFrame(this.rafId);
    this.endPan();
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
