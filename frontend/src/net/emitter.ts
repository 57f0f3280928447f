/** A minimal typed event emitter. Listeners run synchronously in the order they were added. */
export class Emitter<Events extends object> {
  private readonly handlers: { [K in keyof Events]?: Set<(e: Events[K]) => void> } = {};

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(type: K, fn: (e: Events[K]) => void): () => void {
    let set = this.handlers[type];
    if (!set) {
      set = new Set();
      this.handlers[type] = set;
    }
    set.add(fn);
    return () => this.off(type, fn);
  }

  off<K extends keyof Events>(type: K, fn: (e: Events[K]) => void): void {
    this.handlers[type]?.delete(fn);
  }

  protected emit<K extends keyof Events>(type: K, e: Events[K]): void {
    const set = this.handlers[type];
    if (!set) return;
    for (const fn of set) {
      try {
        fn(e);
      } catch (err) {
        // A listener's bug must not break the protocol state machine.
        console.error(`procpulse: ${String(type)} listener failed`, err);
      }
    }
  }
}
