/**
 * Calls `fn` about once a second without a task a second of its own while data flows.
 *
 * The page has once-a-second chores (age faded rows and notices, the client's idle check). Run on
 * a timer they cost a task a second on top of the one each server message costs (~0.3 ms of main
 * thread each on the 2-vCPU test machine). Here they run inside the message handling instead:
 * `poke()` on each message runs them when a second has passed. A fallback timer, due `periodMs +
 * graceMs` after each run whoever ran it, runs them when messages stop (slow intervals, a lost
 * connection): then every `periodMs + graceMs`. When messages come back, the first one a period
 * after the timer's last run takes over again (a timer due a full period after its own run would
 * stay ahead of the messages for good: each would find less than a period since the last run).
 */
export interface ClockTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: ClockTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class SecondClock {
  private last = 0;
  private timer: unknown = null;
  private readonly fn: () => void;
  private readonly now: () => number;
  private readonly timers: ClockTimers;
  readonly periodMs: number;
  readonly graceMs: number;

  constructor(fn: () => void, opts: { now?: () => number; timers?: ClockTimers; periodMs?: number; graceMs?: number } = {}) {
    this.fn = fn;
    this.now = opts.now ?? (() => Date.now());
    this.timers = opts.timers ?? globalTimers;
    this.periodMs = opts.periodMs ?? 1000;
    this.graceMs = opts.graceMs ?? 250;
  }

  start(): void {
    this.last = this.now();
    this.arm();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** A message arrived: run the chores if a period (less 5 %, for the messages' jitter) has passed. */
  poke(): void {
    if (this.timer === null) return; // not started, or stopped
    if (this.now() - this.last >= this.periodMs * 0.95) this.run();
  }

  private run(): void {
    this.last = this.now();
    // Re-armed first, so an exception in fn does not stop the clock.
    this.arm();
    this.fn();
  }

  private arm(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.run();
    }, this.periodMs + this.graceMs);
  }
}
