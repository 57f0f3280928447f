/**
 * The only place raw JSON becomes typed. Each server message is checked against protocol v1
 * (shared/protocol.md): the envelope (`type`, `seq`, `epoch`), then the members of its kind. Record
 * members are checked by a small schema; unknown members are dropped, `null` is kept (in a patch it
 * means "remove"; in a record, "unavailable"). History columns become Float64Arrays, NaN for null.
 */
import type {
  AckMsg,
  AlertEvent,
  AlertMsg,
  RuleAddedMsg,
  RuleDeletedMsg,
  AlertRule,
  DeltaMsg,
  ErrorMsg,
  GoneMsg,
  HelloMsg,
  HistoryBlock,
  HistoryColumns,
  HistoryMsg,
  PongMsg,
  ProcessRecord,
  Ref,
  ServerMessage,
  SnapshotMsg,
} from './types';
import { MAX_CORES } from './types';

export type Decoded =
  | { ok: true; msg: ServerMessage }
  | { ok: false; error: string; /** present when the envelope was readable */ seq?: number; epoch?: string; type?: string };

type Obj = Record<string, unknown>;

class DecodeError extends Error {}

function fail(path: string, what: string): never {
  throw new DecodeError(`${path}: ${what}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'expected a number');
  return v;
}

function optNum(o: Obj, key: string, path: string): number | undefined {
  return o[key] === undefined ? undefined : num(o, key, path);
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, 'expected a string');
  return v;
}

function obj(o: Obj, key: string, path: string): Obj {
  const v = o[key];
  if (!isObj(v)) fail(`${path}.${key}`, 'expected an object');
  return v;
}

function optRef(o: Obj): Ref | undefined {
  const v = o.ref;
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

function pidList(o: Obj, key: string, path: string): number[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'expected an array');
  return v.map((p, i) => {
    if (typeof p !== 'number' || !Number.isInteger(p)) fail(`${path}.${key}[${i}]`, 'expected a PID');
    return p;
  });
}

// ---- record schemas ---------------------------------------------------------------------------

/**
 * n: number, s: string, b: boolean, sa: string[], na: (number|null)[], a nested schema, or a map of
 * records keyed by any name (devices, interfaces, mount points).
 */
type Kind = 'n' | 's' | 'b' | 'sa' | 'na' | Schema | MapOf;
interface Schema {
  [member: string]: Kind;
}
/** An object whose every member is a record of `of` (or null: removed by a patch). */
class MapOf {
  constructor(readonly of: Schema) {}
}

const PROCESS: Schema = {
  pid: 'n', ppid: 'n', start: 'n', name: 's', cmdline: 's', username: 's', uid: 'n', status: 's',
  create_time: 'n', nice: 'n', num_threads: 'n', kernel_thread: 'b', zombie: 'b', cpu_percent: 'n',
  cpu_user: 'n', cpu_system: 'n', rss: 'n', vms: 'n', shared: 'n', text: 'n', data: 'n',
  memory_percent: 'n', minor_faults: 'n', major_faults: 'n', minor_faults_per_sec: 'n',
  major_faults_per_sec: 'n', ctx_switches_voluntary: 'n', ctx_switches_involuntary: 'n',
  read_bytes: 'n', write_bytes: 'n', read_chars: 'n', write_chars: 'n', read_count: 'n',
  write_count: 'n', read_bytes_per_sec: 'n', write_bytes_per_sec: 'n', unavailable: 'sa',
};

const SYSTEM: Schema = {
  timestamp: 'n',
  memory: { total: 'n', available: 'n', used: 'n', free: 'n', percent: 'n', buffers: 'n', cached: 'n', shared: 'n' },
  swap: { total: 'n', used: 'n', free: 'n', percent: 'n', in_pages_per_sec: 'n', out_pages_per_sec: 'n' },
  cpu: { count: 'n', percent: 'n', per_core: 'na' },
  load: 'na', uptime: 'n', boot_time: 'n', process_count: 'n', thread_count: 'n',
  procs_running: 'n', procs_blocked: 'n', minor_faults_per_sec: 'n', major_faults_per_sec: 'n',
  ctx_switches_per_sec: 'n',
  disks: new MapOf({ read_bytes_per_sec: 'n', write_bytes_per_sec: 'n', reads_per_sec: 'n', writes_per_sec: 'n', busy_percent: 'n' }),
  net: new MapOf({
    rx_bytes_per_sec: 'n', tx_bytes_per_sec: 'n', rx_packets_per_sec: 'n', tx_packets_per_sec: 'n',
    rx_errors: 'n', tx_errors: 'n', rx_drops: 'n', tx_drops: 'n',
  }),
  filesystems: new MapOf({ device: 's', type: 's', size: 'n', used: 'n', available: 'n', percent: 'n' }),
  io: { disk_read_bytes_per_sec: 'n', disk_write_bytes_per_sec: 'n', net_rx_bytes_per_sec: 'n', net_tx_bytes_per_sec: 'n' },
};

const ROW: Schema = {
  pid: 'n', start: 'n', name: 's', username: 's', status: 's', cpu_percent: 'n', rss: 'n', vms: 'n',
  shared: 'n', memory_percent: 'n', num_threads: 'n', faults_per_sec: 'n', kernel_thread: 'b',
  cmdline: 's',
};

const TABLE_PARAMS: Schema = { sort: 's', order: 's', limit: 'n', filter: 's', kernel_threads: 'b', total: 'n' };

const ALERT: Schema = {
  id: 's', rule_id: 'n', rule: 's', state: 's', metric: 's', value: 'n', threshold: 'n', time: 'n',
  since: 'n', pid: 'n', start: 'n', name: 's', reason: 's',
};

const RULE: Schema = {
  id: 'n', name: 's', metric: 's', op: 's', threshold: 'n', for: 'n', hysteresis: 'n', scope: 's',
  pid: 'n', pattern: 's',
};

/** `path.key`, or `path` when there is no key: paths are built only for nested records and errors. */
function at(path: string, key: string | undefined): string {
  return key === undefined ? path : `${path}.${key}`;
}

type Scalar = Exclude<Kind, Schema | MapOf>;

const EXPECTED: Record<Scalar, string> = {
  n: 'expected a number',
  s: 'expected a string',
  b: 'expected a boolean',
  sa: 'expected an array of strings',
  na: 'expected an array of numbers',
};

/** Whether `v` (not null) is a value of `kind`. */
function valid(v: unknown, kind: Scalar): boolean {
  switch (kind) {
    case 'n':
      return typeof v === 'number' && Number.isFinite(v);
    case 's':
      return typeof v === 'string';
    case 'b':
      return typeof v === 'boolean';
    case 'sa':
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
      return true;
    case 'na':
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x !== null && typeof x !== 'number') return false;
      }
      return true;
  }
}

/**
 * Checks the members of `v` (the object at `path`, or at `path.key`) against `schema`; `null` is
 * kept, unknown members are dropped. When there is nothing to drop, `v` itself is returned: this
 * runs for every record of every message, so a message is checked where it was parsed rather than
 * copied member by member. Otherwise the result is a copy of its known members.
 */
function record(v: unknown, schema: Schema, path: string, key?: string): Obj {
  if (!isObj(v)) fail(at(path, key), 'expected an object');
  let clean = true;
  for (const k in v) {
    const kind = schema[k];
    if (kind === undefined) {
      clean = false;
      continue;
    }
    const x = v[k];
    if (x === null) continue;
    if (typeof kind === 'string') {
      if (!valid(x, kind)) fail(`${at(path, key)}.${k}`, EXPECTED[kind]);
    } else if (nested(x, kind, at(path, key), k) !== x) clean = false;
  }
  if (clean) return v;
  const out: Obj = {};
  for (const k in v) {
    const kind = schema[k];
    if (kind === undefined) continue;
    const x = v[k];
    out[k] = x === null || typeof kind === 'string' ? x : nested(x, kind, at(path, key), k);
  }
  return out;
}

/** A nested record, or a map of them (returned as is when nothing in it needed a copy). */
function nested(x: unknown, kind: Schema | MapOf, path: string, key: string): Obj {
  if (!(kind instanceof MapOf)) return record(x, kind, path, key);
  if (!isObj(x)) fail(at(path, key), 'expected an object');
  let out: Obj | null = null;
  for (const name in x) {
    const rec = x[name];
    const checked = rec === null ? null : record(rec, kind.of, at(path, key), name);
    if (out === null && checked !== rec) {
      out = {};
      for (const n in x) {
        if (n === name) break;
        out[n] = x[n];
      }
    }
    if (out !== null) out[name] = checked;
  }
  return out ?? x;
}

/** Whether `key` is a decimal PID: one or more ASCII digits. */
function isPidKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A map keyed by decimal PID strings; each value a record (or null = removed). Like record(), the
 * map itself is returned when no record in it needed a copy.
 */
function pidMap(v: unknown, schema: Schema, path: string): Record<string, Obj | null> {
  if (!isObj(v)) fail(path, 'expected an object keyed by PID');
  let out: Record<string, Obj | null> | null = null;
  for (const key in v) {
    if (!isPidKey(key)) fail(`${path}.${key}`, 'expected a PID key');
    const rec = v[key];
    const checked = rec === null ? null : record(rec, schema, path, key);
    if (out === null && checked !== rec) {
      // The first record that had to be copied: copy the map up to here, then go on filling it.
      out = {};
      for (const k in v) {
        if (k === key) break;
        out[k] = v[k] as Obj | null;
      }
    }
    if (out !== null) out[key] = checked;
  }
  return out ?? (v as Record<string, Obj | null>);
}

/** A map keyed by alert instance ids ("rule:pid:start", "rule:system"); each value an event or null. */
function alertMap(v: unknown, path: string): Record<string, Obj | null> {
  if (!isObj(v)) fail(path, 'expected an object keyed by alert id');
  const out: Record<string, Obj | null> = {};
  for (const key in v) {
    const ev = v[key];
    out[key] = ev === null ? null : record(ev, ALERT, `${path}.${key}`);
  }
  return out;
}

function alertList(v: unknown, path: string): AlertEvent[] {
  if (!Array.isArray(v)) fail(path, 'expected an array of alert events');
  return v.map((ev, i) => record(ev, ALERT, `${path}[${i}]`) as AlertEvent);
}

/** A state document or a patch of one. */
function statePatch(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(path, 'expected an object');
  const out: Obj = {};
  if ('processes' in v) out.processes = v.processes === null ? null : pidMap(v.processes, PROCESS, `${path}.processes`);
  if ('system' in v) out.system = v.system === null ? null : record(v.system, SYSTEM, `${path}.system`);
  if ('table' in v) {
    const t = v.table;
    if (t === null) out.table = null;
    else {
      const table = record(t, TABLE_PARAMS, `${path}.table`);
      if (isObj(t) && 'rows' in t) table.rows = t.rows === null ? null : pidMap(t.rows, ROW, `${path}.table.rows`);
      out.table = table;
    }
  }
  if ('alerts' in v) {
    const a = v.alerts;
    if (a === null) out.alerts = null;
    else {
      if (!isObj(a)) fail(`${path}.alerts`, 'expected an object');
      const alerts: Obj = {};
      if ('active' in a) alerts.active = a.active === null ? null : alertMap(a.active, `${path}.alerts.active`);
      out.alerts = alerts;
    }
  }
  return out;
}

function columns(v: unknown, path: string): HistoryColumns {
  if (!isObj(v)) fail(path, 'expected history columns');
  const t = v.t;
  if (!Array.isArray(t)) fail(`${path}.t`, 'expected an array');
  const n = t.length;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = t[i];
    if (typeof x !== 'number') fail(`${path}.t[${i}]`, 'expected a number');
    ts[i] = x;
  }
  const cols: Record<string, Float64Array> = {};
  for (const key in v) {
    if (key === 't') continue;
    const col = v[key];
    if (!Array.isArray(col)) continue; // unknown non-column members are ignored
    if (key === 'cpu_percent_per_core') {
      // One array per core: columns core0, core1, …
      const cores = Math.min(col.length, MAX_CORES);
      for (let c = 0; c < cores; c++) {
        const one: unknown = col[c];
        if (!Array.isArray(one)) fail(`${path}.${key}[${c}]`, 'expected an array');
        cols[`core${c}`] = numbers(one, n, `${path}.${key}[${c}]`);
      }
      continue;
    }
    cols[key] = numbers(col, n, `${path}.${key}`);
  }
  return { t: ts, cols };
}

/** A column of numbers (null: NaN) that must have one value per time. */
function numbers(col: unknown[], n: number, path: string): Float64Array {
  if (col.length !== n) fail(path, `has ${col.length} values for ${n} times`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = col[i];
    if (x === null) out[i] = NaN;
    else if (typeof x === 'number') out[i] = x;
    else fail(`${path}[${i}]`, 'expected a number or null');
  }
  return out;
}

function history(v: unknown, path: string): HistoryBlock {
  const out: HistoryBlock = { processes: {} };
  if (v === undefined || v === null) return out;
  if (!isObj(v)) fail(path, 'expected an object');
  if (isObj(v.processes)) {
    for (const pid in v.processes) out.processes[pid] = columns(v.processes[pid], `${path}.processes.${pid}`);
  }
  if (v.system !== undefined && v.system !== null) out.system = columns(v.system, `${path}.system`);
  return out;
}

// ---- messages ---------------------------------------------------------------------------------

function body(type: string, o: Obj, seq: number, epoch: string): ServerMessage | null {
  const p = type;
  switch (type) {
    case 'hello': {
      const limits = isObj(o.limits) ? o.limits : {};
      const l: HelloMsg['limits'] = {};
      for (const k of ['max_message_bytes', 'max_subscriptions', 'messages_per_sec', 'message_burst', 'max_process_limit'] as const) {
        const x = limits[k];
        if (typeof x === 'number') l[k] = x;
      }
      const m: HelloMsg = {
        type, seq, epoch,
        protocol: num(o, 'protocol', p),
        server: typeof o.server === 'string' ? o.server : '',
        host: typeof o.host === 'string' ? o.host : '',
        interval_ms: num(o, 'interval_ms', p),
        history_ms: optNum(o, 'history_ms', p) ?? 0,
        history_persisted: o.history_persisted !== false,
        store_error: typeof o.store_error === 'string' ? o.store_error : null,
        actions_allowed: o.actions_allowed === true,
        cpu_count: optNum(o, 'cpu_count', p) ?? 0,
        page_size: optNum(o, 'page_size', p) ?? 0,
        mem_total: optNum(o, 'mem_total', p) ?? 0,
        time: optNum(o, 'time', p) ?? 0,
        limits: l,
      };
      return m;
    }
    case 'ack': {
      const op = str(o, 'op', p);
      if (op !== 'subscribe' && op !== 'unsubscribe') fail(`${p}.op`, 'expected subscribe or unsubscribe');
      const m: AckMsg = { type, seq, epoch, op, pids: pidList(o, 'pids', p), not_found: pidList(o, 'not_found', p) };
      const ref = optRef(o);
      if (ref !== undefined) m.ref = ref;
      if (typeof o.topic === 'string') m.topic = o.topic;
      return m;
    }
    case 'snapshot': {
      const m: SnapshotMsg = {
        type, seq, epoch,
        time: num(o, 'time', p),
        full: o.full === true,
        state: statePatch(obj(o, 'state', p), `${p}.state`) as SnapshotMsg['state'],
        history: history(o.history, `${p}.history`),
      };
      const ref = optRef(o);
      if (ref !== undefined) m.ref = ref;
      if (o.recent_alerts !== undefined && o.recent_alerts !== null) m.recent_alerts = alertList(o.recent_alerts, `${p}.recent_alerts`);
      return m;
    }
    case 'delta': {
      const m: DeltaMsg = {
        type, seq, epoch,
        time: num(o, 'time', p),
        patch: statePatch(obj(o, 'patch', p), `${p}.patch`) as DeltaMsg['patch'],
      };
      return m;
    }
    case 'gone': {
      const m: GoneMsg = {
        type, seq, epoch,
        pid: num(o, 'pid', p),
        reason: typeof o.reason === 'string' ? o.reason : 'exited',
        time: optNum(o, 'time', p) ?? 0,
      };
      const start = optNum(o, 'start', p);
      if (start !== undefined) m.start = start;
      if (o.last !== undefined && o.last !== null) m.last = record(o.last, PROCESS, `${p}.last`) as ProcessRecord;
      return m;
    }
    case 'alert': {
      const m: AlertMsg = { type, seq, epoch, event: decodeAlertEventAt(obj(o, 'event', p), `${p}.event`) };
      return m;
    }
    case 'rule_added': {
      const rule = decodeRule(obj(o, 'rule', p), `${p}.rule`);
      if (!rule.ok) throw new DecodeError(rule.error);
      const m: RuleAddedMsg = { type, seq, epoch, rule: rule.value };
      return m;
    }
    case 'rule_deleted': {
      const m: RuleDeletedMsg = { type, seq, epoch, id: num(o, 'id', p) };
      return m;
    }
    case 'history': {
      const m: HistoryMsg = { type, seq, epoch, pid: num(o, 'pid', p), series: columns(obj(o, 'series', p), `${p}.series`) };
      const ref = optRef(o);
      if (ref !== undefined) m.ref = ref;
      return m;
    }
    case 'error': {
      const m: ErrorMsg = {
        type, seq, epoch,
        code: str(o, 'code', p),
        message: typeof o.message === 'string' ? o.message : '',
      };
      const ref = optRef(o);
      if (ref !== undefined) m.ref = ref;
      return m;
    }
    case 'pong': {
      const m: PongMsg = { type, seq, epoch };
      const ref = optRef(o);
      if (ref !== undefined) m.ref = ref;
      const time = optNum(o, 'time', p);
      if (time !== undefined) m.time = time;
      return m;
    }
    default:
      return null;
  }
}

function decodeAlertEventAt(v: unknown, path: string): AlertEvent {
  const ev = record(v, ALERT, path) as AlertEvent;
  if (typeof ev.id !== 'string') fail(`${path}.id`, 'expected a string');
  if (typeof ev.state !== 'string') fail(`${path}.state`, 'expected a string');
  return ev;
}

// ---- REST bodies ------------------------------------------------------------------------------

/** Result of decoding a REST body: the value, or what is wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

function checked<T>(fn: () => T): Checked<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e.message };
    throw e;
  }
}

/** History columns as the REST history endpoint returns them in `series`. */
export function decodeColumns(v: unknown, path = 'series'): Checked<HistoryColumns> {
  return checked(() => columns(v, path));
}

/** One alert event (an `alert` message's `event`, or an entry of `GET /api/alerts`). */
export function decodeAlertEvent(v: unknown, path = 'event'): Checked<AlertEvent> {
  return checked(() => decodeAlertEventAt(v, path));
}

/** A list of alert events (`recent_alerts`, `GET /api/alerts` `active`/`recent`). */
export function decodeAlertEvents(v: unknown, path = 'events'): Checked<AlertEvent[]> {
  return checked(() => alertList(v, path));
}

/** An alert rule as `GET/POST /api/alerts/rules` return it. */
export function decodeRule(v: unknown, path = 'rule'): Checked<AlertRule> {
  return checked(() => {
    const r = { ...record(v, RULE, path) }; // changed below: never the caller's object
    if (typeof r.id !== 'number') fail(`${path}.id`, 'expected a number');
    if (typeof r.metric !== 'string') fail(`${path}.metric`, 'expected a string');
    if (typeof r.name !== 'string') r.name = '';
    // null (never sent by the server for these) reads as absent.
    for (const k of Object.keys(r)) if (r[k] === null) delete r[k];
    return r as unknown as AlertRule;
  });
}

/**
 * Decodes an already parsed JSON value. The message may share objects and arrays with `raw`
 * (records are checked in place, not copied), so `raw` should not be changed afterwards.
 */
export function decodeValue(raw: unknown): Decoded {
  if (!isObj(raw)) return { ok: false, error: 'message is not a JSON object' };
  const type = raw.type;
  const seq = raw.seq;
  const epoch = raw.epoch;
  if (typeof type !== 'string') return { ok: false, error: 'message has no "type"' };
  if (typeof seq !== 'number' || !Number.isInteger(seq) || typeof epoch !== 'string') {
    return { ok: false, error: `${type}: missing "seq" or "epoch"`, type };
  }
  try {
    const msg = body(type, raw, seq, epoch);
    if (msg === null) return { ok: false, error: `unknown message type "${type}"`, seq, epoch, type };
    return { ok: true, msg };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e.message, seq, epoch, type };
    throw e;
  }
}

/** Decodes one text frame. */
export function decode(text: string): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'frame is not valid JSON' };
  }
  return decodeValue(raw);
}
