/**
 * Which table rows changed since the table last drew them: the PIDs each delta's `table.rows`
 * patch names, or "all of them" (a new state document, a snapshot, new table parameters). The table
 * redraws the text of the rows named here and only moves or restyles the others.
 */
export class RowChanges {
  private readonly pids = new Set<number>();
  /** Everything counts as changed; true until the first draw. */
  private everything = true;

  /** Records the rows a `table.rows` patch touches: each of its keys (a removed row too). */
  addPatch(rows: Readonly<Record<string, unknown>> | null | undefined): void {
    if (!rows || this.everything) return;
    for (const key in rows) this.pids.add(Number(key));
  }

  add(pid: number): void {
    if (!this.everything) this.pids.add(pid);
  }

  /** Every row counts as changed until the next clear(). */
  addAll(): void {
    this.everything = true;
    this.pids.clear();
  }

  /** Whether the row of `pid` may have changed since the last clear(). */
  has(pid: number): boolean {
    return this.everything || this.pids.has(pid);
  }

  /** True when every row counts as changed. */
  get all(): boolean {
    return this.everything;
  }

  /** How many PIDs are recorded (0 when `all`). */
  get size(): number {
    return this.pids.size;
  }

  /** Called by the table once it has drawn what changed. */
  clear(): void {
    this.everything = false;
    this.pids.clear();
  }
}
