/**
 * The embed view, for iframes in other dashboards: only the charts, one per metric, each overlaying
 * the given processes. `/embed?pids=1234,5678&metrics=rss,cpu_percent&window=5m&theme=dark`.
 */
import type { Part, Store } from '../state/store';
import { parsePids } from '../state/url';
import { parseWindow } from '../util/format';
import { h, setText } from './dom';
import { metricKey } from './metrics';
import { OverlayChart } from './overlay';
import { connectionHealth } from './status';

export interface EmbedParams {
  pids: number[];
  metrics: string[];
  windowSec: number;
  theme: 'light' | 'dark' | 'auto';
}

export function parseEmbedParams(search: string): EmbedParams {
  const q = new URLSearchParams(search);
  const metrics = (q.get('metrics') ?? 'rss,cpu_percent')
    .split(',')
    .map((m) => metricKey(m.trim()))
    .filter((m, i, all): m is string => m !== null && all.indexOf(m) === i);
  const theme = q.get('theme');
  return {
    pids: parsePids(q.get('pids') ?? q.get('pid')),
    metrics: metrics.length ? metrics : ['rss', 'cpu_percent'],
    windowSec: parseWindow(q.get('window')) ?? 300,
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
  };
}

export class EmbedView {
  readonly el: HTMLElement;
  private readonly store: Store;
  private readonly params: EmbedParams;
  private readonly boxes: HTMLElement[];
  private charts: OverlayChart[];
  private readonly state: HTMLElement;
  private readonly note: HTMLElement;
  private rendered = false;

  constructor(root: HTMLElement, store: Store, params: EmbedParams) {
    this.store = store;
    this.params = params;
    this.state = h('span.embed-state');
    this.note = h('div.embed-note');
    this.boxes = params.metrics.map((m) => h('div.embed-chart', { 'data-metric': m }));
    this.el = h('div.embed', {}, this.state, this.note, ...this.boxes);
    root.replaceChildren(this.el);
    this.charts = this.boxes.map((b) => new OverlayChart(b, store, { height: this.chartHeight() }));
  }

  private chartHeight(): number {
    const n = Math.max(1, this.params.metrics.length);
    // Fill the frame: each chart gets an equal share, less its title and legend.
    return Math.max(80, Math.floor(window.innerHeight / n) - 58);
  }

  render(dirty: ReadonlySet<Part>): void {
    const { health, text } = connectionHealth(this.store, Date.now());
    this.state.dataset.health = health;
    this.state.title = text;
    if (dirty.has('theme') && this.rendered) {
      for (const c of this.charts) c.destroy();
      this.charts = this.boxes.map((b) => new OverlayChart(b, this.store, { height: this.chartHeight() }));
    }
    this.rendered = true;
    if (!this.params.pids.length) {
      setText(this.note, 'No processes: add ?pids=1234,5678 to the address.');
      return;
    }
    const missing = this.params.pids.filter((p) => this.store.watched.get(p)?.notFound);
    setText(this.note, missing.length ? `Not found: ${missing.join(', ')}` : '');
    this.params.metrics.forEach((m, i) => this.charts[i]?.update(m, this.params.pids, this.params.pids));
  }
}
