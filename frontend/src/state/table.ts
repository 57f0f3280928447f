/**
 * Ordering and filtering of process-table rows, the same way the server does it (protocol.md,
 * table parameters), so the table reacts to a click or a key press before the server answers.
 */
import type { SortKey, SortOrder, TableRow } from '../net/types';
import { parseFilter, rowMatches, type ParsedFilter } from './filter';

export interface ShownRow {
  row: TableRow;
  /** Set for rows that disappeared (exited) and are fading out. */
  ghost: boolean;
  /** For ghosts: when the row disappeared (ms since the epoch). */
  at?: number;
}

/** Whether a row matches the filter (state/filter.ts: the server's grammar); a bad filter matches nothing. */
export function matchesFilter(row: TableRow, filter: string): boolean {
  return rowMatches(row, parsedFilter(filter));
}

let lastText: string | null = null;
let lastParsed: ParsedFilter = { ok: true, terms: [] };

/** The filter parsed, kept while the text stays the same (shownRows runs every frame). */
export function parsedFilter(text: string): ParsedFilter {
  if (text !== lastText) {
    lastText = text;
    lastParsed = parseFilter(text);
  }
  return lastParsed;
}

const STRING_KEYS = new Set<SortKey>(['name', 'username', 'status']);

/** A comparator for a sort key and order; missing values sort last either way; ties by PID. */
export function rowComparator(key: SortKey, order: SortOrder): (a: TableRow, b: TableRow) => number {
  const dir = order === 'asc' ? 1 : -1;
  if (STRING_KEYS.has(key)) {
    return (a, b) => {
      const x = (a[key] as string | undefined)?.toLowerCase();
      const y = (b[key] as string | undefined)?.toLowerCase();
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
      } else if (x !== y) return x < y ? -dir : dir;
      return (a.pid ?? 0) - (b.pid ?? 0);
    };
  }
  return (a, b) => {
    const x = a[key] as number | undefined;
    const y = b[key] as number | undefined;
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
    } else if (x !== y) return (x - y) * dir;
    return (a.pid ?? 0) - (b.pid ?? 0);
  };
}

export interface TableQuery {
  sort: SortKey;
  order: SortOrder;
  filter: string;
  kernelThreads: boolean;
}

/** Rows already placed, reused by every call (cleared each time). */
const placed = new Set<TableRow>();

/**
 * The rows to show, ordered: live rows plus fading ghosts (those not live again). `out` is reused:
 * the rows it holds keep their places and new ones are added before sorting, so when called every
 * frame the array is nearly in order already and the sort costs little (for thousands of rows).
 */
export function shownRows(
  rows: Record<string, TableRow> | undefined,
  ghosts: ReadonlyMap<string, { row: TableRow; at?: number }>,
  q: TableQuery,
  out: ShownRow[] = [],
): ShownRow[] {
  const f = parsedFilter(q.filter);
  const all = q.kernelThreads;
  const shown = (r: TableRow): boolean => (all || !r.kernel_thread) && rowMatches(r, f);
  placed.clear();
  // Keep what is still there, in its place.
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const s = out[i] as ShownRow;
    // Looked up by the number: no string per row (integer keys of an object are the same keys).
    const live = s.row.pid === undefined ? undefined : rows?.[s.row.pid];
    let keep: boolean;
    if (!s.ghost) keep = live === s.row && shown(s.row);
    else {
      const g = ghosts.get(String(s.row.pid));
      keep = !live && g?.row === s.row && shown(s.row);
      if (keep) s.at = g?.at;
    }
    if (!keep) continue;
    out[n++] = s;
    placed.add(s.row);
  }
  out.length = n;
  // Add what is new.
  if (rows) {
    for (const key in rows) {
      const r = rows[key] as TableRow;
      if (!placed.has(r) && shown(r)) out.push({ row: r, ghost: false });
    }
  }
  for (const [key, g] of ghosts) {
    if (rows && rows[key]) continue;
    if (!placed.has(g.row) && shown(g.row)) out.push({ row: g.row, ghost: true, at: g.at });
  }
  placed.clear();
  return sortShown(out, q.sort, q.order);
}

/**
 * Sorts shown rows in place (when only values of the sort key changed: the same rows, another
 * order). Nearly sorted input, as from the last frame, costs little.
 */
export function sortShown(out: ShownRow[], sort: SortKey, order: SortOrder): ShownRow[] {
  const cmp = rowComparator(sort, order);
  return out.sort((a, b) => cmp(a.row, b.row));
}
