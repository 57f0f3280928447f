/**
 * The live process table: rows from the `processes` topic, ordered and filtered like the server,
 * rendered virtually (only the rows in view exist in the DOM, each row element keeping its place
 * and showing whichever process is there), sortable by clicking a header, navigable with the
 * keyboard. Rows that disappear stay a few seconds, struck through and marked exited.
 */
import type { SortKey, SortOrder, TableRow } from '../net/types';
import { GHOST_MS, type Store } from '../state/store';
import { parsedFilter, shownRows, sortShown, type ShownRow } from '../state/table';
import { formatBytes, formatCount, formatNumber } from '../util/format';
import { h, setClass, setText } from './dom';
import { canvasMeasure, TextFitter } from './fit';
import { mergedName } from '../util/names';

interface Column {
  key: SortKey;
  label: string;
  title: string;
  num: boolean;
  cell: (r: TableRow) => string;
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(1));

const COLUMNS: Column[] = [
  { key: 'pid', label: 'PID', title: 'Process ID', num: true, cell: (r) => String(r.pid ?? '') },
  { key: 'name', label: 'Name', title: 'Name and command line', num: false, cell: (r) => r.name ?? '' },
  { key: 'username', label: 'User', title: 'Real user', num: false, cell: (r) => r.username ?? '—' },
  { key: 'status', label: 'State', title: 'Scheduler state', num: false, cell: (r) => r.status ?? '—' },
  { key: 'cpu_percent', label: 'CPU%', title: 'CPU % (100 = one core)', num: true, cell: (r) => pct(r.cpu_percent) },
  { key: 'rss', label: 'RSS', title: 'Resident set size', num: true, cell: (r) => formatBytes(r.rss) },
  { key: 'vms', label: 'VMS', title: 'Virtual memory size', num: true, cell: (r) => formatBytes(r.vms) },
  { key: 'shared', label: 'Shared', title: 'Shared memory', num: true, cell: (r) => formatBytes(r.shared) },
  { key: 'memory_percent', label: 'Mem%', title: 'RSS / total memory', num: true, cell: (r) => (r.memory_percent === undefined ? '—' : formatNumber(r.memory_percent, 2)) },
  { key: 'num_threads', label: 'Thr', title: 'Threads', num: true, cell: (r) => String(r.num_threads ?? '—') },
  { key: 'faults_per_sec', label: 'Faults/s', title: 'Page faults per second (minor + major)', num: true, cell: (r) => formatCount(r.faults_per_sec) },
];

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
/** The CPU and memory bars move in steps of this many percent (about a pixel in their cells). */
const BAR_STEP = 2;

/**
 * A bar's width in percent, in BAR_STEP steps. A bar's width is a style: each change restyles the
 * cell, and a frame with any restyle pays for a style pass (~0.4 ms on the test machine). Values
 * that wander by a percent or so (idle processes' 0-1 % CPU) keep their bar as it is.
 */
export function barPercent(v: number): number {
  if (!(v > 0)) return 0;
  return Math.min(100, Math.round(v / BAR_STEP) * BAR_STEP);
}

interface RowEl {
  el: HTMLDivElement;
  cells: HTMLElement[];
  /** The text node of each cell, then that of the command line: text is written into them. */
  textNodes: Text[];
  pid: number;
  /** The row it last drew the values of (a ghost is a copy, a reused PID a new record). */
  row: TableRow | null;
  /** Row index it is drawn at, and the bar widths last written. */
  index: number;
  cpuP: number;
  memP: number;
  /** What was last written (cells, then the command line), so a frame reads nothing back from the DOM. */
  texts: string[];
  title: string;
  /** ROW_FLAGS bits last set as classes. */
  flags: number;
  /** The table's fit generation its texts were cut for (column widths, fonts). */
  fit: number;
}

/**
 * The width a text may take in a column: a pixel and 2 % less than the column, for what a canvas
 * measures differently from what the page draws (zoom, display scaling, rounding).
 */
function room(width: number): number {
  return width * 0.98 - 1;
}

/** Classes a row can carry, as bits. */
const ROW_FLAGS = ['ghost', 'watched', 'alerting', 'cursor', 'selected', 'kthread'] as const;

export interface TableCallbacks {
  /** Enter or click: watch the process and open its detail view. */
  open(pid: number): void;
  /** The watch mark: add to or remove from the watch list. */
  toggleWatch(pid: number): void;
  /** The filter changed (debounced by the caller before it reaches the server). */
  query(): void;
}

export class ProcessTable {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly cb: TableCallbacks;
  private readonly filterInput: HTMLInputElement;
  private readonly filterError: HTMLElement;
  private readonly filterHelp: HTMLElement;
  private readonly filterHelpButton: HTMLButtonElement;
  private readonly kernelBox: HTMLInputElement;
  private readonly countEl: HTMLElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly headCells = new Map<SortKey, HTMLElement>();
  /**
   * Row elements: the row at index i is drawn by slots[i % slots.length], so scrolling redraws only
   * the rows that come into view, and a change of order rewrites only the cells whose text differs.
   */
  private readonly slots: RowEl[] = [];
  private scrollTop = 0;
  private viewHeight = 600;
  private rows: ShownRow[] = [];
  /** The store's tableVersion and tableOrderVersion the rows were gathered and sorted for. */
  private ordered = -1;
  private sorted = -1;
  /** What the head, the count and the bars were last drawn for. */
  private headKey = '';
  private countText = '';
  private cores = 0;
  private cursor: number | null = null;
  /**
   * Cells are not clipped (a clip per cell made every frame's paint and layerization walk ~700
   * clip nodes): texts are cut to their column's width here instead, with an ellipsis. Content
   * widths per column (px) come from the header cells, which share the rows' grid tracks; fonts
   * per column from the first row's cells. `fitGen` changes when either does.
   */
  private readonly fitter = new TextFitter(canvasMeasure());
  private colWidths: number[] = [];
  private fonts: { cells: string[]; kthreadName: string; cmd: string; cmdGap: number } | null = null;
  private fitGen = 0;
  private lastCursorIndex = 0;

  constructor(store: Store, cb: TableCallbacks) {
    this.store = store;
    this.cb = cb;
    this.filterInput = h('input.filter', {
      type: 'search',
      placeholder: 'Filter: name, PID, user:root cpu>50 rss>1G   ( / )',
      'aria-label': 'Filter processes',
      spellcheck: 'false',
      autocomplete: 'off',
    });
    this.filterInput.value = store.filter;
    this.filterError = h('span.filter-error', { role: 'status', 'aria-live': 'polite' });
    this.filterHelp = filterHelp();
    this.filterHelpButton = h('button.filter-help-button', { type: 'button', title: 'Filter syntax', 'aria-label': 'Filter syntax', 'aria-expanded': 'false', 'aria-controls': 'filter-help' }, '?');
    this.filterHelpButton.addEventListener('click', () => this.toggleFilterHelp());
    this.filterHelp.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggleFilterHelp(false);
    });
    this.showFilterError();
    this.kernelBox = h('input', { type: 'checkbox', 'aria-label': 'Show kernel threads' });
    this.kernelBox.checked = store.kernelThreads;
    this.countEl = h('span.count');
    const head = h('div.ptable-head', { role: 'row' });
    for (const c of COLUMNS) {
      const cell = h(`div.th${c.num ? '.num' : ''}`, { role: 'columnheader', title: `${c.title} — click (or Enter) to sort`, 'data-key': c.key, tabindex: 0, 'aria-sort': 'none' }, c.label);
      cell.addEventListener('click', () => this.sortBy(c.key));
      cell.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation(); // not the grid's Enter / Space (open, watch)
        this.sortBy(c.key);
      });
      this.headCells.set(c.key, cell);
      head.append(cell);
    }
    head.prepend(h('div.th.mark', { role: 'columnheader', title: 'Watched' }, ''));
    this.spacer = h('div.ptable-spacer');
    this.viewport = h('div.ptable-viewport', { tabindex: 0, role: 'grid', 'aria-label': 'Processes' }, head, this.spacer);
    this.el = h(
      'section.table-pane',
      {},
      h('div.toolbar', {}, this.filterInput, this.filterHelpButton, this.filterHelp, this.filterError, h('label.toggle', { title: 'Kernel threads are hidden by default' }, this.kernelBox, 'Kernel threads'), this.countEl),
      this.viewport,
    );

    this.filterInput.addEventListener('input', () => {
      this.showFilterError();
      this.store.setTableQuery({ filter: this.filterInput.value });
      this.cb.query();
    });
    this.filterInput.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        if (this.filterInput.value) {
          this.filterInput.value = '';
          this.store.setTableQuery({ filter: '' });
          this.cb.query();
        } else this.viewport.focus();
      } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        this.viewport.focus();
        if (this.cursor === null) this.moveTo(0);
      }
    });
    this.kernelBox.addEventListener('change', () => {
      this.store.setTableQuery({ kernelThreads: this.kernelBox.checked });
      this.store.pushTableQuery();
    });
    this.viewport.addEventListener(
      'scroll',
      () => {
        this.scrollTop = this.viewport.scrollTop;
        this.store.mark('table');
      },
      { passive: true },
    );
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.spacer.addEventListener('click', (e) => {
      const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.prow');
      if (!rowEl) return;
      const pid = Number(rowEl.dataset.pid);
      if (!pid) return;
      this.cursor = pid;
      if ((e.target as HTMLElement).closest('.mark')) this.cb.toggleWatch(pid);
      else this.cb.open(pid);
      this.store.mark('table');
    });
    // A new pixel density (another screen, zoom) can change drawn widths without resizing anything.
    const watchDensity = (): void => {
      matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener(
        'change',
        () => {
          this.fitter.clear();
          this.fitGen++;
          this.store.mark('table');
          watchDensity();
        },
        { once: true },
      );
    };
    if (typeof matchMedia === 'function') watchDensity();
    new ResizeObserver((entries) => {
      for (const e of entries) this.viewHeight = e.contentRect.height;
      this.readWidths(); // layout is up to date in a ResizeObserver callback: reading is free
      this.store.mark('table');
    }).observe(this.viewport);
  }

  /** Says what is wrong with the filter typed (the same grammar and words as the server's). */
  private showFilterError(): void {
    const f = parsedFilter(this.filterInput.value);
    setText(this.filterError, f.ok ? '' : f.message);
    if (f.ok) this.filterInput.removeAttribute('aria-invalid');
    else this.filterInput.setAttribute('aria-invalid', 'true');
  }

  /** Opens or closes the filter syntax help. */
  private toggleFilterHelp(open = this.filterHelp.hidden): void {
    this.filterHelp.hidden = !open;
    this.filterHelpButton.setAttribute('aria-expanded', String(open));
    if (!open) this.filterHelpButton.focus();
  }

  /** Focuses the filter box (the `/` shortcut). */
  focusFilter(): void {
    this.filterInput.focus();
    this.filterInput.select();
  }

  private sortBy(key: SortKey): void {
    const s = this.store;
    let order: SortOrder;
    if (s.sort === key) order = s.order === 'desc' ? 'asc' : 'desc';
    else order = COLUMNS.find((c) => c.key === key)?.num ? 'desc' : 'asc';
    s.setTableQuery({ sort: key, order });
    s.pushTableQuery();
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 2);
    const idx = this.cursorIndex();
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        next = idx === null ? 0 : idx + 1;
        break;
      case 'ArrowUp':
      case 'k':
        next = idx === null ? 0 : idx - 1;
        break;
      case 'PageDown':
        next = (idx ?? 0) + page;
        break;
      case 'PageUp':
        next = (idx ?? 0) - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.rows.length - 1;
        break;
      case 'Enter':
        if (this.cursor !== null) this.cb.open(this.cursor);
        e.preventDefault();
        return;
      case ' ':
      case 'w':
        if (this.cursor !== null) this.cb.toggleWatch(this.cursor);
        e.preventDefault();
        return;
      case '/':
        e.preventDefault();
        this.focusFilter();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.moveTo(next);
  }

  private moveTo(index: number): void {
    if (!this.rows.length) return;
    const i = Math.max(0, Math.min(this.rows.length - 1, index));
    this.cursor = this.rows[i]?.row.pid ?? null;
    this.lastCursorIndex = i;
    // Keep the cursor row in view (below the sticky header).
    const head = ROW_HEIGHT + 2;
    const top = i * ROW_HEIGHT;
    const vp = this.viewport;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + ROW_HEIGHT > vp.scrollTop + vp.clientHeight - head) vp.scrollTop = top + ROW_HEIGHT - vp.clientHeight + head;
    this.store.mark('table');
  }

  private cursorIndex(): number | null {
    if (this.cursor === null) return null;
    const r = this.rows[this.lastCursorIndex];
    if (r && r.row.pid === this.cursor) return this.lastCursorIndex;
    const i = this.rows.findIndex((x) => x.row.pid === this.cursor);
    if (i >= 0) {
      this.lastCursorIndex = i;
      return i;
    }
    return Math.min(this.lastCursorIndex, this.rows.length - 1);
  }

  /** Content width of each column, read from the header cells (same grid tracks as the rows). */
  private readWidths(): void {
    const widths = COLUMNS.map((c) => {
      const th = this.headCells.get(c.key);
      if (!th) return 0;
      const cs = getComputedStyle(th);
      return th.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    });
    if (widths.some((w, i) => w !== this.colWidths[i])) {
      this.colWidths = widths;
      this.fitGen++;
    }
  }

  /** Fonts of the cells, the name and the command line, as canvas font strings. */
  private readFonts(slot: RowEl): void {
    const font = (el: Element, style?: string): string => {
      const cs = getComputedStyle(el);
      return `${style ?? cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    };
    const nameEl = slot.cells[1] as HTMLElement;
    const cmdEl = (slot.textNodes[COLUMNS.length] as Text).parentElement as HTMLElement;
    this.fonts = {
      cells: slot.cells.map((el) => font(el, 'normal')),
      kthreadName: font(nameEl, 'italic'),
      cmd: font(cmdEl, 'normal'),
      cmdGap: parseFloat(getComputedStyle(cmdEl).marginLeft) || 0,
    };
    this.fitGen++;
  }

  private makeRow(): RowEl {
    const el = h('div.prow', { role: 'row', 'aria-selected': 'false' });
    const cells: HTMLElement[] = [];
    const textNodes: Text[] = [];
    const text = (parent: HTMLElement): void => {
      const node = document.createTextNode('');
      parent.append(node);
      textNodes.push(node);
    };
    el.append(h('div.td.mark', { role: 'gridcell', title: 'Watch (w)' }));
    const cmd = h('span.cmd');
    for (const c of COLUMNS) {
      const cell = h(`div.td${c.num ? '.num' : ''}.c-${c.key}`, { role: 'gridcell' });
      if (c.key === 'name') {
        const name = h('span.name');
        cell.append(name, cmd);
        cells.push(name);
        text(name);
      } else {
        cells.push(cell);
        text(cell);
      }
      el.append(cell);
    }
    text(cmd);
    this.spacer.append(el);
    return {
      el,
      cells,
      textNodes,
      pid: 0,
      row: null,
      index: -1,
      cpuP: -1,
      memP: -1,
      texts: new Array<string>(cells.length + 1).fill(''),
      title: '',
      flags: 0,
      fit: -1,
    };
  }

  /** Draws the visible rows; called from the frame loop. */
  render(): void {
    const s = this.store;
    // Rows are gathered again only when their set may have changed (tableVersion), sorted again
    // when only their order may have (tableOrderVersion); the rows are the client's records,
    // updated in place, so other values show without either.
    if (this.ordered !== s.tableVersion) {
      this.ordered = s.tableVersion;
      this.sorted = s.tableOrderVersion;
      shownRows(s.client.state.table?.rows, s.ghosts, { sort: s.sort, order: s.order, filter: s.filter, kernelThreads: s.kernelThreads }, this.rows);
    } else if (this.sorted !== s.tableOrderVersion) {
      this.sorted = s.tableOrderVersion;
      sortShown(this.rows, s.sort, s.order);
    }
    const rows = this.rows;
    const total = s.client.state.table?.total;
    let live = 0;
    for (const r of rows) if (!r.ghost) live++;
    const count = countText(live, total, s.client.state.system?.process_count, s.filter.trim() !== '', s.kernelThreads);
    if (count !== this.countText) setText(this.countEl, (this.countText = count));
    const headKey = `${s.sort} ${s.order}`;
    if (headKey !== this.headKey) {
      this.headKey = headKey;
      for (const [key, cell] of this.headCells) {
        const on = key === s.sort;
        setClass(cell, 'sorted', on);
        setClass(cell, 'asc', on && s.order === 'asc');
        cell.setAttribute('aria-sort', on ? (s.order === 'asc' ? 'ascending' : 'descending') : 'none');
      }
    }
    if (this.kernelBox.checked !== s.kernelThreads) this.kernelBox.checked = s.kernelThreads;

    const height = `${rows.length * ROW_HEIGHT}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    // Scroll position and size come from their events, so drawing never forces a layout.
    // OVERSCAN rows above the view (none at the top) and below it.
    const top = Math.floor(this.scrollTop / ROW_HEIGHT);
    const first = Math.max(0, top - OVERSCAN);
    const last = Math.min(rows.length, top + Math.ceil(this.viewHeight / ROW_HEIGHT) + OVERSCAN);

    // Rows stay in their places; when the order changes a place shows another process and only
    // the cells whose text differs are written (rows of similar processes differ in a cell or two).
    // Moving the rows instead would re-place, re-clip and repaint each one that moved: with a
    // thousand processes of nearly equal size sorted by RSS, dozens of them every tick.
    const slots = this.slots;
    const need = last - first;
    if (slots.length < need) {
      // More places than before: each index maps to another slot, so all are drawn afresh.
      while (slots.length < need) slots.push(this.makeRow());
      for (const slot of slots) slot.index = -1;
    }
    for (const slot of slots) {
      if (slot.index >= first && slot.index < last && slots[slot.index % slots.length] === slot) continue;
      if (slot.pid === 0 && slot.index === -2) continue; // hidden already
      slot.index = -2;
      slot.pid = 0;
      slot.row = null;
      slot.el.style.display = 'none';
      delete slot.el.dataset.pid;
    }
    if (!this.fonts && slots[0]) this.readFonts(slots[0]);
    if (this.colWidths.length === 0) this.readWidths();
    const fonts = this.fonts;
    const widths = this.colWidths;
    const fitter = this.fitter;
    const fitGen = this.fitGen;
    const cursorIdx = this.cursorIndex();
    const cores = Math.max(1, s.hello?.cpu_count ?? 1);
    // Values are formatted and compared only for rows whose record changed (the store's row
    // changes), rows new in view, and rows that became or stopped being ghosts.
    const changes = s.rowChanges;
    const allChanged = changes.all || cores !== this.cores;
    this.cores = cores;
    for (let i = first; i < last; i++) {
      const shown = rows[i] as ShownRow;
      const r = shown.row;
      const pid = r.pid ?? -1 - i;
      const slot = slots[i % slots.length] as RowEl;
      const el = slot.el;
      if (slot.index !== i) {
        if (slot.index === -2) el.style.display = '';
        slot.index = i;
        el.style.top = `${i * ROW_HEIGHT}px`;
        el.setAttribute('aria-rowindex', String(i + 2));
      }
      if (slot.pid !== pid) {
        slot.pid = pid;
        slot.row = null;
        el.dataset.pid = String(pid);
      }
      const isCursor = i === cursorIdx;
      const flags =
        (shown.ghost ? 1 : 0) |
        (s.watched.has(pid) ? 2 : 0) |
        (s.alerting.has(pid) ? 4 : 0) |
        (isCursor ? 8 : 0) |
        (s.view === 'process' && s.selectedPid === pid ? 16 : 0) |
        (r.kernel_thread === true ? 32 : 0);
      if (flags !== slot.flags) {
        const changed = flags ^ slot.flags;
        ROW_FLAGS.forEach((cls, b) => {
          if (changed & (1 << b)) el.classList.toggle(cls, (flags & (1 << b)) !== 0);
        });
        // Selected: the cursor's row, and the row of the process whose view is open.
        if (changed & 24) el.setAttribute('aria-selected', String((flags & 24) !== 0));
        slot.flags = flags;
      }
      if (!allChanged && slot.row === r && slot.fit === fitGen && !changes.has(pid)) continue;
      const refit = slot.fit !== fitGen;
      slot.fit = fitGen;
      slot.row = r;
      const title = r.cmdline ?? '';
      if (slot.title !== title) el.title = slot.title = title;
      const texts = slot.texts;
      const nodes = slot.textNodes;
      // texts[] holds the uncut texts, so a value is cut again only when it or the widths changed.
      for (let c = 0; c < COLUMNS.length; c++) {
        if (c === 1) continue; // the name and command line: below
        const col = COLUMNS[c] as Column;
        const text = shown.ghost && col.key === 'status' ? 'exited' : col.cell(r);
        if (texts[c] === text && !refit) continue;
        texts[c] = text;
        (nodes[c] as Text).data = fonts ? fitter.fit(text, fonts.cells[c] as string, room(widths[c] as number)) : text;
      }
      const name = mergedName(r.name, r.cmdline, r.kernel_thread === true); // python3 app.py
      const cmd = r.cmdline && r.cmdline !== r.name ? r.cmdline : '';
      // The name gets the room it needs, the command line what is left after it (kernel threads'
      // names are italic: another font, so the flag is part of what was cut).
      const nameKey = r.kernel_thread === true ? `k${name}` : `u${name}`;
      if (texts[1] !== nameKey || texts[COLUMNS.length] !== cmd || refit) {
        texts[1] = nameKey;
        texts[COLUMNS.length] = cmd;
        let nameText = name;
        let cmdText = cmd;
        if (fonts) {
          const nameFont = r.kernel_thread === true ? fonts.kthreadName : (fonts.cells[1] as string);
          const nameRoom = room(widths[1] as number);
          nameText = fitter.fit(name, nameFont, nameRoom);
          const left = nameRoom - fitter.width(nameFont, nameText) - fonts.cmdGap;
          cmdText = cmd === '' || nameText !== name || left <= 0 ? '' : fitter.fit(cmd, fonts.cmd, left);
        }
        (nodes[1] as Text).data = nameText;
        (nodes[COLUMNS.length] as Text).data = cmdText;
      }
      const cpuP = barPercent((r.cpu_percent ?? 0) / cores);
      if (slot.cpuP !== cpuP) {
        slot.cpuP = cpuP;
        slot.cells[4]?.style.setProperty('--p', String(cpuP));
      }
      const memP = barPercent(r.memory_percent ?? 0);
      if (slot.memP !== memP) {
        slot.memP = memP;
        slot.cells[8]?.style.setProperty('--p', String(memP));
      }
    }
    changes.clear();
  }
}

/**
 * The table's count, in terms that agree with the top bar's process count: "43 of 104 processes
 * (kernel threads hidden)", "3 of 12 matching", "104 processes". `shown` rows are drawn, `total`
 * match the filter (the server's table.total), `all` is the system's process count.
 */
export function countText(shown: number, total: number | undefined, all: number | undefined, filtering: boolean, kernelThreads: boolean): string {
  const hidden = kernelThreads ? '' : ' (kernel threads hidden)';
  if (filtering) return total !== undefined && total > shown ? `${shown} of ${total} matching${hidden}` : `${shown} matching${hidden}`;
  if (all !== undefined && all > shown) return `${shown} of ${all} processes${hidden}`;
  if (total !== undefined && total > shown) return `${shown} of ${total} processes`;
  return `${shown} processes`;
}

/** The filter syntax help (shared/protocol.md, "Filter syntax"). */
function filterHelp(): HTMLElement {
  const rows: [string, string][] = [
    ['nginx', 'name, command line or user contains "nginx" (or PID 1234 for 1234)'],
    ['user:root', 'user is root'],
    ['name:py  cmd:serve.py', 'name / command line contains the text'],
    ['state:zombie', 'state: running, sleeping, disk-sleep, stopped, zombie, idle…'],
    ['pid:123  pid>1000', 'PID is 123 / above 1000'],
    ['cpu>50', 'CPU above 50 % (100 % = one core)'],
    ['rss>1G  vms>=512M  shared<10M', 'memory in bytes, units K M G T (1024), B or iB optional'],
    ['mem>5%', 'share of memory'],
    ['threads>10  faults>100', 'threads, page faults per second'],
  ];
  return h(
    'div.filter-help',
    { id: 'filter-help', role: 'dialog', 'aria-label': 'Filter syntax', hidden: true, tabindex: -1 },
    h('p', {}, 'Terms separated by spaces; all must hold. Comparisons: > >= < <= ='),
    h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, h('code', {}, k)), h('dd', {}, v)])),
    h('p', {}, 'Example: ', h('code', {}, 'user:www-data cpu>10 rss>200M')),
  );
}
