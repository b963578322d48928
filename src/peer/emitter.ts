// A minimal typed event emitter: src/peer runs in Node and workers, so no DOM EventTarget.

export type Listener<T> = (value: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.listeners.get(event) as Set<Listener<Events[K]>> | undefined;
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch (e) {
        // A listener's bug must not be mistaken for a protocol failure of the session, yet must
        // not vanish: rethrow it outside our call stack.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
