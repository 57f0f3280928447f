/** Per-process metrics that can be overlaid for several processes (compare view, embed view). */
import type { Unit } from '../charts/chart';
import type { ProcessMetric } from '../net/types';

export interface MetricDef {
  label: string;
  unit: Unit;
  /** History columns added together. */
  parts: ProcessMetric[];
}

export const OVERLAY_METRICS: Record<string, MetricDef> = {
  rss: { label: 'RSS', unit: 'bytes', parts: ['rss'] },
  cpu_percent: { label: 'CPU %', unit: 'percent', parts: ['cpu_percent'] },
  faults: { label: 'Page faults/s', unit: 'rate', parts: ['minor_faults_per_sec', 'major_faults_per_sec'] },
  vms: { label: 'VMS', unit: 'bytes', parts: ['vms'] },
  shared: { label: 'Shared', unit: 'bytes', parts: ['shared'] },
  num_threads: { label: 'Threads', unit: 'count', parts: ['num_threads'] },
  io: { label: 'Disk I/O/s', unit: 'bytesRate', parts: ['read_bytes_per_sec', 'write_bytes_per_sec'] },
  minor_faults_per_sec: { label: 'Minor faults/s', unit: 'rate', parts: ['minor_faults_per_sec'] },
  major_faults_per_sec: { label: 'Major faults/s', unit: 'rate', parts: ['major_faults_per_sec'] },
  read_bytes_per_sec: { label: 'Read/s', unit: 'bytesRate', parts: ['read_bytes_per_sec'] },
  write_bytes_per_sec: { label: 'Write/s', unit: 'bytesRate', parts: ['write_bytes_per_sec'] },
};

/** Other names accepted in embed URLs. */
const ALIASES: Record<string, string> = {
  cpu: 'cpu_percent',
  faults_per_sec: 'faults',
  threads: 'num_threads',
  memory: 'rss',
};

export function metricKey(name: string): string | null {
  const k = ALIASES[name] ?? name;
  return k in OVERLAY_METRICS ? k : null;
}

/** The metrics offered by the compare view's switch, in order. */
export const COMPARE_METRICS = ['rss', 'cpu_percent', 'faults', 'vms', 'num_threads', 'io'] as const;
