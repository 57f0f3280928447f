/**
 * The REST side of protocol v1 that the WebSocket does not cover: process history over any range
 * (`GET /api/processes/<pid>/history`), alert rules (`GET/POST/DELETE /api/alerts/rules[/<id>]`) and
 * the alert overview (`GET /api/alerts`). Every call resolves to a result, never throws: a refused
 * request carries the server's reason (`{"success": false, "error": "…"}`) for showing as it is.
 */
import { decodeAlertEvents, decodeColumns, decodeRule, type Checked } from './decode';
import type { AlertEvent, AlertRule, AlertRuleInput, HistoryColumns, ProcessRecord } from './types';

/** A reply: the value, or the HTTP status (0 = no reply) and the reason in words. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

export interface ApiOptions {
  /** http(s)://host:port of the server; default: the page's origin. */
  base?: string;
  /** Sent as `Authorization: Bearer TOKEN` when the server runs with --token. */
  token?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export interface HistoryRange {
  /** Seconds since the epoch; the server's default is the last hour. */
  from?: number;
  to?: number;
  /** Only these columns (default: all). */
  metrics?: readonly string[];
  /** Keep one point per `step` seconds (the last of each bucket). */
  step?: number;
  /** Picks one process when the PID was reused (default: the newest). */
  start?: number;
}

export interface ProcessHistory {
  pid: number;
  /** Start ticks, name and command line of the process, when the server still knows them. */
  start?: number;
  name?: string;
  cmdline?: string;
  /**
   * What the server's memory keeps of the process: record members from its last live sample
   * (ppid, username, create_time, cpu_user, rss…; not a zombie's), `live_time` and `exit_time`.
   */
  process?: Partial<ProcessRecord> & { live_time?: number; exit_time?: number | null };
  /** When it exited (the time of the `gone` message); absent while it runs or when unknown. */
  exitTime?: number;
  from?: number;
  to?: number;
  series: HistoryColumns;
}

export interface AlertOverview {
  /** The alerts firing now. */
  active: AlertEvent[];
  /** The latest events, newest first. */
  recent: AlertEvent[];
}

/** The REST base for a WebSocket URL: ws://host:port/ws -> http://host:port. */
export function apiBaseFromSocketUrl(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  return u.origin;
}

/** The query string of a history request (undefined members left out). */
export function historyQuery(r: HistoryRange): string {
  const q: string[] = [];
  if (r.from !== undefined) q.push(`from=${r.from}`);
  if (r.to !== undefined) q.push(`to=${r.to}`);
  if (r.metrics?.length) q.push(`metrics=${r.metrics.map(encodeURIComponent).join(',')}`);
  if (r.step !== undefined) q.push(`step=${r.step}`);
  if (r.start !== undefined) q.push(`start=${r.start}`);
  return q.length ? `?${q.join('&')}` : '';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromChecked<T>(c: Checked<T>): ApiResult<T> {
  return c.ok ? c : { ok: false, status: 200, error: `unexpected reply: ${c.error}` };
}

/** One thread of GET /api/processes/<pid>/threads. */
export interface ThreadInfo {
  tid: number;
  name: string;
  status: string;
  /** Since the previous request for this process (null on the first). */
  cpu_percent: number | null;
  cpu_user: number;
  cpu_system: number;
}

export interface ProcessThreads {
  pid: number;
  count: number;
  threads: ThreadInfo[];
  /** Open file descriptors; null when they cannot be counted (fd_error says why). */
  fd_count: number | null;
  fd_error?: string;
}

export interface ProcessFds {
  total: number;
  truncated: boolean;
  fds: { fd: number; target: string }[];
}

const num = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);

export class ProcpulseApi {
  private readonly opts: ApiOptions;

  constructor(opts: ApiOptions = {}) {
    this.opts = opts;
  }

  private base(): string {
    if (this.opts.base) return this.opts.base.replace(/\/$/, '');
    const loc = (globalThis as { location?: Location }).location;
    return loc ? loc.origin : '';
  }

  /** One request; the body of a successful reply (`success: true`), or why there is none. */
  private async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ApiResult<Obj>> {
    const f = this.opts.fetch ?? (globalThis as { fetch?: typeof fetch }).fetch;
    if (!f) return { ok: false, status: 0, error: 'no fetch implementation' };
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.opts.token) headers.Authorization = `Bearer ${this.opts.token}`;
    Object.assign(headers, extra);
    let res: Response;
    try {
      res = await f(`${this.base()}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    } catch (e) {
      return { ok: false, status: 0, error: `cannot reach the server (${e instanceof Error ? e.message : String(e)})` };
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      return { ok: false, status: res.status, error: `the server answered ${res.status} ${res.statusText || ''}`.trim() };
    }
    if (!res.ok || !isObj(json) || json.success !== true) {
      const reason = isObj(json) && typeof json.error === 'string' ? json.error : isObj(json) && typeof json.message === 'string' ? json.message : `the server answered ${res.status}`;
      return { ok: false, status: res.status, error: reason };
    }
    return { ok: true, value: json };
  }

  /** A process's points over a range (memory and database; exited processes too). */
  async processHistory(pid: number, range: HistoryRange = {}): Promise<ApiResult<ProcessHistory>> {
    const r = await this.call('GET', `/api/processes/${pid}/history${historyQuery(range)}`);
    if (!r.ok) return r;
    const series = decodeColumns(r.value.series);
    if (!series.ok) return fromChecked(series);
    const out: ProcessHistory = { pid: typeof r.value.pid === 'number' ? r.value.pid : pid, series: series.value };
    if (typeof r.value.from === 'number') out.from = r.value.from;
    if (typeof r.value.to === 'number') out.to = r.value.to;
    if (typeof r.value.start === 'number') out.start = r.value.start;
    if (typeof r.value.name === 'string') out.name = r.value.name;
    if (typeof r.value.cmdline === 'string') out.cmdline = r.value.cmdline;
    if (isObj(r.value.process)) {
      const facts: Obj = {};
      for (const [k, v] of Object.entries(r.value.process)) if (v !== null && (typeof v === 'number' || typeof v === 'string')) facts[k] = v;
      out.process = facts as ProcessHistory['process'];
    }
    if (typeof r.value.exit_time === 'number') out.exitTime = r.value.exit_time;
    return { ok: true, value: out };
  }

  /** The system's points over a range (`GET /api/system/history`: memory and the store's tiers). */
  async systemHistory(range: HistoryRange = {}): Promise<ApiResult<HistoryColumns>> {
    const r = await this.call('GET', `/api/system/history${historyQuery(range)}`);
    if (!r.ok) return r;
    return fromChecked(decodeColumns(r.value.series));
  }

  /** The server's persisted watch list (the seed's `GET /api/processes/metrics`: its keys), sorted. */
  async watchList(): Promise<ApiResult<number[]>> {
    const r = await this.call('GET', '/api/processes/metrics');
    if (!r.ok) return r;
    if (!isObj(r.value.processes)) return { ok: false, status: 200, error: 'unexpected reply: processes: expected an object' };
    const pids = Object.keys(r.value.processes).map(Number).filter((n) => Number.isInteger(n) && n > 0);
    return { ok: true, value: pids.sort((a, b) => a - b) };
  }

  /** Adds a running process to the server's watch list (the seed's `POST /api/processes/monitor/add`). */
  async watchAdd(pid: number): Promise<ApiResult<true>> {
    const r = await this.call('POST', '/api/processes/monitor/add', { pid });
    return r.ok ? { ok: true, value: true } : r;
  }

  /** Removes a PID from the server's watch list (`POST /api/processes/monitor/remove`). */
  async watchRemove(pid: number): Promise<ApiResult<true>> {
    const r = await this.call('POST', '/api/processes/monitor/remove', { pid });
    return r.ok ? { ok: true, value: true } : r;
  }

  /** The threads of a process now and its open descriptor count ("permission denied", "no such process"). */
  async threads(pid: number): Promise<ApiResult<ProcessThreads>> {
    const r = await this.call('GET', `/api/processes/${pid}/threads`);
    if (!r.ok) return r;
    const v = r.value;
    const list = Array.isArray(v.threads) ? (v.threads as Obj[]) : [];
    const threads = list.map((t) => ({
      tid: num(t.tid),
      name: typeof t.name === 'string' ? t.name : '',
      status: typeof t.status === 'string' ? t.status : '',
      cpu_percent: typeof t.cpu_percent === 'number' ? t.cpu_percent : null,
      cpu_user: num(t.cpu_user),
      cpu_system: num(t.cpu_system),
    }));
    const out: ProcessThreads = { pid, count: num(v.count, threads.length), threads, fd_count: typeof v.fd_count === 'number' ? v.fd_count : null };
    if (typeof v.fd_error === 'string') out.fd_error = v.fd_error;
    return { ok: true, value: out };
  }

  /** The open descriptors of a process (readlink targets, the first `limit`) and their total. */
  async fds(pid: number, limit = 1000): Promise<ApiResult<ProcessFds>> {
    const r = await this.call('GET', `/api/processes/${pid}/fds?limit=${limit}`);
    if (!r.ok) return r;
    const list = Array.isArray(r.value.fds) ? (r.value.fds as Obj[]) : [];
    return {
      ok: true,
      value: {
        total: num(r.value.total, list.length),
        truncated: r.value.truncated === true,
        fds: list.map((f) => ({ fd: num(f.fd), target: typeof f.target === 'string' ? f.target : '' })),
      },
    };
  }

  async alerts(): Promise<ApiResult<AlertOverview>> {
    const r = await this.call('GET', '/api/alerts');
    if (!r.ok) return r;
    const active = decodeAlertEvents(r.value.active ?? [], 'active');
    if (!active.ok) return fromChecked(active);
    const recent = decodeAlertEvents(r.value.recent ?? [], 'recent');
    if (!recent.ok) return fromChecked(recent);
    return { ok: true, value: { active: active.value, recent: recent.value } };
  }

  async rules(): Promise<ApiResult<AlertRule[]>> {
    const r = await this.call('GET', '/api/alerts/rules');
    if (!r.ok) return r;
    const list = r.value.rules;
    if (!Array.isArray(list)) return { ok: false, status: 200, error: 'unexpected reply: rules: expected an array' };
    const rules: AlertRule[] = [];
    for (let i = 0; i < list.length; i++) {
      const rule = decodeRule(list[i], `rules[${i}]`);
      if (!rule.ok) return fromChecked(rule);
      rules.push(rule.value);
    }
    return { ok: true, value: rules };
  }

  /** Adds a rule; a refused one comes back with the server's reason (e.g. `unknown process metric "x"`). */
  async addRule(rule: AlertRuleInput): Promise<ApiResult<AlertRule>> {
    const r = await this.call('POST', '/api/alerts/rules', rule);
    if (!r.ok) return r;
    return fromChecked(decodeRule(r.value.rule));
  }

  /** Deletes a rule; its firing alerts resolve with reason `rule_deleted`. */
  async deleteRule(id: number): Promise<ApiResult<true>> {
    const r = await this.call('DELETE', `/api/alerts/rules/${id}`);
    return r.ok ? { ok: true, value: true } : r;
  }

  /**
   * `POST /api/processes/<pid>/signal` (servers started with --allow-actions): the process named by
   * (pid, start) gets TERM, KILL, STOP or CONT; resolves to the server's sentence of what it did.
   */
  async signalProcess(pid: number, start: number, signal: 'TERM' | 'KILL' | 'STOP' | 'CONT'): Promise<ApiResult<string>> {
    const r = await this.call('POST', `/api/processes/${pid}/signal`, { signal, start }, { 'X-Procpulse-Action': '1' });
    return r.ok ? { ok: true, value: String(r.value.message ?? '') } : r;
  }

  /** `POST /api/processes/<pid>/nice`: sets the nice value (-20…19) of the process named by (pid, start). */
  async reniceProcess(pid: number, start: number, nice: number): Promise<ApiResult<string>> {
    const r = await this.call('POST', `/api/processes/${pid}/nice`, { nice, start }, { 'X-Procpulse-Action': '1' });
    return r.ok ? { ok: true, value: String(r.value.message ?? '') } : r;
  }
}
