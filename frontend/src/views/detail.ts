/**
 * One watched process: its facts (command line, user, start time, state) and live charts of memory,
 * CPU, page faults, threads and I/O over the chosen window. When the process exits the view says
 * so and keeps its charts; a process that exited before it was opened shows the history the server
 * kept. "Alert when RSS > …" opens a rule form for this PID, prefilled with 1.2 × the current RSS.
 */
import { TimeChart, type ChartSpec } from '../charts/chart';
import type { ProcessMetric } from '../net/types';
import { activeAlerts, quickRule } from '../state/alerts';
import type { Store, WatchEntry } from '../state/store';
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
    spec: { title: 'Memory', unit: 'bytes', series: [{ label: 'RSS', color: 'var(--s1)', fill: true }, { label: 'VMS', color: 'var(--s3)' }, { label: 'Shared', color: 'var(--s2)' }] },
    metrics: ['rss', 'vms', 'shared'],
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

type Fact = [label: string, value: (e: WatchEntry) => string, title?: string];

const FACTS: Fact[] = [
  ['CPU', (e) => formatPercent(e.record?.cpu_percent)],
  ['RSS', (e) => formatBytes(e.record?.rss), 'Resident set size'],
  ['VMS', (e) => formatBytes(e.record?.vms), 'Virtual memory size'],
  ['Shared', (e) => formatBytes(e.record?.shared)],
  ['Mem %', (e) => formatPercent(e.record?.memory_percent, 2)],
  ['Threads', (e) => formatNumber(e.record?.num_threads)],
  ['Faults', (e) => `${formatRate(e.record?.minor_faults_per_sec)} · ${formatRate(e.record?.major_faults_per_sec)} maj`, 'Minor and major page faults per second'],
  ['I/O', (e) => `${formatBytesRate(e.record?.read_bytes_per_sec)} r · ${formatBytesRate(e.record?.write_bytes_per_sec)} w`, 'Bytes read and written per second (storage layer)'],
  ['User', (e) => (e.record?.username ?? (e.record?.uid !== undefined ? String(e.record.uid) : '—'))],
  ['PPID', (e) => formatNumber(e.record?.ppid)],
  ['Nice', (e) => formatNumber(e.record?.nice)],
  ['Started', (e) => startText(e)],
  ['CPU time', (e) => `${formatNumber(e.record?.cpu_user, 2)} s usr · ${formatNumber(e.record?.cpu_system, 2)} s sys`],
  ['Ctx sw', (e) => `${formatCount(e.record?.ctx_switches_voluntary)} vol · ${formatCount(e.record?.ctx_switches_involuntary)} invol`, 'Context switches'],
];

function startText(e: WatchEntry): string {
  const t = e.record?.create_time;
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
  private readonly quickBtn: HTMLButtonElement;
  private readonly quickBox: HTMLElement;
  private quickForm: RuleForm | null = null;
  private readonly cmdEl: HTMLElement;
  private readonly factEls: HTMLElement[] = [];
  private readonly chartGrid: HTMLElement;
  private readonly picker: ReturnType<typeof windowPicker>;
  private readonly internals: ProcessInternals;
  private drawnVersion = -1;
  private drawnWindow = -1;

  constructor(parent: HTMLElement, store: Store, pid: number, onUnwatch: (pid: number) => void) {
    this.store = store;
    this.pid = pid;
    this.nameEl = h('h2.proc-name');
    this.statusEl = h('span.badge.status');
    this.exitEl = h('span.badge.exited', { role: 'status' });
    this.alertEl = h('button.badge.alerting.hidden', { type: 'button', title: 'An alert is firing for this process (click for alerts)' });
    this.alertEl.addEventListener('click', () => store.open('alerts'));
    this.historyEl = h('div.history-note.hidden', { role: 'status' });
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
    this.internals = new ProcessInternals(store.api, pid);
    this.el = h(
      'div.view.detail',
      { 'data-pid': pid },
      h('div.view-head', {}, this.nameEl, h('span.pid', { text: `PID ${pid}` }), this.statusEl, this.exitEl, this.alertEl, h('div.head-actions', {}, this.quickBtn, this.picker.el, unwatch)),
      this.quickBox,
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
    const r = e.record;
    const gone = !!e.exited || !!e.notFound;
    if (gone) this.internals.stop();
    setText(this.nameEl, r?.name ?? (e.history === 'loaded' ? 'Exited process' : e.notFound ? 'No such process' : '…'));
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
    if (gone && !this.quickBox.classList.contains('hidden')) setClass(this.quickBox, 'hidden', true);
    setText(this.cmdEl, r?.cmdline || (r?.kernel_thread ? `[${r.name ?? 'kernel thread'}]` : ''));
    this.cmdEl.title = r?.cmdline ?? '';
    FACTS.forEach(([, fn], i) => setText(this.factEls[i] as HTMLElement, fn(e)));

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
