/**
 * Typed shapes of protocol v1 (shared/protocol.md). Records are the client's copy of the server's
 * state document: a member whose value is unavailable is absent (merge-patch `null` removes it), so
 * every record member is optional and a missing member reads as "unavailable".
 */

/** A merge patch of T: any member may be absent (unchanged) or null (removed); objects nest. */
export type Patch<T> = { [K in keyof T]?: (T[K] extends object ? (T[K] extends unknown[] ? T[K] : Patch<T[K]>) : T[K]) | null };

/** One process, keyed by (pid, start). Names and meanings follow psutil. */
export interface ProcessRecord {
  pid?: number;
  ppid?: number;
  start?: number;
  name?: string;
  cmdline?: string;
  username?: string;
  uid?: number;
  status?: string;
  create_time?: number;
  nice?: number;
  num_threads?: number;
  kernel_thread?: boolean;
  zombie?: boolean;
  cpu_percent?: number;
  cpu_user?: number;
  cpu_system?: number;
  rss?: number;
  vms?: number;
  shared?: number;
  text?: number;
  data?: number;
  memory_percent?: number;
  minor_faults?: number;
  major_faults?: number;
  minor_faults_per_sec?: number;
  major_faults_per_sec?: number;
  ctx_switches_voluntary?: number;
  ctx_switches_involuntary?: number;
  read_bytes?: number;
  write_bytes?: number;
  read_chars?: number;
  write_chars?: number;
  read_count?: number;
  write_count?: number;
  read_bytes_per_sec?: number;
  write_bytes_per_sec?: number;
  unavailable?: string[];
}

export interface SystemMemory {
  total?: number;
  available?: number;
  used?: number;
  free?: number;
  percent?: number;
  buffers?: number;
  cached?: number;
  shared?: number;
}

export interface SystemSwap {
  total?: number;
  used?: number;
  free?: number;
  percent?: number;
  in_pages_per_sec?: number;
  out_pages_per_sec?: number;
}

export interface SystemCpu {
  count?: number;
  percent?: number;
  /** One entry per core; null where a core's figure is not known yet. */
  per_core?: (number | null)[];
}

/** One block device of /proc/diskstats (rates over the gap between two sweeps). */
export interface SystemDisk {
  read_bytes_per_sec?: number;
  write_bytes_per_sec?: number;
  reads_per_sec?: number;
  writes_per_sec?: number;
  busy_percent?: number;
}

/** One network interface of /proc/net/dev. */
export interface SystemNet {
  rx_bytes_per_sec?: number;
  tx_bytes_per_sec?: number;
  rx_packets_per_sec?: number;
  tx_packets_per_sec?: number;
  rx_errors?: number;
  tx_errors?: number;
  rx_drops?: number;
  tx_drops?: number;
}

/** Usage of one mounted file system (statvfs). */
export interface SystemFs {
  device?: string;
  type?: string;
  size?: number;
  used?: number;
  available?: number;
  percent?: number;
}

/** Disk and network totals (whole disks; interfaces other than lo). */
export interface SystemIo {
  disk_read_bytes_per_sec?: number;
  disk_write_bytes_per_sec?: number;
  net_rx_bytes_per_sec?: number;
  net_tx_bytes_per_sec?: number;
}

export interface SystemRecord {
  timestamp?: number;
  memory?: SystemMemory;
  swap?: SystemSwap;
  cpu?: SystemCpu;
  load?: (number | null)[];
  uptime?: number;
  boot_time?: number;
  process_count?: number;
  thread_count?: number;
  procs_running?: number;
  procs_blocked?: number;
  minor_faults_per_sec?: number;
  major_faults_per_sec?: number;
  ctx_switches_per_sec?: number;
  /** Keyed by device, interface and mount point; a delta sets a vanished one to null. */
  disks?: Record<string, SystemDisk | null>;
  net?: Record<string, SystemNet | null>;
  filesystems?: Record<string, SystemFs | null>;
  io?: SystemIo;
}

/** A compact row of the live process table. */
export interface TableRow {
  pid?: number;
  start?: number;
  name?: string;
  username?: string;
  status?: string;
  cpu_percent?: number;
  rss?: number;
  vms?: number;
  shared?: number;
  memory_percent?: number;
  num_threads?: number;
  faults_per_sec?: number;
  kernel_thread?: boolean;
  cmdline?: string;
}

export const SORT_KEYS = [
  'pid',
  'name',
  'username',
  'status',
  'cpu_percent',
  'rss',
  'vms',
  'shared',
  'memory_percent',
  'num_threads',
  'faults_per_sec',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export interface TableState {
  sort?: string;
  order?: string;
  limit?: number;
  filter?: string;
  kernel_threads?: boolean;
  total?: number;
  rows?: Record<string, TableRow>;
}

/**
 * An alert changing state, or (in `state.alerts.active`) an alert firing now with its newest value.
 * `id` names the alert instance: "rule:pid:start" or "rule:system".
 */
export interface AlertEvent {
  id?: string;
  rule_id?: number;
  /** The rule's name, e.g. "rss > 1e+09 (any process)". */
  rule?: string;
  /** `firing` or `resolved`. */
  state?: string;
  metric?: string;
  value?: number;
  threshold?: number;
  /** When this change happened (seconds since the epoch). */
  time?: number;
  /** When the condition first held (firing) or when it fired (resolved). */
  since?: number;
  /** Absent (or null in an `alert` message) for system alerts. */
  pid?: number | null;
  start?: number;
  name?: string;
  /** For resolved events: `recovered`, `exited` or `rule_deleted`. */
  reason?: string;
}

/** The `alerts` member of the state document: the alerts firing now, by instance id. */
export interface AlertsState {
  active?: Record<string, AlertEvent>;
}

/** The client's copy of the per-connection state document. */
export interface StateDoc {
  processes: Record<string, ProcessRecord>;
  system?: SystemRecord;
  table?: TableState;
  alerts?: AlertsState;
}

/** Columns of recent samples: `t` in seconds since the epoch, NaN where a value was unavailable. */
export interface HistoryColumns {
  t: Float64Array;
  cols: Record<string, Float64Array>;
}

export interface HistoryBlock {
  processes: Record<string, HistoryColumns>;
  system?: HistoryColumns;
}

export const PROCESS_HISTORY_COLUMNS = [
  'rss',
  'vms',
  'shared',
  'cpu_percent',
  'minor_faults_per_sec',
  'major_faults_per_sec',
  'num_threads',
  'read_bytes_per_sec',
  'write_bytes_per_sec',
] as const;
export type ProcessMetric = (typeof PROCESS_HISTORY_COLUMNS)[number];

export const SYSTEM_HISTORY_COLUMNS = [
  'cpu_percent',
  'mem_used',
  'mem_percent',
  'swap_used',
  'load1',
  'minor_faults_per_sec',
  'major_faults_per_sec',
  'disk_read_bytes_per_sec',
  'disk_write_bytes_per_sec',
  'net_rx_bytes_per_sec',
  'net_tx_bytes_per_sec',
] as const;
export type SystemMetric = (typeof SYSTEM_HISTORY_COLUMNS)[number];

/** Most cores whose CPU history the client keeps (the server bounds device lists at 64 too). */
export const MAX_CORES = 64;
/**
 * A per-core CPU column of system history: `core0`, `core1`, … (the server's
 * `cpu_percent_per_core` array of arrays, one column per core once decoded).
 */
export type CoreColumn = `core${number}`;
export type SystemColumn = SystemMetric | CoreColumn;

/** The per-core column names for `n` cores (at most MAX_CORES). */
export function coreColumns(n: number): CoreColumn[] {
  const out: CoreColumn[] = [];
  for (let i = 0; i < Math.min(n, MAX_CORES); i++) out.push(`core${i}`);
  return out;
}

export interface Limits {
  max_message_bytes?: number;
  max_subscriptions?: number;
  messages_per_sec?: number;
  message_burst?: number;
  max_process_limit?: number;
}

interface Envelope {
  seq: number;
  epoch: string;
}

export interface HelloMsg extends Envelope {
  type: 'hello';
  protocol: number;
  server: string;
  host: string;
  interval_ms: number;
  history_ms: number;
  /** False when the server keeps no database: history lives in its memory only. */
  history_persisted: boolean;
  /** Why the server's history writes fail now (disk full, database gone), or null. */
  store_error: string | null;
  /** --allow-actions: the server signals and renices processes on request (POST /api/processes/PID/signal, /nice). */
  actions_allowed: boolean;
  cpu_count: number;
  page_size: number;
  mem_total: number;
  time: number;
  limits: Limits;
}

export type Ref = number | string;

export interface AckMsg extends Envelope {
  type: 'ack';
  ref?: Ref;
  op: 'subscribe' | 'unsubscribe';
  topic?: string;
  pids: number[];
  not_found: number[];
}

export interface SnapshotMsg extends Envelope {
  type: 'snapshot';
  ref?: Ref;
  time: number;
  full: boolean;
  state: Patch<StateDoc>;
  history: HistoryBlock;
  /** With the reply to subscribing to `alerts`: the latest events, newest first. */
  recent_alerts?: AlertEvent[];
}

export interface DeltaMsg extends Envelope {
  type: 'delta';
  time: number;
  patch: Patch<StateDoc>;
}

export interface GoneMsg extends Envelope {
  type: 'gone';
  pid: number;
  start?: number;
  reason: string;
  time: number;
  last?: ProcessRecord;
}

export interface AlertMsg extends Envelope {
  type: 'alert';
  event: AlertEvent;
}

/** A rule was added (subscribers of the alerts topic), by any client or by REST. */
export interface RuleAddedMsg extends Envelope {
  type: 'rule_added';
  rule: AlertRule;
}

/** A rule was deleted (subscribers of the alerts topic). */
export interface RuleDeletedMsg extends Envelope {
  type: 'rule_deleted';
  id: number;
}

/** Reply to a `history` request: one process's points, in columns. */
export interface HistoryMsg extends Envelope {
  type: 'history';
  ref?: Ref;
  pid: number;
  series: HistoryColumns;
}

export const ERROR_CODES = [
  'bad_json',
  'bad_request',
  'unknown_type',
  'no_such_process',
  'limit',
  'rate_limited',
  'too_large',
] as const;

export interface ErrorMsg extends Envelope {
  type: 'error';
  ref?: Ref;
  code: string;
  message: string;
}

export interface PongMsg extends Envelope {
  type: 'pong';
  ref?: Ref;
  time?: number;
}

export type ServerMessage = HelloMsg | AckMsg | SnapshotMsg | DeltaMsg | GoneMsg | AlertMsg | RuleAddedMsg | RuleDeletedMsg | HistoryMsg | ErrorMsg | PongMsg;

/** Parameters of the `processes` topic. */
export interface TableParams {
  sort: SortKey;
  order: SortOrder;
  limit: number;
  filter: string;
  kernel_threads: boolean;
}

/** A `history` request: `from`/`to` in seconds since the epoch, `start` picks one process of a reused PID. */
export interface HistoryQuery {
  pid: number;
  start?: number;
  from?: number;
  to?: number;
}

export type Topic = 'system' | 'processes' | 'alerts';

export type ClientMessage =
  | { type: 'subscribe'; id?: Ref; pids: number[] }
  | { type: 'unsubscribe'; id?: Ref; pids: number[] }
  | { type: 'subscribe'; id?: Ref; topic: 'system' | 'alerts' }
  | { type: 'unsubscribe'; id?: Ref; topic: Topic }
  | ({ type: 'subscribe'; id?: Ref; topic: 'processes' } & TableParams)
  | ({ type: 'history'; id?: Ref } & HistoryQuery)
  | { type: 'resync'; id?: Ref }
  | { type: 'ping'; id?: Ref };

// ---- REST (shared/protocol.md, "Alert rules (REST)" and "History") ----------------------------

export const RULE_OPS = ['>', '>=', '<', '<='] as const;
export type RuleOp = (typeof RULE_OPS)[number];
export type RuleScope = 'pid' | 'name' | 'any' | 'system';

/** Process metrics an alert rule may use. */
export const ALERT_PROCESS_METRICS = [
  'cpu_percent',
  'rss',
  'vms',
  'shared',
  'memory_percent',
  'minor_faults_per_sec',
  'major_faults_per_sec',
  'faults_per_sec',
  'num_threads',
  'read_bytes_per_sec',
  'write_bytes_per_sec',
] as const;

/** System metrics an alert rule with scope `system` may use. */
export const ALERT_SYSTEM_METRICS = ['memory_percent', 'swap_percent', 'cpu_percent', 'load1', 'faults_per_sec', 'mem_used', 'swap_used'] as const;

/** An alert rule as sent to `POST /api/alerts/rules` (the server fills in the rest). */
export interface AlertRuleInput {
  name?: string;
  metric: string;
  op?: RuleOp;
  threshold: number;
  /** Seconds the condition must hold before the alert fires. */
  for?: number;
  hysteresis?: number;
  scope?: RuleScope;
  pid?: number;
  pattern?: string;
}

/** A rule as the server stores it. */
export interface AlertRule extends AlertRuleInput {
  id: number;
  name: string;
}
