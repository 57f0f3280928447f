import { describe, expect, it } from 'vitest';
import { decodeColumns, decodeValue } from '../src/net/decode';
import type { DeltaMsg } from '../src/net/types';
import { systemValue } from '../src/state/store';

const delta = (system: unknown) => ({ type: 'delta', seq: 2, epoch: 'e', time: 1, patch: { system } });

describe('system devices and per-core history', () => {
  it('device maps keep each device by name, and a vanished one as null', () => {
    const d = decodeValue(delta({ disks: { sda: { read_bytes_per_sec: 512, extra: 1 }, sdb: null }, net: { 'veth0@if3': { rx_errors: 2 } } }));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const sys = (d.msg as DeltaMsg).patch.system as Record<string, Record<string, unknown>>;
    expect(sys.disks).toEqual({ sda: { read_bytes_per_sec: 512 }, sdb: null }); // unknown members dropped
    expect(sys.net).toEqual({ 'veth0@if3': { rx_errors: 2 } });
  });

  it('a device value of the wrong type is a decode error naming it', () => {
    const d = decodeValue(delta({ filesystems: { '/': { percent: 'full' } } }));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toContain('patch.system.filesystems./.percent');
    expect(decodeValue(delta({ disks: [1] })).ok).toBe(false);
  });

  it('cpu_percent_per_core becomes one column per core, aligned with t', () => {
    const c = decodeColumns({ t: [1, 2], cpu_percent: [5, 6], cpu_percent_per_core: [[1, null], [3, 4]] });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(Object.keys(c.value.cols).sort()).toEqual(['core0', 'core1', 'cpu_percent']);
    expect(Array.from(c.value.cols.core1!)).toEqual([3, 4]);
    expect(Number.isNaN(c.value.cols.core0![1])).toBe(true);
    const bad = decodeColumns({ t: [1, 2], cpu_percent_per_core: [[1]] });
    expect(bad.ok).toBe(false);
  });

  it('maps a system record to the new history columns', () => {
    const s = { cpu: { per_core: [12, null] }, io: { disk_write_bytes_per_sec: 4096, net_rx_bytes_per_sec: 10 } };
    expect(systemValue(s, 'core0')).toBe(12);
    expect(systemValue(s, 'core1')).toBeUndefined();
    expect(systemValue(s, 'core5')).toBeUndefined();
    expect(systemValue(s, 'disk_write_bytes_per_sec')).toBe(4096);
    expect(systemValue(s, 'net_rx_bytes_per_sec')).toBe(10);
  });
});
