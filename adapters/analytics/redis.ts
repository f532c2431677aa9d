import { systemClock, type Clock } from '../../src/ports/index.js';
import type { RedisConnection } from '../stores/redis-client.js';
import {
  createTally,
  type AnalyticsStore,
  type TallyBackend,
  type TallyOptions,
  type Write,
} from './tally.js';

/**
 * The tally's primitives on Redis: HINCRBY, PFADD/PFCOUNT (HyperLogLog: a count of different
 * pseudonyms without the pseudonyms), each key with PEXPIREAT so it goes on its own. Every
 * analytics key carries the one hash tag `{an}`: a count of unique people over a date range is a
 * PFCOUNT over several days' keys, which Redis Cluster allows only within one slot. The volume
 * (a few commands per reply) is small enough for one slot; instances add up in it.
 */
class RedisTallyBackend implements TallyBackend {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    prefix = 'dim:',
    private readonly ownsConnection = false,
  ) {
    this.prefix = `${prefix}an:{an}:`;
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  async write(writes: Write[]): Promise<void> {
    if (writes.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const write of writes) {
      const key = this.key(write.key);
      if (write.op === 'hincr') pipeline.hincrby(key, write.field, write.by);
      else pipeline.pfadd(key, write.member);
      pipeline.pexpireat(key, write.expireAtMs);
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async addAndCount(name: string, member: string, expireAtMs: number): Promise<number> {
    const key = this.key(name);
    const results =
      (await this.redis.pipeline().pfadd(key, member).pexpireat(key, expireAtMs).pfcount(key).exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    return Number(results[2]?.[1] ?? 0);
  }

  async setString(name: string, value: string, expireAtMs: number): Promise<void> {
    await this.redis.set(this.key(name), value, 'PXAT', expireAtMs);
  }

  async getStrings(names: string[]): Promise<Array<string | null>> {
    if (names.length === 0) return [];
    return this.redis.mget(names.map((name) => this.key(name)));
  }

  async hashes(names: string[]): Promise<Array<Record<string, string>>> {
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hgetall(this.key(name));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return (value ?? {}) as Record<string, string>;
    });
  }

  async counts(groups: string[][]): Promise<number[]> {
    if (groups.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const group of groups) pipeline.pfcount(...group.map((name) => this.key(name)));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return Number(value ?? 0);
    });
  }

  async close(): Promise<void> {
    if (this.ownsConnection) this.redis.disconnect();
  }
}

export function createRedisAnalytics(
  redis: RedisConnection,
  options: Omit<TallyOptions, 'clock'> & { clock?: Clock; prefix?: string; ownsConnection?: boolean },
): AnalyticsStore {
  const backend = new RedisTallyBackend(redis, options.prefix, options.ownsConnection);
  return createTally(backend, { ...options, clock: options.clock ?? systemClock });
}
