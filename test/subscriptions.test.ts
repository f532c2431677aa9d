import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSubscriptionStore, SUBSCRIPTIONS_FILE } from '../adapters/subscriptions/file-store.js';
import { RedisSubscriptionStore } from '../adapters/subscriptions/redis-store.js';
import { createRedisConnection, type RedisConnection } from '../adapters/stores/redis-client.js';
import { createAddressCipher } from '../src/privacy/address-cipher.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import type { OptOutRegistry } from '../src/ports/index.js';
import { createSubscriptions } from '../src/subscriptions/service.js';
import { MemorySubscriptionStore, type SubscriptionStore } from '../src/subscriptions/store.js';
import { describeWithRedis } from './support/redis.js';

const KEY = 'k'.repeat(40);
const cipher = createAddressCipher(KEY);
const pseudonymize = createPseudonymizer('test-phone-hash-key-0123456789');
const clock = { now: () => Date.parse('2026-01-15T10:00:00Z') };

function memoryOptOut(): OptOutRegistry & { set: Set<string> } {
  const set = new Set<string>();
  return {
    set,
    has: async (p) => set.has(p),
    add: async (p) => void set.add(p),
    remove: async (p) => void set.delete(p),
    close: async () => {},
  };
}

describe('the address cipher', () => {
  it('when an address is sealed, then it opens back only with the same key and pseudonym', () => {
    const sealed = cipher.seal('+22370123456', 'p_a');
    expect(sealed).not.toContain('70123456');
    expect(sealed).toMatch(/^v1\./);
    expect(cipher.open(sealed, 'p_a')).toBe('+22370123456');
    expect(() => cipher.open(sealed, 'p_b')).toThrow();
    expect(() => createAddressCipher('x'.repeat(40)).open(sealed, 'p_a')).toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => cipher.open(tampered, 'p_a')).toThrow();
  });

  it('when a seal’s tag is cut short (GCM accepts 4 bytes), then it does not open', () => {
    const [version, iv, tag, ciphertext] = cipher.seal('+22370123456', 'p_a').split('.');
    const full = Buffer.from(tag!, 'base64url');
    expect(full).toHaveLength(16);
    for (const bytes of [4, 8, 12, 15]) {
      const short = [version, iv, full.subarray(0, bytes).toString('base64url'), ciphertext].join('.');
      expect(() => cipher.open(short, 'p_a'), `${bytes} bytes`).toThrow();
    }
  });

  it('when the same number is sealed twice, then the two seals differ (fresh IV)', () => {
    expect(cipher.seal('+22370123456', 'p_a')).not.toBe(cipher.seal('+22370123456', 'p_a'));
  });

  it('when the key is too short, then the cipher is refused', () => {
    expect(() => createAddressCipher('short')).toThrow(/32/);
  });
});

function subscriptionContract(make: () => Promise<{ store: SubscriptionStore; dump(): Promise<string> }>) {
  let store: SubscriptionStore;
  let dump: () => Promise<string>;
  let optOut: ReturnType<typeof memoryOptOut>;
  let subs: ReturnType<typeof createSubscriptions>;
  const phone = '+22376543210';
  const p = pseudonymize(phone);
  beforeEach(async () => {
    ({ store, dump } = await make());
    optOut = memoryOptOut();
    subs = createSubscriptions({ store, optOut, cipher, clock, themeCount: 5 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('when a person subscribes, then the record keeps the number only sealed', async () => {
    expect(
      await subs.subscribe({ pseudonym: p, address: phone, channel: 'sms', lang: 'fr', theme: null }),
    ).toEqual({ outcome: 'subscribed', theme: null });
    const record = await store.get(p);
    expect(record).toMatchObject({ pseudonym: p, all: true, lang: 'fr', channel: 'sms' });
    expect(cipher.open(record!.sealedAddress, p)).toBe(phone);
    expect(await dump()).not.toMatch(/76543210/);
  });

  it('when a person who said STOP subscribes, then STOP wins and nothing is stored', async () => {
    optOut.set.add(p);
    expect(
      await subs.subscribe({ pseudonym: p, address: phone, channel: 'sms', lang: 'fr', theme: 3 }),
    ).toEqual({
      outcome: 'optedOut',
    });
    expect(await store.get(p)).toBeUndefined();
  });

  it('when themes are added and removed, then the record follows and the last removal drops it', async () => {
    const base = { pseudonym: p, address: phone, channel: 'sms' as const, lang: 'bm' as const };
    await subs.subscribe({ ...base, theme: 3 });
    await subs.subscribe({ ...base, theme: 1 });
    expect((await store.get(p))?.themes).toEqual([1, 3]);
    expect((await store.audience({ kind: 'theme', theme: 3 })).map((s) => s.pseudonym)).toEqual([p]);
    expect(await store.audience({ kind: 'theme', theme: 2 })).toEqual([]);
    expect(await subs.subscribe({ ...base, theme: 9 })).toEqual({
      outcome: 'badTheme',
      theme: 9,
      themeCount: 5,
    });
    await subs.unsubscribe(p, 3);
    expect((await store.get(p))?.themes).toEqual([1]);
    expect(await subs.unsubscribe(p, 1)).toEqual({ outcome: 'unsubscribed', theme: null });
    expect(await store.get(p)).toBeUndefined();
    expect(await subs.unsubscribe(p, null)).toEqual({ outcome: 'notSubscribed' });
  });

  it('when a subscriber to all drops one theme, then the four others stay', async () => {
    await subs.subscribe({ pseudonym: p, address: phone, channel: 'telegram', lang: 'en', theme: null });
    await subs.unsubscribe(p, 2);
    expect(await store.get(p)).toMatchObject({ all: false, themes: [1, 3, 4, 5] });
    expect((await store.audience({ kind: 'lang', lang: 'en' })).length).toBe(1);
  });
}

describe('subscriptions in memory', () => {
  subscriptionContract(async () => {
    const store = new MemorySubscriptionStore();
    return { store, dump: async () => JSON.stringify(await store.audience({ kind: 'all' })) };
  });
});

describe('subscriptions in a file (embedded mode)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dim-subs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  subscriptionContract(async () => {
    const store = new FileSubscriptionStore(dir);
    return {
      store,
      dump: async () => {
        await store.close();
        return readFileSync(join(dir, SUBSCRIPTIONS_FILE), 'utf8');
      },
    };
  });

  it('when the service restarts, then subscriptions are read back and lapsed ones dropped', async () => {
    const store = new FileSubscriptionStore(dir);
    const subs = createSubscriptions({ store, optOut: memoryOptOut(), cipher, clock, themeCount: 5 });
    await subs.subscribe({ pseudonym: 'p_a', address: '+22370000001', channel: 'sms', lang: 'fr', theme: 2 });
    await store.close();
    expect((await new FileSubscriptionStore(dir, clock.now()).get('p_a'))?.themes).toEqual([2]);
    expect(
      await new FileSubscriptionStore(dir, clock.now() + 366 * 24 * 3600_000).get('p_a'),
    ).toBeUndefined();
  });
});

describeWithRedis('subscriptions in Redis', (redisUrl) => {
  let redis: RedisConnection;
  let prefix: string;
  subscriptionContract(async () => {
    redis = createRedisConnection({ REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: 2000 }, { patient: true });
    prefix = `t${randomUUID().slice(0, 8)}:`;
    const store = new RedisSubscriptionStore(redis, prefix, 3600);
    return {
      store,
      dump: async () => {
        const keys = await redis.keys(`${prefix}*`);
        const values = await Promise.all(
          keys.map(async (k) =>
            (await redis.type(k)) === 'set' ? (await redis.smembers(k)).join() : await redis.get(k),
          ),
        );
        for (const key of keys)
          if (!key.endsWith('subs:index')) expect(await redis.ttl(key)).toBeGreaterThan(0);
        return keys.join() + values.join();
      },
    };
  });

  it('when a record lapses, then the audience walk skips it and prunes the index', async () => {
    const client = createRedisConnection(
      { REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: 2000 },
      { patient: true },
    );
    const pre = `t${randomUUID().slice(0, 8)}:`;
    const store = new RedisSubscriptionStore(client, pre, 3600);
    const subs = createSubscriptions({ store, optOut: memoryOptOut(), cipher, clock, themeCount: 5 });
    for (const n of [1, 2, 3])
      await subs.subscribe({
        pseudonym: `p_${n}`,
        address: `+2237000000${n}`,
        channel: 'sms',
        lang: 'fr',
        theme: null,
      });
    await client.del(`${pre}subs:{p_2}:record`);
    expect((await store.audience({ kind: 'all' })).map((s) => s.pseudonym).sort()).toEqual(['p_1', 'p_3']);
    expect((await client.smembers(`${pre}subs:index`)).sort()).toEqual(['p_1', 'p_3']);
    await store.close();
  });
});
