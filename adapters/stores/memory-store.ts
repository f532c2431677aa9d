import type { Clock, SessionStore, StoreWrite } from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';
import { encodeValue, ttlMilliseconds } from './encode.js';

/** The embedded default: one process, no Redis. Expired entries are dropped lazily and by a sweep. */
export class MemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly clock: Clock = systemClock,
    sweepEveryMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Stored as JSON so callers never share a mutable object, as with Redis.
    return JSON.parse(entry.value) as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.write(key, value, ttlSeconds);
  }

  async getMany(keys: string[]): Promise<unknown[]> {
    return Promise.all(keys.map((key) => this.get<unknown>(key)));
  }

  /** Check and write happen in one synchronous step, so concurrent callers cannot both win. */
  async setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.clock.now()) {
      ttlMilliseconds(ttlSeconds);
      encodeValue(value);
      return false;
    }
    this.write(key, value, ttlSeconds);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async claimAndRead(claim: StoreWrite | undefined, reads: string[]) {
    const claimed = claim ? await this.setIfAbsent(claim.key, claim.value, claim.ttlSeconds!) : true;
    return { claimed, values: claimed ? await this.getMany(reads) : [] };
  }

  async writeMany(writes: StoreWrite[]): Promise<void> {
    for (const w of writes)
      if (w.value === undefined) this.entries.delete(w.key);
      else this.write(w.key, w.value, w.ttlSeconds!);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  get size(): number {
    return this.entries.size;
  }

  private write(key: string, value: unknown, ttlSeconds: number): void {
    const ttlMs = ttlMilliseconds(ttlSeconds);
    this.entries.set(key, { value: encodeValue(value), expiresAt: this.clock.now() + ttlMs });
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
