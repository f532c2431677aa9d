import type { Audience, Subscription } from '../../src/subscriptions/model.js';
import { inAudience } from '../../src/subscriptions/model.js';
import type { SubscriptionStore } from '../../src/subscriptions/store.js';
import { personKey } from '../stores/key-slot.js';
import type { RedisConnection } from '../stores/redis-client.js';

/**
 * Subscriptions in Redis: one JSON record per person (`dim:subs:{p_abc}:record`, the pseudonym
 * as hash tag) that expires SUBSCRIPTION_TTL_DAYS after the last ABONNE, and an index SET of
 * pseudonyms (`dim:subs:index`, no TTL, pseudonyms only, pruned when a record is found gone)
 * to walk the audience. The record holds the address only sealed (AES-256-GCM).
 */
export class RedisSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'dim:',
    private readonly ttlSeconds = 365 * 24 * 3600,
  ) {}

  private recordKey(pseudonym: string): string {
    return this.prefix + personKey('subs', pseudonym, 'record');
  }

  private get indexKey(): string {
    return `${this.prefix}subs:index`;
  }

  async get(pseudonym: string): Promise<Subscription | undefined> {
    const raw = await this.redis.get(this.recordKey(pseudonym));
    return raw === null ? undefined : (JSON.parse(raw) as Subscription);
  }

  async put(subscription: Subscription): Promise<void> {
    // Record first, index second: a crash in between leaves a record the index misses until
    // the next ABONNE, never an index entry the next walk cannot prune.
    await this.redis.set(
      this.recordKey(subscription.pseudonym),
      JSON.stringify(subscription),
      'EX',
      this.ttlSeconds,
    );
    await this.redis.sadd(this.indexKey, subscription.pseudonym);
  }

  async delete(pseudonym: string): Promise<boolean> {
    const removed = await this.redis.del(this.recordKey(pseudonym));
    await this.redis.srem(this.indexKey, pseudonym);
    return removed === 1;
  }

  async audience(audience: Audience): Promise<Subscription[]> {
    const found: Subscription[] = [];
    let cursor = '0';
    do {
      const [next, pseudonyms] = await this.redis.sscan(this.indexKey, cursor, 'COUNT', 500);
      cursor = next;
      const records = await Promise.all(pseudonyms.map((p) => this.get(p)));
      const lapsed: string[] = [];
      records.forEach((record, i) => {
        if (record === undefined) lapsed.push(pseudonyms[i]!);
        else if (inAudience(record, audience)) found.push(record);
      });
      if (lapsed.length > 0) await this.redis.srem(this.indexKey, ...lapsed);
    } while (cursor !== '0');
    // SSCAN may return a member twice while the set is rehashed.
    return [...new Map(found.map((s) => [s.pseudonym, s])).values()];
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
