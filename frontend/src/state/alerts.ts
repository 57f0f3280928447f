/**
 * Alerts in the app's terms (pure): what each rule metric measures and how it reads, rule and event
 * texts, the threshold a person types, and the list of recent events kept from the `alerts` topic.
 */
import {
  ALERT_PROCESS_METRICS,
  ALERT_SYSTEM_METRICS,
  type AlertEvent,
  type AlertRule,
  type AlertRuleInput,
  type AlertsState,
  type RuleScope,
} from '../net/types';
import { formatBytes, formatSpan, formatUnit, parseBytes, type Unit } from '../util/format';

export interface AlertMetricInfo {
  label: string;
  unit: Unit;
}

const PROCESS_INFO: Record<(typeof ALERT_PROCESS_METRICS)[number], AlertMetricInfo> = {
  cpu_percent: { label: 'CPU %', unit: 'percent' },
  rss: { label: 'RSS', unit: 'bytes' },
  vms: { label: 'VMS', unit: 'bytes' },
  shared: { label: 'Shared memory', unit: 'bytes' },
  memory_percent: { label: 'Memory %', unit: 'percent' },
  minor_faults_per_sec: { label: 'Minor faults/s', unit: 'rate' },
  major_faults_per_sec: { label: 'Major faults/s', unit: 'rate' },
  faults_per_sec: { label: 'Page faults/s', unit: 'rate' },
  num_threads: { label: 'Threads', unit: 'count' },
  read_bytes_per_sec: { label: 'Disk read/s', unit: 'bytesRate' },
  write_bytes_per_sec: { label: 'Disk write/s', unit: 'bytesRate' },
};

const SYSTEM_INFO: Record<(typeof ALERT_SYSTEM_METRICS)[number], AlertMetricInfo> = {
  memory_percent: { label: 'Memory used %', unit: 'percent' },
  swap_percent: { label: 'Swap used %', unit: 'percent' },
  cpu_percent: { label: 'CPU %', unit: 'percent' },
  load1: { label: 'Load (1 min)', unit: 'load' },
  faults_per_sec: { label: 'Page faults/s', unit: 'rate' },
  mem_used: { label: 'Memory used', unit: 'bytes' },
  swap_used: { label: 'Swap used', unit: 'bytes' },
};

/** The metrics a rule of a scope may use, in menu order. */
export function metricsFor(scope: RuleScope): readonly string[] {
  return scope === 'system' ? ALERT_SYSTEM_METRICS : ALERT_PROCESS_METRICS;
}

/** Label and unit of a rule metric; an unknown one reads as a plain count under its own name. */
export function metricInfo(metric: string, system: boolean): AlertMetricInfo {
  const table: Record<string, AlertMetricInfo> = system ? SYSTEM_INFO : PROCESS_INFO;
  return table[metric] ?? { label: metric, unit: 'count' };
}

/** A metric's value as text, e.g. "120 MiB", "85.0%", "1.20k/s". */
export function formatMetric(metric: string, system: boolean, v: number | null | undefined): string {
  return formatUnit(metricInfo(metric, system).unit, v);
}

/** A threshold as text: like formatMetric, but exact enough to recognise what was typed. */
export function formatThreshold(metric: string, system: boolean, v: number | undefined): string {
  const unit = metricInfo(metric, system).unit;
  if (v === undefined) return '—';
  if (unit === 'bytes' || unit === 'bytesRate') return `${formatBytes(v)}${unit === 'bytesRate' ? '/s' : ''}`;
  if (unit === 'percent') return `${+v.toFixed(2)}%`;
  if (unit === 'rate') return `${+v.toFixed(2)}/s`;
  return String(+v.toFixed(2));
}

/** Byte units offered next to the threshold field of a byte metric. */
export const BYTE_UNITS: readonly { label: string; mult: number }[] = [
  { label: 'B', mult: 1 },
  { label: 'KiB', mult: 1024 },
  { label: 'MiB', mult: 1024 ** 2 },
  { label: 'GiB', mult: 1024 ** 3 },
  { label: 'TiB', mult: 1024 ** 4 },
];

/**
 * The threshold a person typed, in the metric's base unit. For bytes, `byteUnit` (a BYTE_UNITS
 * multiplier) applies to a bare number; "1.5G" or "800 MiB" carry their own unit. A "%" or "/s"
 * after a number is allowed where it fits. Returns the number or what is wrong.
 */
export function parseThreshold(text: string, unit: Unit, byteUnit = 1): { value: number } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'Enter a threshold' };
  if (unit === 'bytes' || unit === 'bytesRate') {
    const v = parseBytes(t, byteUnit);
    return v === null ? { error: `"${t}" is not a size (e.g. 512 MiB, 1.5G)` } : { value: v };
  }
  const m = /^([-+]?[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)\s*(%|\/s)?$/i.exec(t);
  if (!m) return { error: `"${t}" is not a number` };
  return { value: Number(m[1]) };
}

/** A threshold as the text to prefill a field with, and the byte unit to select. */
export function thresholdInput(v: number, unit: Unit): { text: string; byteUnit: number } {
  if (unit !== 'bytes' && unit !== 'bytesRate') return { text: String(+v.toFixed(2)), byteUnit: 1 };
  let u = BYTE_UNITS[0] as { mult: number };
  for (const b of BYTE_UNITS) if (Math.abs(v) >= b.mult) u = b;
  return { text: String(+(v / u.mult).toFixed(u.mult === 1 ? 0 : 1)), byteUnit: u.mult };
}

/** "PID 1234", "name chrom*", "any process", "system". */
export function scopeText(r: Pick<AlertRuleInput, 'scope' | 'pid' | 'pattern'>): string {
  switch (r.scope ?? 'any') {
    case 'pid':
      return `PID ${r.pid ?? '?'}`;
    case 'name':
      return `name ${r.pattern ?? ''}`;
    case 'system':
      return 'system';
    default:
      return 'any process';
  }
}

/** A rule in words: "RSS > 120 MiB for 10s · PID 1234". */
export function ruleText(r: AlertRuleInput): string {
  const system = r.scope === 'system';
  const info = metricInfo(r.metric, system);
  const held = r.for ? ` for ${formatSpan(r.for)}` : '';
  return `${info.label} ${r.op ?? '>'} ${formatThreshold(r.metric, system, r.threshold)}${held} · ${scopeText(r)}`;
}

/** Whether an event concerns the system rather than a process. */
export function isSystemEvent(ev: AlertEvent): boolean {
  return ev.pid === undefined || ev.pid === null;
}

/** Who an event is about: "java (PID 1234)" or "System". */
export function subjectText(ev: AlertEvent): string {
  if (isSystemEvent(ev)) return 'System';
  return ev.name ? `${ev.name} (PID ${ev.pid})` : `PID ${ev.pid}`;
}

/** The value against the threshold: "RSS 1.02 GiB (threshold 1000 MiB)". */
export function valueText(ev: AlertEvent): string {
  const system = isSystemEvent(ev);
  const metric = ev.metric ?? '';
  return `${metricInfo(metric, system).label} ${formatMetric(metric, system, ev.value)} (threshold ${formatThreshold(metric, system, ev.threshold)})`;
}

const REASONS: Record<string, string> = { recovered: 'recovered', exited: 'process exited', rule_deleted: 'rule deleted' };

/** "firing", "resolved: process exited". */
export function stateText(ev: AlertEvent): string {
  if (ev.state !== 'resolved') return ev.state ?? '';
  return ev.reason ? `resolved: ${REASONS[ev.reason] ?? ev.reason}` : 'resolved';
}

/** The alerts firing now, oldest first (the state document's `alerts.active`). */
export function activeAlerts(state: AlertsState | undefined): AlertEvent[] {
  const active = state?.active;
  if (!active) return [];
  return Object.values(active).sort((a, b) => (a.since ?? 0) - (b.since ?? 0) || String(a.id).localeCompare(String(b.id)));
}

/** PIDs with an alert firing now. */
export function alertingPids(state: AlertsState | undefined, into = new Set<number>()): Set<number> {
  into.clear();
  const active = state?.active;
  if (active) for (const k in active) {
    const pid = active[k]?.pid;
    if (typeof pid === 'number') into.add(pid);
  }
  return into;
}

function sameEvent(a: AlertEvent, b: AlertEvent): boolean {
  return a.id === b.id && a.state === b.state && a.time === b.time;
}

/** Adds an event at the front of a newest-first list (unless it is there already); keeps `cap`. */
export function addRecent(list: AlertEvent[], ev: AlertEvent, cap: number): AlertEvent[] {
  if (list.some((x) => sameEvent(x, ev))) return list;
  return [ev, ...list].slice(0, cap);
}

/** A rule for the quick "alert when RSS > …" of a process: its scope, 1.2 × the current value. */
export function quickRule(pid: number, rss: number | undefined): AlertRuleInput {
  const base = rss !== undefined && rss > 0 ? rss : 100 * 1024 ** 2;
  return { metric: 'rss', op: '>', threshold: Math.round(base * 1.2), for: 10, scope: 'pid', pid };
}

/** How an event's rule reads: the rule in words when it is known, else the name the event carries. */
export function eventRuleText(ev: AlertEvent, rules: readonly AlertRule[] | null): string {
  const rule = rules?.find((r) => r.id === ev.rule_id);
  return rule ? ruleText(rule) : (ev.rule ?? '');
}
