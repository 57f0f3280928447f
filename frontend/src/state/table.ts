/**
 * Ordering and filtering of process-table rows, the same way the server does it (protocol.md,
 * table parameters), so the table reacts to a click or a key press before the server answers.
 */
import type { SortKey, SortOrder, TableRow } from '../net/types';

export interface ShownRow {
  row: TableRow;
  /** Set for rows that disappeared (exited) and are fading out. */
  ghost: boolean;
  /** For ghosts: when the row disappeared (ms since the epoch). */
  at?: number;
}

/** Whether a row matches the filter: a case-insensitive substring of name, cmdline or user, or the exact PID. */
export function matchesFilter(row: TableRow, filter: string): boolean {
  return matchesLower(row, filter.trim().toLowerCase());
}

/** matchesFilter with the filter already trimmed and lower-cased. */
function matchesLower(row: TableRow, f: string): boolean {
  if (!f) return true;
  if (/^\d+$/.test(f) && row.pid === Number(f)) return true;
  return (
    (row.name ?? '').toLowerCase().includes(f) ||
    (row.cmdline ?? '').toLowerCase().includes(f) ||
    (row.username ?? '').toLowerCase().includes(f)
  );
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

/**
 * The rows to show, ordered: live rows plus fading ghosts (those not live again). `out` is reused,
 * its entries too (called every frame with news, for thousands of rows: no garbage).
 */
export function shownRows(
  rows: Record<string, TableRow> | undefined,
  ghosts: ReadonlyMap<string, { row: TableRow; at?: number }>,
  q: TableQuery,
  out: ShownRow[] = [],
): ShownRow[] {
  const f = q.filter.trim().toLowerCase();
  const all = q.kernelThreads;
  let n = 0;
  const put = (row: TableRow, ghost: boolean, at: number | undefined): void => {
    const slot = out[n];
    if (slot) {
      slot.row = row;
      slot.ghost = ghost;
      slot.at = at;
    } else out[n] = { row, ghost, at };
    n++;
  };
  if (rows) {
    for (const pid in rows) {
      const r = rows[pid] as TableRow;
      if ((all || !r.kernel_thread) && matchesLower(r, f)) put(r, false, undefined);
    }
  }
  for (const [pid, g] of ghosts) {
    if (rows && rows[pid]) continue;
    if ((all || !g.row.kernel_thread) && matchesLower(g.row, f)) put(g.row, true, g.at);
  }
  out.length = n;
  const cmp = rowComparator(q.sort, q.order);
  out.sort((a, b) => cmp(a.row, b.row));
  return out;
}
