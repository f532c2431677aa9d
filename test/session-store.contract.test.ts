import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { createRedisConnection, type RedisConnection } from '../adapters/stores/redis-client.js';
import { RedisSessionStore } from '../adapters/stores/redis-store.js';
import { loadConfig } from '../src/config.js';
import type { Clock, SessionStore } from '../src/ports/index.js';
import { describeWithRedis } from './support/redis.js';
import { freePort, startRedisServer, type RedisServer } from './support/redis-server.js';

interface Subject {
  store: SessionStore;
  /** Lets time pass: a fake clock in memory, real waiting against Redis. */
  advance(ms: number): Promise<void>;
  /** A second store over the same backing storage but another namespace, when there is one. */
  neighbour?: SessionStore;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The behaviour every SessionStore promises, run against each implementation. */
function sessionStoreContract(make: () => Promise<Subject>): void {
  let subject: Subject;
  let store: SessionStore;
  beforeEach(async () => {
    subject = await make();
    store = subject.store;
  });
  afterEach(async () => {
    await subject.dispose();
  });

  it('when a key was never set, then get gives undefined', async () => {
    expect(await store.get('ussd:{p_never}:last')).toBeUndefined();
  });

  it('when a value is set, then get gives an equal value back', async () => {
    await store.set('k', { screen: 'theme', theme: 2, page: 1 }, 60);
    expect(await store.get('k')).toEqual({ screen: 'theme', theme: 2, page: 1 });
  });

  it('when JSON values of every shape are stored, then they round-trip unchanged', async () => {
    const values: unknown[] = [
      'texte accentué é è à ù ç œ « » …',
      0,
      -1.5,
      true,
      false,
      null,
      [],
      [1, 'deux', { trois: [3] }],
      { nested: { deep: { list: [null, 'x'] } }, emoji: '🇲🇱' },
      '',
    ];
    for (const [i, value] of values.entries()) await store.set(`v${i}`, value, 60);
    for (const [i, value] of values.entries()) expect(await store.get(`v${i}`)).toEqual(value);
  });

  it('when the value read is changed by the caller, then the stored value is not', async () => {
    await store.set('obj', { pages: [1, 2] }, 60);
    const first = await store.get<{ pages: number[] }>('obj');
    first!.pages.push(3);
    expect(await store.get('obj')).toEqual({ pages: [1, 2] });
  });

  it('when a key is set again, then the new value replaces the old one', async () => {
    await store.set('k', 'old', 60);
    await store.set('k', 'new', 60);
    expect(await store.get('k')).toBe('new');
  });

  it('when a key is deleted, then get gives undefined and deleting again is harmless', async () => {
    await store.set('k', 1, 60);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    await expect(store.delete('k')).resolves.toBeUndefined();
  });

  it('when keys differ, then they do not see each other', async () => {
    await store.set('ussd:{p_a}:last', 'a', 60);
    await store.set('ussd:{p_b}:last', 'b', 60);
    await store.delete('ussd:{p_a}:last');
    expect(await store.get('ussd:{p_a}:last')).toBeUndefined();
    expect(await store.get('ussd:{p_b}:last')).toBe('b');
  });

  it('when another store uses another namespace, then it shares no key with this one', async () => {
    if (!subject.neighbour) return;
    await store.set('shared-name', 'mine', 60);
    expect(await subject.neighbour.get('shared-name')).toBeUndefined();
    await subject.neighbour.set('shared-name', 'theirs', 60);
    expect(await store.get('shared-name')).toBe('mine');
  });

  it('when the TTL has not passed, then the value is still there; when it has, then it is gone', async () => {
    await store.set('short', 'x', 1);
    await subject.advance(400);
    expect(await store.get('short')).toBe('x');
    await subject.advance(800);
    expect(await store.get('short')).toBeUndefined();
  });

  it('when a key is set again with a new TTL, then the new TTL counts', async () => {
    await store.set('renew', 1, 1);
    await store.set('renew', 2, 60);
    await subject.advance(1200);
    expect(await store.get('renew')).toBe(2);
  });

  it('when setIfAbsent finds nothing, then it sets and says true; a second call says false and keeps the first value', async () => {
    expect(await store.setIfAbsent('dedupe:42', 'first', 60)).toBe(true);
    expect(await store.setIfAbsent('dedupe:42', 'second', 60)).toBe(false);
    expect(await store.get('dedupe:42')).toBe('first');
  });

  it('when many setIfAbsent calls race on one key, then exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', i, 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when a setIfAbsent mark has expired, then the key can be set again', async () => {
    expect(await store.setIfAbsent('mark', 1, 1)).toBe(true);
    await subject.advance(1200);
    expect(await store.setIfAbsent('mark', 2, 60)).toBe(true);
    expect(await store.get('mark')).toBe(2);
  });

  it('when the TTL is not a positive finite number, then set and setIfAbsent refuse (nothing is kept forever)', async () => {
    for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.set('bad-ttl', 'x', ttl)).rejects.toThrow(RangeError);
      await expect(store.setIfAbsent('bad-ttl', 'x', ttl)).rejects.toThrow(RangeError);
    }
    expect(await store.get('bad-ttl')).toBeUndefined();
  });

  it('when the value is not JSON (undefined, a function), then set refuses instead of storing garbage', async () => {
    await expect(store.set('bad-value', undefined, 60)).rejects.toThrow(TypeError);
    await expect(store.set('bad-value', () => 1, 60)).rejects.toThrow(TypeError);
    expect(await store.get('bad-value')).toBeUndefined();
  });

  it('when the store is reachable, then ping resolves', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
}

describe('MemorySessionStore', () => {
  sessionStoreContract(async () => {
    let now = 1_700_000_000_000;
    const clock: Clock = { now: () => now };
    const store = new MemorySessionStore(clock);
    return {
      store,
      advance: async (ms) => {
        now += ms;
      },
      dispose: () => store.close(),
    };
  });

  it('when expired entries are never read again, then the sweep drops them', async () => {
    let now = 0;
    const store = new MemorySessionStore({ now: () => now }, 20);
    await store.set('a', 1, 1);
    await store.set('b', 2, 60);
    now += 2000;
    await sleep(60);
    expect(store.size).toBe(1);
    await store.close();
  });
});

function redisConfig(url: string) {
  return loadConfig({ NODE_ENV: 'test', REDIS_URL: url, REDIS_COMMAND_TIMEOUT_MS: '300' });
}

async function whenReady(redis: RedisConnection): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    redis.once('ready', () => resolve());
    setTimeout(() => reject(new Error('redis not ready within 3 s')), 3000).unref();
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/**
 * "Rejects well under a second" without a stopwatch: the rejection is one of the two ways the
 * client gives up by itself, at once for a closed socket (no offline queue) or at the store's own
 * deadline (REDIS_COMMAND_TIMEOUT_MS), never a success and never a retry loop's final error.
 */
function failFast(error: unknown): boolean {
  return (
    error instanceof Error &&
    /enableOfflineQueue|Command timed out|Connection is closed|ECONNREFUSED/.test(error.message)
  );
}

/** Commands ioredis still holds for a dead server: what would make later callers wait. */
function queued(redis: RedisConnection): number {
  const client = redis as unknown as { offlineQueue?: { length: number }; commandQueue?: { length: number } };
  return (client.offlineQueue?.length ?? 0) + (client.commandQueue?.length ?? 0);
}

describeWithRedis('RedisSessionStore', (redisUrl) => {
  sessionStoreContract(async () => {
    const redis = createRedisConnection(redisConfig(redisUrl));
    await whenReady(redis);
    const namespace = `test:${randomUUID()}:`;
    const store = new RedisSessionStore(redis, namespace);
    const neighbour = new RedisSessionStore(redis, `test:${randomUUID()}:`);
    return {
      store,
      neighbour,
      advance: (ms) => sleep(ms),
      dispose: async () => {
        const keys = await redis.keys(`${namespace}*`);
        if (keys.length > 0) await redis.del(...keys);
        await store.close();
      },
    };
  });

  it('when a key is set, then Redis holds it under the prefix with a TTL', async () => {
    const redis = createRedisConnection(redisConfig(redisUrl));
    await whenReady(redis);
    const prefix = `test:${randomUUID()}:`;
    const store = new RedisSessionStore(redis, prefix);
    await store.set('sms:{p_x}:pages', ['a'], 90);
    const ttl = await redis.pttl(`${prefix}sms:{p_x}:pages`);
    expect(ttl).toBeGreaterThan(80_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
    await redis.del(`${prefix}sms:{p_x}:pages`);
    await store.close();
  });

  it('when the store is used the moment it is created, then the first command still succeeds', async () => {
    const redis = createRedisConnection(redisConfig(redisUrl));
    const store = new RedisSessionStore(redis, `test:${randomUUID()}:`);
    await store.set('first', 1, 5);
    expect(await store.get('first')).toBe(1);
    await store.delete('first');
    await store.close();
  });
});

describeWithRedis('RedisSessionStore when Redis is down', () => {
  let server: RedisServer | undefined;
  let comeback: ChildProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    if (comeback && comeback.exitCode === null) {
      const exited = new Promise((resolve) => comeback!.once('exit', resolve));
      comeback.kill('SIGTERM');
      await exited;
    }
  });

  it('when Redis stops, then get, set and ping reject well under a second; when it is back, then the store works again', async () => {
    server = await startRedisServer();
    const port = server.port;
    const redis = createRedisConnection(redisConfig(server.url));
    await whenReady(redis);
    const store = new RedisSessionStore(redis, 'down:');
    await store.set('k', 'v', 60);

    await server.stop();
    for (const op of [() => store.get('k'), () => store.set('k', 'w', 60), () => store.ping()]) {
      expect(failFast(await failure(op()))).toBe(true);
    }
    // Many callers at once fail fast too: no queue builds up behind a dead server.
    const many = await Promise.all(Array.from({ length: 50 }, () => failure(store.get('k'))));
    expect(many.every(failFast)).toBe(true);
    expect(queued(redis)).toBe(0);

    comeback = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
        cwd: tmpdir(),
      },
    );
    const deadline = Date.now() + 8000;
    let back = false;
    while (!back && Date.now() < deadline) {
      back = await store.set('k', 'again', 60).then(
        () => true,
        () => false,
      );
      if (!back) await sleep(100);
    }
    expect(back).toBe(true);
    expect(await store.get('k')).toBe('again');
    await store.close();
  });

  it('when Redis was never reachable, then the first command rejects well under a second', async () => {
    const port = await freePort();
    const redis = createRedisConnection(redisConfig(`redis://127.0.0.1:${port}`));
    const store = new RedisSessionStore(redis, 'never:');
    expect(failFast(await failure(store.get('k')))).toBe(true);
    expect(failFast(await failure(store.ping()))).toBe(true);
    expect(queued(redis)).toBe(0);
    await store.close();
  });
});
