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

/** The client's copy of the per-connection state document. */
export interface StateDoc {
  processes: Record<string, ProcessRecord>;
  system?: SystemRecord;
  table?: TableState;
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
] as const;
export type SystemMetric = (typeof SYSTEM_HISTORY_COLUMNS)[number];

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

export type ServerMessage = HelloMsg | AckMsg | SnapshotMsg | DeltaMsg | GoneMsg | ErrorMsg | PongMsg;

/** Parameters of the `processes` topic. */
export interface TableParams {
  sort: SortKey;
  order: SortOrder;
  limit: number;
  filter: string;
  kernel_threads: boolean;
}

export type ClientMessage =
  | { type: 'subscribe'; id?: Ref; pids: number[] }
  | { type: 'unsubscribe'; id?: Ref; pids: number[] }
  | { type: 'subscribe'; id?: Ref; topic: 'system' }
  | { type: 'unsubscribe'; id?: Ref; topic: 'system' | 'processes' }
  | ({ type: 'subscribe'; id?: Ref; topic: 'processes' } & TableParams)
  | { type: 'resync'; id?: Ref }
  | { type: 'ping'; id?: Ref };
