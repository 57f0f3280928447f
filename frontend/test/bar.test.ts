import { describe, expect, it } from 'vitest';
import { barPercent } from '../src/views/table';

describe("barPercent (the table cells' CPU and memory bars)", () => {
  it('moves in 2 % steps, so small wanders keep the same width', () => {
    expect(barPercent(0)).toBe(0);
    expect(barPercent(0.5)).toBe(0);
    expect(barPercent(0.9)).toBe(0);
    expect(barPercent(1.1)).toBe(2);
    expect(barPercent(2.9)).toBe(2);
    expect(barPercent(3.1)).toBe(4);
    expect(barPercent(49.9)).toBe(50);
    expect(barPercent(100)).toBe(100);
  });

  it('stays within 0-100 for odd input', () => {
    expect(barPercent(-5)).toBe(0);
    expect(barPercent(Number.NaN)).toBe(0);
    expect(barPercent(250)).toBe(100);
    expect(barPercent(Number.POSITIVE_INFINITY)).toBe(100);
  });
});
