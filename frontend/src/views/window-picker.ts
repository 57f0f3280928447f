/** The 1 / 5 / 15 / 60 minute window switch shared by the chart views (60 min: the server's history window). */
import type { Store } from '../state/store';
import { h, setClass } from './dom';

export const WINDOWS = [60, 300, 900, 3600] as const;

export function windowPicker(store: Store): { el: HTMLElement; update(): void } {
  const buttons = WINDOWS.map((sec) => {
    const label = sec >= 3600 ? `${sec / 3600}h` : `${sec / 60}m`;
    const b = h('button.seg', { type: 'button', 'data-window': sec, title: `Show the last ${sec >= 3600 ? `${sec / 3600} h` : `${sec / 60} min`}` }, label);
    b.addEventListener('click', () => store.setWindow(sec));
    return b;
  });
  const el = h('div.segmented', { role: 'group', 'aria-label': 'Time window' }, ...buttons);
  let shown = -1;
  return {
    el,
    update() {
      if (store.windowSec === shown) return;
      shown = store.windowSec;
      buttons.forEach((b, i) => {
        const on = WINDOWS[i] === store.windowSec;
        setClass(b, 'on', on);
        b.setAttribute('aria-pressed', String(on));
      });
    },
  };
}
