/**
 * The app's state: what the client library delivers (records, rings of samples, the table) plus
 * what the user chose (watched PIDs, open view, window, sort, filter, theme). The store only
 * records changes and marks parts dirty; views read it on the next animation frame.
 */
import type { ClientError, ConnectionStatus, DeltaEvent, ProcpulseClient } from '../net/client';
import {
  PROCESS_HISTORY_COLUMNS,
  SYSTEM_HISTORY_COLUMNS,
  type AckMsg,
  type GoneMsg,
  type HelloMsg,
  type ProcessMetric,
  type ProcessRecord,
  type SnapshotMsg,
  type SortKey,
  type SortOrder,
  type SystemMetric,
  type SystemRecord,
  type TableRow,
} from '../net/types';
import { SeriesRing } from './series';

export type Part = 'conn' | 'table' | 'system' | 'watch' | 'view' | 'errors' | 'clock' | 'theme';

export type ViewName = 'system' | 'process' | 'compare';

export interface WatchEntry {
  pid: number;
  start?: number;
  /** Last known record (kept after the process exits). */
  record?: ProcessRecord;
  ring: SeriesRing<ProcessMetric> | null;
  exited?: { reason: string; time: number };
  notFound?: boolean;
  /** Bumped on every new sample, so views know when to redraw. */
  version: number;
}

export interface Ghost {
  row: TableRow;
  /** ms since the epoch when the row disappeared. */
  at: number;
}

export interface ShownError extends ClientError {
  id: number;
  at: number;
  /** How many times the same error came in a row. */
  count: number;
}

export type CompareMetric = 'rss' | 'cpu_percent' | 'faults' | 'vms' | 'num_threads' | 'io';

export const GHOST_MS = 4000;
const ERROR_MS = 15000;

export type Theme = 'auto' | 'light' | 'dark';

export class Store {
  readonly client: ProcpulseClient;
  hello: HelloMsg | null = null;
  conn: ConnectionStatus;
  /** ms since the epoch of the last delta or snapshot. */
  lastDataAt = 0;
  readonly watched = new Map<number, WatchEntry>();
  system: SeriesRing<SystemMetric> | null = null;
  systemVersion = 0;
  readonly ghosts = new Map<string, Ghost>();
  tableVersion = 0;
  errors: ShownError[] = [];

  // User choices (mirrored in the URL).
  view: ViewName = 'system';
  selectedPid: number | null = null;
  windowSec = 300;
  compareMetric: CompareMetric = 'rss';
  /** PIDs hidden from the compare chart. */
  readonly compareHidden = new Set<number>();
  sort: SortKey = 'rss';
  order: SortOrder = 'desc';
  filter = '';
  kernelThreads = false;
  theme: Theme = 'auto';

  private readonly dirty = new Set<Part>();
  private frameQueued = false;
  private renderer: ((dirty: ReadonlySet<Part>) => void) | null = null;
  private errorId = 0;
  private readonly raf: (cb: () => void) => void;

  constructor(client: ProcpulseClient, raf: (cb: () => void) => void = (cb) => requestAnimationFrame(cb)) {
    this.client = client;
    this.raf = raf;
    this.conn = client.status;
    client.on('status', (s) => this.onStatus(s));
    client.on('hello', (m) => this.onHello(m));
    client.on('ack', (m) => this.onAck(m));
    client.on('snapshot', (m) => this.onSnapshot(m));
    client.on('delta', (e) => this.onDelta(e));
    client.on('gone', (m) => this.onGone(m));
    client.on('error', (e) => this.addError(e));
  }

  // ---- rendering ------------------------------------------------------------------------------

  /** The function that draws dirty parts; called at most once per animation frame. */
  setRenderer(fn: (dirty: ReadonlySet<Part>) => void): void {
    this.renderer = fn;
    this.mark('conn', 'table', 'system', 'watch', 'view', 'errors', 'theme');
  }

  mark(...parts: Part[]): void {
    for (const p of parts) this.dirty.add(p);
    if (this.frameQueued || !this.renderer) return;
    this.frameQueued = true;
    this.raf(() => this.frame());
  }

  private frame(): void {
    this.frameQueued = false;
    if (!this.renderer || this.dirty.size === 0) return;
    const parts = new Set(this.dirty);
    this.dirty.clear();
    this.renderer(parts);
  }

  /** Called once a second: ages ghosts and errors, refreshes clocks. */
  tick(now = Date.now()): void {
    let tableChanged = false;
    for (const [pid, g] of this.ghosts) {
      if (now - g.at > GHOST_MS) {
        this.ghosts.delete(pid);
        tableChanged = true;
      }
    }
    if (tableChanged) {
      this.tableVersion++;
      this.mark('table');
    }
    const before = this.errors.length;
    this.errors = this.errors.filter((e) => now - e.at < ERROR_MS);
    if (this.errors.length !== before) this.mark('errors');
    this.mark('clock');
  }

  // ---- watching -------------------------------------------------------------------------------

  /** Starts watching a process (subscribes to it). */
  watch(pid: number): WatchEntry {
    let e = this.watched.get(pid);
    if (!e) {
      e = { pid, ring: null, version: 0 };
      this.watched.set(pid, e);
      const row = this.client.state.table?.rows?.[String(pid)];
      if (row) e.record = { ...row } as ProcessRecord;
      this.client.subscribe([pid]);
      this.mark('watch', 'table');
    }
    return e;
  }

  unwatch(pid: number): void {
    if (!this.watched.delete(pid)) return;
    this.client.unsubscribe([pid]);
    this.compareHidden.delete(pid);
    if (this.selectedPid === pid) {
      this.selectedPid = null;
      if (this.view === 'process') this.view = this.watched.size ? 'process' : 'system';
      if (this.view === 'process') this.selectedPid = [...this.watched.keys()][0] ?? null;
    }
    this.mark('watch', 'view', 'table');
  }

  /** Opens a view; `pid` is needed for the process view. */
  open(view: ViewName, pid?: number): void {
    this.view = view;
    if (view === 'process' && pid !== undefined) {
      this.watch(pid);
      this.selectedPid = pid;
    }
    this.mark('view', 'watch');
  }

  setWindow(sec: number): void {
    this.windowSec = sec;
    this.mark('view', 'watch', 'system');
  }

  // ---- table ----------------------------------------------------------------------------------

  setTableQuery(q: { sort?: SortKey; order?: SortOrder; filter?: string; kernelThreads?: boolean }): void {
    if (q.sort !== undefined) this.sort = q.sort;
    if (q.order !== undefined) this.order = q.order;
    if (q.filter !== undefined) this.filter = q.filter;
    if (q.kernelThreads !== undefined) this.kernelThreads = q.kernelThreads;
    this.tableVersion++;
    this.mark('table', 'view');
  }

  /** Sends the table parameters to the server (the caller debounces typing). */
  pushTableQuery(): void {
    const limit = Math.min(5000, this.hello?.limits.max_process_limit ?? 5000);
    this.client.subscribeTable({
      sort: this.sort,
      order: this.order,
      filter: this.filter.trim(),
      kernel_threads: this.kernelThreads,
      limit,
    });
  }

  // ---- errors ---------------------------------------------------------------------------------

  addError(e: ClientError): void {
    const last = this.errors[this.errors.length - 1];
    if (last && last.code === e.code && last.message === e.message) {
      // The same problem again: count it instead of stacking notices.
      this.errors = [...this.errors.slice(0, -1), { ...last, count: last.count + 1, at: Date.now(), id: ++this.errorId }];
    } else {
      this.errors = [...this.errors.slice(-3), { ...e, id: ++this.errorId, at: Date.now(), count: 1 }];
    }
    this.mark('errors');
  }

  dismissError(id: number): void {
    this.errors = this.errors.filter((e) => e.id !== id);
    this.mark('errors');
  }

  // ---- events from the client -----------------------------------------------------------------

  private capacity(): number {
    const h = this.hello;
    const interval = h && h.interval_ms > 0 ? h.interval_ms : 1000;
    const span = Math.max(h?.history_ms ?? 0, 15 * 60 * 1000);
    return Math.ceil(span / interval) + 32;
  }

  private onStatus(s: ConnectionStatus): void {
    this.conn = s;
    this.mark('conn');
  }

  private onHello(m: HelloMsg): void {
    this.hello = m;
    this.mark('conn');
  }

  private onAck(m: AckMsg): void {
    if (m.op !== 'subscribe') return;
    for (const pid of m.not_found) {
      // Unknown now: never existed, or exited while we were not connected. Keep what we had.
      const e = this.watched.get(pid);
      if (e && !e.exited) {
        e.notFound = true;
        this.mark('watch', 'view');
      }
    }
    for (const pid of m.pids) {
      const e = this.watched.get(pid);
      if (e?.notFound) {
        e.notFound = false;
        this.mark('watch');
      }
    }
  }

  private ensureRing(e: WatchEntry, start: number | undefined): SeriesRing<ProcessMetric> {
    if (!e.ring || (start !== undefined && e.start !== undefined && start !== e.start)) {
      // First data, or the PID now names another process: start a fresh series.
      e.ring = new SeriesRing(PROCESS_HISTORY_COLUMNS, this.capacity());
    }
    if (start !== undefined) e.start = start;
    return e.ring;
  }

  private onSnapshot(m: SnapshotMsg): void {
    this.lastDataAt = Date.now();
    const procs = this.client.state.processes;
    for (const [pid, e] of this.watched) {
      const rec = procs[String(pid)];
      const hist = m.history.processes[String(pid)];
      if (!rec && !hist) continue;
      if (rec) {
        const ring = this.ensureRing(e, rec.start);
        e.record = rec;
        e.exited = undefined;
        e.notFound = false;
        if (hist) ring.pushColumns(hist.t, hist.cols);
        ring.push(m.time, (k) => rec[k]);
      } else if (hist) {
        this.ensureRing(e, undefined).pushColumns(hist.t, hist.cols);
      }
      e.version++;
      this.mark('watch');
    }
    const sys = this.client.state.system;
    if (m.history.system || m.state.system) {
      if (!this.system) this.system = new SeriesRing(SYSTEM_HISTORY_COLUMNS, this.capacity());
      if (m.history.system) this.system.pushColumns(m.history.system.t, m.history.system.cols);
      if (sys) this.pushSystem(m.time, sys);
      this.systemVersion++;
      this.mark('system');
    }
    if (m.state.table !== undefined || m.full) {
      // New table parameters: rows that left are not "exited", so drop the fading ones.
      this.ghosts.clear();
      this.tableVersion++;
      this.mark('table');
    }
  }

  private onDelta(ev: DeltaEvent): void {
    const m = ev.msg;
    const now = Date.now();
    this.lastDataAt = now;
    const procs = this.client.state.processes;
    for (const e of this.watched.values()) {
      if (e.exited) continue;
      const rec = procs[String(e.pid)];
      if (!rec) continue;
      e.record = rec;
      const ring = this.ensureRing(e, rec.start);
      if (ring.push(m.time, (k) => rec[k])) e.version++;
      this.mark('watch');
    }
    const sys = this.client.state.system;
    if (sys && this.system) {
      this.pushSystem(m.time, sys);
      this.systemVersion++;
      this.mark('system');
    }
    for (const row of ev.removedRows) {
      if (row.pid !== undefined) this.ghosts.set(String(row.pid), { row: { ...row }, at: now });
    }
    if (m.patch.table) {
      this.tableVersion++;
      this.mark('table');
    }
  }

  private pushSystem(time: number, s: SystemRecord): void {
    const ring = this.system;
    if (!ring) return;
    ring.push(time, (k) => systemValue(s, k));
  }

  private onGone(m: GoneMsg): void {
    const e = this.watched.get(m.pid);
    if (!e) return;
    if (m.start !== undefined && e.start !== undefined && m.start !== e.start) return;
    e.exited = { reason: m.reason, time: m.time };
    if (m.last) {
      e.record = m.last;
      if (e.ring) e.ring.push(m.time, (k) => m.last?.[k]);
    }
    e.version++;
    this.mark('watch', 'table');
  }
}

/** Maps a system record to the system history columns. */
export function systemValue(s: SystemRecord, k: SystemMetric): number | undefined {
  switch (k) {
    case 'cpu_percent':
      return s.cpu?.percent;
    case 'mem_used':
      return s.memory?.used;
    case 'mem_percent':
      return s.memory?.percent;
    case 'swap_used':
      return s.swap?.used;
    case 'load1':
      return s.load?.[0] ?? undefined;
    case 'minor_faults_per_sec':
      return s.minor_faults_per_sec;
    case 'major_faults_per_sec':
      return s.major_faults_per_sec;
  }
}
