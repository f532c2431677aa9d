import type { BudgetWindow, Metrics, SessionStore, StoreWrite } from '../../src/ports/index.js';

/**
 * Counts every failed store operation into `metrics.storeError(operation)` and rethrows it
 * unchanged: callers keep their own fallbacks, operators see Redis trouble on a graph.
 */
export class InstrumentedSessionStore implements SessionStore {
  constructor(
    private readonly inner: SessionStore,
    private readonly metrics: Pick<Metrics, 'storeError'>,
  ) {}

  get<T>(key: string): Promise<T | undefined> {
    return this.count('get', () => this.inner.get<T>(key));
  }

  set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    return this.count('set', () => this.inner.set(key, value, ttlSeconds));
  }

  getMany(keys: string[]): Promise<unknown[]> {
    const inner = this.inner;
    return this.count('getMany', () =>
      inner.getMany ? inner.getMany(keys) : Promise.all(keys.map((key) => inner.get<unknown>(key))),
    );
  }

  delete(key: string): Promise<void> {
    return this.count('delete', () => this.inner.delete(key));
  }

  /** Present when the inner store has it (the caller falls back to single steps otherwise). */
  get claimAndRead(): SessionStore['claimAndRead'] {
    const inner = this.inner;
    if (!inner.claimAndRead) return undefined;
    return (claim: StoreWrite | undefined, reads: string[], budget?: BudgetWindow) =>
      this.count('claimAndRead', () => inner.claimAndRead!(claim, reads, budget));
  }

  get writeMany(): SessionStore['writeMany'] {
    const inner = this.inner;
    if (!inner.writeMany) return undefined;
    return (writes: StoreWrite[]) => this.count('writeMany', () => inner.writeMany!(writes));
  }

  setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    return this.count('setIfAbsent', () => this.inner.setIfAbsent(key, value, ttlSeconds));
  }

  ping(): Promise<void> {
    return this.count('ping', () => this.inner.ping());
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The store being decorated, for code that needs its concrete type (tests, size). */
  get decorated(): SessionStore {
    return this.inner;
  }

  private async count<R>(operation: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      this.metrics.storeError(operation);
      throw error;
    }
  }
}
