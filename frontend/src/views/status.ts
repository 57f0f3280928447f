/**
 * Connection state, always visible: live, stale (connected but no data lately), connecting,
 * reconnecting in N s (with a button to retry now), closed.
 */
import type { Store } from '../state/store';
import { h, setText } from './dom';

export type Health = 'live' | 'stale' | 'connecting' | 'reconnecting' | 'closed';

/** What the indicator shows, from the store (pure, for tests). */
export function connectionHealth(store: Pick<Store, 'conn' | 'hello' | 'lastDataAt'>, now: number): { health: Health; text: string; detail: string } {
  const c = store.conn;
  switch (c.state) {
    case 'live': {
      const interval = store.hello?.interval_ms ?? 1000;
      const silent = store.lastDataAt ? now - store.lastDataAt : 0;
      const host = store.hello?.host ? ` · ${store.hello.host}` : '';
      if (store.lastDataAt && silent > Math.max(3 * interval, 3000)) {
        return { health: 'stale', text: `Stale · ${Math.round(silent / 1000)} s`, detail: `Connected${host}, but no data for ${Math.round(silent / 1000)} s` };
      }
      const memoryOnly = store.hello?.history_persisted === false;
      const storeError = store.hello?.store_error ?? null;
      const note = memoryOnly ? ' · history not persisted' : storeError ? ' · history not being saved' : '';
      const why = memoryOnly
        ? '; no database: history is kept in the server\'s memory only and is lost when it stops'
        : storeError ? `; the server cannot save history now (${storeError}): it is kept in memory and written when the database works again` : '';
      return {
        health: 'live',
        text: `Live · ${interval >= 1000 ? `${interval / 1000} s` : `${interval} ms`}${note}`,
        detail: `Connected${host}; sampling every ${interval} ms${why}`,
      };
    }
    case 'reconnecting': {
      const secs = Math.max(0, Math.ceil(((c.retryAt ?? now) - now) / 1000));
      return {
        health: 'reconnecting',
        text: secs > 0 ? `Reconnecting in ${secs} s` : 'Reconnecting…',
        detail: `${c.reason ? `Disconnected: ${c.reason}. ` : ''}Attempt ${c.attempt}.`,
      };
    }
    case 'connecting':
      return { health: 'connecting', text: 'Connecting…', detail: c.attempt ? `Attempt ${c.attempt + 1}` : 'Opening the connection' };
    case 'closed':
    case 'idle':
      return { health: 'closed', text: 'Offline', detail: 'Not connected' };
  }
}

export class ConnectionIndicator {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly text: HTMLElement;
  private readonly retry: HTMLButtonElement;

  constructor(store: Store) {
    this.store = store;
    this.text = h('span.conn-text');
    this.retry = h('button.link.hidden', { type: 'button' }, 'Retry now');
    this.retry.addEventListener('click', () => store.client.reconnectNow());
    this.el = h('div.conn', { role: 'status', 'aria-live': 'polite' }, h('span.dot'), this.text, this.retry);
  }

  /** Redraws the indicator; returns the health shown. */
  update(now = Date.now()): Health {
    const { health, text, detail } = connectionHealth(this.store, now);
    if (this.el.dataset.health !== health) this.el.dataset.health = health;
    setText(this.text, text);
    if (this.el.title !== detail) this.el.title = detail;
    this.retry.classList.toggle('hidden', health !== 'reconnecting');
    return health;
  }
}
