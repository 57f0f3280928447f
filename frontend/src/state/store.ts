/**
 * The app's state: what the client library delivers (records, rings of samples, the table) plus
 * what the user chose (watched PIDs, open view, window, sort, filter, theme). The store only
 * records changes and marks parts dirty; views read it on the next animation frame.
 */
import type { ClientError, ConnectionStatus, DeltaEvent, ProcpulseClient } from '../net/client';
import { ProcpulseApi, type ApiResult } from '../net/rest';
import {
  PROCESS_HISTORY_COLUMNS,
  SYSTEM_HISTORY_COLUMNS,
  type AckMsg,
  type AlertEvent,
  type AlertMsg,
  type AlertRule,
  type AlertRuleInput,
  type RuleAddedMsg,
  type RuleDeletedMsg,
  type Patch,
  type TableState,
  type GoneMsg,
  type HelloMsg,
  type ProcessMetric,
  type ProcessRecord,
  type SnapshotMsg,
  type SortKey,
  type SortOrder,
  type SystemColumn,
  type SystemMetric,
  coreColumns,
  type SystemRecord,
  type TableRow,
} from '../net/types';
import { addRecent, alertingPids } from './alerts';
import { RowChanges } from './changes';
import { chooseStep, isLongWindow, joinColumns, LongRange, type ChartColumns } from './longwindow';
import { SeriesRing } from './series';
import { mergedName } from '../util/names';
import { parsedFilter } from './table';

export type Part = 'conn' | 'table' | 'system' | 'watch' | 'view' | 'errors' | 'clock' | 'theme' | 'alerts';

export type ViewName = 'system' | 'process' | 'compare' | 'alerts' | 'exited';

export interface WatchEntry {
  pid: number;
  start?: number;
  /** Last known record (kept after the process exits). */
  record?: ProcessRecord;
  /**
   * A copy of the last record that was not a zombie's (a zombie's memory is gone: RSS 0): the
   * figures a process that exited is shown with. From the REST history's facts after a reload.
   */
  lastLive?: ProcessRecord;
  /**
   * Not known to exist yet (opened by PID from a link or the Exited view): no tab and no place in
   * the URL until the server confirms it runs or has history of it; a PID it knows nothing of is
   * dropped with "no such process".
   */
  pending?: boolean;
  /** Why the server did not put it on its watch list (e.g. it had exited). */
  serverWatchError?: string;
  ring: SeriesRing<ProcessMetric> | null;
  exited?: { reason: string; time: number };
  notFound?: boolean;
  /**
   * For a process the server no longer runs: its points loaded through the REST history endpoint
   * (`loading`, `loaded`), none kept (`none`), or the request failed (`error`, see historyError).
   */
  history?: 'loading' | 'loaded' | 'none' | 'error';
  historyError?: string;
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

/** A notice that an alert fired; it goes away after a while, on dismissal, or when the alert resolves. */
export interface AlertToast {
  id: number;
  event: AlertEvent;
  at: number;
}

export type CompareMetric = 'rss' | 'cpu_percent' | 'faults' | 'vms' | 'num_threads' | 'io';

export const GHOST_MS = 4000;
const ERROR_MS = 15000;
export const ALERT_TOAST_MS = 12000;
const RECENT_ALERTS = 100;
/** Processes remembered in the "recently exited" list. */
export const RECENT_EXITED = 1000;
/** How many of them are kept across a reload of the tab. */
export const SAVED_EXITED = 100;
const EXITED_KEY = 'procpulse.exited';
const EXITED_SAVE_MS = 5000;

export type Theme = 'auto' | 'light' | 'dark';

export class Store {
  readonly client: ProcpulseClient;
  hello: HelloMsg | null = null;
  conn: ConnectionStatus;
  /** ms since the epoch of the last delta or snapshot. */
  lastDataAt = 0;
  /** The server's clock minus ours (seconds), from the last hello: ranges asked of it use its time. */
  clockSkew = 0;
  readonly watched = new Map<number, WatchEntry>();
  system: SeriesRing<SystemColumn> | null = null;
  systemVersion = 0;
  readonly ghosts = new Map<string, Ghost>();
  /**
   * Bumped when the table's set or order of rows may have changed (rows added or removed, a sort
   * key or a filtered field changed, new parameters); not when only other values moved, which the
   * table draws without sorting its rows again.
   */
  tableVersion = 0;
  /**
   * Bumped when only the order of the same rows may have changed (a sort key changed, nothing was
   * added or removed): the table sorts the rows it has instead of gathering them again.
   */
  tableOrderVersion = 0;
  /**
   * Table rows whose values changed since the table last drew (the PIDs of each delta's row
   * patches; all rows after a hello or a snapshot of the table). The table clears it when it draws.
   */
  readonly rowChanges = new RowChanges();
  errors: ShownError[] = [];

  /** REST calls: process history of exited processes, alert rules. */
  readonly api: ProcpulseApi;
  /** Alert events of the alerts topic, newest first (`recent_alerts`, then each `alert`). */
  recentAlerts: AlertEvent[] = [];
  alertToasts: AlertToast[] = [];
  /** Fetched long ranges (see longColumns): per watched PID, and of the system. */
  readonly longProcess = new Map<number, LongRange>();
  readonly longSystem = new LongRange();
  /**
   * The server's persisted watch list (`GET /api/processes/metrics`); null until loaded. With
   * `syncServerWatch`, watching adds to it and unwatching removes from it.
   */
  serverWatch: Set<number> | null = null;
  /** Whether watching here changes the server's watch list (the main page; not the embed view). */
  syncServerWatch = false;
  /** The last PID opened that the server knew nothing of (the Exited view says so). */
  noSuchPid: number | null = null;
  /** The view to go back to when a PID opened from it turns out not to exist. */
  private viewBefore: ViewName = 'system';
  /** Alert rules from the server; null until loaded. */
  rules: AlertRule[] | null = null;
  rulesError = '';
  /** Bumped by every rule change heard of (see loadRules). */
  private rulesGen = 0;
  /** Bumped when anything about alerts changes. */
  alertsVersion = 0;
  /** PIDs with an alert firing now. */
  readonly alerting = new Set<number>();
  /** Processes that left the table (exited), newest first: they can still be opened from history. */
  recentExited: Ghost[] = [];
  private exitedDirty = false;
  private exitedSavedAt = 0;

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
  private toastId = 0;
  private readonly raf: (cb: () => void) => void;
  private readonly storage: Storage | null;

  constructor(
    client: ProcpulseClient,
    raf: (cb: () => void) => void = (cb) => requestAnimationFrame(cb),
    api: ProcpulseApi = new ProcpulseApi(),
    storage: Storage | null = sessionStore(),
  ) {
    this.client = client;
    this.raf = raf;
    this.api = api;
    this.storage = storage;
    this.recentExited = loadExited(storage);
    this.conn = client.status;
    client.on('status', (s) => this.onStatus(s));
    client.on('hello', (m) => this.onHello(m));
    client.on('ack', (m) => this.onAck(m));
    client.on('snapshot', (m) => this.onSnapshot(m));
    client.on('delta', (e) => this.onDelta(e));
    client.on('gone', (m) => this.onGone(m));
    client.on('alert', (m) => this.onAlert(m));
    client.on('rule', (m) => this.onRule(m));
    client.on('error', (e) => this.addError(e));
  }

  // ---- rendering ------------------------------------------------------------------------------

  /** The function that draws dirty parts; called at most once per animation frame. */
  setRenderer(fn: (dirty: ReadonlySet<Part>) => void): void {
    this.renderer = fn;
    this.mark('conn', 'table', 'system', 'watch', 'view', 'errors', 'theme', 'alerts');
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

  /**
   * Called once a second: ages ghosts, notices and errors, refreshes clocks. While data flows, what
   * it changes is drawn with the next data frame instead of a frame of its own (one frame per tick,
   * not two); when data stops, it draws by itself, so "stale" still shows.
   */
  tick(now = Date.now()): void {
    const interval = this.hello && this.hello.interval_ms > 0 ? this.hello.interval_ms : 1000;
    const flowing = this.conn.state === 'live' && this.lastDataAt > 0 && Date.now() - this.lastDataAt < 2 * interval;
    const mark = flowing ? (...parts: Part[]): void => this.markLater(...parts) : (...parts: Part[]): void => this.mark(...parts);
    let tableChanged = false;
    for (const [pid, g] of this.ghosts) {
      if (now - g.at > GHOST_MS) {
        this.ghosts.delete(pid);
        tableChanged = true;
      }
    }
    if (tableChanged) {
      this.tableVersion++;
      mark('table');
    }
    const before = this.errors.length;
    this.errors = this.errors.filter((e) => now - e.at < ERROR_MS);
    if (this.errors.length !== before) mark('errors');
    const toasts = this.alertToasts.length;
    this.alertToasts = this.alertToasts.filter((t) => now - t.at < ALERT_TOAST_MS);
    if (this.alertToasts.length !== toasts) {
      this.alertsVersion++;
      mark('alerts');
    }
    // Written every few seconds at most: on a busy machine processes exit every tick.
    if (this.exitedDirty && now - this.exitedSavedAt >= EXITED_SAVE_MS) {
      this.exitedDirty = false;
      this.exitedSavedAt = now;
      saveExited(this.storage, this.recentExited);
    }
    mark('clock');
  }

  /** Writes the recently exited list now (the page is going away). */
  persist(): void {
    if (!this.exitedDirty) return;
    this.exitedDirty = false;
    saveExited(this.storage, this.recentExited);
  }

  /** Marks parts dirty without asking for a frame: the next frame (soon, data is flowing) draws them. */
  private markLater(...parts: Part[]): void {
    for (const p of parts) this.dirty.add(p);
  }

  // ---- watching -------------------------------------------------------------------------------

  /** Starts watching a process (subscribes to it; on the main page, adds it to the server's list). */
  watch(pid: number): WatchEntry {
    let e = this.watched.get(pid);
    if (!e) {
      e = { pid, ring: null, version: 0 };
      this.watched.set(pid, e);
      // What is known of it until its record arrives: its table row, or its last row if it exited.
      const live = this.client.state.table?.rows?.[String(pid)];
      const row = live ?? this.ghosts.get(String(pid))?.row ?? this.recentExited.find((g) => g.row.pid === pid)?.row;
      if (row) e.record = { ...row } as ProcessRecord;
      if (row?.start !== undefined) e.start = row.start;
      e.pending = !row;
      this.client.subscribe([pid]);
      if (live) this.addToServerWatch(e);
      this.mark('watch', 'table');
    }
    return e;
  }

  /** The watched entries shown as tabs and kept in the URL (not those still being looked up). */
  shownWatched(): number[] {
    const out: number[] = [];
    for (const [pid, e] of this.watched) if (!e.pending) out.push(pid);
    return out;
  }

  unwatch(pid: number): void {
    if (!this.watched.delete(pid)) return;
    this.longProcess.delete(pid);
    this.client.unsubscribe([pid]);
    if (this.syncServerWatch && this.serverWatch?.has(pid)) void this.removeFromServerWatch(pid);
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
    if (this.view !== 'process') this.viewBefore = this.view;
    this.noSuchPid = null;
    this.view = view;
    if (view === 'process' && pid !== undefined) {
      this.watch(pid);
      this.selectedPid = pid;
    }
    if (view === 'alerts') void this.loadRules(); // the server's list, whoever changed it
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
    // A filter that does not parse stays here (the table says why); the server keeps the last good one.
    if (!parsedFilter(this.filter).ok) return;
    const limit = Math.min(5000, this.hello?.limits.max_process_limit ?? 5000);
    this.client.subscribeTable({
      sort: this.sort,
      order: this.order,
      filter: this.filter.trim(),
      kernel_threads: this.kernelThreads,
      limit,
    });
  }

  // ---- long windows (6 h, 24 h, 7 d) ----------------------------------------------------------

  /** Whether the chosen window needs the server's store (longer than the socket's history). */
  longWindow(): boolean {
    return isLongWindow(this.windowSec, this.hello?.history_ms);
  }

  /** The step long windows are fetched at (seconds). */
  longStep(): number {
    return chooseStep(this.windowSec, (this.hello?.interval_ms ?? 1000) / 1000);
  }

  /** The server's time now (seconds since the epoch). */
  serverNow(): number {
    return Date.now() / 1000 + this.clockSkew;
  }

  /**
   * The chart columns of a watched process (or of the system, for null) over the chosen long
   * window: fetched from the server's store at longStep(), then the live samples since; fetched
   * again when the window changes or the fetch aged. Null while the window is not long.
   */
  longColumns<K extends string>(e: WatchEntry | null, keys: readonly K[]): { data: ChartColumns; range: LongRange } | null {
    if (!this.longWindow()) return null;
    const win = this.windowSec;
    const step = this.longStep();
    const now = this.serverNow();
    let range: LongRange;
    if (e) {
      range = this.longProcess.get(e.pid) ?? new LongRange();
      this.longProcess.set(e.pid, range);
    } else range = this.longSystem;
    if (range.due(win, now)) {
      const start = e?.start;
      const get = e
        ? async (from: number, to: number, st: number) => {
            const r = await this.api.processHistory(e.pid, { from, to, step: st, ...(start !== undefined ? { start } : {}) });
            return r.ok ? { ok: true as const, value: r.value.series } : r;
          }
        : (from: number, to: number, st: number) => this.api.systemHistory({ from, to, step: st });
      void range.load(win, step, now, get).then(() => {
        if (e) {
          e.version++;
          this.mark('watch');
        } else {
          this.systemVersion++;
          this.mark('system');
        }
      });
    }
    const ring = (e ? e.ring : this.system) as SeriesRing<K> | null;
    const fetched = range.windowSec === win ? range.series : null;
    const interval = (this.hello?.interval_ms ?? 1000) / 1000;
    const data = joinColumns(fetched, fetched ? range.to : now - win, ring, keys, step, 3 * Math.max(step, interval));
    return { data, range };
  }

  // ---- the server's watch list ----------------------------------------------------------------

  /**
   * Reads the server's watch list (at start and after each hello, and after a change) and watches
   * what it holds, so that processes watched in another tab or before a restart show as watched.
   */
  async loadServerWatch(): Promise<void> {
    if (!this.syncServerWatch) return;
    const r = await this.api.watchList();
    if (!r.ok) return;
    this.serverWatch = new Set(r.value);
    for (const pid of r.value) {
      const e = this.watched.get(pid) ?? this.watch(pid);
      e.serverWatchError = undefined;
    }
    this.mark('watch');
  }

  /** Puts a running process on the server's watch list (its history is stored, kept over restarts). */
  private addToServerWatch(e: WatchEntry): void {
    if (!this.syncServerWatch || this.serverWatch?.has(e.pid) || e.exited) return;
    void this.api.watchAdd(e.pid).then((r) => {
      if (this.watched.get(e.pid) !== e) {
        if (r.ok) void this.api.watchRemove(e.pid); // unwatched meanwhile
        return;
      }
      if (r.ok) {
        (this.serverWatch ??= new Set()).add(e.pid);
        e.serverWatchError = undefined;
      } else e.serverWatchError = r.error;
      this.mark('watch');
      if (r.ok) void this.loadServerWatch();
    });
  }

  private async removeFromServerWatch(pid: number): Promise<void> {
    const r = await this.api.watchRemove(pid);
    if (r.ok || r.status === 200) this.serverWatch?.delete(pid);
    this.mark('watch');
    void this.loadServerWatch();
  }

  /** A PID opened by hand that the server knows nothing of: no tab, no watch entry, say so. */
  private dropUnknown(e: WatchEntry): void {
    this.watched.delete(e.pid);
    this.client.unsubscribe([e.pid]); // the client forgets it too, so opening it again asks again
    this.noSuchPid = e.pid;
    if (this.selectedPid === e.pid) {
      this.selectedPid = null;
      if (this.view === 'process') this.view = this.viewBefore;
    }
    this.addError({ code: 'no_such_process', message: `No such process: PID ${e.pid} does not run and the server has no history of it` });
    this.mark('watch', 'view', 'table');
  }

  // ---- alerts ---------------------------------------------------------------------------------

  private markAlerts(): void {
    this.alertsVersion++;
    this.mark('alerts');
  }

  /**
   * Fetches the alert rules from the server (at start, on every hello and when the Alerts view
   * opens); `rule_added`/`rule_deleted` keep the list current in between. A rule message that
   * comes while the request is out may be older or newer than its reply: the list is read again.
   */
  async loadRules(): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      const gen = this.rulesGen;
      const r = await this.api.rules();
      if (r.ok && gen !== this.rulesGen) continue;
      if (r.ok) {
        this.rules = r.value;
        this.rulesError = '';
      } else this.rulesError = r.error;
      break;
    }
    this.markAlerts();
  }

  /** Adds a rule; the result carries the server's reason when it refuses it. */
  async addRule(rule: AlertRuleInput): Promise<ApiResult<AlertRule>> {
    const r = await this.api.addRule(rule);
    if (r.ok) this.ruleAdded(r.value);
    return r;
  }

  async deleteRule(id: number): Promise<ApiResult<true>> {
    const r = await this.api.deleteRule(id);
    if (r.ok || r.status === 404) this.ruleDeleted(id);
    return r;
  }

  /** A rule the server now has (added here, in another tab or by REST). */
  private ruleAdded(rule: AlertRule): void {
    this.rulesGen++;
    // Not loaded yet: the list is on its way (a list of this one rule would hide the others).
    if (this.rules === null) void this.loadRules();
    else this.rules = [...this.rules.filter((x) => x.id !== rule.id), rule].sort((a, b) => a.id - b.id);
    this.markAlerts();
  }

  private ruleDeleted(id: number): void {
    this.rulesGen++;
    if (this.rules === null) void this.loadRules();
    else this.rules = this.rules.filter((x) => x.id !== id);
    this.markAlerts();
  }

  private onRule(m: RuleAddedMsg | RuleDeletedMsg): void {
    if (m.type === 'rule_added') this.ruleAdded(m.rule);
    else this.ruleDeleted(m.id);
  }

  dismissAlertToast(id: number): void {
    this.alertToasts = this.alertToasts.filter((t) => t.id !== id);
    this.markAlerts();
  }

  /** The number of alerts firing now. */
  firingCount(): number {
    const active = this.client.state.alerts?.active;
    let n = 0;
    if (active) for (const _ in active) n++;
    return n;
  }

  private onAlert(m: AlertMsg): void {
    const ev = m.event;
    this.recentAlerts = addRecent(this.recentAlerts, ev, RECENT_ALERTS);
    if (ev.state === 'firing') {
      this.alertToasts = [...this.alertToasts.filter((t) => t.event.id !== ev.id).slice(-2), { id: ++this.toastId, event: ev, at: Date.now() }];
    } else {
      this.alertToasts = this.alertToasts.filter((t) => t.event.id !== ev.id);
    }
    this.markAlerts();
  }

  /** The alerts member changed: recompute who is alerting (rows and tabs show it). */
  private onAlertsState(): void {
    const before = [...this.alerting].join(',');
    alertingPids(this.client.state.alerts, this.alerting);
    if ([...this.alerting].join(',') !== before) {
      this.tableVersion++;
      this.mark('table', 'watch');
    }
    this.markAlerts();
  }

  // ---- history of exited processes ------------------------------------------------------------

  /**
   * Loads the last history window of a process the server does not run any more (REST), so its
   * view shows the charts up to its exit. Results land in the entry; the next frame draws them.
   */
  async loadHistory(e: WatchEntry, now = Date.now() / 1000 + this.clockSkew): Promise<void> {
    if (e.history === 'loading' || e.history === 'loaded') return;
    e.history = 'loading';
    e.historyError = undefined;
    this.mark('watch', 'view');
    const span = (this.hello?.history_ms ?? 3600_000) / 1000;
    // Up to the server's now (its default for `to`): the last points are the ones that matter.
    const r = await this.api.processHistory(e.pid, { from: Math.floor(now - span), ...(e.start !== undefined ? { start: e.start } : {}) });
    if (this.watched.get(e.pid) !== e || e.history !== 'loading') return; // unwatched, or live again meanwhile
    if (!r.ok || r.value.series.t.length === 0) {
      e.history = !r.ok && r.status !== 404 ? 'error' : 'none';
      e.historyError = r.ok ? 'no points kept for it' : r.error;
      if (e.pending && e.history === 'none') return this.dropUnknown(e);
    } else {
      e.pending = false;
      const { t, cols } = r.value.series;
      const ring = new SeriesRing(PROCESS_HISTORY_COLUMNS, Math.max(this.capacity(), t.length + 32));
      ring.pushColumns(t, cols);
      e.ring = ring;
      e.history = 'loaded';
      e.notFound = false;
      // The server's exit time (that of its `gone` message), so a reload shows the same one.
      const exitTime = r.value.exitTime ?? r.value.process?.exit_time ?? undefined;
      e.exited ??= { reason: 'exited', time: exitTime ?? ring.lastTime };
      // The facts of its last live sample and the last values of its points before it became a
      // zombie stand in for the record the server no longer sends.
      const facts = r.value.process ?? {};
      const rec: ProcessRecord = { ...e.record, pid: e.pid };
      if (r.value.name !== undefined) rec.name ??= r.value.name;
      if (r.value.cmdline !== undefined) rec.cmdline ||= r.value.cmdline;
      if (r.value.start !== undefined) rec.start ??= r.value.start;
      const liveTime = facts.live_time;
      const times = ring.times();
      let upTo = times.length;
      if (liveTime !== undefined) while (upTo > 0 && (times[upTo - 1] as number) > liveTime + 1e-3) upTo--;
      for (const k of PROCESS_HISTORY_COLUMNS) {
        const v = lastNumber(ring.column(k), upTo);
        if (v === undefined) delete rec[k];
        else rec[k] = v;
      }
      const { live_time: _l, exit_time: _x, ...known } = facts;
      Object.assign(rec, known);
      if (liveTime !== undefined) e.lastLive = { ...rec };
      e.record = rec;
    }
    e.version++;
    this.mark('watch', 'view');
  }

  /** Adds rows that left the table (a whole delta's at once: a population may exit together). */
  private rememberExited(rows: readonly TableRow[], at: number): void {
    const fresh = rows.filter((r) => r.pid !== undefined);
    if (!fresh.length) return;
    const pids = new Set(fresh.map((r) => r.pid));
    this.recentExited = [...fresh.map((row) => ({ row, at })), ...this.recentExited.filter((g) => !pids.has(g.row.pid))].slice(0, RECENT_EXITED);
    this.exitedDirty = true;
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
    this.tableVersion++; // the client starts a new state document
    this.rowChanges.addAll(); // and the CPU count the bars divide by may be new
    if (m.time > 0) this.clockSkew = m.time - Date.now() / 1000;
    void this.loadServerWatch();
    // At start, and after a reconnect (the server may have restarted, changes may have been
    // missed): the server's rules.
    void this.loadRules();
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
      // Not running now: show what the server kept of it.
      if (e && (!e.ring || e.ring.length === 0)) void this.loadHistory(e);
    }
    for (const pid of m.pids) {
      const e = this.watched.get(pid);
      if (!e) continue;
      if (e.notFound || e.pending) {
        e.notFound = false;
        e.pending = false;
        this.mark('watch', 'view');
      }
      this.addToServerWatch(e); // it runs: on the server's list too
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
        if (e.history) {
          // Running again under this PID: a new process, not the one whose history was shown.
          e.ring = null;
          e.history = undefined;
        }
        const ring = this.ensureRing(e, rec.start);
        e.record = rec;
        if (!rec.zombie) e.lastLive = { ...rec };
        e.exited = undefined;
        e.notFound = false;
        e.pending = false;
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
      if (!this.system) {
        const cores = sys?.cpu?.per_core?.length ?? sys?.cpu?.count ?? 0;
        this.system = new SeriesRing<SystemColumn>([...SYSTEM_HISTORY_COLUMNS, ...coreColumns(cores)], this.capacity());
      }
      if (m.history.system) this.system.pushColumns(m.history.system.t, m.history.system.cols);
      if (sys) this.pushSystem(m.time, sys);
      this.systemVersion++;
      this.mark('system');
    }
    if (m.state.table !== undefined || m.full) {
      // New table parameters: rows that left are not "exited", so drop the fading ones.
      this.ghosts.clear();
      this.tableVersion++;
      this.rowChanges.addAll();
      this.mark('table');
    }
    if (m.recent_alerts) this.recentAlerts = m.recent_alerts.slice(0, RECENT_ALERTS);
    if (m.state.alerts !== undefined || m.recent_alerts || m.full) this.onAlertsState();
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
      // A copy: the state document's record is patched in place, and becomes the zombie's.
      if (!rec.zombie) e.lastLive = { ...rec };
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
    const left: TableRow[] = [];
    for (const row of ev.removedRows) {
      if (row.pid === undefined) continue;
      const copy = { ...row };
      this.ghosts.set(String(row.pid), { row: copy, at: now });
      left.push(copy);
    }
    this.rememberExited(left, now);
    if (m.patch.table) {
      const rows = m.patch.table.rows;
      if (rows === null) this.rowChanges.addAll();
      else this.rowChanges.addPatch(rows);
      const change = tableChange(m.patch.table, this.sort, this.filter !== '');
      if (ev.removedRows.length || change === 'rows') this.tableVersion++;
      else if (change === 'order') this.tableOrderVersion++;
      this.mark('table');
    }
    if (m.patch.alerts !== undefined) this.onAlertsState();
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
    const shown = shownRecord(e);
    if (shown) this.rememberExited([{ ...(shown as TableRow), pid: m.pid }], m.time * 1000);
    e.version++;
    this.mark('watch', 'table');
  }
}

/**
 * The record a process view shows: the last one, but for a zombie or a process that exited, with
 * the figures of its last live sample (a zombie's RSS and VMS are 0, its command line empty).
 */
export function shownRecord(e: WatchEntry): ProcessRecord | undefined {
  const r = e.record;
  if (!r || !e.lastLive) return r ?? e.lastLive;
  if (!e.exited && !r.zombie) return r;
  return { ...r, ...e.lastLive, status: r.status, zombie: r.zombie };
}

/** The name a watched process is shown by (`python3 app.py`, see mergedName), or undefined. */
export function displayName(e: WatchEntry | undefined): string | undefined {
  const r = e ? shownRecord(e) : undefined;
  return r?.name === undefined ? undefined : mergedName(r.name, r.cmdline, r.kernel_thread === true);
}

/** Maps a system record to the system history columns. */
export function systemValue(s: SystemRecord, k: SystemColumn): number | undefined {
  if (k.startsWith('core')) return s.cpu?.per_core?.[Number(k.slice(4))] ?? undefined;
  switch (k as SystemMetric) {
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
    case 'disk_read_bytes_per_sec':
      return s.io?.disk_read_bytes_per_sec;
    case 'disk_write_bytes_per_sec':
      return s.io?.disk_write_bytes_per_sec;
    case 'net_rx_bytes_per_sec':
      return s.io?.net_rx_bytes_per_sec;
    case 'net_tx_bytes_per_sec':
      return s.io?.net_tx_bytes_per_sec;
  }
}

/** Fields of a table row the filter looks at. */
const FILTERED: readonly string[] = ['name', 'cmdline', 'username'];

/**
 * What a table patch can change: which rows show (`rows`: a row added (it comes whole, with its
 * `pid`) or removed (null), kernel_thread, new parameters, or with a filter on a field the filter
 * reads), only their order (`order`: a sort key changed), or neither (`none`).
 */
export function tableChange(patch: Patch<TableState>, sort: SortKey, filtering: boolean): 'none' | 'order' | 'rows' {
  const rows = patch.rows;
  if (patch.sort !== undefined || patch.order !== undefined || patch.filter !== undefined || patch.kernel_threads !== undefined) return 'rows';
  if (!rows) return 'none';
  let change: 'none' | 'order' = 'none';
  for (const pid in rows) {
    const r = rows[pid];
    if (!r || 'pid' in r || 'kernel_thread' in r) return 'rows';
    if (filtering) for (const f of FILTERED) if (f in r) return 'rows';
    if (sort in r) change = 'order';
  }
  return change;
}

/** Whether a table patch can change which rows show or their order (see tableChange). */
export function reordersTable(patch: Patch<TableState>, sort: SortKey, filtering: boolean): boolean {
  return tableChange(patch, sort, filtering) !== 'none';
}

/** The newest number in a column before index `end` (NaN = unavailable), or undefined. */
function lastNumber(col: Float64Array, end = col.length): number | undefined {
  for (let i = Math.min(end, col.length) - 1; i >= 0; i--) {
    const v = col[i] as number;
    if (!Number.isNaN(v)) return v;
  }
  return undefined;
}

function sessionStore(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled
  }
}

/** The "recently exited" list survives a reload of the tab (sessionStorage). */
function loadExited(storage: Storage | null): Ghost[] {
  try {
    const raw = storage?.getItem(EXITED_KEY);
    if (!raw) return [];
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return [];
    return list
      .filter((g): g is Ghost => typeof g === 'object' && g !== null && typeof g.at === 'number' && typeof g.row?.pid === 'number')
      .slice(0, SAVED_EXITED);
  } catch {
    return [];
  }
}

/** Each entry's JSON, made once: the list is written every few seconds and changes little. */
const savedJson = new WeakMap<Ghost, string>();

function saveExited(storage: Storage | null, list: Ghost[]): void {
  try {
    if (!storage) return;
    const parts: string[] = [];
    for (const g of list.slice(0, SAVED_EXITED)) {
      let json = savedJson.get(g);
      if (json === undefined) {
        json = JSON.stringify({ at: g.at, row: { pid: g.row.pid, start: g.row.start, name: g.row.name, username: g.row.username, rss: g.row.rss, cmdline: g.row.cmdline } });
        savedJson.set(g, json);
      }
      parts.push(json);
    }
    storage.setItem(EXITED_KEY, `[${parts.join(',')}]`);
  } catch {
    // Full or disabled: the list is a convenience.
  }
}
