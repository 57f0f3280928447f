/**
 * One watched process: its facts (command line, user, start time, state) and live charts of memory,
 * CPU, page faults, threads and I/O over the chosen window. When the process exits the view says
 * so and keeps its charts; a process that exited before it was opened shows the history the server
 * kept. "Alert when RSS > …" opens a rule form for this PID, prefilled with 1.2 × the current RSS.
 */
import { ProcessActions } from './actions';
import { TimeChart, type ChartSpec } from '../charts/chart';
import { PROCESS_HISTORY_COLUMNS, type ProcessMetric, type ProcessRecord } from '../net/types';
import { activeAlerts, quickRule } from '../state/alerts';
import { displayName, shownRecord, type Store } from '../state/store';
import {
  formatBytes,
  formatBytesRate,
  formatClock,
  formatCount,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRate,
  formatWindow,
} from '../util/format';
import { h, setClass, setText } from './dom';
import { ProcessInternals } from './internals';
import { RuleForm } from './rule-form';
import { windowPicker } from './window-picker';

interface ChartDef {
  spec: ChartSpec;
  metrics: ProcessMetric[];
}

const CHARTS: ChartDef[] = [
  {
    // Series are drawn in order: RSS, the figure people watch, last so that it is on top.
    spec: {
      title: 'Memory',
      unit: 'bytes',
      series: [{ label: 'VMS', color: 'var(--s3)', dash: [4, 3], width: 1.25 }, { label: 'Shared', color: 'var(--s2)' }, { label: 'RSS', color: 'var(--s1)', fill: true, width: 2 }],
    },
    metrics: ['vms', 'shared', 'rss'],
  },
  { spec: { title: 'CPU', unit: 'percent', minTop: 1, series: [{ label: 'CPU %', color: 'var(--s1)', fill: true }] }, metrics: ['cpu_percent'] },
  {
    spec: { title: 'Page faults', unit: 'rate', series: [{ label: 'Minor/s', color: 'var(--s4)', fill: true }, { label: 'Major/s', color: 'var(--s5)' }] },
    metrics: ['minor_faults_per_sec', 'major_faults_per_sec'],
  },
  {
    spec: { title: 'Disk I/O', unit: 'bytesRate', series: [{ label: 'Read/s', color: 'var(--s6)', fill: true }, { label: 'Write/s', color: 'var(--s7)' }] },
    metrics: ['read_bytes_per_sec', 'write_bytes_per_sec'],
  },
  { spec: { title: 'Threads', unit: 'count', minTop: 1, series: [{ label: 'Threads', color: 'var(--s2)' }] }, metrics: ['num_threads'] },
];

type Fact = [label: string, value: (r: ProcessRecord | undefined) => string, title?: string];

const FACTS: Fact[] = [
  ['CPU', (r) => formatPercent(r?.cpu_percent)],
  ['RSS', (r) => formatBytes(r?.rss), 'Resident set size'],
  ['VMS', (r) => formatBytes(r?.vms), 'Virtual memory size'],
  ['Shared', (r) => formatBytes(r?.shared)],
  ['Mem %', (r) => formatPercent(r?.memory_percent, 2)],
  ['Threads', (r) => formatNumber(r?.num_threads)],
  ['Faults', (r) => `${formatRate(r?.minor_faults_per_sec)} · ${formatRate(r?.major_faults_per_sec)} maj`, 'Minor and major page faults per second'],
  ['I/O', (r) => `${formatBytesRate(r?.read_bytes_per_sec)} r · ${formatBytesRate(r?.write_bytes_per_sec)} w`, 'Bytes read and written per second (storage layer)'],
  ['User', (r) => (r?.username ?? (r?.uid !== undefined ? String(r.uid) : '—'))],
  ['PPID', (r) => formatNumber(r?.ppid)],
  ['Nice', (r) => formatNumber(r?.nice)],
  ['Started', (r) => startText(r)],
  ['CPU time', (r) => `${formatNumber(r?.cpu_user, 2)} s usr · ${formatNumber(r?.cpu_system, 2)} s sys`],
  ['Ctx sw', (r) => `${formatCount(r?.ctx_switches_voluntary)} vol · ${formatCount(r?.ctx_switches_involuntary)} invol`, 'Context switches'],
];

function startText(r: ProcessRecord | undefined): string {
  const t = r?.create_time;
  if (t === undefined) return '—';
  return `${formatDateTime(t)} (${formatDuration(Date.now() / 1000 - t)} ago)`;
}

export class ProcessDetail {
  readonly el: HTMLElement;
  readonly pid: number;
  private readonly store: Store;
  private readonly charts: { chart: TimeChart; def: ChartDef }[] = [];
  private readonly nameEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly exitEl: HTMLElement;
  private readonly alertEl: HTMLElement;
  private readonly historyEl: HTMLElement;
  /** Whether the process is on the server's persisted watch list. */
  private readonly serverEl: HTMLElement;
  private readonly quickBtn: HTMLButtonElement;
  private readonly quickBox: HTMLElement;
  private quickForm: RuleForm | null = null;
  private readonly cmdEl: HTMLElement;
  private readonly factEls: HTMLElement[] = [];
  private readonly chartGrid: HTMLElement;
  private readonly picker: ReturnType<typeof windowPicker>;
  private readonly internals: ProcessInternals;
  private drawnVersion = -1;
  /** Signal and Renice (only when the server allows actions). */
  private readonly actions: ProcessActions;
  private drawnWindow = -1;
  private drawnLong = '';

  constructor(parent: HTMLElement, store: Store, pid: number, onUnwatch: (pid: number) => void) {
    this.store = store;
    this.pid = pid;
    this.nameEl = h('h2.proc-name');
    this.statusEl = h('span.badge.status');
    this.exitEl = h('span.badge.exited', { role: 'status' });
    this.alertEl = h('button.badge.alerting.hidden', { type: 'button', title: 'An alert is firing for this process (click for alerts)' });
    this.alertEl.addEventListener('click', () => store.open('alerts'));
    this.historyEl = h('div.history-note.hidden', { role: 'status' });
    this.serverEl = h('span.badge.server-watch.hidden');
    this.cmdEl = h('div.cmdline');
    const unwatch = h('button.btn', { type: 'button', title: 'Stop watching this process' }, 'Unwatch');
    unwatch.addEventListener('click', () => onUnwatch(pid));
    this.quickBtn = h('button.btn.quick-alert', { type: 'button', title: 'Add an alert rule for this process' }, 'Alert when RSS > …');
    this.quickBox = h('div.quick-rule.hidden');
    this.quickBtn.addEventListener('click', () => this.toggleQuickRule());
    this.picker = windowPicker(store);
    const facts = h('dl.facts');
    for (const [label, , title] of FACTS) {
      const dd = h('dd');
      this.factEls.push(dd);
      facts.append(h('div.fact', { title }, h('dt', { text: label }), dd));
    }
    this.chartGrid = h('div.chart-grid');
    this.actions = new ProcessActions(store, pid);
    this.internals = new ProcessInternals(store.api, pid);
    this.el = h(
      'div.view.detail',
      { 'data-pid': pid },
      h('div.view-head', {}, this.nameEl, h('span.pid', { text: `PID ${pid}` }), this.statusEl, this.exitEl, this.alertEl, this.serverEl, h('div.head-actions', {}, this.quickBtn, this.picker.el, unwatch)),
      this.quickBox,
      this.actions.el,
      this.historyEl,
      this.cmdEl,
      facts,
      this.chartGrid,
      this.internals.el,
    );
    parent.append(this.el);
    for (const def of CHARTS) this.charts.push({ chart: new TimeChart(this.chartGrid, def.spec), def });
  }

  /** Opens (prefilled from the current RSS) or closes the quick rule form. */
  private toggleQuickRule(): void {
    const open = this.quickBox.classList.contains('hidden');
    setClass(this.quickBox, 'hidden', !open);
    this.quickBtn.setAttribute('aria-expanded', String(open));
    if (!open) return;
    const preset = quickRule(this.pid, this.store.watched.get(this.pid)?.record?.rss);
    if (!this.quickForm) {
      this.quickForm = new RuleForm(this.store, { compact: true, preset });
      this.quickBox.append(this.quickForm.el);
    } else this.quickForm.setRule(preset);
    (this.quickForm.el.querySelector('input[name="threshold"]') as HTMLInputElement | null)?.focus();
  }

  /** Redraws what changed since the last call. */
  update(): void {
    const e = this.store.watched.get(this.pid);
    this.picker.update();
    if (!e) return;
    const r = shownRecord(e);
    const gone = !!e.exited || !!e.notFound;
    if (gone) this.internals.stop();
    setText(this.nameEl, displayName(e) ?? (e.history === 'loaded' ? 'Exited process' : e.notFound ? 'No such process' : e.pending ? `Looking up PID ${this.pid}…` : '…'));
    const onServer = this.store.serverWatch?.has(this.pid) ?? false;
    const serverText = onServer ? 'watched on server' : e.serverWatchError && !gone ? 'not on the server\'s watch list' : '';
    setText(this.serverEl, serverText);
    setClass(this.serverEl, 'hidden', !serverText);
    this.serverEl.title = onServer
      ? 'On the server\'s persisted watch list (POST /api/processes/monitor/add): its history is stored and kept over restarts. Unwatch removes it.'
      : (e.serverWatchError ?? '');
    setText(this.statusEl, r?.status ?? '');
    setClass(this.statusEl, 'hidden', !r?.status || gone);
    let exitText = '';
    if (e.exited) exitText = e.exited.reason === 'pid_reused' ? `PID reused · ${formatClock(e.exited.time)}` : `Exited ${formatClock(e.exited.time)}`;
    else if (e.notFound) exitText = e.history === 'loading' ? 'Not running' : 'Not found — it may have exited';
    setText(this.exitEl, exitText);
    setClass(this.exitEl, 'hidden', !exitText);
    setClass(this.el, 'is-exited', gone);
    this.el.dataset.history = e.history ?? '';
    let note = '';
    if (e.history === 'loading') note = 'Loading the history the server kept…';
    else if (e.history === 'loaded') note = `Not running: the history the server kept, up to its last sample at ${formatClock(e.ring?.lastTime)}.`;
    else if (e.history === 'none') note = `The server has no history for PID ${this.pid} (${e.historyError ?? 'unknown'}).`;
    else if (e.history === 'error') note = `Could not load its history: ${e.historyError ?? 'unknown error'}`;
    setText(this.historyEl, note);
    setClass(this.historyEl, 'hidden', !note);
    setClass(this.historyEl, 'error', e.history === 'none' || e.history === 'error');
    const firing = this.store.alerting.has(this.pid) ? activeAlerts(this.store.client.state.alerts).filter((a) => a.pid === this.pid) : [];
    setText(this.alertEl, firing.length ? `Alert firing${firing.length > 1 ? ` (${firing.length})` : ''}` : '');
    setClass(this.alertEl, 'hidden', !firing.length);
    if (firing.length) this.alertEl.title = `${firing.map((a) => a.rule).join('\n')}\n(click for alerts)`;
    setClass(this.quickBtn, 'hidden', gone);
    this.actions.update(r, gone);
    if (gone && !this.quickBox.classList.contains('hidden')) setClass(this.quickBox, 'hidden', true);
    setText(this.cmdEl, r?.cmdline || (r?.kernel_thread ? `[${r.name ?? 'kernel thread'}]` : ''));
    this.cmdEl.title = r?.cmdline ?? '';
    FACTS.forEach(([, fn], i) => setText(this.factEls[i] as HTMLElement, fn(r)));

    const long = this.store.longColumns(e, PROCESS_HISTORY_COLUMNS);
    if (long) {
      // 6 h, 24 h, 7 d: the server's store at a coarser step, up to now (gaps where it has none).
      const key = `${e.version}|${this.store.windowSec}|${long.range.version}`;
      if (key === this.drawnLong) return;
      this.drawnLong = key;
      this.drawnVersion = -1;
      if (long.range.state === 'error') {
        setText(this.historyEl, `Could not load the last ${formatWindow(this.store.windowSec)} from the server: ${long.range.error}`);
        setClass(this.historyEl, 'hidden', false);
        setClass(this.historyEl, 'error', true);
      }
      const end = gone && long.data.times.length ? Math.max(long.data.times[long.data.times.length - 1] as number, this.store.serverNow()) : this.store.serverNow();
      const col = (m: ProcessMetric): Float64Array => long.data.columns[PROCESS_HISTORY_COLUMNS.indexOf(m)] as Float64Array;
      for (const { chart, def } of this.charts) chart.setData(long.data.times, def.metrics.map(col), this.store.windowSec, end);
      return;
    }
    this.drawnLong = '';
    const ring = e.ring;
    if (!ring) return;
    // A process that is gone does not move on: when it lived shorter than the window, show its
    // whole life across the chart instead of a sliver at the right edge.
    let win = this.store.windowSec;
    if (gone && ring.length > 1) win = Math.min(win, Math.max(3, (ring.lastTime - ring.firstTime) * 1.04));
    if (e.version === this.drawnVersion && win === this.drawnWindow) return;
    this.drawnVersion = e.version;
    this.drawnWindow = win;
    const times = ring.times();
    for (const { chart, def } of this.charts) {
      chart.setData(times, def.metrics.map((m) => ring.column(m)), win);
    }
  }

  /** Drawn points in the first chart (used by the browser tests through the DOM). */
  pointCount(): number {
    return this.charts[0]?.chart.pointCount ?? 0;
  }

  destroy(): void {
    for (const { chart } of this.charts) chart.destroy();
    this.internals.stop();
    this.el.remove();
  }
}
