/**
 * The system panel: memory and swap (bars and a chart), CPU overall and per core, load averages,
 * page faults per second, process counts.
 */
import { TimeChart, type ChartSpec } from '../charts/chart';
import { SYSTEM_HISTORY_COLUMNS, type SystemMetric } from '../net/types';
import type { Store } from '../state/store';
import { formatBytes, formatDuration, formatNumber, formatPercent, formatRate } from '../util/format';
import { h, setClass, setText } from './dom';
import { windowPicker } from './window-picker';

const CHARTS: { spec: ChartSpec; metrics: SystemMetric[] }[] = [
  { spec: { title: 'CPU', unit: 'percent', minTop: 1, series: [{ label: 'CPU %', color: 'var(--s1)', fill: true }] }, metrics: ['cpu_percent'] },
  { spec: { title: 'Memory', unit: 'bytes', series: [{ label: 'Used', color: 'var(--s2)', fill: true }, { label: 'Swap used', color: 'var(--s5)' }] }, metrics: ['mem_used', 'swap_used'] },
  { spec: { title: 'Page faults', unit: 'rate', series: [{ label: 'Minor/s', color: 'var(--s4)', fill: true }, { label: 'Major/s', color: 'var(--s5)' }] }, metrics: ['minor_faults_per_sec', 'major_faults_per_sec'] },
  { spec: { title: 'Load (1 min)', unit: 'load', minTop: 1, series: [{ label: 'Load 1', color: 'var(--s3)', fill: true }] }, metrics: ['load1'] },
];

interface Bar {
  el: HTMLElement;
  fill: HTMLElement;
  fill2: HTMLElement;
  text: HTMLElement;
}

function bar(label: string, title: string): Bar {
  const fill = h('span.bar-fill');
  const fill2 = h('span.bar-fill.secondary');
  const text = h('span.bar-text');
  const el = h('div.meter', { title }, h('span.meter-label', { text: label }), h('span.bar', {}, fill, fill2), text);
  return { el, fill, fill2, text };
}

function setBar(b: Bar, pct: number | undefined, text: string, pct2 = 0): void {
  const p = pct === undefined || Number.isNaN(pct) ? 0 : Math.max(0, Math.min(100, pct));
  b.fill.style.width = `${p}%`;
  b.fill2.style.left = `${p}%`;
  b.fill2.style.width = `${Math.max(0, Math.min(100 - p, pct2))}%`;
  setClass(b.fill, 'warn', p >= 75);
  setClass(b.fill, 'crit', p >= 90);
  setText(b.text, text);
}

export class SystemView {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly mem: Bar;
  private readonly swap: Bar;
  private readonly cpu: Bar;
  private readonly cores: HTMLElement;
  private readonly stats: HTMLElement;
  private readonly chartGrid: HTMLElement;
  private readonly picker: ReturnType<typeof windowPicker>;
  private charts: { chart: TimeChart; metrics: SystemMetric[] }[] = [];
  private drawn = '';

  constructor(parent: HTMLElement, store: Store) {
    this.store = store;
    this.mem = bar('Memory', 'Used (solid) and buffers + cache (light) of total memory');
    this.swap = bar('Swap', 'Swap used of total swap');
    this.cpu = bar('CPU', 'All cores; 100% = every core busy');
    this.cores = h('div.cores', { 'aria-label': 'CPU per core' });
    this.stats = h('dl.facts.sys-stats');
    this.picker = windowPicker(store);
    this.chartGrid = h('div.chart-grid');
    this.el = h(
      'div.view.system',
      {},
      h('div.view-head', {}, h('h2', { text: 'System' }), h('span.spacer'), this.picker.el),
      h('div.meters', {}, this.cpu.el, this.mem.el, this.swap.el),
      this.cores,
      this.stats,
      this.chartGrid,
    );
    parent.append(this.el);
    this.charts = CHARTS.map((c) => ({ chart: new TimeChart(this.chartGrid, c.spec), metrics: c.metrics }));
  }

  update(): void {
    this.picker.update();
    const s = this.store.client.state.system;
    if (s) {
      const m = s.memory ?? {};
      const total = m.total ?? 0;
      const usedPct = total ? ((m.used ?? 0) / total) * 100 : undefined;
      const cachePct = total ? (((m.cached ?? 0) + (m.buffers ?? 0)) / total) * 100 : 0;
      setBar(this.mem, usedPct, `${formatBytes(m.used)} used · ${formatBytes(m.available)} avail of ${formatBytes(total)}`, cachePct);
      const sw = s.swap ?? {};
      setBar(this.swap, sw.total ? sw.percent : 0, sw.total ? `${formatBytes(sw.used)} of ${formatBytes(sw.total)}` : 'none');
      setBar(this.cpu, s.cpu?.percent, `${formatPercent(s.cpu?.percent)} of ${s.cpu?.count ?? '?'} cores`);
      const per = s.cpu?.per_core ?? [];
      while (this.cores.children.length < per.length) {
        this.cores.append(h('div.core', {}, h('span.core-fill'), h('span.core-label')));
      }
      while (this.cores.children.length > per.length) this.cores.lastElementChild?.remove();
      per.forEach((v, i) => {
        const el = this.cores.children[i] as HTMLElement;
        const p = v === null ? 0 : Math.max(0, Math.min(100, v));
        const fill = el.firstElementChild as HTMLElement;
        fill.style.height = `${p}%`;
        setClass(fill, 'warn', p >= 75 && p < 90);
        setClass(fill, 'crit', p >= 90);
        el.title = `CPU ${i}: ${v === null ? '—' : formatPercent(v)}`;
        setText(el.lastElementChild as HTMLElement, `${i}`);
      });
      const load = s.load ?? [];
      const items: [string, string][] = [
        ['Load', load.map((l) => formatNumber(l, 2)).join('  ') || '—'],
        ['Faults', `${formatRate(s.minor_faults_per_sec)} · ${formatRate(s.major_faults_per_sec)} maj`],
        ['Ctx sw', formatRate(s.ctx_switches_per_sec)],
        ['Tasks', `${s.process_count ?? '—'} proc · ${s.thread_count ?? '—'} thr`],
        ['Running', `${s.procs_running ?? '—'} run · ${s.procs_blocked ?? '—'} blocked`],
        ['Uptime', formatDuration(s.uptime)],
      ];
      if (this.stats.children.length !== items.length) {
        this.stats.replaceChildren(...items.map(([k]) => h('div.fact', {}, h('dt', { text: k }), h('dd'))));
      }
      items.forEach(([, v], i) => setText(this.stats.children[i]?.lastElementChild as HTMLElement, v));
    }
    const long = this.store.longColumns(null, SYSTEM_HISTORY_COLUMNS);
    if (long) {
      // 6 h, 24 h, 7 d: the server's store at a coarser step, up to now.
      const key = `long|${this.store.systemVersion}|${this.store.windowSec}|${long.range.version}`;
      if (key === this.drawn) return;
      this.drawn = key;
      const col = (m: SystemMetric): Float64Array => long.data.columns[SYSTEM_HISTORY_COLUMNS.indexOf(m)] as Float64Array;
      for (const c of this.charts) c.chart.setData(long.data.times, c.metrics.map(col), this.store.windowSec, this.store.serverNow());
      return;
    }
    const ring = this.store.system;
    const key = `${this.store.systemVersion}|${this.store.windowSec}`;
    if (!ring || key === this.drawn) return;
    this.drawn = key;
    const times = ring.times();
    for (const c of this.charts) c.chart.setData(times, c.metrics.map((m) => ring.column(m)), this.store.windowSec);
  }

  destroy(): void {
    for (const c of this.charts) c.chart.destroy();
    this.el.remove();
  }
}
