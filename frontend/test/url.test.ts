import { describe, expect, it } from 'vitest';
import { formatUrl, parseHashRoute, parsePids, parseUrl } from '../src/state/url';
import { parseEmbedParams } from '../src/views/embed';

describe('URL state', () => {
  it('round-trips watched PIDs and the open view', () => {
    const s = parseUrl('?watch=12,34&view=process&pid=34&window=15m&metric=cpu_percent&sort=name&order=asc&q=chro');
    expect(s).toEqual({ watch: [12, 34], view: 'process', pid: 34, windowSec: 900, metric: 'cpu_percent', sort: 'name', order: 'asc', filter: 'chro', theme: null });
    expect(formatUrl(s)).toBe('?watch=12,34&view=process&pid=34&window=15m&metric=cpu_percent&sort=name&order=asc&q=chro');
    expect(parseUrl(formatUrl(s))).toEqual(s);
  });

  it('falls back to defaults on garbage', () => {
    const s = parseUrl('?watch=a,-1,5,5&view=nope&window=zz&sort=evil&metric=x');
    expect(s).toMatchObject({ watch: [5], view: 'system', windowSec: 300, sort: 'rss', metric: 'rss' });
    expect(formatUrl(parseUrl(''))).toBe('');
  });

  it('parses PID lists', () => {
    expect(parsePids('1, 2,x,0,3')).toEqual([1, 2, 3]);
    expect(parsePids(null)).toEqual([]);
  });

  it('parses embed parameters', () => {
    expect(parseEmbedParams('?pids=1234,5678&metrics=rss,cpu_percent&window=5m&theme=dark')).toEqual({
      pids: [1234, 5678],
      metrics: ['rss', 'cpu_percent'],
      windowSec: 300,
      theme: 'dark',
    });
    expect(parseEmbedParams('?pids=1&metrics=cpu,bogus,faults_per_sec,cpu_percent')).toMatchObject({ metrics: ['cpu_percent', 'faults'], theme: 'auto' });
    expect(parseEmbedParams('').metrics).toEqual(['rss', 'cpu_percent']);
  });

  it('opens the alerts and exited views from the query string', () => {
    for (const view of ['alerts', 'exited'] as const) {
      const s = parseUrl(`?view=${view}`);
      expect(s.view).toBe(view);
      expect(formatUrl(s)).toBe(`?view=${view}`);
    }
  });

  it('reads hash routes: #/process/PID for any PID, and the views', () => {
    expect(parseHashRoute('#/process/1234')).toEqual({ view: 'process', pid: 1234 });
    expect(parseHashRoute('#process/1234/')).toEqual({ view: 'process', pid: 1234 });
    expect(parseHashRoute('#/alerts')).toEqual({ view: 'alerts', pid: null });
    expect(parseHashRoute('#/exited')).toEqual({ view: 'exited', pid: null });
    expect(parseHashRoute('#/compare/5')).toEqual({ view: 'compare', pid: null });
    for (const bad of ['', '#', '#/process', '#/process/0', '#/process/x', '#/nope', '#/process/12/34']) expect(parseHashRoute(bad)).toBeNull();
  });
});
