/**
 * Alerts: the header badge (how many fire now, from every view), the notices that pop up when one
 * fires, and the alerts view (firing now, rules with the form to add one, recent events). Everything
 * reads the store; the firing table reuses its rows so values and durations update in place.
 */
import type { AlertEvent, AlertRule } from '../net/types';
import { activeAlerts, eventRuleText, formatMetric, formatThreshold, isSystemEvent, metricInfo, ruleText, stateText, subjectText, valueText } from '../state/alerts';
import type { Store } from '../state/store';
import { formatClock, formatDuration } from '../util/format';
import { h, setClass, setText } from './dom';
import { RuleForm } from './rule-form';

/** The bell in the top bar; click opens the alerts view. */
export class AlertBadge {
  readonly el: HTMLButtonElement;
  private readonly count: HTMLElement;
  private readonly store: Store;
  private shown = -1;

  constructor(store: Store) {
    this.store = store;
    this.count = h('span.alert-count');
    this.el = h('button.alert-badge', { type: 'button' }, h('span.bell', { 'aria-hidden': 'true' }), this.count);
    this.el.addEventListener('click', () => store.open('alerts'));
  }

  update(): void {
    const n = this.store.firingCount();
    if (n === this.shown) return;
    const rising = n > this.shown && this.shown >= 0;
    this.shown = n;
    setText(this.count, String(n));
    this.el.dataset.count = String(n);
    setClass(this.el, 'firing', n > 0);
    if (n === 0) this.el.classList.remove('pulse');
    // The accessible name starts with the number shown.
    const label = `${n} alert${n === 1 ? '' : 's'} firing`;
    this.el.title = `${label} (click for alerts)`;
    this.el.setAttribute('aria-label', label);
    if (rising) {
      // A short pulse (a few iterations, then still: no animation left running).
      this.el.classList.remove('pulse');
      void this.el.offsetWidth;
      this.el.classList.add('pulse');
    }
  }
}

/** Notices of alerts that just fired, top right; each opens the process (or the alerts view). */
export class AlertToasts {
  readonly el: HTMLElement;
  private readonly store: Store;
  private shown = '';

  constructor(store: Store) {
    this.store = store;
    this.el = h('div.alert-toasts', { 'aria-live': 'assertive' });
    this.el.addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      const box = t.closest<HTMLElement>('.alert-toast');
      if (!box) return;
      const id = Number(box.dataset.toast);
      if (t.closest('.close')) {
        store.dismissAlertToast(id);
        return;
      }
      const pid = Number(box.dataset.pid);
      if (pid > 0) store.open('process', pid);
      else store.open('alerts');
      store.dismissAlertToast(id);
    });
  }

  update(): void {
    const toasts = this.store.alertToasts;
    const key = toasts.map((t) => t.id).join(',');
    if (key === this.shown) return;
    this.shown = key;
    this.el.replaceChildren(
      ...toasts.map((t) => {
        const ev = t.event;
        return h(
          'div.toast.alert-toast',
          { role: 'alert', 'data-toast': t.id, 'data-id': ev.id, 'data-pid': isSystemEvent(ev) ? undefined : ev.pid, title: 'Click to open' },
          h('div.toast-title', { text: `Alert firing: ${subjectText(ev)}` }),
          h('div.toast-text', { text: `${valueText(ev)} · since ${formatClock(ev.since)}` }),
          h('button.close', { type: 'button', 'aria-label': 'Dismiss' }, '×'),
        );
      }),
    );
  }
}

interface FiringRow {
  el: HTMLTableRowElement;
  who: HTMLElement;
  rule: HTMLElement;
  value: HTMLElement;
  since: HTMLElement;
}

export class AlertsView {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly summary: HTMLElement;
  private readonly firingBody: HTMLTableSectionElement;
  private readonly firingEmpty: HTMLElement;
  private readonly rulesList: HTMLElement;
  private readonly rulesNote: HTMLElement;
  private readonly recentList: HTMLElement;
  private readonly form: RuleForm;
  private readonly rows = new Map<string, FiringRow>();
  private rulesShown: AlertRule[] | null | undefined = undefined;
  private recentShown: AlertEvent[] | null = null;

  constructor(parent: HTMLElement, store: Store) {
    this.store = store;
    this.summary = h('span.badge');
    this.firingBody = h('tbody');
    this.firingEmpty = h('p.empty', { text: 'Nothing is firing.' });
    this.rulesList = h('ul.rule-list');
    this.rulesNote = h('p.empty');
    this.recentList = h('ol.event-list');
    this.form = new RuleForm(store);
    this.el = h(
      'div.view.alerts',
      {},
      h('div.view-head', {}, h('h2', { text: 'Alerts' }), this.summary),
      h(
        'section.alert-section.firing',
        {},
        h('h3', { text: 'Firing now' }),
        h(
          'table.alert-table',
          {},
          h('thead', {}, h('tr', {}, h('th', { text: 'Process' }), h('th', { text: 'Rule' }), h('th.num', { text: 'Value' }), h('th', { text: 'Since' }))),
          this.firingBody,
        ),
        this.firingEmpty,
      ),
      h('section.alert-section.rules', {}, h('h3', { text: 'Rules' }), this.rulesList, this.rulesNote, h('h4', { text: 'Add a rule' }), this.form.el),
      h('section.alert-section.recent', {}, h('h3', { text: 'Recent events' }), this.recentList),
    );
    this.el.addEventListener('click', (e) => this.onClick(e));
    parent.append(this.el);
  }

  private onClick(e: MouseEvent): void {
    const t = e.target as HTMLElement;
    const del = t.closest<HTMLButtonElement>('[data-delete-rule]');
    if (del) {
      del.disabled = true;
      void this.store.deleteRule(Number(del.dataset.deleteRule)).then((r) => {
        del.disabled = false;
        if (!r.ok) setText(this.rulesNote, `Could not delete the rule: ${r.error}`);
      });
      return;
    }
    const open = t.closest<HTMLElement>('[data-open-pid]');
    if (open) this.store.open('process', Number(open.dataset.openPid));
  }

  update(): void {
    const s = this.store;
    const n = s.firingCount();
    setText(this.summary, n ? `${n} firing` : 'all clear');
    setClass(this.summary, 'crit', n > 0);
    this.renderFiring();
    if (s.rules !== this.rulesShown) this.renderRules();
    if (!s.rules) setText(this.rulesNote, s.rulesError ? `Could not read the rules: ${s.rulesError}` : 'Loading rules…');
    if (s.recentAlerts !== this.recentShown) this.renderRecent();
  }

  private renderFiring(): void {
    const now = Date.now() / 1000;
    const list = activeAlerts(this.store.client.state.alerts);
    const seen = new Set<string>();
    for (const ev of list) {
      const id = ev.id ?? '';
      seen.add(id);
      let row = this.rows.get(id);
      if (!row) {
        const who = h('td.who');
        const rule = h('td.rule');
        const value = h('td.num.value');
        const since = h('td.since');
        row = { el: h('tr', { 'data-id': id }, who, rule, value, since), who, rule, value, since };
        this.rows.set(id, row);
        if (isSystemEvent(ev)) who.textContent = 'System';
        else who.append(h('button.link', { type: 'button', 'data-open-pid': ev.pid }, subjectText(ev)));
      }
      this.firingBody.append(row.el); // in order (a no-op move when it is already there)
      if (!isSystemEvent(ev)) row.el.dataset.pid = String(ev.pid);
      const system = isSystemEvent(ev);
      setText(row.rule, eventRuleText(ev, this.store.rules));
      setText(row.value, `${formatMetric(ev.metric ?? '', system, ev.value)} / ${formatThreshold(ev.metric ?? '', system, ev.threshold)}`);
      row.value.title = `${metricInfo(ev.metric ?? '', system).label}: value / threshold`;
      setText(row.since, ev.since ? `${formatClock(ev.since)} (${formatDuration(now - ev.since)})` : '—');
    }
    for (const [id, row] of this.rows) {
      if (seen.has(id)) continue;
      row.el.remove();
      this.rows.delete(id);
    }
    setClass(this.firingEmpty, 'hidden', list.length > 0);
  }

  private renderRules(): void {
    const rules = this.store.rules;
    this.rulesShown = rules;
    if (!rules) return;
    setText(this.rulesNote, rules.length ? '' : 'No rules yet.');
    this.rulesList.replaceChildren(
      ...rules.map((r) =>
        h(
          'li',
          { 'data-rule-id': r.id },
          h('span.rule-text', { text: ruleText(r) }),
          h('span.rule-name', { text: r.name !== ruleText(r) ? r.name : '' }),
          h('button.btn.small', { type: 'button', 'data-delete-rule': r.id, title: 'Delete this rule (its firing alerts resolve)' }, 'Delete'),
        ),
      ),
    );
  }

  private renderRecent(): void {
    const events = this.store.recentAlerts;
    this.recentShown = events;
    if (!events.length) {
      this.recentList.replaceChildren(h('li.empty', { text: 'No alert events yet.' }));
      return;
    }
    this.recentList.replaceChildren(
      ...events.slice(0, 50).map((ev) => {
        const who = isSystemEvent(ev) ? h('span.who', { text: 'System' }) : h('button.link.who', { type: 'button', 'data-open-pid': ev.pid }, subjectText(ev));
        return h(
          `li.ev-${ev.state === 'firing' ? 'firing' : 'resolved'}`,
          { 'data-id': ev.id, 'data-state': ev.state },
          h('span.ev-time', { text: formatClock(ev.time) }),
          h('span.ev-state', { text: stateText(ev) }),
          who,
          h('span.ev-value', { text: valueText(ev) }),
        );
      }),
    );
  }

  destroy(): void {
    this.el.remove();
  }
}
