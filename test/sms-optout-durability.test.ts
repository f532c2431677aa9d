import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { FileOptOutRegistry, OPT_OUT_FILE } from '../adapters/stores/optout-file.js';
import { RedisOptOutRegistry } from '../adapters/stores/optout-redis.js';
import { createRedisConnection } from '../adapters/stores/redis-client.js';
import { loadConfig } from '../src/config.js';
import { describeWithRedis } from './support/redis.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { LogCapture } from './support/service.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';

const PHONE = '+22370000031';

async function repliesTo(sms: SmsHarness, text: string): Promise<string[]> {
  const before = (await sms.outbox()).length;
  const { status } = await sms.incoming(text, { from: PHONE });
  expect(status).toBe(200);
  return (await sms.outbox()).slice(before).map((entry) => entry.text);
}

async function waitReady(sms: SmsHarness): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${sms.baseUrl}/readyz`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('service not ready');
}

describe('SMS opt-out without Redis: the journal under DATA_DIR', () => {
  it('when a person sent STOP and the service restarts (twice), then nothing is sent to them until START, and START is kept too', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-optout-'));
    try {
      let sms = await startSmsHarness({}, dataDir);
      expect(await repliesTo(sms, 'STOP')).toHaveLength(1);
      await sms.stop(true);

      sms = await startSmsHarness({}, dataDir);
      expect(await repliesTo(sms, 'aide')).toEqual([]);
      expect(await repliesTo(sms, 'START')).toHaveLength(1);
      await sms.stop(true);

      sms = await startSmsHarness({}, dataDir);
      expect(await repliesTo(sms, 'aide')).toHaveLength(1);
      const journal = readFileSync(join(dataDir, OPT_OUT_FILE), 'utf8');
      const pseudonym = sms.service.pseudonymize(PHONE);
      expect(journal).toMatch(
        new RegExp(`^optout ${pseudonym} \\d{4}-\\d{2}-\\d{2}T.*\\noptin ${pseudonym} `),
      );
      expect(journal).not.toContain('70000031');
      await sms.stop(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when the journal ends with a torn line (a crash mid-write), then the complete lines still count and the torn one is ignored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-optout-'));
    try {
      writeFileSync(
        join(dataDir, OPT_OUT_FILE),
        'optout p_a 2024-05-10T00:00:00.000Z\noptout p_b 2024-05-10T00:00:00.000Z\noptin p_a 2024-05-10T00:00:01.000Z\noptout p_c',
      );
      const registry = new FileOptOutRegistry(dataDir);
      expect(await registry.has('p_a')).toBe(false);
      expect(await registry.has('p_b')).toBe(true);
      expect(await registry.has('p_c')).toBe(false);
      await registry.add('p_d');
      await registry.close();
      // The torn line did not glue itself to the next append.
      expect(readFileSync(join(dataDir, OPT_OUT_FILE), 'utf8')).toMatch(/\noptout p_c\noptout p_d /);
      const again = new FileOptOutRegistry(dataDir);
      expect(await again.has('p_d')).toBe(true);
      expect(await again.has('p_b')).toBe(true);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when many opt-outs are written at once, then every one is on disk when its promise resolves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-optout-'));
    try {
      const registry = new FileOptOutRegistry(dataDir);
      await Promise.all(Array.from({ length: 50 }, (_, i) => registry.add(`p_${i}`)));
      const lines = readFileSync(join(dataDir, OPT_OUT_FILE), 'utf8').trim().split('\n');
      expect(new Set(lines.map((line) => line.split(' ')[1]))).toHaveLength(50);
      await registry.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeWithRedis('SMS opt-out in Redis (appendonly yes, appendfsync always)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true, appendfsync: 'always' });
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('when a person sent STOP and Redis then the service restart, then nothing is sent to them until START', async () => {
    const env = { REDIS_URL: redis.url, PHONE_HASH_KEY: 'h'.repeat(32) };
    let sms = await startSmsHarness(env);
    try {
      expect(await repliesTo(sms, 'STOP')).toHaveLength(1);
      const probe = new Redis(redis.url);
      const pseudonym = sms.service.pseudonymize(PHONE);
      expect(await probe.sismember('dim:sms:optout', pseudonym)).toBe(1);
      expect(await probe.ttl('dim:sms:optout')).toBe(-1); // the one key without a TTL, by design
      expect(JSON.stringify(await probe.smembers('dim:sms:optout'))).not.toContain('70000031');
      probe.disconnect();

      await redis.restart();
      await waitReady(sms);
      // Read back directly: the registry answers "opted out" when Redis fails, which must not pass for durability.
      const after = new Redis(redis.url);
      expect(await after.sismember('dim:sms:optout', pseudonym)).toBe(1);
      after.disconnect();
      expect(await repliesTo(sms, 'aide')).toEqual([]);

      await sms.stop();
      sms = await startSmsHarness(env);
      await waitReady(sms);
      expect(await repliesTo(sms, 'aide')).toEqual([]);
      expect(await repliesTo(sms, 'START')).toHaveLength(1);

      await redis.restart();
      await waitReady(sms);
      expect(await repliesTo(sms, 'aide')).toHaveLength(1);
    } finally {
      await sms.stop();
    }
  });

  it('when an opt-out is written while Redis restarts, then the patient client waits and the write lands', async () => {
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url });
    const logger = createLogger('silent', new LogCapture());
    const registry = new RedisOptOutRegistry(
      createRedisConnection(config, { patient: true }),
      logger,
      'dim:sms:optout',
    );
    await registry.has('p_warmup');
    const restarting = redis.restart();
    const added = registry.add('p_during_restart');
    await restarting;
    await added;
    await registry.close();

    const fresh = new RedisOptOutRegistry(
      createRedisConnection(config, { patient: true }),
      logger,
      'dim:sms:optout',
    );
    await redis.restart(); // and the AOF brings it back
    const probe = new Redis(redis.url);
    expect(await probe.sismember('dim:sms:optout', 'p_during_restart')).toBe(1);
    probe.disconnect();
    expect(await fresh.has('p_during_restart')).toBe(true);
    await fresh.remove('p_during_restart');
    expect(await fresh.has('p_during_restart')).toBe(false);
    await fresh.close();
  });
});

describeWithRedis('SMS keys in Redis', (redisUrl) => {
  it('when a conversation has happened, then every key it left has a TTL (except the opt-out set), one person’s keys carry the pseudonym in a hash tag, and no number appears', async () => {
    const prefix = `smskeys${process.pid}:`;
    const sms = await startSmsHarness({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      PHONE_HASH_KEY: 'h'.repeat(32),
    });
    const probe = new Redis(redisUrl);
    try {
      await waitReady(sms);
      for (const text of ['aide', 'EN', 'STOP', 'START', 'eau', 'T4', 'SUITE']) await repliesTo(sms, text);
      await sms.incoming('STOP', { from: '+22370000032' }); // someone who stays opted out
      await sms.service.sms.flush();
      const pseudonym = sms.service.pseudonymize(PHONE);
      const keys = await probe.keys(`${prefix}*`);
      expect(keys).toContain(`${prefix}sms:optout`);
      expect(keys).toContain(`${prefix}sms:{${pseudonym}}:pages`);
      expect(keys).toContain(`${prefix}pref:{${pseudonym}}:lang`);
      for (const key of keys) {
        const ttl = await probe.ttl(key);
        if (key === `${prefix}sms:optout`) expect(ttl).toBe(-1);
        else expect(ttl, key).toBeGreaterThan(0);
        expect(key).not.toMatch(/7000003[12]/);
        const type = await probe.type(key);
        const value = type === 'string' ? await probe.get(key) : JSON.stringify(await probe.smembers(key));
        expect(value ?? '').not.toMatch(/7000003[12]/);
        if (key.includes(pseudonym)) expect(key).toContain(`{${pseudonym}}`);
      }
    } finally {
      probe.disconnect();
      await sms.stop();
    }
  });
});
