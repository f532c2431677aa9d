/**
 * The per-person budget: ours (adapters/stores/rate-limiter.ts) against rate-limiter-flexible's
 * RateLimiterRedis with a RateLimiterMemory insurance, on a real redis-server spawned here.
 * Prints hits per second (sequential, and 64 in flight), Redis commands and round trips per
 * hit (INFO commandstats), and how long a hit takes while Redis is frozen (CLIENT PAUSE).
 *
 *   npm i --no-save rate-limiter-flexible && npx tsx bench/rate-limiter-compare.ts
 *
 * rate-limiter-flexible is not a dependency (see docs/architecture.md, "Libraries kept and
 * replaced"); this script loads it only to measure it.
 */
import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../adapters/stores/rate-limiter.js';
import type { RateDecision } from '../src/ports/index.js';
import { startRedisServer } from '../test/support/redis-server.js';

type Hit = (key: string) => Promise<RateDecision>;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function commands(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm))
    if (!['info', 'ping', 'client', 'config'].includes(match[1]!)) total += Number(match[2]);
  return total;
}

async function measure(name: string, hit: Hit, admin: Redis): Promise<void> {
  const keys = Array.from({ length: 1000 }, (_, i) => `phone:{p_${i}}`);
  for (const key of keys.slice(0, 50)) await hit(key); // warm-up (scripts loaded)
  await admin.config('RESETSTAT');
  let n = 0;
  let until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) await hit(keys[n++ % keys.length]!);
  const sequential = n / SECONDS;
  const perHit = (await commands(admin)) / n;
  let m = 0;
  until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < until) await hit(keys[m++ % keys.length]!);
    }),
  );
  const concurrent = m / SECONDS;
  // Frozen Redis: the connection is up, no command answers. 20 hits in a row.
  await admin.client('PAUSE', 1500, 'ALL');
  const frozenStart = performance.now();
  for (let i = 0; i < 20; i++) await hit(keys[i]!);
  const frozenMs = performance.now() - frozenStart;
  await new Promise((resolve) => setTimeout(resolve, 1600));
  console.log(
    `${name.padEnd(24)} ${sequential.toFixed(0).padStart(7)} hits/s sequential  ${concurrent
      .toFixed(0)
      .padStart(
        7,
      )} hits/s (64 in flight)  ${perHit.toFixed(2)} commands/hit, 1 round trip  20 hits on a frozen Redis: ${frozenMs.toFixed(0)} ms`,
  );
}

const server = await startRedisServer();
const options = { commandTimeout: 300, maxRetriesPerRequest: 1, enableOfflineQueue: true };
const admin = new Redis(server.url);
const ours = new Redis(server.url, options);
const theirs = new Redis(server.url, options);
try {
  const limiter = new RedisRateLimiter(ours, 30, { prefix: 'ours:' });
  await measure('ours (EVAL, cool-down)', (key) => limiter.hit(key), admin);

  const flexible = (await import('rate-limiter-flexible' as string)) as {
    RateLimiterRedis: new (opts: object) => {
      consume(key: string): Promise<{ remainingPoints: number; msBeforeNext: number }>;
    };
    RateLimiterMemory: new (opts: object) => object;
  };
  const insurance = new flexible.RateLimiterMemory({ points: 30, duration: 60 });
  const library = new flexible.RateLimiterRedis({
    storeClient: theirs,
    keyPrefix: 'rlf',
    points: 30,
    duration: 60,
    insuranceLimiter: insurance,
  });
  const hit: Hit = async (key) => {
    try {
      const res = await library.consume(key);
      return { allowed: true, remaining: res.remainingPoints, retryAfterMs: res.msBeforeNext };
    } catch (rejected) {
      if (rejected instanceof Error) throw rejected;
      const res = rejected as { remainingPoints: number; msBeforeNext: number };
      return { allowed: false, remaining: res.remainingPoints, retryAfterMs: res.msBeforeNext };
    }
  };
  await measure('rate-limiter-flexible', hit, admin);
} finally {
  admin.disconnect();
  ours.disconnect();
  theirs.disconnect();
  await server.stop();
}
