/**
 * The window switch shared by the chart views: 1 / 5 / 15 / 60 minutes from the samples the socket
 * sends (60 min: the server's in-memory history), and 6 h / 24 h / 7 d from the server's store
 * (fetched at a coarser step; the resolution shows beside the buttons).
 */
import { chooseStep, formatStep, isLongWindow } from '../state/longwindow';
import type { Store } from '../state/store';
import { h, setClass, setText } from './dom';

export const SHORT_WINDOWS = [60, 300, 900, 3600] as const;
export const WINDOWS = [...SHORT_WINDOWS, 21600, 86400, 604800] as const;

function label(sec: number): string {
  return sec >= 86400 * 2 ? `${sec / 86400}d` : sec >= 3600 ? `${sec / 3600}h` : `${sec / 60}m`;
}

function longLabel(sec: number): string {
  return sec >= 86400 * 2 ? `${sec / 86400} days` : sec >= 3600 ? `${sec / 3600} h` : `${sec / 60} min`;
}

/** What the chart resolution is for a window: every sample, or the step fetched from the store. */
export function resolutionText(windowSec: number, intervalMs: number | undefined, historyMs: number | undefined): string {
  const interval = (intervalMs ?? 1000) / 1000;
  if (!isLongWindow(windowSec, historyMs)) return `every sample (${formatStep(interval)})`;
  return `1 point per ${formatStep(chooseStep(windowSec, interval))}, from the server's store`;
}

/** `long: false` offers only the windows the socket's samples cover (the compare view). */
export function windowPicker(store: Store, opts: { long?: boolean } = {}): { el: HTMLElement; update(): void } {
  const choices = opts.long === false ? SHORT_WINDOWS : WINDOWS;
  const buttons = choices.map((sec) => {
    const b = h('button.seg', { type: 'button', 'data-window': sec, title: `Show the last ${longLabel(sec)}` }, label(sec));
    b.addEventListener('click', () => store.setWindow(sec));
    return b;
  });
  const res = h('span.resolution', { 'aria-live': 'polite' });
  const el = h('div.window-picker', {}, h('div.segmented', { role: 'group', 'aria-label': 'Time window' }, ...buttons), res);
  let shown = '';
  return {
    el,
    update() {
      const key = `${store.windowSec}|${store.hello?.interval_ms}|${store.hello?.history_ms}`;
      if (key === shown) return;
      shown = key;
      buttons.forEach((b, i) => {
        const on = choices[i] === store.windowSec;
        setClass(b, 'on', on);
        b.setAttribute('aria-pressed', String(on));
      });
      const text = opts.long === false && isLongWindow(store.windowSec, store.hello?.history_ms) ? 'the last hour here' : resolutionText(store.windowSec, store.hello?.interval_ms, store.hello?.history_ms);
      setText(res, text);
      res.title = `Chart resolution: ${text}`;
    },
  };
}
