/**
 * ProcpulseClient: one WebSocket to a procpulse server, the merge-patch state document it mirrors,
 * and the subscriptions the caller wants. It reconnects with exponential backoff, subscribes again
 * after every (re)connect, and asks for a `resync` when it sees a `seq` gap, a new `epoch` or a
 * message it cannot decode. Usable without the rest of the app (built as procpulse-client.js).
 *
 * Everything runs on the caller's event loop; listeners are called synchronously after the state
 * document has been updated, so they always see a consistent state.
 */
import { decode } from './decode';
import * as enc from './encode';
import { Emitter } from './emitter';
import { applyMergePatch, stripNulls } from './merge';
import type {
  AckMsg,
  AlertMsg,
  RuleAddedMsg,
  RuleDeletedMsg,
  ClientMessage,
  DeltaMsg,
  GoneMsg,
  HelloMsg,
  HistoryMsg,
  HistoryQuery,
  ProcessRecord,
  Ref,
  ServerMessage,
  SnapshotMsg,
  StateDoc,
  TableParams,
  TableRow,
} from './types';

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the last successful `hello`. */
  attempt: number;
  /** When state is `reconnecting`: the next attempt, in ms since the epoch. */
  retryAt?: number;
  /** Why the last connection ended, when known. */
  reason?: string;
}

/** A protocol or server problem, readable by a person. */
export interface ClientError {
  /** A server `error` code, or `protocol` / `connection` for problems found by the client. */
  code: string;
  message: string;
  ref?: Ref;
  /** The request the server refused, when it can be matched by `ref`. */
  request?: ClientMessage;
}

export interface DeltaEvent {
  msg: DeltaMsg;
  /** Table rows this delta removed (their last values), e.g. to fade them out. */
  removedRows: TableRow[];
}

export interface ClientEvents {
  status: ConnectionStatus;
  hello: HelloMsg;
  ack: AckMsg;
  /** After the snapshot has been applied to `state`. */
  snapshot: SnapshotMsg;
  /** After the delta has been applied to `state`. */
  delta: DeltaEvent;
  gone: GoneMsg;
  /** An alert fired or resolved (subscribers of the alerts topic; never coalesced away). */
  alert: AlertMsg;
  /** A rule was added or deleted (subscribers of the alerts topic). */
  rule: RuleAddedMsg | RuleDeletedMsg;
  error: ClientError;
  /** The client asked the server for a resync. */
  resync: { reason: string };
  /** Every decoded message, before it is applied. */
  message: ServerMessage;
}

/** Called for a subscribed PID whenever its record changes; `record` is undefined once it is gone. */
export type ProcessListener = (pid: number, record: ProcessRecord | undefined, msg: SnapshotMsg | DeltaMsg | GoneMsg) => void;

export interface WebSocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export type WebSocketCtor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface ClientOptions {
  /** ws:// or wss:// URL of the feed; default: `/ws` on the page's own origin. */
  url?: string;
  /** Sent as the `bearer.TOKEN` subprotocol when the server runs with --token. */
  token?: string;
  /** A WebSocket implementation (default: the global one). */
  WebSocket?: WebSocketCtor;
  /** First reconnect delay (ms), doubled per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Silence (ms) after which the client pings; twice that and it reconnects. Default 10 s. */
  idleMs?: number;
  /**
   * The client checks for silence once a second on a timer of its own (default). With `false` it
   * starts no timer and the caller calls `tick()` about once a second instead: a page that has a
   * one-second timer anyway saves a task (and a wake-up) a second.
   */
  ownTimer?: boolean;
  /** Injected clock and random source, for tests. */
  now?: () => number;
  random?: () => number;
}

const OPEN = 1;

/** A `history` request waiting for its reply. */
interface PendingHistory {
  msg: ClientMessage;
  resolve: (m: HistoryMsg) => void;
  reject: (e: ClientError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Default table parameters: the whole table, by memory. */
export const DEFAULT_TABLE: TableParams = { sort: 'rss', order: 'desc', limit: 5000, filter: '', kernel_threads: false };

export class ProcpulseClient extends Emitter<ClientEvents> {
  /** The mirrored state document; read it, never write it. */
  state: StateDoc = { processes: {} };
  /** The last `hello` of the current connection. */
  hello: HelloMsg | null = null;
  status: ConnectionStatus = { state: 'idle', attempt: 0 };
  /** ms since the epoch of the last message received. */
  lastMessageAt = 0;

  private readonly opts: Required<Omit<ClientOptions, 'token' | 'WebSocket' | 'url'>> & ClientOptions;
  private ws: WebSocketLike | null = null;
  private lastSeq = 0;
  private awaitingFull = false;
  private awaitingSince = 0;
  private pingSent = false;
  private nextId = 1;
  private readonly requests = new Map<Ref, ClientMessage>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private stopped = true;

  // What the caller wants; replayed after every (re)connect.
  private readonly pids = new Set<number>();
  private readonly procListeners = new Map<number, Set<ProcessListener>>();
  private wantSystem = false;
  private wantAlerts = false;
  private readonly histories = new Map<Ref, PendingHistory>();
  private table: TableParams | null = null;
  private pendingSub = new Set<number>();
  private pendingUnsub = new Set<number>();
  private flushQueued = false;

  constructor(options: ClientOptions = {}) {
    super();
    this.opts = {
      initialBackoffMs: 500,
      maxBackoffMs: 15000,
      idleMs: 10000,
      ownTimer: true,
      now: () => Date.now(),
      random: Math.random,
      ...options,
    };
  }

  // ---- public API -----------------------------------------------------------------------------

  /** Opens the connection (and keeps it open, reconnecting, until close()). */
  connect(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.open();
    if (this.opts.ownTimer) this.watchdog = setInterval(() => this.checkIdle(), 1000);
    return this;
  }

  /**
   * Checks for silence: pings after `idleMs` without a message, reconnects after twice that (or when
   * a resync does not complete). Runs once a second on the client's own timer, or, with
   * `ownTimer: false`, when the caller calls it.
   */
  tick(): void {
    if (!this.stopped) this.checkIdle();
  }

  /** Closes the connection for good; subscriptions are kept for a later connect(). */
  close(): void {
    this.stopped = true;
    for (const [id, p] of this.histories) this.settleHistory(id, p, { code: 'connection', message: 'the client was closed' });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      ws.close(1000, 'client closed');
    }
    this.setStatus({ state: 'closed', attempt: 0 });
  }

  /**
   * Watches processes: their records appear in `state.processes` and `onUpdate` is called on each
   * change. Returns a function that removes `onUpdate` (the subscription stays; see unsubscribe).
   */
  subscribe(pids: readonly number[], onUpdate?: ProcessListener): () => void {
    for (const pid of pids) {
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (onUpdate) {
        let set = this.procListeners.get(pid);
        if (!set) this.procListeners.set(pid, (set = new Set()));
        set.add(onUpdate);
      }
      if (this.pids.has(pid)) continue;
      this.pids.add(pid);
      this.pendingUnsub.delete(pid);
      this.pendingSub.add(pid);
    }
    this.queueFlush();
    return () => {
      if (onUpdate) for (const pid of pids) this.procListeners.get(pid)?.delete(onUpdate);
    };
  }

  /** Stops watching processes and drops their listeners. */
  unsubscribe(pids: readonly number[]): void {
    for (const pid of pids) {
      this.procListeners.delete(pid);
      if (!this.pids.delete(pid)) continue;
      if (this.pendingSub.delete(pid)) continue;
      this.pendingUnsub.add(pid);
    }
    this.queueFlush();
  }

  /** The PIDs currently subscribed (a process that is gone is no longer subscribed). */
  subscribedPids(): number[] {
    return [...this.pids];
  }

  subscribeSystem(): void {
    if (this.wantSystem) return;
    this.wantSystem = true;
    this.request(enc.subscribeSystem(this.id()));
  }

  unsubscribeSystem(): void {
    if (!this.wantSystem) return;
    this.wantSystem = false;
    this.request(enc.unsubscribeTopic('system', this.id()));
    delete this.state.system;
  }

  /** The `alerts` topic: `state.alerts.active` holds the alerts firing now; `alert` events follow. */
  subscribeAlerts(): void {
    if (this.wantAlerts) return;
    this.wantAlerts = true;
    this.request(enc.subscribeAlerts(this.id()));
  }

  unsubscribeAlerts(): void {
    if (!this.wantAlerts) return;
    this.wantAlerts = false;
    this.request(enc.unsubscribeTopic('alerts', this.id()));
    delete this.state.alerts;
  }

  /**
   * Asks for one process's points between `from` and `to` (memory and database). Resolves with the
   * `history` reply; rejects with a ClientError (`no_such_process`, `bad_request`, `rate_limited`, or
   * `timeout`/`connection`). Sent once the connection is live, and again after a reconnect.
   */
  history(q: HistoryQuery, timeoutMs = 15000): Promise<HistoryMsg> {
    return new Promise((resolve, reject) => {
      const id = this.id();
      const msg = enc.history(q, id);
      const timer = setTimeout(() => {
        const p = this.histories.get(id);
        if (p) this.settleHistory(id, p, { code: 'timeout', message: `no history reply within ${Math.round(timeoutMs / 1000)} s`, ref: id, request: msg });
      }, timeoutMs);
      this.histories.set(id, { msg, resolve, reject, timer });
      this.send(msg); // when not live yet: sent by resubscribe() after the next hello
    });
  }

  private settleHistory(id: Ref, p: PendingHistory, error: ClientError | null, reply?: HistoryMsg): void {
    clearTimeout(p.timer);
    this.histories.delete(id);
    if (error) p.reject(error);
    else if (reply) p.resolve(reply);
  }

  /** Subscribes to the live process table, or changes its parameters. */
  subscribeTable(params: Partial<TableParams> = {}): void {
    this.table = { ...(this.table ?? DEFAULT_TABLE), ...params };
    this.request(enc.subscribeProcesses(this.table, this.id()));
  }

  unsubscribeTable(): void {
    if (!this.table) return;
    this.table = null;
    this.request(enc.unsubscribeTopic('processes', this.id()));
    delete this.state.table;
  }

  tableParams(): TableParams | null {
    return this.table;
  }

  /** Asks for a full snapshot of everything subscribed. */
  resync(reason = 'requested'): void {
    this.awaitingFull = true;
    this.awaitingSince = this.opts.now();
    this.emit('resync', { reason });
    this.send(enc.resync());
  }

  ping(): void {
    this.request(enc.ping(this.id()));
  }

  // ---- connection -----------------------------------------------------------------------------

  private url(): string {
    if (this.opts.url) return this.opts.url;
    const loc = (globalThis as { location?: Location }).location;
    if (!loc) throw new Error('procpulse: no url given and no page location to derive it from');
    return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
  }

  private open(): void {
    const Ctor = this.opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!Ctor) throw new Error('procpulse: no WebSocket implementation');
    this.setStatus({ state: 'connecting', attempt: this.status.attempt });
    const protocols = ['procpulse.v1'];
    if (this.opts.token) protocols.push(`bearer.${this.opts.token}`);
    let ws: WebSocketLike;
    try {
      ws = new Ctor(this.url(), protocols);
    } catch (e) {
      this.scheduleReconnect(`cannot connect: ${String(e)}`);
      return;
    }
    this.ws = ws;
    this.hello = null;
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') this.onFrame(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.scheduleReconnect(closeReason(ev.code, ev.reason));
    };
    ws.onerror = () => {
      // onclose follows and carries the code.
    };
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    const attempt = this.status.attempt + 1;
    const base = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** (attempt - 1));
    const delay = Math.round(base * (0.8 + 0.4 * this.opts.random()));
    this.setStatus({ state: 'reconnecting', attempt, retryAt: this.opts.now() + delay, reason });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  /** Reconnects now instead of waiting for the backoff timer. */
  reconnectNow(): void {
    if (this.stopped || this.status.state !== 'reconnecting') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  private checkIdle(): void {
    if (!this.ws || this.status.state !== 'live') {
      if (this.awaitingFull) this.awaitingSince = this.opts.now();
      return;
    }
    const now = this.opts.now();
    const silent = now - this.lastMessageAt;
    const stuckResync = this.awaitingFull && now - this.awaitingSince > 2 * this.opts.idleMs;
    if (silent > 2 * this.opts.idleMs || stuckResync) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onmessage = ws.onerror = null;
      ws.close(4000, 'no data');
      this.scheduleReconnect(stuckResync ? 'resync did not complete' : `no data for ${Math.round(silent / 1000)} s`);
    } else if (silent > this.opts.idleMs && !this.pingSent) {
      this.pingSent = true;
      this.send(enc.ping());
    }
  }

  private setStatus(s: ConnectionStatus): void {
    this.status = s;
    this.emit('status', s);
  }

  // ---- sending --------------------------------------------------------------------------------

  private id(): number {
    return this.nextId++;
  }

  private send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN || !this.hello) return false;
    ws.send(enc.encode(msg));
    return true;
  }

  /** Sends a request and remembers it so a server error can name what failed. */
  private request(msg: ClientMessage): void {
    if (!this.send(msg)) return; // replayed by resubscribe() on the next hello
    if (msg.id !== undefined) {
      this.requests.set(msg.id, msg);
      if (this.requests.size > 64) {
        const first = this.requests.keys().next();
        if (!first.done) this.requests.delete(first.value);
      }
    }
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Sends the subscription changes collected since the last flush, batched. */
  private flush(): void {
    if (!this.hello || !this.ws) return; // resubscribe() sends everything on the next hello
    const max = this.hello.limits.max_subscriptions ?? 256;
    if (this.pendingUnsub.size) {
      const pids = [...this.pendingUnsub];
      this.pendingUnsub.clear();
      for (let i = 0; i < pids.length; i += max) this.request(enc.unsubscribePids(pids.slice(i, i + max), this.id()));
      for (const pid of pids) delete this.state.processes[String(pid)];
    }
    if (this.pendingSub.size) {
      const pids = [...this.pendingSub];
      this.pendingSub.clear();
      for (let i = 0; i < pids.length; i += max) this.request(enc.subscribePids(pids.slice(i, i + max), this.id()));
    }
  }

  /** A subscription change the server dropped (rate limit): ask again for what is still wanted. */
  private retryLater(req: ClientMessage): void {
    if (req.type !== 'subscribe' && req.type !== 'unsubscribe') return;
    const epoch = this.hello?.epoch;
    setTimeout(() => {
      if (this.stopped || !this.hello || this.hello.epoch !== epoch) return; // a new connection resubscribes anyway
      if ('pids' in req) {
        for (const pid of req.pids) {
          if (req.type === 'subscribe' && this.pids.has(pid)) this.pendingSub.add(pid);
          if (req.type === 'unsubscribe' && !this.pids.has(pid)) this.pendingUnsub.add(pid);
        }
        this.flush();
      } else if (req.topic === 'system') {
        if (req.type === 'subscribe' && this.wantSystem) this.request(enc.subscribeSystem(this.id()));
        if (req.type === 'unsubscribe' && !this.wantSystem) this.request(enc.unsubscribeTopic('system', this.id()));
      } else if (req.topic === 'alerts') {
        if (req.type === 'subscribe' && this.wantAlerts) this.request(enc.subscribeAlerts(this.id()));
        if (req.type === 'unsubscribe' && !this.wantAlerts) this.request(enc.unsubscribeTopic('alerts', this.id()));
      } else if (req.topic === 'processes') {
        if (req.type === 'subscribe' && this.table) this.request(enc.subscribeProcesses(this.table, this.id()));
        if (req.type === 'unsubscribe' && !this.table) this.request(enc.unsubscribeTopic('processes', this.id()));
      }
    }, 1000 + Math.round(500 * this.opts.random()));
  }

  /** After a hello: the server knows nothing about us; ask again for everything. */
  private resubscribe(): void {
    this.pendingSub = new Set(this.pids);
    this.pendingUnsub.clear();
    const maxRows = this.hello?.limits.max_process_limit;
    if (this.table && maxRows !== undefined && this.table.limit > maxRows) this.table = { ...this.table, limit: maxRows };
    if (this.table) this.request(enc.subscribeProcesses(this.table, this.id()));
    if (this.wantSystem) this.request(enc.subscribeSystem(this.id()));
    if (this.wantAlerts) this.request(enc.subscribeAlerts(this.id()));
    // History requests sent on a connection that ended will never be answered there: ask again.
    for (const p of this.histories.values()) this.send(p.msg);
    this.flush();
  }

  // ---- receiving ------------------------------------------------------------------------------

  private onFrame(text: string): void {
    this.lastMessageAt = this.opts.now();
    this.pingSent = false;
    const d = decode(text);
    if (!d.ok) {
      this.emit('error', { code: 'protocol', message: `unreadable message from the server: ${d.error}` });
      if (d.seq !== undefined) {
        // The envelope was readable: keep counting, and re-fetch state if data may have been lost.
        const sequenced = this.checkSequence(d.seq, d.epoch ?? '', d.type === 'hello');
        if (sequenced && (d.type === 'delta' || d.type === 'snapshot')) this.resync('undecodable message');
      }
      return;
    }
    const msg = d.msg;
    this.emit('message', msg);
    if (msg.type === 'hello') {
      this.onHello(msg);
      return;
    }
    if (!this.hello) return; // nothing is valid before hello
    this.checkSequence(msg.seq, msg.epoch, false);
    switch (msg.type) {
      case 'ack':
        this.requests.delete(msg.ref ?? '');
        this.emit('ack', msg);
        break;
      case 'snapshot':
        this.onSnapshot(msg);
        break;
      case 'delta':
        this.onDelta(msg);
        break;
      case 'gone':
        this.onGone(msg);
        break;
      case 'alert':
        this.emit('alert', msg);
        break;
      case 'rule_added':
      case 'rule_deleted':
        this.emit('rule', msg);
        break;
      case 'history': {
        const p = msg.ref === undefined ? undefined : this.histories.get(msg.ref);
        if (p && msg.ref !== undefined) this.settleHistory(msg.ref, p, null, msg);
        break;
      }
      case 'error': {
        const err: ClientError = { code: msg.code, message: msg.message };
        const pending = msg.ref === undefined ? undefined : this.histories.get(msg.ref);
        if (pending && msg.ref !== undefined) {
          // The caller of history() gets it; nobody else needs to hear of it.
          this.settleHistory(msg.ref, pending, { ...err, ref: msg.ref, request: pending.msg });
          break;
        }
        if (msg.ref !== undefined) {
          err.ref = msg.ref;
          const req = this.requests.get(msg.ref);
          if (req) err.request = req;
          this.requests.delete(msg.ref);
        }
        this.emit('error', err);
        if (msg.code === 'rate_limited' && err.request) this.retryLater(err.request);
        break;
      }
      case 'pong':
        break;
    }
  }

  /** Tracks seq/epoch; returns true when the message is in sequence. Sends resync otherwise. */
  private checkSequence(seq: number, epoch: string, isHello: boolean): boolean {
    if (isHello) {
      this.lastSeq = seq;
      return true;
    }
    const expected = this.lastSeq + 1;
    this.lastSeq = seq;
    if (this.hello && epoch !== this.hello.epoch) {
      this.resync(`server epoch changed (${this.hello.epoch} -> ${epoch})`);
      return false;
    }
    if (seq !== expected && !this.awaitingFull) {
      this.resync(`sequence gap: expected ${expected}, got ${seq}`);
      return false;
    }
    return true;
  }

  private onHello(msg: HelloMsg): void {
    this.hello = msg;
    this.lastSeq = msg.seq;
    this.awaitingFull = false;
    this.requests.clear();
    this.state = { processes: {} };
    this.setStatus({ state: 'live', attempt: 0 });
    this.emit('hello', msg);
    this.resubscribe();
  }

  private onSnapshot(msg: SnapshotMsg): void {
    if (msg.full) {
      this.state = { processes: {} };
      this.awaitingFull = false;
    } else if (this.awaitingFull) {
      // A reply to an earlier request; the full snapshot on its way supersedes it.
      return;
    }
    const st = this.state;
    const patch = msg.state;
    // A snapshot carries full records: each one replaces what the client had.
    if (patch.processes) {
      for (const [pid, rec] of Object.entries(patch.processes)) {
        if (rec === null || rec === undefined) delete st.processes[pid];
        // A late reply for a PID unsubscribed since is dropped; a full snapshot is the server's word.
        else if (msg.full || this.pids.has(Number(pid))) st.processes[pid] = stripNulls(rec as ProcessRecord);
      }
    }
    if (patch.system === null) delete st.system;
    else if (patch.system) st.system = stripNulls(patch.system) as StateDoc['system'];
    if (patch.table === null) delete st.table;
    else if (patch.table) st.table = stripNulls(patch.table) as StateDoc['table'];
    // The full set of firing alerts, with null for those the client may still hold: either way the
    // nulls only mean "absent".
    if (patch.alerts === null) delete st.alerts;
    else if (patch.alerts) st.alerts = stripNulls(patch.alerts) as StateDoc['alerts'];
    this.emit('snapshot', msg);
    if (patch.processes) {
      for (const pid of Object.keys(patch.processes)) this.notify(Number(pid), msg);
    }
  }

  private onDelta(msg: DeltaMsg): void {
    if (this.awaitingFull) return; // it patches a state we no longer trust
    const removedRows: TableRow[] = [];
    const rows = msg.patch.table?.rows;
    const have = this.state.table?.rows;
    if (rows && have) {
      for (const pid in rows) {
        if (rows[pid] === null && have[pid]) removedRows.push(have[pid]);
      }
    }
    applyMergePatch(this.state, msg.patch);
    if (!this.state.processes) this.state.processes = {};
    this.emit('delta', { msg, removedRows });
    const procs = msg.patch.processes;
    if (procs) for (const pid of Object.keys(procs)) this.notify(Number(pid), msg);
  }

  private onGone(msg: GoneMsg): void {
    this.pids.delete(msg.pid);
    this.pendingSub.delete(msg.pid);
    this.emit('gone', msg);
    this.notify(msg.pid, msg);
    this.procListeners.delete(msg.pid);
  }

  private notify(pid: number, msg: SnapshotMsg | DeltaMsg | GoneMsg): void {
    const set = this.procListeners.get(pid);
    if (!set) return;
    const rec = msg.type === 'gone' ? undefined : this.state.processes[String(pid)];
    for (const fn of set) {
      try {
        fn(pid, rec, msg);
      } catch (err) {
        console.error('procpulse: process listener failed', err);
      }
    }
  }
}

/** A readable reason for a WebSocket close code. */
export function closeReason(code: number, reason: string): string {
  const known: Record<number, string> = {
    1000: 'closed',
    1001: 'server going away',
    1003: 'server refused a binary frame',
    1006: 'connection lost',
    1008: 'policy violation',
    1009: 'message too big',
    1011: 'server error',
  };
  const text = known[code] ?? `closed (${code})`;
  return reason ? `${text}: ${reason}` : text;
}
