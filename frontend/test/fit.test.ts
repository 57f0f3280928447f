import { describe, expect, it } from 'vitest';
import { ELLIPSIS, TextFitter, type Measure } from '../src/views/fit';

/** Every character 10 px wide, the ellipsis 6 px, wide characters (W) 20 px; counts calls. */
function fake(): { measure: Measure; calls: () => number } {
  let n = 0;
  const measure: Measure = (_font, text) => {
    n++;
    let w = 0;
    for (const ch of text) w += ch === ELLIPSIS ? 6 : ch === 'W' ? 20 : 10;
    return w;
  };
  return { measure, calls: () => n };
}

describe('TextFitter', () => {
  it('keeps a text that fits, exactly at the limit too', () => {
    const f = new TextFitter(fake().measure);
    expect(f.fit('abcd', 'f', 40)).toBe('abcd');
    expect(f.fit('abcd', 'f', 100)).toBe('abcd');
    expect(f.fit('', 'f', 0)).toBe('');
  });

  it('cuts to the longest prefix that fits with the ellipsis', () => {
    const f = new TextFitter(fake().measure);
    // 39 px: 'abc' + … = 36 fits, 'abcd' + … = 46 does not.
    expect(f.fit('abcdefgh', 'f', 39)).toBe(`abc${ELLIPSIS}`);
    expect(f.fit('abcdefgh', 'f', 46)).toBe(`abcd${ELLIPSIS}`);
    expect(f.fit('abcdefgh', 'f', 45.9)).toBe(`abc${ELLIPSIS}`);
    // Widths differ per character: the cut follows the measure, not the length.
    expect(f.fit('WWWaaa', 'f', 50)).toBe(`WW${ELLIPSIS}`);
    expect(f.fit('aWWWWW', 'f', 50)).toBe(`aW${ELLIPSIS}`);
  });

  it('every result fits, for every width (brute force against the definition)', () => {
    const f = new TextFitter(fake().measure);
    const m = fake().measure;
    const text = 'procpulse --listen 127.0.0.1:8080 WWW';
    for (let max = 0; max <= 400; max += 0.5) {
      const out = f.fit(text, 'f', max);
      expect(m('f', out)).toBeLessThanOrEqual(max);
      if (out !== text && out !== '') {
        // No longer prefix fits, except by trailing spaces (which are dropped).
        const body = out.slice(0, -1);
        expect(text.startsWith(body)).toBe(true);
        for (let j = body.length + 1; j <= text.length; j++) {
          const p = text.slice(0, j);
          if (p.trimEnd() !== body) expect(m('f', p + ELLIPSIS)).toBeGreaterThan(max);
        }
      }
    }
  });

  it('the ellipsis alone when no character fits, nothing when not even it does', () => {
    const f = new TextFitter(fake().measure);
    expect(f.fit('abc', 'f', 7)).toBe(ELLIPSIS);
    expect(f.fit('abc', 'f', 5)).toBe('');
  });

  it('drops trailing spaces before the ellipsis and never splits a surrogate pair', () => {
    const f = new TextFitter(fake().measure);
    expect(f.fit('ab   cdefgh', 'f', 56)).toBe(`ab${ELLIPSIS}`);
    const out = f.fit('a😀😀😀😀', 'f', 30);
    expect(out.endsWith(ELLIPSIS)).toBe(true);
    const body = out.slice(0, -1);
    const last = body.charCodeAt(body.length - 1);
    expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
  });

  it('measures each text once per font (cached)', () => {
    const fk = fake();
    const f = new TextFitter(fk.measure);
    f.fit('12.5 MiB', 'a', 100);
    f.fit('12.5 MiB', 'a', 100);
    f.fit('12.5 MiB', 'a', 10);
    const after = fk.calls();
    f.fit('12.5 MiB', 'a', 10);
    expect(fk.calls()).toBe(after);
    f.fit('12.5 MiB', 'b', 100);
    expect(fk.calls()).toBe(after + 1);
    expect(f.width('a', '12.5 MiB')).toBe(80);
  });
});
