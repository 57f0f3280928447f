/**
 * Fits a text into a width by cutting it and adding an ellipsis, measured instead of clipped.
 *
 * The process table used `overflow: hidden; text-overflow: ellipsis` on every cell. Each clip is a
 * paint chunk and a clip node of its own, and with ~12 cells × ~50 rows in view Chrome's paint and
 * layerization walked some 700 of them every frame, even when a tick changed five cells (about 2 ms
 * of a 10 ms frame on the 2-vCPU test machine, see frontend/PERF.md). Cutting the text once, when it
 * or the column's width changes, draws the same thing without any clip.
 */

/** Width in CSS pixels of `text` drawn in `font` (a CSS font shorthand). */
export type Measure = (font: string, text: string) => number;

export const ELLIPSIS = '…';

/** Entries kept per font before the cache starts again (bounded memory under churn). */
const CACHE_LIMIT = 4000;

export class TextFitter {
  private readonly measure: Measure;
  private readonly widths = new Map<string, Map<string, number>>();

  constructor(measure: Measure) {
    this.measure = measure;
  }

  /** Forgets every measured width (the screen's pixel density changed, say). */
  clear(): void {
    this.widths.clear();
  }

  /** Width of `text` in `font`, cached. */
  width(font: string, text: string): number {
    if (text === '') return 0;
    let m = this.widths.get(font);
    if (!m) this.widths.set(font, (m = new Map()));
    let w = m.get(text);
    if (w === undefined) {
      if (m.size >= CACHE_LIMIT) m.clear();
      w = this.measure(font, text);
      m.set(text, w);
    }
    return w;
  }

  /**
   * `text` if it fits in `max` pixels, else its longest prefix that fits with an ellipsis after
   * it, else the ellipsis alone ('' when not even that fits). Prefixes never split a surrogate
   * pair. Widths of prefixes only grow with their length (no negative advances in UI text), so the
   * cut is found by bisection: ~log2(length) measurements.
   */
  fit(text: string, font: string, max: number): string {
    if (this.width(font, text) <= max) return text;
    const ell = this.width(font, ELLIPSIS);
    if (ell > max) return '';
    let lo = 0; // a prefix length known to fit (with the ellipsis)
    let hi = text.length; // a prefix length known not to fit (the whole text)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.width(font, cut(text, mid) + ELLIPSIS) <= max) lo = mid;
      else hi = mid;
    }
    return cut(text, lo).trimEnd() + ELLIPSIS;
  }
}

/** The first `n` UTF-16 units of `text`, one less when that would split a surrogate pair. */
function cut(text: string, n: number): string {
  if (n > 0 && n < text.length) {
    const c = text.charCodeAt(n - 1);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return text.slice(0, n);
}

const DIGITS = /[0-9]/g;

/**
 * Measures with a 2D canvas: what the browser app uses. The page draws digits with
 * `font-variant-numeric: tabular-nums`, which a canvas cannot: where a font's default digits are
 * proportional (SF Pro, Inter) a canvas would measure "1111" narrower than it is drawn. So digits
 * are measured as '0' and each is then given the tabular width, read once per font from the DOM
 * (one forced layout per font, on first use).
 */
export function canvasMeasure(): Measure {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (_font, text) => text.length * 16; // no canvas (tests without a browser): cuts early
  let current = '';
  const digitExtra = new Map<string, number>(); // per font: tabular digit width - canvas '0' width
  const extra = (font: string): number => {
    let d = digitExtra.get(font);
    if (d === undefined) {
      const probe = document.createElement('span');
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;font-variant-numeric:tabular-nums';
      probe.style.font = font;
      probe.textContent = '0123456789';
      document.body.append(probe);
      const tabular = probe.getBoundingClientRect().width / 10;
      probe.remove();
      d = Math.max(0, tabular - ctx.measureText('0').width);
      digitExtra.set(font, d);
    }
    return d;
  };
  return (font, text) => {
    if (font !== current) ctx.font = current = font;
    let digits = 0;
    const zeroed = text.replace(DIGITS, () => {
      digits++;
      return '0';
    });
    const w = ctx.measureText(zeroed).width;
    return digits ? w + digits * extra(font) : w;
  };
}
