/**
 * What the service would have sent without a gateway's credentials (the embedded default): the
 * last `capacity` entries in memory, numbered, newest last, for the dev pages and the simulator.
 * The SMS outbox and the call outbox are this with their own entries.
 */
export class DevOutbox<T> {
  private readonly entries: T[] = [];
  private counter = 0;

  constructor(private readonly capacity = 200) {}

  /** Keeps the entry `make` builds from the next number; the oldest goes past `capacity`. */
  add(make: (n: number) => T): T {
    const entry = make(++this.counter);
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  /** Newest last. */
  list(): T[] {
    return [...this.entries];
  }
}
