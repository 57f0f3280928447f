import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecondClock } from '../src/state/clock';

describe('SecondClock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  /** A started clock and how often it ran. */
  function started(): { clock: SecondClock; runs: () => number } {
    let n = 0;
    const clock = new SecondClock(() => n++);
    clock.start();
    return { clock, runs: () => n };
  }

  it('runs with the messages while they come every second, and no timer fires', () => {
    const { clock, runs } = started();
    for (let i = 1; i <= 10; i++) {
      vi.advanceTimersByTime(1000); // the fallback (1250 ms) is re-armed each run: never due
      clock.poke();
      expect(runs()).toBe(i);
    }
    expect(vi.getTimerCount()).toBe(1); // the fallback, pending
  });

  it('runs once a second, not once a message, when messages come faster', () => {
    const { clock, runs } = started();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(250);
      clock.poke();
    }
    expect(runs()).toBe(5);
  });

  it('a message a little early (jitter) still runs it', () => {
    const { clock, runs } = started();
    vi.advanceTimersByTime(960);
    clock.poke();
    expect(runs()).toBe(1);
    vi.advanceTimersByTime(900);
    clock.poke();
    expect(runs()).toBe(1);
  });

  it('the timer takes over when messages stop, and gives back when they return out of phase', () => {
    let fired = 0;
    const timers = {
      setTimeout: (fn: () => void, ms: number) =>
        setTimeout(() => {
          fired++;
          fn();
        }, ms),
      clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    let n = 0;
    const clock = new SecondClock(() => n++, { timers });
    clock.start();
    vi.advanceTimersByTime(1000);
    clock.poke();
    expect(n).toBe(1);
    vi.advanceTimersByTime(1249);
    expect(n).toBe(1);
    vi.advanceTimersByTime(1); // period + grace after the last run
    expect([n, fired]).toEqual([2, 1]);
    vi.advanceTimersByTime(1250 * 3);
    expect([n, fired]).toEqual([5, 4]);
    // Messages return 245 ms after the timer's run (what a real page showed: the old version kept
    // the timer a full period ahead of every message from then on).
    vi.advanceTimersByTime(245);
    clock.poke(); // too soon after the timer's run
    expect(n).toBe(5);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1000);
      clock.poke();
    }
    // The first message a period after the timer's run took over; the timer has not fired since.
    expect([n, fired]).toEqual([15, 4]);
  });

  it('keeps going when the chores throw', () => {
    let runs = 0;
    const clock = new SecondClock(() => {
      runs++;
      throw new Error('boom');
    });
    clock.start();
    vi.advanceTimersByTime(1000);
    expect(() => clock.poke()).toThrow('boom');
    expect(() => vi.advanceTimersByTime(1250)).toThrow('boom');
    expect(() => vi.advanceTimersByTime(1250)).toThrow('boom');
    expect(runs).toBe(3);
  });

  it('does nothing before start or after stop', () => {
    let runs = 0;
    const clock = new SecondClock(() => runs++);
    vi.advanceTimersByTime(5000);
    clock.poke();
    expect(runs).toBe(0);
    clock.start();
    clock.stop();
    vi.advanceTimersByTime(5000);
    clock.poke();
    expect(runs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
