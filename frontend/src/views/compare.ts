/**
 * Compare: overlay one metric of several watched processes. The list doubles as the legend: each
 * process has its colour and a checkbox to show or hide it.
 */
import { displayName, type CompareMetric, type Store } from '../state/store';
import { formatUnit } from '../charts/chart';
import { h, seriesColor, setClass, setText } from './dom';
import { COMPARE_METRICS, OVERLAY_METRICS } from './metrics';
import { OverlayChart } from './overlay';
import { windowPicker } from './window-picker';

export class CompareView {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly metricButtons: HTMLButtonElement[];
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly overlay: OverlayChart;
  private readonly picker: ReturnType<typeof windowPicker>;
  private listKey = '';
  /** The metric the buttons show as pressed. */
  private metricShown = '';
  /** The value element of each list entry and the text last written to it. */
  private values: { pid: number; el: HTMLElement; text: string }[] = [];

  constructor(parent: HTMLElement, store: Store) {
    this.store = store;
    this.metricButtons = COMPARE_METRICS.map((m) => {
      const b = h('button.seg', { type: 'button', 'data-metric': m }, OVERLAY_METRICS[m]?.label ?? m);
      b.addEventListener('click', () => {
        store.compareMetric = m as CompareMetric;
        store.mark('view');
      });
      return b;
    });
    this.picker = windowPicker(store, { long: false });
    this.list = h('ul.legend-list');
    this.empty = h('p.empty', {}, 'Watch two or more processes (click rows in the table, or select a row and press W) to compare them here.');
    this.chartBox = h('div.compare-chart');
    this.el = h(
      'div.view.compare',
      {},
      h('div.view-head', {}, h('h2', { text: 'Compare' }), h('div.segmented', { role: 'group', 'aria-label': 'Metric' }, ...this.metricButtons), h('span.spacer'), this.picker.el),
      this.empty,
      this.chartBox,
      this.list,
    );
    parent.append(this.el);
    this.overlay = new OverlayChart(this.chartBox, store, { title: false, height: 300, legend: false });
  }

  update(): void {
    const s = this.store;
    this.picker.update();
    if (s.compareMetric !== this.metricShown) {
      this.metricShown = s.compareMetric;
      this.metricButtons.forEach((b) => {
        const on = b.dataset.metric === s.compareMetric;
        setClass(b, 'on', on);
        b.setAttribute('aria-pressed', String(on));
      });
    }
    const order = [...s.watched.keys()];
    const shown = order.filter((p) => !s.compareHidden.has(p));
    setClass(this.empty, 'hidden', order.length > 0);
    setClass(this.chartBox, 'hidden', order.length === 0);

    const key = order.map((p) => `${p}:${s.compareHidden.has(p)}:${s.watched.get(p)?.record?.name ?? ''}:${!!s.watched.get(p)?.exited}`).join(',');
    if (key !== this.listKey) {
      this.listKey = key;
      this.values = [];
      this.list.replaceChildren(
        ...order.map((pid, i) => {
          const e = s.watched.get(pid);
          const box = h('input', { type: 'checkbox', 'aria-label': `Show ${pid} in the chart` });
          box.checked = !s.compareHidden.has(pid);
          box.addEventListener('change', () => {
            if (box.checked) s.compareHidden.delete(pid);
            else s.compareHidden.add(pid);
            s.mark('view');
          });
          const value = h('span.value');
          this.values.push({ pid, el: value, text: '' });
          const li = h(
            'li',
            { 'data-pid': pid },
            h('label', {}, box, h('span.swatch', { style: `background:${seriesColor(i)}` }), h('span.name', { text: displayName(e) ?? '…' }), h('span.pid', { text: String(pid) })),
            value,
          );
          setClass(li, 'exited', !!e?.exited);
          return li;
        }),
      );
    }
    // Current values beside each name, written only when their text changes.
    const def = OVERLAY_METRICS[s.compareMetric];
    if (def) {
      for (const v of this.values) {
        const ring = s.watched.get(v.pid)?.ring;
        let val = NaN;
        if (ring) {
          val = 0;
          for (const m of def.parts) val += ring.last(m);
        }
        const text = formatUnit(def.unit, val);
        if (text !== v.text) setText(v.el, (v.text = text));
      }
    }
    if (order.length) this.overlay.update(s.compareMetric, shown, order);
  }

  destroy(): void {
    this.overlay.destroy();
    this.el.remove();
  }
}
