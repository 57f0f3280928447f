/** Small DOM helpers for the views. */

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | null | undefined | false;

/** Creates an element: h('div.row.selected', {title: 'x'}, 'text', child). */
export function h<K extends keyof HTMLElementTagNameMap>(
  spec: K | `${K}.${string}`,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag as K);
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

/**
 * Sets an element's text only when it changed (cheap to call every frame). When the element holds
 * one text node, that node's data is replaced: setting textContent would drop the node and create
 * another (and its layout object), which is more work for style, layout and the garbage collector.
 */
export function setText(el: Element, text: string): void {
  const first = el.firstChild;
  if (text !== '' && first !== null && first === el.lastChild && first.nodeType === 3 /* TEXT_NODE */) {
    const node = first as Text;
    if (node.data !== text) node.data = text;
  } else if (el.textContent !== text) el.textContent = text;
}

/** Toggles a class only when needed. */
export function setClass(el: Element, cls: string, on: boolean): void {
  if (el.classList.contains(cls) !== on) el.classList.toggle(cls, on);
}

/** The colour variable of the nth series. */
export function seriesColor(n: number): string {
  return `var(--s${(n % 8) + 1})`;
}
