import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from './support/redis.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Issue 33, point 6: two instances on one store with different PHONE_HASH_KEY or SUBSCRIBERS_KEY
 * ran side by side unnoticed (a STOP sent to one was unknown to the other). Now each key's
 * fingerprint is kept in the store and an instance whose key differs is not ready.
 */
const KEY_A = 'fingerprint-phone-key-A-0123456789';
const KEY_B = 'fingerprint-phone-key-B-0123456789';
const SEAL_A = 'fingerprint-subscribers-key-A-0123456789abcdef';
const SEAL_B = 'fingerprint-subscribers-key-B-0123456789abcdef';

async function readiness(s: RunningService) {
  const response = await fetch(`${s.baseUrl}/readyz`);
  const body = (await response.json()) as { checks: Array<{ name: string; ok: boolean; error?: string }> };
  return { status: response.status, keys: body.checks.find((c) => c.name === 'keys') };
}

describeWithRedis('instances on one store share its keys', (redisUrl) => {
  const started: RunningService[] = [];
  const prefix = `kfp${Date.now()}:`;
  const start = async (env: Record<string, string>) => {
    const s = await startService({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      ...env,
    });
    started.push(s);
    return s;
  };
  let first: RunningService;
  beforeAll(async () => {
    first = await start({ PHONE_HASH_KEY: KEY_A, SUBSCRIBERS_KEY: SEAL_A });
  });
  afterAll(async () => {
    for (const s of started) await s.close();
  });

  it('when a second instance has the same keys, then both are ready', async () => {
    const second = await start({ PHONE_HASH_KEY: KEY_A, SUBSCRIBERS_KEY: SEAL_A });
    expect((await readiness(first)).status).toBe(200);
    expect(await readiness(second)).toMatchObject({ status: 200, keys: { ok: true } });
  });

  it('when an instance starts with another PHONE_HASH_KEY, then it is not ready and says which key differs', async () => {
    const other = await start({ PHONE_HASH_KEY: KEY_B, SUBSCRIBERS_KEY: SEAL_A });
    const answer = await readiness(other);
    expect(answer.status).toBe(503);
    expect(answer.keys?.ok).toBe(false);
    expect(answer.keys?.error).toContain('PHONE_HASH_KEY');
    expect(answer.keys?.error).not.toContain('SUBSCRIBERS_KEY');
    // Neither key's value is anywhere in the answer or the store's fingerprint.
    expect(JSON.stringify(answer)).not.toContain(KEY_B);
    expect((await readiness(first)).status).toBe(200);
  });

  it('when an instance starts with another SUBSCRIBERS_KEY, then it is not ready', async () => {
    const other = await start({ PHONE_HASH_KEY: KEY_A, SUBSCRIBERS_KEY: SEAL_B });
    const answer = await readiness(other);
    expect(answer.status).toBe(503);
    expect(answer.keys?.error).toContain('SUBSCRIBERS_KEY');
  });
});
