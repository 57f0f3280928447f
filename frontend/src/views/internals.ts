/**
 * The parts of a process htop users look for beside its charts: its threads (name, state, CPU %
 * per thread), the open descriptor count and, on demand, the list of open files (names only).
 * Polled over REST while the detail view is open and the process runs. The environment is never
 * shown, and the panel says so where users look for it.
 */
import type { ProcpulseApi } from '../net/rest';
import { formatNumber, formatPercent } from '../util/format';
import { h, setClass, setText } from './dom';

/** Seconds between two thread readings (CPU % per thread is over this gap). */
const POLL_MS = 2000;

export class ProcessInternals {
  readonly el: HTMLElement;
  private readonly pid: number;
  private readonly api: ProcpulseApi;
  private readonly state: HTMLElement;
  private readonly fdCount: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly files: HTMLDetailsElement;
  private readonly fileList: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(api: ProcpulseApi, pid: number) {
    this.api = api;
    this.pid = pid;
    this.state = h('p.internals-state', { role: 'status' });
    this.fdCount = h('dd', { text: '—' });
    this.body = h('tbody');
    this.fileList = h('ul.open-files');
    this.files = h(
      'details.open-files-box',
      {},
      h('summary', { text: 'Open files' }),
      this.fileList,
    ) as HTMLDetailsElement;
    this.files.addEventListener('toggle', () => {
      if (this.files.open) void this.loadFiles();
    });
    this.el = h(
      'section.detail-threads',
      { 'aria-label': 'Threads and open files' },
      h('h3', { text: 'Threads' }),
      this.state,
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...['TID', 'Name', 'State', 'CPU', 'User s', 'Sys s'].map((t) => h('th', { text: t, scope: 'col' })))),
        this.body,
      ),
      h('dl.facts', {}, h('div.fact', { title: 'Entries of /proc/PID/fd' }, h('dt', { text: 'Open fds' }), this.fdCount)),
      this.files,
      h('p.env-note', { text: 'Environment is not shown: it can hold secrets.' }),
    );
    void this.poll();
  }

  /** Stops polling (the process is gone, or the view closed). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    const r = await this.api.threads(this.pid);
    if (this.stopped) return;
    if (!r.ok) {
      this.show(r.status === 404 ? 'no such process' : r.error);
      if (r.status === 404 || r.status === 403) return; // nothing more will come of asking again
    } else {
      const v = r.value;
      this.show(v.count > v.threads.length ? `${v.threads.length} of ${v.count} threads shown` : '');
      setText(this.fdCount, v.fd_count === null ? (v.fd_error ?? 'unavailable') : formatNumber(v.fd_count));
      while (this.body.rows.length > v.threads.length) this.body.deleteRow(-1);
      while (this.body.rows.length < v.threads.length) {
        const tr = this.body.insertRow();
        for (let i = 0; i < 6; i++) tr.insertCell();
      }
      v.threads.forEach((t, i) => {
        const cells = this.body.rows[i]!.cells;
        const texts = [String(t.tid), t.name, t.status, t.cpu_percent === null ? '—' : formatPercent(t.cpu_percent), formatNumber(t.cpu_user, 2), formatNumber(t.cpu_system, 2)];
        texts.forEach((x, c) => setText(cells[c] as HTMLElement, x));
      });
    }
    this.timer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private show(text: string): void {
    setText(this.state, text);
    setClass(this.state, 'hidden', !text);
  }

  private async loadFiles(): Promise<void> {
    this.fileList.replaceChildren(h('li', { text: 'Loading…' }));
    const r = await this.api.fds(this.pid);
    if (this.stopped) return;
    if (!r.ok) {
      this.fileList.replaceChildren(h('li.error', { text: r.status === 404 ? 'no such process' : r.error }));
      return;
    }
    const items = r.value.fds.map((f) => h('li', { text: `${f.fd} → ${f.target}` }));
    if (r.value.truncated) items.push(h('li.more', { text: `… ${r.value.total - r.value.fds.length} more (${r.value.total} in all)` }));
    this.fileList.replaceChildren(...items);
  }
}
