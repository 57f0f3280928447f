/**
 * Signal and Renice controls of the process view, shown only when the server says actions are
 * allowed (hello's `actions_allowed`, from --allow-actions). Each action asks for confirmation in
 * a dialog naming the process, then posts it with the process's identity (pid, start), so the
 * server refuses it when the PID is another process by then.
 */
import type { ProcessRecord } from '../net/types';
import type { Store } from '../state/store';
import { h, setClass, setText } from './dom';

const SIGNALS = ['TERM', 'KILL', 'STOP', 'CONT'] as const;
type Signal = (typeof SIGNALS)[number];

export class ProcessActions {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly pid: number;
  private readonly signalSel: HTMLSelectElement;
  private readonly niceInput: HTMLInputElement;
  private readonly resultEl: HTMLElement;
  private readonly dialog: HTMLDialogElement;
  private readonly question: HTMLElement;
  private pending: (() => Promise<void>) | null = null;
  private record: ProcessRecord | undefined;

  constructor(store: Store, pid: number) {
    this.store = store;
    this.pid = pid;
    this.signalSel = h('select', { name: 'signal', 'aria-label': 'Signal to send' }, ...SIGNALS.map((s) => h('option', { value: s }, `SIG${s}`)));
    const send = h('button.btn.send-signal', { type: 'button' }, 'Send signal…');
    this.niceInput = h('input', { type: 'number', name: 'nice', min: -20, max: 19, step: 1, value: 10, 'aria-label': 'Nice value', style: 'width: 4.5em' });
    const renice = h('button.btn.renice', { type: 'button' }, 'Renice…');
    this.resultEl = h('span.action-result', { role: 'status', 'aria-live': 'polite' });
    this.question = h('p.action-question');
    const confirm = h('button.btn.confirm-action', { type: 'button' }, 'Confirm');
    const cancel = h('button.btn.cancel-action', { type: 'button' }, 'Cancel');
    this.dialog = h('dialog.action-dialog', { 'aria-label': 'Confirm the action' }, this.question, h('div.dialog-buttons', {}, cancel, confirm));
    this.el = h('div.process-actions.hidden', { role: 'group', 'aria-label': 'Process actions' }, this.signalSel, send, this.niceInput, renice, this.resultEl, this.dialog);
    send.addEventListener('click', () => {
      const sig = this.signalSel.value as Signal;
      this.ask(`Send SIG${sig} to ${this.label()}?`, () => this.run((start) => this.store.api.signalProcess(this.pid, start, sig)));
    });
    renice.addEventListener('click', () => {
      const n = Number(this.niceInput.value);
      if (!Number.isInteger(n) || n < -20 || n > 19) return void setText(this.resultEl, 'A nice value is an integer from -20 to 19');
      this.ask(`Set the nice value of ${this.label()} to ${n}?`, () => this.run((start) => this.store.api.reniceProcess(this.pid, start, n)));
    });
    cancel.addEventListener('click', () => this.dialog.close());
    confirm.addEventListener('click', () => {
      const act = this.pending;
      this.pending = null;
      this.dialog.close();
      if (act) void act();
    });
  }

  private label(): string {
    return `${this.record?.name ?? 'process'} (PID ${this.pid})`;
  }

  private ask(question: string, act: () => Promise<void>): void {
    setText(this.question, question);
    this.pending = act;
    this.dialog.showModal();
  }

  private async run(post: (start: number) => Promise<{ ok: true; value: string } | { ok: false; error: string }>): Promise<void> {
    const start = this.record?.start;
    if (start === undefined) return void setText(this.resultEl, 'The process start time is not known yet');
    setText(this.resultEl, 'Sending…');
    const r = await post(start);
    setText(this.resultEl, r.ok ? r.value : `Refused: ${r.error}`);
    setClass(this.resultEl, 'error', !r.ok);
  }

  /** Shows the controls for a live process on a server that allows actions. */
  update(record: ProcessRecord | undefined, gone: boolean): void {
    this.record = record;
    setClass(this.el, 'hidden', !this.store.hello?.actions_allowed || gone || !record);
  }
}
