import type { Clock } from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';
import type { RedisConnection } from '../stores/redis-client.js';

/** One change made in the console: who (an operator's account name), when, what. */
export interface AuditEntry {
  at: number;
  who: string;
  action: string;
  detail: string;
}

export interface ToFixEntry {
  words: string;
  by: string;
  at: number;
}

/**
 * What the console itself keeps: its audit log (every change, kept CONSOLE_AUDIT_RETENTION_DAYS)
 * and the "to fix" list of searches for the search team (kept ANALYTICS_RETENTION_DAYS, like the
 * figures it comes from). Only operators' names appear here, never a citizen's.
 */
export interface ConsoleRecords {
  audit(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  auditLog(limit?: number): Promise<AuditEntry[]>;
  /** False when the words were already on the list. */
  addToFix(words: string, by: string): Promise<boolean>;
  removeToFix(words: string): Promise<boolean>;
  toFix(): Promise<ToFixEntry[]>;
}

export interface RecordsOptions {
  auditRetentionDays: number;
  toFixRetentionDays: number;
  clock?: Clock;
}

const DAY_MS = 86_400_000;

export class MemoryConsoleRecords implements ConsoleRecords {
  private entries: AuditEntry[] = [];
  private readonly fixes = new Map<string, ToFixEntry>();
  private readonly clock: Clock;

  constructor(private readonly options: RecordsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  private prune(): void {
    const now = this.clock.now();
    this.entries = this.entries.filter((e) => e.at > now - this.options.auditRetentionDays * DAY_MS);
    for (const [words, fix] of this.fixes)
      if (fix.at <= now - this.options.toFixRetentionDays * DAY_MS) this.fixes.delete(words);
  }

  async audit(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    this.prune();
    this.entries.push({ ...entry, at: this.clock.now() });
  }

  async auditLog(limit = 500): Promise<AuditEntry[]> {
    this.prune();
    return this.entries.slice(-limit).reverse();
  }

  async addToFix(words: string, by: string): Promise<boolean> {
    this.prune();
    if (this.fixes.has(words)) return false;
    this.fixes.set(words, { words, by, at: this.clock.now() });
    return true;
  }

  async removeToFix(words: string): Promise<boolean> {
    return this.fixes.delete(words);
  }

  async toFix(): Promise<ToFixEntry[]> {
    this.prune();
    return [...this.fixes.values()].sort((a, b) => b.at - a.at);
  }
}

/**
 * On Redis: the audit log is a stream trimmed by age (XADD MINID), the list a sorted set by
 * time with a hash of who added each entry; one hash tag so MULTI may touch both.
 */
export class RedisConsoleRecords implements ConsoleRecords {
  private readonly keys: { audit: string; fixes: string; fixesBy: string };
  private readonly clock: Clock;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RecordsOptions & { prefix?: string },
  ) {
    const base = `${options.prefix ?? 'dim:'}console:{console}:`;
    this.keys = { audit: `${base}audit`, fixes: `${base}tofix`, fixesBy: `${base}tofix:by` };
    this.clock = options.clock ?? systemClock;
  }

  async audit(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const now = this.clock.now();
    const minId = String(Math.max(0, now - this.options.auditRetentionDays * DAY_MS));
    await this.redis.xadd(
      this.keys.audit,
      'MINID',
      '~',
      minId,
      // Redis picks the id (its own clock: instances' clocks may differ); `at` is ours.
      '*',
      'at',
      String(now),
      'who',
      entry.who,
      'action',
      entry.action,
      'detail',
      entry.detail,
    );
  }

  async auditLog(limit = 500): Promise<AuditEntry[]> {
    const minId = String(Math.max(0, this.clock.now() - this.options.auditRetentionDays * DAY_MS));
    const rows = await this.redis.xrevrange(this.keys.audit, '+', minId, 'COUNT', limit);
    return rows.map(([id, fields]) => {
      const get = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return {
        at: Number(get('at')) || Number(id.split('-')[0]),
        who: get('who'),
        action: get('action'),
        detail: get('detail'),
      };
    });
  }

  private async prune(): Promise<void> {
    const cutoff = this.clock.now() - this.options.toFixRetentionDays * DAY_MS;
    const old = await this.redis.zrangebyscore(this.keys.fixes, '-inf', cutoff);
    if (old.length === 0) return;
    await this.redis
      .multi()
      .zrem(this.keys.fixes, ...old)
      .hdel(this.keys.fixesBy, ...old)
      .exec();
  }

  async addToFix(words: string, by: string): Promise<boolean> {
    await this.prune();
    const result = await this.redis
      .multi()
      .zadd(this.keys.fixes, 'NX', this.clock.now(), words)
      .hsetnx(this.keys.fixesBy, words, by)
      .exec();
    return Number(result?.[0]?.[1] ?? 0) === 1;
  }

  async removeToFix(words: string): Promise<boolean> {
    const result = await this.redis
      .multi()
      .zrem(this.keys.fixes, words)
      .hdel(this.keys.fixesBy, words)
      .exec();
    return Number(result?.[0]?.[1] ?? 0) === 1;
  }

  async toFix(): Promise<ToFixEntry[]> {
    await this.prune();
    const flat = await this.redis.zrevrange(this.keys.fixes, 0, 999, 'WITHSCORES');
    const words = flat.filter((_, i) => i % 2 === 0);
    const by = words.length > 0 ? await this.redis.hmget(this.keys.fixesBy, ...words) : [];
    return words.map((w, i) => ({ words: w, by: by[i] ?? '', at: Number(flat[i * 2 + 1]) }));
  }
}
