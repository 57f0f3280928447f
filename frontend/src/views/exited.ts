/**
 * Time travel: processes that left the table (exited) while the page was open, newest first, and a
 * box to open any PID. Opening one shows its process view with the history the server kept (the
 * last hour in memory, older points from its database), marked as exited.
 */
import type { Store } from '../state/store';
import { matchesFilter } from '../state/table';
import { formatBytes, formatClock } from '../util/format';
import { h, setText } from './dom';

/** Entries drawn at most (the filter finds older ones). */
const SHOWN = 200;

export class ExitedView {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly list: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly note: HTMLElement;
  private readonly filter: HTMLInputElement;
  private shown: unknown = null;
  private shownFilter = '';
  private missingShown: number | null = null;

  constructor(parent: HTMLElement, store: Store) {
    this.store = store;
    this.input = h('input.pid-input', { type: 'text', inputmode: 'numeric', placeholder: 'PID', 'aria-label': 'PID to open', size: 8, autocomplete: 'off' });
    this.note = h('span.form-message');
    const form = h('form.open-pid', {}, h('label', { text: 'Open any PID the server has history for:' }), this.input, h('button.btn', { type: 'submit' }, 'Open'), this.note);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const pid = Number(this.input.value.trim());
      if (!Number.isInteger(pid) || pid <= 0) {
        setText(this.note, 'A PID is a positive whole number.');
        return;
      }
      setText(this.note, '');
      store.open('process', pid);
    });
    this.filter = h('input.filter', { type: 'search', placeholder: 'Filter by name, command, user or PID', 'aria-label': 'Filter exited processes', spellcheck: 'false', autocomplete: 'off' });
    this.filter.addEventListener('input', () => this.update());
    this.list = h('ul.exited-list');
    this.el = h(
      'div.view.exited',
      {},
      h('div.view-head', {}, h('h2', { text: 'Recently exited' })),
      form,
      h('p.hint', { text: 'Processes that left the table since this tab was opened. The server keeps the last hour of every process, exited ones too; click one to see it.' }),
      this.filter,
      this.list,
    );
    this.list.addEventListener('click', (e) => {
      const item = (e.target as HTMLElement).closest<HTMLElement>('[data-pid]');
      if (item) store.open('process', Number(item.dataset.pid));
    });
    parent.append(this.el);
  }

  update(): void {
    const missing = this.store.noSuchPid;
    if (missing !== this.missingShown) {
      this.missingShown = missing;
      if (missing !== null) setText(this.note, `No such process: PID ${missing} does not run and the server has no history of it.`);
    }
    const all = this.store.recentExited;
    const f = this.filter.value;
    if (all === this.shown && f === this.shownFilter) return;
    this.shown = all;
    this.shownFilter = f;
    const items = (f.trim() ? all.filter((g) => matchesFilter(g.row, f)) : all).slice(0, SHOWN);
    if (!items.length) {
      const text = all.length ? 'None matches the filter.' : 'None yet: processes that exit while you look appear here.';
      this.list.replaceChildren(h('li.empty', { text }));
      return;
    }
    this.list.replaceChildren(
      ...items.map((g) => {
        const r = g.row;
        return h(
          'li',
          {},
          h(
            'button.exited-item',
            { type: 'button', 'data-pid': r.pid, title: r.cmdline ?? '' },
            h('span.name', { text: r.name ?? '?' }),
            h('span.pid', { text: `PID ${r.pid}` }),
            h('span.user', { text: r.username ?? '' }),
            h('span.rss', { text: r.rss !== undefined ? `RSS ${formatBytes(r.rss)}` : '' }),
            h('span.when', { text: `exited ${formatClock(g.at / 1000)}` }),
          ),
        );
      }),
    );
  }

  destroy(): void {
    this.el.remove();
  }
}
