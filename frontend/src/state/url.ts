/**
 * URL state: watched PIDs, the open view and the chart window live in the query string, so a
 * reload or a shared link restores them. `?watch=1234,5678&view=process&pid=1234&window=5m`.
 * Short links with a hash route open a view too: `#/process/1234`, `#/alerts`, `#/exited`.
 */
import { SORT_KEYS, type SortKey, type SortOrder } from '../net/types';
import { formatWindow, parseWindow } from '../util/format';
import type { CompareMetric, Theme, ViewName } from './store';

export interface UrlState {
  watch: number[];
  view: ViewName;
  pid: number | null;
  windowSec: number;
  metric: CompareMetric;
  sort: SortKey;
  order: SortOrder;
  filter: string;
  theme: Theme | null;
}

const METRICS: readonly CompareMetric[] = ['rss', 'cpu_percent', 'faults', 'vms', 'num_threads', 'io'];

export function parsePids(text: string | null): number[] {
  if (!text) return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const n = Number(part.trim());
    if (Number.isInteger(n) && n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

const VIEWS: readonly ViewName[] = ['system', 'process', 'compare', 'alerts', 'exited'];

function isView(v: string | null): v is ViewName {
  return v !== null && (VIEWS as readonly string[]).includes(v);
}

/** A hash route: `#/process/1234` (any PID, running or not), `#/alerts`, `#/exited`, `#/compare`. */
export function parseHashRoute(hash: string): { view: ViewName; pid: number | null } | null {
  const m = /^#\/?([a-z]+)(?:\/(\d+))?\/?$/.exec(hash);
  if (!m || !isView(m[1] as string)) return null;
  const view = m[1] as ViewName;
  const pid = m[2] !== undefined ? Number(m[2]) : null;
  if (view === 'process' && !(pid !== null && pid > 0)) return null;
  return { view, pid: view === 'process' ? pid : null };
}

export function parseUrl(search: string): UrlState {
  const q = new URLSearchParams(search);
  const view = q.get('view');
  const pid = parsePids(q.get('pid'))[0] ?? null;
  const sort = q.get('sort') as SortKey | null;
  const metric = q.get('metric') as CompareMetric | null;
  const theme = q.get('theme');
  return {
    watch: parsePids(q.get('watch')),
    view: isView(view) ? view : 'system',
    pid,
    windowSec: parseWindow(q.get('window')) ?? 300,
    metric: metric && METRICS.includes(metric) ? metric : 'rss',
    sort: sort && (SORT_KEYS as readonly string[]).includes(sort) ? sort : 'rss',
    order: q.get('order') === 'asc' ? 'asc' : 'desc',
    filter: q.get('q') ?? '',
    theme: theme === 'light' || theme === 'dark' || theme === 'auto' ? theme : null,
  };
}

/** The query string for a state; defaults are left out to keep links short. */
export function formatUrl(s: UrlState): string {
  const q = new URLSearchParams();
  if (s.watch.length) q.set('watch', s.watch.join(','));
  if (s.view !== 'system') q.set('view', s.view);
  if (s.view === 'process' && s.pid !== null) q.set('pid', String(s.pid));
  if (s.windowSec !== 300) q.set('window', formatWindow(s.windowSec));
  if (s.metric !== 'rss') q.set('metric', s.metric);
  if (s.sort !== 'rss') q.set('sort', s.sort);
  if (s.order !== 'desc') q.set('order', s.order);
  if (s.filter) q.set('q', s.filter);
  if (s.theme && s.theme !== 'auto') q.set('theme', s.theme);
  const text = q.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}
