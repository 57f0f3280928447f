// The table filter's grammar against the cases the server checks too (shared/fixtures/filter_cases.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TableRow } from '../src/net/types';
import { parseFilter, rowMatches } from '../src/state/filter';
import { matchesFilter } from '../src/state/table';
import { FIXTURES } from './helpers';

interface Case {
  filter: string;
  matches?: number[];
  error?: string;
}
const file = JSON.parse(readFileSync(join(FIXTURES, 'filter_cases.json'), 'utf8')) as { rows: TableRow[]; cases: Case[] };

describe('filter syntax (shared cases)', () => {
  it('has cases', () => expect(file.cases.length).toBeGreaterThan(50));
  for (const c of file.cases) {
    it(`"${c.filter}"`, () => {
      const f = parseFilter(c.filter);
      if (c.error !== undefined) {
        expect(f.ok).toBe(false);
        if (f.ok) return;
        expect(f.token).toBe(c.error);
        expect(f.message).toContain(c.error);
      } else {
        expect(f.ok ? '' : f.message).toBe('');
        expect(file.rows.filter((r) => rowMatches(r, f)).map((r) => r.pid)).toEqual(c.matches);
      }
    });
  }
  it('a bad filter matches nothing in the table', () => {
    expect(matchesFilter(file.rows[0] as TableRow, 'bogus:1')).toBe(false);
    expect(matchesFilter(file.rows[0] as TableRow, 'user:root')).toBe(true);
  });
});
