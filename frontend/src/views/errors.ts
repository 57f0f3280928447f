/** Server and protocol errors as readable notices that fade after a while or on dismissal. */
import type { ClientError } from '../net/client';
import type { Store } from '../state/store';
import { h } from './dom';

const TITLES: Record<string, string> = {
  bad_json: 'The server could not read a request',
  bad_request: 'The server refused a request',
  unknown_type: 'The server does not know a request',
  no_such_process: 'No such process',
  limit: 'Limit reached',
  rate_limited: 'Too many requests',
  too_large: 'Reply too large',
  protocol: 'Unexpected data from the server',
  connection: 'Connection problem',
};

/** A title and a sentence for a client or server error. */
export function describeError(e: ClientError): { title: string; text: string } {
  const title = TITLES[e.code] ?? `Server error (${e.code})`;
  let text = e.message || '';
  const req = e.request;
  if (req) {
    let what: string = req.type;
    if ('topic' in req) what += ` ${req.topic}`;
    if ('pids' in req) what += ` ${req.pids.join(', ')}`;
    text = text ? `${text} (request: ${what})` : `Request: ${what}`;
  }
  if (e.code === 'rate_limited') text = `${e.message || 'Too many messages per second'}. Refused subscriptions are sent again.`;
  return { title, text };
}

export class ErrorList {
  readonly el: HTMLElement;
  private readonly store: Store;
  private shown = '';

  constructor(store: Store) {
    this.store = store;
    this.el = h('div.toasts', { role: 'alert', 'aria-live': 'assertive' });
  }

  update(): void {
    const errors = this.store.errors;
    const key = errors.map((e) => e.id).join(',');
    if (key === this.shown) return;
    this.shown = key;
    this.el.replaceChildren(
      ...errors.map((e) => {
        const { title, text } = describeError(e);
        const times = e.count > 1 ? ` (×${e.count})` : '';
        const close = h('button.close', { type: 'button', 'aria-label': 'Dismiss' }, '×');
        close.addEventListener('click', () => this.store.dismissError(e.id));
        return h('div.toast', { 'data-code': e.code }, h('div.toast-title', { text: title + times }), text ? h('div.toast-text', { text }) : null, close);
      }),
    );
  }
}
