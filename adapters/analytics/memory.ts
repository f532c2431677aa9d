import { systemClock, type Clock } from '../../src/ports/index.js';
import { HyperLogLog } from './hll.js';
import { createTally, type AnalyticsStore, type TallyBackend, type TallyOptions } from './tally.js';

type Entry =
  | { kind: 'hash'; value: Map<string, number>; expiresAt: number }
  | { kind: 'hll'; value: HyperLogLog; expiresAt: number }
  | { kind: 'string'; value: string; expiresAt: number };

/** The primitives of the tally in this process's memory, with Redis's expiry semantics. */
export class MemoryTallyBackend implements TallyBackend {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock = systemClock) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  async write(writes: Parameters<TallyBackend['write']>[0]): Promise<void> {
    if (this.entries.size > 100_000) this.sweep();
    for (const write of writes) {
      if (write.op === 'hincr') {
        const entry = this.live(write.key);
        const hash = entry?.kind === 'hash' ? entry.value : new Map<string, number>();
        hash.set(write.field, (hash.get(write.field) ?? 0) + write.by);
        this.entries.set(write.key, { kind: 'hash', value: hash, expiresAt: write.expireAtMs });
      } else {
        this.sketch(write.key, write.expireAtMs).add(write.member);
      }
    }
  }

  private sketch(key: string, expiresAt: number): HyperLogLog {
    const entry = this.live(key);
    const hll = entry?.kind === 'hll' ? entry.value : new HyperLogLog();
    this.entries.set(key, { kind: 'hll', value: hll, expiresAt });
    return hll;
  }

  async addAndCount(key: string, member: string, expireAtMs: number): Promise<number> {
    const hll = this.sketch(key, expireAtMs);
    hll.add(member);
    return hll.count();
  }

  async setString(key: string, value: string, expireAtMs: number): Promise<void> {
    this.entries.set(key, { kind: 'string', value, expiresAt: expireAtMs });
  }

  async getStrings(keys: string[]): Promise<Array<string | null>> {
    return keys.map((key) => {
      const entry = this.live(key);
      return entry?.kind === 'string' ? entry.value : null;
    });
  }

  async hashes(keys: string[]): Promise<Array<Record<string, string>>> {
    return keys.map((key) => {
      const entry = this.live(key);
      return entry?.kind === 'hash'
        ? Object.fromEntries([...entry.value].map(([field, n]) => [field, String(n)]))
        : {};
    });
  }

  async counts(groups: string[][]): Promise<number[]> {
    return groups.map((group) => {
      const union = new HyperLogLog();
      for (const key of group) {
        const entry = this.live(key);
        if (entry?.kind === 'hll') union.merge(entry.value);
      }
      return union.count();
    });
  }

  /** Every stored key and value as text (tests scan it for leaks). */
  dump(): string {
    return [...this.entries]
      .map(([key, entry]) =>
        entry.kind === 'hash'
          ? `${key} ${JSON.stringify(Object.fromEntries(entry.value))}`
          : entry.kind === 'string'
            ? `${key} ${entry.value}`
            : `${key} <hll>`,
      )
      .join('\n');
  }

  async close(): Promise<void> {}
}

export function createMemoryAnalytics(
  options: Omit<TallyOptions, 'clock'> & { clock?: Clock },
): AnalyticsStore & {
  backend: MemoryTallyBackend;
} {
  const clock = options.clock ?? systemClock;
  const backend = new MemoryTallyBackend(clock);
  return Object.assign(createTally(backend, { ...options, clock }), { backend });
}
