/**
 * The table filter's grammar (shared/protocol.md, "Filter syntax"), the same as the server's
 * core/process_filter.cpp: terms separated by spaces, all of which must hold. `field:value`
 * (user:root, name:foo, cmd:nginx, state:zombie, pid:123), `field OP number[unit]` (cpu>50,
 * rss>=1G, mem<2%; OP > >= < <= =; units K M G T, binary, optionally with B or iB, and %), or a
 * plain word (a substring of name, command line or user, or the exact PID). Both sides are checked
 * against shared/fixtures/filter_cases.json.
 */
import type { TableRow } from '../net/types';

type TextField = 'name' | 'cmd' | 'user' | 'state';
type NumField = 'pid' | 'cpu' | 'rss' | 'vms' | 'shared' | 'mem' | 'threads' | 'faults';
type Op = '>' | '>=' | '<' | '<=' | '=';

export type FilterTerm =
  | { kind: 'any'; text: string; pid: number | null }
  | { kind: 'text'; field: TextField; text: string }
  | { kind: 'num'; field: NumField; op: Op; value: number };

export type ParsedFilter = { ok: true; terms: FilterTerm[] } | { ok: false; token: string; message: string };

const TEXT_FIELDS = new Set<string>(['name', 'cmd', 'user', 'state']);
const NUM_FIELDS = new Set<string>(['pid', 'cpu', 'rss', 'vms', 'shared', 'mem', 'threads', 'faults']);
const FIELD_LIST = 'name, cmd, user, state, pid, cpu, rss, vms, shared, mem, threads, faults';
const STATES = new Set(['running', 'sleeping', 'disk-sleep', 'stopped', 'tracing-stop', 'zombie', 'dead', 'wake-kill', 'waking', 'idle', 'parked']);
const SCALE: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** The number in base units, or why it is not one. */
function parseNumber(v: string): number | string {
  if (!v) return 'a number is missing';
  const m = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)(.*)$/.exec(v);
  if (!m) return `'${v}' is not a number`;
  const x = Number(m[1]);
  const unit = (m[2] as string).toLowerCase();
  if (unit === '' || unit === '%' || unit === 'b') return x;
  const factor = SCALE[unit[0] as string];
  const rest = unit.slice(1);
  if (factor === undefined || (rest !== '' && rest !== 'b' && rest !== 'ib')) return `unknown unit '${m[2]}' (use K, M, G, T or %)`;
  return x * factor;
}

const isFieldLike = (s: string): boolean => /^[A-Za-z]*$/.test(s);

function parseTerm(tok: string): FilterTerm | { token: string; message: string } {
  const bad = (why: string) => ({ token: tok, message: `'${tok}': ${why}` });
  let opos = tok.search(/[<>=]/);
  let colon = tok.indexOf(':');
  if (opos >= 0 && !isFieldLike(tok.slice(0, opos))) opos = -1;
  if (colon >= 0 && (colon === 0 || !isFieldLike(tok.slice(0, colon)))) colon = -1;
  if (opos >= 0 && (colon < 0 || opos < colon)) {
    const name = tok.slice(0, opos).toLowerCase();
    let rest = tok.slice(opos);
    let op: Op;
    if (rest.startsWith('>=')) (op = '>='), (rest = rest.slice(2));
    else if (rest.startsWith('<=')) (op = '<='), (rest = rest.slice(2));
    else if (rest.startsWith('>')) (op = '>'), (rest = rest.slice(1));
    else if (rest.startsWith('<')) (op = '<'), (rest = rest.slice(1));
    else (op = '='), (rest = rest.slice(rest.startsWith('==') ? 2 : 1));
    if (!name) return bad(`a field is missing before the comparison (${FIELD_LIST})`);
    if (TEXT_FIELDS.has(name)) return bad(`${name} is text; write ${name}:value`);
    if (!NUM_FIELDS.has(name)) return bad(`unknown field '${name}' (fields: ${FIELD_LIST})`);
    const n = parseNumber(rest);
    if (typeof n === 'string') return bad(n);
    return { kind: 'num', field: name as NumField, op, value: n };
  }
  if (colon >= 0) {
    const name = tok.slice(0, colon).toLowerCase();
    const value = tok.slice(colon + 1).toLowerCase();
    if (!TEXT_FIELDS.has(name) && !NUM_FIELDS.has(name)) return bad(`unknown field '${name}' (fields: ${FIELD_LIST})`);
    if (!value) return bad(`a value is missing after ${name}:`);
    if (NUM_FIELDS.has(name)) {
      const n = parseNumber(value);
      if (typeof n === 'string') return bad(n);
      return { kind: 'num', field: name as NumField, op: '=', value: n };
    }
    if (name === 'state' && !STATES.has(value)) return bad(`unknown state '${value}' (running, sleeping, disk-sleep, stopped, tracing-stop, zombie, dead, idle, …)`);
    return { kind: 'text', field: name as TextField, text: value };
  }
  const text = tok.toLowerCase();
  return { kind: 'any', text, pid: /^\d+$/.test(text) ? Number(text) : null };
}

/** Parses a filter text; the first bad term is named. */
export function parseFilter(text: string): ParsedFilter {
  const terms: FilterTerm[] = [];
  for (const tok of text.split(/\s+/)) {
    if (!tok) continue;
    const t = parseTerm(tok);
    if ('message' in t) return { ok: false, token: t.token, message: t.message };
    terms.push(t);
  }
  return { ok: true, terms };
}

function numberOf(row: TableRow, f: NumField): number | undefined {
  switch (f) {
    case 'pid': return row.pid;
    case 'cpu': return row.cpu_percent ?? undefined;
    case 'rss': return row.rss ?? undefined;
    case 'vms': return row.vms ?? undefined;
    case 'shared': return row.shared ?? undefined;
    case 'mem': return row.memory_percent ?? undefined;
    case 'threads': return row.num_threads ?? undefined;
    case 'faults': return row.faults_per_sec ?? undefined;
  }
}

function holds(t: FilterTerm, row: TableRow): boolean {
  if (t.kind === 'any') {
    if (t.pid !== null && row.pid === t.pid) return true;
    return (row.name ?? '').toLowerCase().includes(t.text) || (row.cmdline ?? '').toLowerCase().includes(t.text) || (row.username ?? '').toLowerCase().includes(t.text);
  }
  if (t.kind === 'text') {
    switch (t.field) {
      case 'name': return (row.name ?? '').toLowerCase().includes(t.text);
      case 'cmd': return (row.cmdline ?? '').toLowerCase().includes(t.text);
      case 'user': return row.username != null && row.username.toLowerCase() === t.text;
      case 'state': return row.status === t.text;
    }
  }
  const v = numberOf(row, t.field);
  if (v === undefined || v === null) return false;
  switch (t.op) {
    case '>': return v > t.value;
    case '>=': return v >= t.value;
    case '<': return v < t.value;
    case '<=': return v <= t.value;
    default: return v === t.value;
  }
}

/** Whether a row matches every term of a parsed filter (a bad filter matches nothing). */
export function rowMatches(row: TableRow, f: ParsedFilter): boolean {
  if (!f.ok) return false;
  for (const t of f.terms) if (!holds(t, row)) return false;
  return true;
}
