import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter } from '../adapters/stores/rate-limiter.js';
import { createRedisConnection } from '../adapters/stores/redis-client.js';
import type { Metrics } from '../src/ports/index.js';
import { startRedisServer } from './support/redis-server.js';
import { describeWithRedis } from './support/redis.js';

const clockAt = (start: number) => {
  const clock = { t: start, now: () => clock.t };
  return clock;
};

describe('memory rate limiter', () => {
  it('when one key exceeds its budget, then it is refused and other keys are not', async () => {
    const clock = clockAt(60_000 * 10);
    const limiter = new MemoryRateLimiter(3, 60_000, clock);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push((await limiter.hit('p_flood')).allowed);
    expect(decisions).toEqual([true, true, true, false]);
    expect((await limiter.hit('p_other')).allowed).toBe(true);
  });

  it('when the window turns, then the budget is back', async () => {
    const clock = clockAt(60_000 * 10);
    const limiter = new MemoryRateLimiter(1, 60_000, clock);
    await limiter.hit('p_a');
    expect((await limiter.hit('p_a')).allowed).toBe(false);
    clock.t += 60_000;
    expect((await limiter.hit('p_a')).allowed).toBe(true);
  });
});

describeWithRedis('Redis rate limiter', (redisUrl) => {
  const connect = (url: string) => createRedisConnection({ REDIS_URL: url, REDIS_COMMAND_TIMEOUT_MS: 300 });
  const ready = (redis: ReturnType<typeof connect>) =>
    redis.status === 'ready' ? Promise.resolve() : new Promise((r) => redis.once('ready', r));

  it('when two instances share Redis, then the budget is shared', async () => {
    const a = connect(redisUrl);
    const b = connect(redisUrl);
    await Promise.all([ready(a), ready(b)]);
    const prefix = `t${Date.now()}:`;
    const first = new RedisRateLimiter(a, 2, { prefix });
    const second = new RedisRateLimiter(b, 2, { prefix });
    try {
      expect((await first.hit('p_x')).allowed).toBe(true);
      expect((await second.hit('p_x')).allowed).toBe(true);
      expect((await first.hit('p_x')).allowed).toBe(false);
      const ttl = await a.pttl(`${prefix}rl:p_x:${Math.floor(Date.now() / 60_000)}`);
      expect(ttl).toBeGreaterThan(0);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  it('when Redis is down, then decisions fall back to memory promptly and still limit', async () => {
    const server = await startRedisServer();
    const redis = connect(server.url);
    // "Promptly" without a stopwatch: only the first decision tries Redis (and fails fast: no
    // offline queue); the next ones are memory's for the cool-down, so no caller waits on Redis.
    const storeErrors: string[] = [];
    const metrics = { storeError: (op: string) => storeErrors.push(op) } as unknown as Metrics;
    const limiter = new RedisRateLimiter(redis, 2, { metrics, coolDownMs: 60_000 });
    await ready(redis);
    try {
      await server.stop();
      const allowed = [];
      for (let i = 0; i < 3; i++) allowed.push((await limiter.hit('p_y')).allowed);
      expect(allowed).toEqual([true, true, false]);
      expect(storeErrors).toEqual(['rate_limit']);
    } finally {
      redis.disconnect();
    }
  });
});
