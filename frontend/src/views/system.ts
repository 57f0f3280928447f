/**
 * The system panel: memory and swap (bars and a chart), CPU overall and per core (bars and a chart
 * with a line per labelled core), load averages, page faults per second, process counts, disk and
 * network throughput (charts of the totals, a table per device and interface) and file system
 * usage (a table with usage bars).
 */
import { TimeChart, type ChartSpec } from '../charts/chart';
import { SYSTEM_HISTORY_COLUMNS, type SystemColumn, type SystemFs, type SystemMetric, type SystemRecord } from '../net/types';
import type { Store } from '../state/store';
import { formatBytes, formatBytesRate, formatCount, formatDuration, formatNumber, formatPercent, formatRate } from '../util/format';
import { h, setClass, setText } from './dom';
import { windowPicker } from './window-picker';

const CHARTS: { spec: ChartSpec; metrics: SystemMetric[] }[] = [
  { spec: { title: 'CPU', unit: 'percent', minTop: 1, series: [{ label: 'CPU %', color: 'var(--s1)', fill: true }] }, metrics: ['cpu_percent'] },
  { spec: { title: 'Memory', unit: 'bytes', series: [{ label: 'Used', color: 'var(--s2)', fill: true }, { label: 'Swap used', color: 'var(--s5)' }] }, metrics: ['mem_used', 'swap_used'] },
  { spec: { title: 'Page faults', unit: 'rate', series: [{ label: 'Minor/s', color: 'var(--s4)', fill: true }, { label: 'Major/s', color: 'var(--s5)' }] }, metrics: ['minor_faults_per_sec', 'major_faults_per_sec'] },
  { spec: { title: 'Load (1 min)', unit: 'load', minTop: 1, series: [{ label: 'Load 1', color: 'var(--s3)', fill: true }] }, metrics: ['load1'] },
  {
    spec: { title: 'Disk throughput (all disks)', unit: 'bytesRate', series: [{ label: 'Read/s', color: 'var(--s6)', fill: true }, { label: 'Write/s', color: 'var(--s4)' }] },
    metrics: ['disk_read_bytes_per_sec', 'disk_write_bytes_per_sec'],
  },
  {
    spec: { title: 'Network throughput (all but lo)', unit: 'bytesRate', series: [{ label: 'Received/s', color: 'var(--s2)', fill: true }, { label: 'Sent/s', color: 'var(--s7)' }] },
    metrics: ['net_rx_bytes_per_sec', 'net_tx_bytes_per_sec'],
  },
];

/** Colours of the per-core lines, in turn. */
const CORE_COLORS = ['var(--s1)', 'var(--s2)', 'var(--s3)', 'var(--s4)', 'var(--s5)', 'var(--s6)', 'var(--s7)', 'var(--s8)'];

/** A table whose rows are keyed by name, refilled in place on each update. */
class DeviceTable {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private keys = '';

  constructor(caption: string, heads: string[], private readonly empty: string) {
    this.body = h('tbody');
    this.el = h(
      'div.device-table',
      // It scrolls sideways on narrow screens: keyboard users reach it (axe: scrollable-region-focusable).
      { tabindex: 0, role: 'region', 'aria-label': caption },
      h('table', {}, h('caption', { text: caption }), h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', { text: t, scope: 'col' })))), this.body),
    );
  }

  /** Each row: its cells' texts, or a cell element (a usage bar) to keep. */
  set(rows: [string, (string | ((cell: HTMLElement) => void))[]][]): void {
    const keys = rows.map(([k]) => k).join('\n');
    if (keys !== this.keys) {
      this.keys = keys;
      const n = rows[0]?.[1].length ?? 0;
      this.body.replaceChildren(
        ...(rows.length
          ? rows.map(([k]) => h('tr', { 'data-key': k }, h('th', { text: k, scope: 'row' }), ...Array.from({ length: n }, () => h('td'))))
          : [h('tr', {}, h('td.empty', { text: this.empty }))]),
      );
    }
    rows.forEach(([, cells], r) => {
      const tr = this.body.children[r];
      cells.forEach((c, i) => {
        const td = tr?.children[i + 1] as HTMLElement | undefined;
        if (!td) return;
        if (typeof c === 'string') setText(td, c);
        else c(td);
      });
    });
  }
}

/** Entries of a device map in the server's order, without removed ones. */
function entries<T>(m: Record<string, T | null> | undefined): [string, T][] {
  const out: [string, T][] = [];
  if (m) for (const k in m) if (m[k] !== null) out.push([k, m[k] as T]);
  return out;
}

/** A usage bar for a file system cell. */
function usageBar(f: SystemFs): (cell: HTMLElement) => void {
  return (td) => {
    let fill = td.querySelector<HTMLElement>('.bar-fill');
    if (!fill) {
      fill = h('span.bar-fill');
      td.replaceChildren(h('span.bar.fs-bar', {}, fill), h('span.bar-text'));
    }
    const p = Math.max(0, Math.min(100, f.percent ?? 0));
    fill.style.width = `${p}%`;
    setClass(fill, 'warn', p >= 75);
    setClass(fill, 'crit', p >= 90);
    setText(td.lastElementChild as HTMLElement, formatPercent(f.percent));
  };
}

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
  private charts: { chart: TimeChart; metrics: SystemColumn[] }[] = [];
  private readonly coreBox: HTMLElement;
  private coreChart: { chart: TimeChart; metrics: SystemColumn[] } | null = null;
  private readonly disks = new DeviceTable('Disks', ['Device', 'Read/s', 'Write/s', 'Reads/s', 'Writes/s', 'Busy'], 'No disks listed');
  private readonly net = new DeviceTable('Network interfaces', ['Interface', 'Received/s', 'Sent/s', 'Packets in/s', 'Packets out/s', 'Errors in/out', 'Drops in/out'], 'No interfaces listed');
  private readonly fs = new DeviceTable('File systems', ['Mounted on', 'Device', 'Type', 'Size', 'Used', 'Available', 'Use'], 'No file systems listed');
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
    this.coreBox = h('div.chart-grid.core-chart');
    this.el = h(
      'div.view.system',
      {},
      h('div.view-head', {}, h('h2', { text: 'System' }), h('span.spacer'), this.picker.el),
      h('div.meters', {}, this.cpu.el, this.mem.el, this.swap.el),
      this.cores,
      this.stats,
      this.coreBox,
      this.chartGrid,
      h('div.devices', {}, this.disks.el, this.net.el, this.fs.el),
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
      this.updateDevices(s);
    }
    const long = this.store.longColumns(null, SYSTEM_HISTORY_COLUMNS);
    if (long) {
      // 6 h, 24 h, 7 d: the server's store at a coarser step, up to now.
      const key = `long|${this.store.systemVersion}|${this.store.windowSec}|${long.range.version}`;
      if (key === this.drawn) return;
      this.drawn = key;
      // Per-core columns live in memory only: the store's tiers have none (a gap).
      const col = (m: SystemColumn): Float64Array => {
        const i = (SYSTEM_HISTORY_COLUMNS as readonly string[]).indexOf(m);
        return i >= 0 ? (long.data.columns[i] as Float64Array) : new Float64Array(long.data.times.length).fill(NaN);
      };
      for (const c of this.charts) c.chart.setData(long.data.times, c.metrics.map(col), this.store.windowSec, this.store.serverNow());
      return;
    }
    const ring = this.store.system;
    const key = `${this.store.systemVersion}|${this.store.windowSec}`;
    if (!ring || key === this.drawn) return;
    this.drawn = key;
    const times = ring.times();
    if (!this.coreChart) {
      const cores = ring.keys.filter((k) => k.startsWith('core'));
      if (cores.length) {
        const spec: ChartSpec = {
          title: 'CPU per core',
          unit: 'percent',
          minTop: 1,
          series: cores.map((k, i) => ({ label: `CPU ${k.slice(4)}`, color: CORE_COLORS[i % CORE_COLORS.length]! })),
        };
        this.coreChart = { chart: new TimeChart(this.coreBox, spec), metrics: cores };
      }
    }
    for (const c of this.coreChart ? [this.coreChart, ...this.charts] : this.charts) c.chart.setData(times, c.metrics.map((m) => ring.column(m)), this.store.windowSec);
  }

  private updateDevices(s: SystemRecord): void {
    this.disks.set(
      entries(s.disks).map(([name, d]) => [
        name,
        [formatBytesRate(d.read_bytes_per_sec), formatBytesRate(d.write_bytes_per_sec), formatRate(d.reads_per_sec), formatRate(d.writes_per_sec), formatPercent(d.busy_percent)],
      ]),
    );
    this.net.set(
      entries(s.net).map(([name, n]) => [
        name,
        [
          formatBytesRate(n.rx_bytes_per_sec),
          formatBytesRate(n.tx_bytes_per_sec),
          formatRate(n.rx_packets_per_sec),
          formatRate(n.tx_packets_per_sec),
          `${formatCount(n.rx_errors)} / ${formatCount(n.tx_errors)}`,
          `${formatCount(n.rx_drops)} / ${formatCount(n.tx_drops)}`,
        ],
      ]),
    );
    this.fs.set(
      entries(s.filesystems).map(([mount, f]) => [
        mount,
        [f.device ?? '—', f.type ?? '—', formatBytes(f.size), formatBytes(f.used), formatBytes(f.available), usageBar(f)],
      ]),
    );
  }

  destroy(): void {
    for (const c of this.charts) c.chart.destroy();
    this.coreChart?.chart.destroy();
    this.el.remove();
  }
}
