/**
 * The main page: a top bar (host, summary, alerts badge, connection, theme), the process table on
 * the left and the open view on the right (system, compare, alerts, recently exited, or one watched
 * process), with tabs for each. render() is the only function that touches the DOM after start-up;
 * the store calls it once per frame.
 */
import { displayName, shownRecord, type Part, type Store, type Theme, type WatchEntry } from '../state/store';
import { formatBytes, formatDuration, formatPercent } from '../util/format';
import { AlertBadge, AlertToasts, AlertsView } from './alerts';
import { CompareView } from './compare';
import { ProcessDetail } from './detail';
import { h, seriesColor, setClass, setText } from './dom';
import { ErrorList } from './errors';
import { ExitedView } from './exited';
import { ConnectionIndicator } from './status';
import { SystemView } from './system';
import { ProcessTable } from './table';
import { applyTheme, resolveTheme, storeTheme } from './theme';

type View = SystemView | CompareView | ProcessDetail | AlertsView | ExitedView;

const THEME_LABEL: Record<Theme, string> = { auto: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export class App {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly table: ProcessTable;
  private readonly conn: ConnectionIndicator;
  private readonly errors: ErrorList;
  private readonly badge: AlertBadge;
  private readonly alertToasts: AlertToasts;
  private readonly hostEl: HTMLElement;
  private readonly summaryEl: HTMLElement;
  private readonly themeBtn: HTMLButtonElement;
  private readonly tabs: HTMLElement;
  private readonly viewBox: HTMLElement;
  private view: View | null = null;
  private viewKey = '';
  private tabsKey = '';
  private readonly onUrlChange: () => void;
  private filterTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(root: HTMLElement, store: Store, onUrlChange: () => void) {
    this.store = store;
    this.onUrlChange = onUrlChange;
    this.table = new ProcessTable(store, {
      open: (pid) => store.open('process', pid),
      toggleWatch: (pid) => (store.watched.has(pid) ? store.unwatch(pid) : store.watch(pid)),
      query: () => {
        if (this.filterTimer) clearTimeout(this.filterTimer);
        this.filterTimer = setTimeout(() => store.pushTableQuery(), 250);
      },
    });
    this.conn = new ConnectionIndicator(store);
    this.errors = new ErrorList(store);
    this.badge = new AlertBadge(store);
    this.alertToasts = new AlertToasts(store);
    this.hostEl = h('span.host');
    this.summaryEl = h('span.summary');
    this.themeBtn = h('button.icon-btn', { type: 'button' });
    this.themeBtn.addEventListener('click', () => this.cycleTheme());
    this.tabs = h('nav.tabs', { 'aria-label': 'Views' });
    this.tabs.addEventListener('click', (e) => this.onTabClick(e));
    this.viewBox = h('div.view-box');
    this.el = h(
      'div.app',
      {},
      h('header.topbar', {}, h('span.brand', {}, h('span.logo', { 'aria-hidden': 'true' }), 'procpulse'), this.hostEl, h('span.summary-box', {}, this.summaryEl), this.badge.el, this.conn.el, this.themeBtn),
      h('main.layout', {}, this.table.el, h('section.side-pane', {}, this.tabs, this.viewBox)),
      h('div.toast-stack', {}, this.alertToasts.el, this.errors.el),
    );
    root.replaceChildren(this.el);
    applyTheme(store.theme, () => store.mark('theme'));
    document.addEventListener('keydown', (e) => this.onGlobalKey(e));
  }

  private cycleTheme(): void {
    const order: Theme[] = ['auto', 'light', 'dark'];
    const next = order[(order.indexOf(this.store.theme) + 1) % order.length] as Theme;
    this.store.theme = next;
    storeTheme(next);
    applyTheme(next);
    this.store.mark('theme', 'view');
  }

  private onGlobalKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    if (e.key === '/' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      this.table.focusFilter();
    }
  }

  private onTabClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const close = target.closest<HTMLElement>('[data-unwatch]');
    if (close) {
      this.store.unwatch(Number(close.dataset.unwatch));
      return;
    }
    const tab = target.closest<HTMLElement>('[data-view]');
    if (!tab) return;
    const view = tab.dataset.view;
    if (view === 'process') this.store.open('process', Number(tab.dataset.pid));
    else if (view === 'system' || view === 'compare' || view === 'alerts' || view === 'exited') this.store.open(view);
  }

  /** Draws the dirty parts. */
  render(dirty: ReadonlySet<Part>): void {
    const s = this.store;
    const now = Date.now();
    if (dirty.has('theme')) {
      this.themeBtn.textContent = resolveTheme(s.theme) === 'dark' ? '☾' : '☀';
      this.themeBtn.title = `${THEME_LABEL[s.theme]} (click to change)`;
      this.themeBtn.setAttribute('aria-label', THEME_LABEL[s.theme]);
      document.documentElement.dataset.theme = resolveTheme(s.theme);
      this.viewKey = ''; // charts read colours when they are created
    }
    if (dirty.has('conn') || dirty.has('clock')) {
      // Not live: everything on screen is the last known state; say so by dimming it.
      setClass(this.el, 'offline', this.conn.update(now) !== 'live');
    }
    if (dirty.has('conn') || dirty.has('system') || dirty.has('clock')) this.renderSummary();
    if (dirty.has('table') || dirty.has('watch') || dirty.has('view')) this.table.render();
    if (dirty.has('errors')) this.errors.update();
    if (dirty.has('alerts')) {
      this.badge.update();
      this.alertToasts.update();
    }
    if (dirty.has('view') || dirty.has('watch') || dirty.has('theme')) this.ensureView();
    if (dirty.has('view') || dirty.has('watch') || dirty.has('theme') || dirty.has('alerts')) this.renderTabs();
    const v = this.view;
    const any = (...parts: Part[]): boolean => parts.some((p) => dirty.has(p));
    if (v instanceof SystemView) {
      if (any('system', 'view', 'theme')) v.update();
    } else if (v instanceof AlertsView) {
      if (any('alerts', 'view', 'clock')) v.update();
    } else if (v instanceof ExitedView) {
      // Short-lived processes can leave every tick: redraw the list once a second at most.
      if (any('clock', 'view')) v.update();
    } else if (v) {
      if (any('watch', 'view', 'clock', 'theme', 'alerts')) v.update();
    }
    if (dirty.has('view') || dirty.has('watch')) this.onUrlChange();
  }

  private renderSummary(): void {
    const hello = this.store.hello;
    setText(this.hostEl, hello ? `${hello.host} · ${hello.cpu_count} CPU · ${formatBytes(hello.mem_total)}` : '');
    const sys = this.store.client.state.system;
    if (!sys) {
      setText(this.summaryEl, '');
      return;
    }
    const load = sys.load?.[0];
    setText(
      this.summaryEl,
      `CPU ${formatPercent(sys.cpu?.percent)} · Mem ${formatPercent(sys.memory?.percent)} · Load ${load == null ? '—' : load.toFixed(2)} · ${sys.process_count ?? '—'} procs · up ${formatDuration(sys.uptime)}`,
    );
  }

  private ensureView(): void {
    const s = this.store;
    let key: string = s.view;
    if (s.view === 'process') {
      if (s.selectedPid === null || !s.watched.has(s.selectedPid)) {
        s.view = 'system';
        key = 'system';
      } else key = `process:${s.selectedPid}`;
    }
    if (key === this.viewKey && this.view) return;
    this.view?.destroy();
    this.viewKey = key;
    if (s.view === 'system') this.view = new SystemView(this.viewBox, s);
    else if (s.view === 'compare') this.view = new CompareView(this.viewBox, s);
    else if (s.view === 'alerts') this.view = new AlertsView(this.viewBox, s);
    else if (s.view === 'exited') this.view = new ExitedView(this.viewBox, s);
    else this.view = new ProcessDetail(this.viewBox, s, s.selectedPid as number, (pid) => s.unwatch(pid));
  }

  private renderTabs(): void {
    const s = this.store;
    const pids = s.shownWatched(); // not those still being looked up
    const firing = s.firingCount();
    const key = `${s.view}|${s.selectedPid}|${firing}|${pids.map((p) => `${p}:${displayName(s.watched.get(p)) ?? ''}:${s.serverWatch?.has(p) ?? false}:${!!s.watched.get(p)?.exited}:${!!s.watched.get(p)?.notFound}:${s.alerting.has(p)}`).join(',')}`;
    if (key === this.tabsKey) return;
    this.tabsKey = key;
    const tab = (label: string, view: string, active: boolean, extra: Record<string, string> = {}): HTMLElement =>
      h('button.tab', { type: 'button', 'data-view': view, 'aria-current': active ? 'page' : undefined, ...extra }, label);
    const items: HTMLElement[] = [
      tab('System', 'system', s.view === 'system'),
      tab(`Compare${pids.length ? ` (${pids.length})` : ''}`, 'compare', s.view === 'compare'),
      tab(`Alerts${firing ? ` (${firing})` : ''}`, 'alerts', s.view === 'alerts'),
      tab('Exited', 'exited', s.view === 'exited', { title: 'Recently exited processes, and any PID the server has history for' }),
    ];
    pids.forEach((pid, i) => {
      const e = s.watched.get(pid);
      const active = s.view === 'process' && s.selectedPid === pid;
      const chip = h(
        'span.chip',
        { 'data-view': 'process', 'data-pid': pid, title: `${shownRecord(e as WatchEntry)?.cmdline ?? ''}${s.serverWatch?.has(pid) ? '\n(watched on server: its history is stored)' : ''}`, 'data-server-watch': String(s.serverWatch?.has(pid) ?? false) },
        h('span.swatch', { style: `background:${seriesColor(i)}` }),
        h('button.chip-name', { type: 'button', 'aria-current': active ? 'page' : undefined }, `${displayName(e) ?? (e?.history === 'loaded' ? 'exited' : e?.notFound ? 'gone' : '…')} `, h('span.pid', { text: String(pid) })),
        h('button.chip-close', { type: 'button', 'data-unwatch': pid, 'aria-label': `Stop watching ${pid}`, title: 'Stop watching' }, '×'),
      );
      setClass(chip, 'active', active);
      setClass(chip, 'exited', !!e?.exited || !!e?.notFound);
      setClass(chip, 'alerting', s.alerting.has(pid));
      items.push(chip);
    });
    this.tabs.replaceChildren(...items);
  }
}
