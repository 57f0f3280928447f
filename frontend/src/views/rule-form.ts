/**
 * The form that adds an alert rule: scope (a PID, a name glob, any process, the system), metric,
 * comparison, threshold (bytes typed with a unit: "512 MiB", "1.5G"), and how long the condition
 * must hold. What the server refuses comes back as its own sentence, shown under the form.
 */
import { RULE_OPS, type AlertRule, type AlertRuleInput, type RuleOp, type RuleScope } from '../net/types';
import { BYTE_UNITS, metricInfo, metricsFor, parseThreshold, ruleText, thresholdInput } from '../state/alerts';
import type { Store } from '../state/store';
import { formatSpan, parseDuration } from '../util/format';
import { h, setClass, setText } from './dom';

const SCOPES: { value: RuleScope; label: string }[] = [
  { value: 'any', label: 'Any process' },
  { value: 'pid', label: 'One PID' },
  { value: 'name', label: 'Name glob' },
  { value: 'system', label: 'System' },
];

export interface RuleFormOptions {
  /** Field values to start from (the quick rule of a process view). */
  preset?: AlertRuleInput;
  /** A one-line form inside another view. */
  compact?: boolean;
  /** Called with each rule the server accepted. */
  onAdded?: (rule: AlertRule) => void;
}

function field(label: string, control: HTMLElement, cls = ''): HTMLElement {
  return h(`label.field${cls}`, {}, h('span.field-label', { text: label }), control);
}

export class RuleForm {
  readonly el: HTMLFormElement;
  private readonly store: Store;
  private readonly opts: RuleFormOptions;
  private readonly scope: HTMLSelectElement;
  private readonly pid: HTMLInputElement;
  private readonly pattern: HTMLInputElement;
  private readonly metric: HTMLSelectElement;
  private readonly op: HTMLSelectElement;
  private readonly threshold: HTMLInputElement;
  private readonly byteUnit: HTMLSelectElement;
  private readonly unitText: HTMLElement;
  private readonly forInput: HTMLInputElement;
  private readonly submitBtn: HTMLButtonElement;
  private readonly message: HTMLElement;
  private readonly pidField: HTMLElement;
  private readonly patternField: HTMLElement;
  private metricScope = '';
  private busy = false;

  constructor(store: Store, opts: RuleFormOptions = {}) {
    this.store = store;
    this.opts = opts;
    this.scope = h('select', { name: 'scope' });
    for (const s of SCOPES) this.scope.append(h('option', { value: s.value }, s.label));
    this.pid = h('input', { name: 'pid', type: 'text', inputmode: 'numeric', size: 7, placeholder: '1234', autocomplete: 'off' });
    this.pattern = h('input', { name: 'pattern', type: 'text', size: 10, placeholder: 'chrom*', spellcheck: 'false', autocomplete: 'off' });
    this.metric = h('select', { name: 'metric' });
    this.op = h('select', { name: 'op', 'aria-label': 'Comparison' });
    for (const o of RULE_OPS) this.op.append(h('option', { value: o }, o));
    this.threshold = h('input', { name: 'threshold', type: 'text', inputmode: 'decimal', size: 8, autocomplete: 'off', 'aria-label': 'Threshold' });
    this.byteUnit = h('select', { name: 'unit', 'aria-label': 'Unit' });
    for (const u of BYTE_UNITS) this.byteUnit.append(h('option', { value: u.mult }, u.label));
    this.byteUnit.value = String(1024 ** 2);
    this.unitText = h('span.unit');
    this.forInput = h('input', { name: 'for', type: 'text', size: 5, placeholder: '0s', autocomplete: 'off', title: 'How long the condition must hold: 30s, 5m, 1h' });
    this.submitBtn = h('button.btn.primary', { type: 'submit' }, 'Add rule');
    this.message = h('div.form-message', { role: 'status', 'aria-live': 'polite' });
    this.pidField = field('PID', this.pid, '.f-pid');
    this.patternField = field('Pattern', this.pattern, '.f-pattern');
    this.el = h(
      `form.rule-form${opts.compact ? '.compact' : ''}`,
      { novalidate: true },
      h(
        'div.form-row',
        {},
        field('Scope', this.scope),
        this.pidField,
        this.patternField,
        field('Metric', this.metric),
        field('When', h('span.threshold', {}, this.op, this.threshold, this.byteUnit, this.unitText)),
        field('For', this.forInput),
        this.submitBtn,
      ),
      this.message,
    );
    this.scope.addEventListener('change', () => this.sync());
    this.metric.addEventListener('change', () => this.sync());
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.setRule(opts.preset ?? { metric: 'rss', op: '>', threshold: 1024 ** 3, for: 30, scope: 'any' });
  }

  /** Fills the fields from a rule. */
  setRule(r: AlertRuleInput): void {
    this.scope.value = r.scope ?? 'any';
    this.sync();
    this.metric.value = r.metric;
    this.sync();
    this.op.value = r.op ?? '>';
    this.pid.value = r.pid !== undefined ? String(r.pid) : '';
    this.pattern.value = r.pattern ?? '';
    const t = thresholdInput(r.threshold, metricInfo(r.metric, r.scope === 'system').unit);
    this.threshold.value = t.text;
    this.byteUnit.value = String(t.byteUnit);
    this.forInput.value = formatSpan(r.for ?? 0).replace(/ /g, '');
    this.show('', 'busy');
  }

  /** Shows the fields that belong to the chosen scope and metric. */
  private sync(): void {
    const scope = this.scope.value as RuleScope;
    if (this.metricScope !== (scope === 'system' ? 'system' : 'process')) {
      this.metricScope = scope === 'system' ? 'system' : 'process';
      const keep = this.metric.value;
      this.metric.replaceChildren(...metricsFor(scope).map((m) => h('option', { value: m }, metricInfo(m, scope === 'system').label)));
      if ([...this.metric.options].some((o) => o.value === keep)) this.metric.value = keep;
    }
    setClass(this.pidField, 'hidden', scope !== 'pid');
    setClass(this.patternField, 'hidden', scope !== 'name');
    const unit = metricInfo(this.metric.value, scope === 'system').unit;
    const bytes = unit === 'bytes' || unit === 'bytesRate';
    setClass(this.byteUnit, 'hidden', !bytes);
    setText(this.unitText, unit === 'percent' ? '%' : unit === 'rate' ? '/s' : unit === 'bytesRate' ? '/s' : '');
    this.threshold.placeholder = bytes ? '512' : unit === 'percent' ? '90' : '100';
  }

  /** The line under the form: what the server said (`ok`, `error`) or that it is asked (`busy`). */
  private show(text: string, kind: 'ok' | 'error' | 'busy'): void {
    setText(this.message, text);
    setClass(this.message, 'error', kind === 'error');
    setClass(this.message, 'ok', kind === 'ok' && text !== '');
    this.message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  }

  /** The rule the fields describe, or what is wrong with them (before asking the server). */
  read(): AlertRuleInput | string {
    const scope = this.scope.value as RuleScope;
    const metric = this.metric.value;
    const unit = metricInfo(metric, scope === 'system').unit;
    const t = parseThreshold(this.threshold.value, unit, Number(this.byteUnit.value));
    if ('error' in t) return t.error;
    const held = this.forInput.value.trim() === '' ? 0 : parseDuration(this.forInput.value);
    if (held === null) return `"${this.forInput.value}" is not a duration (e.g. 30s, 5m)`;
    const rule: AlertRuleInput = { metric, op: this.op.value as RuleOp, threshold: t.value, for: held, scope };
    if (scope === 'pid') {
      // Sent as typed when it is not a number: the server says what it expects.
      const pid = Number(this.pid.value.trim());
      if (this.pid.value.trim() !== '' && Number.isFinite(pid)) rule.pid = pid;
    }
    if (scope === 'name') rule.pattern = this.pattern.value.trim();
    // Named in words, so events and notices read "RSS > 512 MiB for 30s · PID 1234".
    rule.name = ruleText(rule);
    return rule;
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const rule = this.read();
    if (typeof rule === 'string') {
      this.show(rule, 'error');
      return;
    }
    this.busy = true;
    this.submitBtn.disabled = true;
    this.show('Adding…', 'busy');
    const r = await this.store.addRule(rule);
    this.busy = false;
    this.submitBtn.disabled = false;
    if (!r.ok) {
      this.show(r.status === 400 ? `The server refused the rule: ${r.error}` : r.error, 'error');
      return;
    }
    this.show(`Added: ${ruleText(r.value)}`, 'ok');
    this.opts.onAdded?.(r.value);
  }
}
