import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisRateLimiter } from '../adapters/stores/rate-limiter.js';
import { scripted } from '../adapters/stores/scripts.js';
import { RedisSpendingCaps } from '../adapters/stores/spending-caps.js';
import { describeWithRedis } from './support/redis.js';

/**
 * Hot-path scripts go to Redis by SHA1: what the server's MONITOR receives on a fresh
 * connection is one EVAL per script (after Redis answered NOSCRIPT once) and EVALSHA after,
 * never the script's text on every call.
 */
const commandsOf = (lines: string[], name: string) =>
  lines.filter((line) => new RegExp(`\\] "${name}"`, 'i').test(line)).length;

describeWithRedis('Lua scripts called by SHA1', (redisUrl) => {
  let redis: Redis;
  let monitor: Redis;
  const lines: string[] = [];
  beforeAll(async () => {
    redis = new Redis(redisUrl);
    monitor = new Redis(redisUrl);
    const feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[], source: string) => {
      // Only this file's client (its own port), not other suites sharing the server.
      if (source.endsWith(`:${(redis as unknown as { stream?: { localPort?: number } }).stream?.localPort}`))
        lines.push(`[0 ${source}] ${args.map((a) => JSON.stringify(a)).join(' ')}`);
    });
    await redis.ping();
  });
  afterAll(async () => {
    redis.disconnect();
    monitor.disconnect();
  });

  it('when a spending cap reserves ten times on a fresh connection, then its script text travels once', async () => {
    const caps = new RedisSpendingCaps(
      redis,
      { sms: { person: 100, service: 1000 }, call: { service: 10 } },
      {
        prefix: `scr${randomUUID().slice(0, 8)}:`,
      },
    );
    for (let i = 0; i < 10; i++) expect(await caps.reserve('sms', `p_${i % 3}`, 1)).toEqual({ ok: true });
    await redis.ping(); // MONITOR lines arrive before this PING's answer
    await new Promise((resolve) => setImmediate(resolve));
    // Person's counter and service's: 20 reserves, the text sent at most once per script.
    expect(commandsOf(lines, 'evalsha')).toBeGreaterThanOrEqual(19);
    expect(commandsOf(lines, 'eval')).toBeLessThanOrEqual(1);
  });

  it('when a rate limiter counts ten hits, then its script text travels at most once', async () => {
    const limiter = new RedisRateLimiter(redis, 100, { prefix: `scr${randomUUID().slice(0, 8)}:` });
    const before = lines.length;
    for (let i = 0; i < 10; i++) expect((await limiter.hit('person')).allowed).toBe(true);
    await redis.ping();
    await new Promise((resolve) => setImmediate(resolve));
    const sent = lines.slice(before);
    expect(commandsOf(sent, 'evalsha')).toBeGreaterThanOrEqual(9);
    expect(commandsOf(sent, 'eval')).toBeLessThanOrEqual(1);
  });

  it('when one cap refuses and the other said yes (asked at once), then the yes is given back', async () => {
    const prefix = `scr${randomUUID().slice(0, 8)}:`;
    const tight = new RedisSpendingCaps(
      redis,
      { sms: { person: 5, service: 3 }, call: { service: 1 } },
      { prefix },
    );
    expect(await tight.reserve('sms', 'p_a', 3)).toEqual({ ok: true });
    // The service is full: p_b's own counter must not keep the unit it was refused.
    expect(await tight.reserve('sms', 'p_b', 1)).toEqual({ ok: false, cap: 'service' });
    // The person is full: the service must not keep the units p_a was refused.
    expect(await tight.reserve('sms', 'p_a', 3)).toEqual({ ok: false, cap: 'person' });
    expect((await tight.today()).sms).toBe(3);
    const roomy = new RedisSpendingCaps(
      redis,
      { sms: { person: 5, service: 100 }, call: { service: 1 } },
      { prefix },
    );
    expect(await roomy.reserve('sms', 'p_b', 5)).toEqual({ ok: true });
    expect(await roomy.reserve('sms', 'p_a', 2)).toEqual({ ok: true });
    expect(await roomy.reserve('sms', 'p_a', 1)).toEqual({ ok: false, cap: 'person' });
    // Refused by the person's cap with room in the service's: the service counts only what went.
    expect((await roomy.today()).sms).toBe(3 + 5 + 2);
  });

  it('when two stores define the same script on one connection, then each name is defined once and both work', async () => {
    type Echo = { dimEchoKey(key: string): Promise<string> };
    const lua = { dimEchoKey: { lua: 'return KEYS[1]', numberOfKeys: 1 } };
    const first = scripted<Echo>(redis, lua);
    const second = scripted<Echo>(redis, lua);
    expect(second).toBe(first);
    expect(await first.dimEchoKey('a')).toBe('a');
    expect(await second.dimEchoKey('b')).toBe('b');
  });
});
