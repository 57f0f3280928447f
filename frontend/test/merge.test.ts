// RFC 7396 merge patch against the shared cases (the same file the C++ diff is tested with).
import { describe, expect, it } from 'vitest';
import { applyMergePatch, mergePatch } from '../src/net/merge';
import { FIXTURES } from './helpers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Case {
  name: string;
  before: never;
  patch: never;
  after: unknown;
}
const cases = JSON.parse(readFileSync(join(FIXTURES, 'merge_patch_cases.json'), 'utf8')) as Case[];

describe('merge_patch_cases.json', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(c.name, () => {
      const before = JSON.stringify(c.before);
      expect(mergePatch(c.before, c.patch)).toEqual(c.after);
      expect(JSON.stringify(c.before)).toBe(before); // the pure variant leaves its input alone
    });
  }
});

describe('applyMergePatch', () => {
  it('modifies the target in place and keeps untouched members', () => {
    const doc = { processes: { '1': { rss: 1, vms: 2 } }, system: { cpu: { percent: 1 } } };
    const procs = doc.processes;
    applyMergePatch(doc, { processes: { '1': { rss: 5 } } });
    expect(doc.processes).toBe(procs);
    expect(doc.processes['1']).toEqual({ rss: 5, vms: 2 });
  });

  it('does not alias objects from the patch', () => {
    const patch = { a: { b: { c: 1 } } };
    const doc = applyMergePatch<Record<string, unknown>>({}, patch);
    patch.a.b.c = 2;
    expect(doc).toEqual({ a: { b: { c: 1 } } });
  });

  it('strips nulls inside a newly added object', () => {
    expect(applyMergePatch({}, { p: { x: 1, y: null } })).toEqual({ p: { x: 1 } });
  });
});
