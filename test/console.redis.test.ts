import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConsoleClient, PASSWORDS, consoleUsers } from './support/console.js';
import { describeWithRedis } from './support/redis.js';
import { startService, type RunningService } from './support/service.js';

const NUMBER = '+22376543210';
const SENTENCE = 'Fatoumata Diarra cherche du travail a Mopti';

describeWithRedis('the console on a shared Redis, two instances', (redisUrl) => {
  const prefix = `test-console-${process.pid}:`;
  let a: RunningService;
  let b: RunningService;
  let redis: Redis;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-console-redis-'));
    const env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      PHONE_HASH_KEY: 'h'.repeat(32),
      CONSOLE_USERS: await consoleUsers(),
      CONSOLE_SESSION_SECRET: 's'.repeat(40),
      ANALYTICS_RETENTION_DAYS: '30',
    };
    a = await startService(env);
    b = await startService(env);
    redis = new Redis(redisUrl);
  }, 30_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when traffic reaches both instances, then the dashboard of either shows the sum, and a session opened on one works on the other', async () => {
    const miss = (running: RunningService, person: string) =>
      running.service.analytics.record({
        type: 'searchMiss',
        person,
        channel: 'sms',
        lang: 'fr',
        outcome: 'close',
        normalisedWords: SENTENCE,
      });
    const pseudonym = a.service.pseudonymize(NUMBER);
    for (const person of [pseudonym, 'p_2', 'p_3']) {
      a.service.analytics.record({
        type: 'reply',
        person,
        channel: 'sms',
        lang: 'fr',
        kind: 'theme',
        theme: 4,
      });
      miss(a, person);
    }
    for (const person of ['p_3', 'p_4', 'p_5']) {
      b.service.analytics.record({
        type: 'reply',
        person,
        channel: 'ussd',
        lang: 'fr',
        kind: 'theme',
        theme: 4,
      });
      miss(b, person);
    }
    for (const running of [a, b]) {
      const sms = await fetch(`${running.baseUrl}/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          from: NUMBER,
          to: '36000',
          text: SENTENCE,
          id: `r-${running === a ? 'a' : 'b'}-${Date.now()}`,
        }),
      });
      expect(sms.status).toBe(200);
      await running.service.sms.flush();
      await running.service.consoleAnalytics!.flush();
    }

    const client = new ConsoleClient(a.baseUrl);
    expect((await client.login('ed', PASSWORDS.ed)).status).toBe(303);
    const onB = new ConsoleClient(b.baseUrl);
    onB.cookie = client.cookie;
    const page = await onB.get('/admin/dashboard');
    expect(page.status).toBe(200);
    expect(/id="total-people">\s*(\d+)\s*</.exec(page.text)?.[1]).toBe('5');
    const themes = await onB.get('/admin/export/themes.csv');
    expect(themes.text).toBe('Thème,Consultations\r\n4,6\r\n');
    const misses = await onB.get('/admin/export/misses.csv');
    // The six recorded close misses, and the real SMS on each instance, which finds close results (2).
    expect(misses.text).toBe(
      'Mots,Sans résultat,Approchants,Personnes\r\ndiarra fatoumata mopti travail,0,8,5\r\n',
    );

    // A change on B, seen and audited on A.
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const words = 'diarra fatoumata mopti travail';
    expect((await onB.post('/admin/tofix/add', { _csrf: token, words })).status).toBe(303);
    const list = await client.get('/admin/export/tofix.csv');
    expect(list.text).toContain(`${words},ed,`);
    const audit = await client.get('/admin/export/audit.csv');
    expect(audit.text).toMatch(new RegExp(`,ed,tofix\\.add,${words}\\r\\n`));

    // Sign out on A: the cookie is worthless on B as well.
    expect((await client.post('/admin/logout', { _csrf: token })).status).toBe(303);
    expect((await onB.get('/admin/dashboard')).status).toBe(303);
  });

  it('when Redis is read whole, then every analytics and session key expires, and nothing holds the number, the sentence or the pseudonym', async () => {
    const keys = await redis.keys(`${prefix}*`);
    const analytics = keys.filter((key) => key.startsWith(`${prefix}an:{an}:`));
    expect(analytics.length).toBeGreaterThan(5);
    for (const key of analytics) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual((30 + 8) * 86_400_000);
    }
    const dump: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await redis.hgetall(key))
            : type === 'zset'
              ? JSON.stringify(await redis.zrange(key, 0, -1))
              : type === 'stream'
                ? JSON.stringify(await redis.xrange(key, '-', '+'))
                : type === 'list'
                  ? JSON.stringify(await redis.lrange(key, 0, -1))
                  : '';
      if (key.includes(':console:sess:')) expect(await redis.pttl(key), key).toBeGreaterThan(0);
      // Sketches are binary (HyperLogLog); the rest is text a person could read.
      if (!(type === 'string' && value?.startsWith('HYLL'))) dump.push(`${key} ${value ?? ''}`);
    }
    const text = dump.join('\n');
    const consoleText = dump
      .filter((line) => line.includes(':an:{an}:') || line.includes(':console:'))
      .join('\n');
    const pseudonym = a.service.pseudonymize(NUMBER);
    expect(consoleText).not.toContain(pseudonym);
    for (const needle of ['76543210', SENTENCE, 'Fatoumata Diarra', 'Mopti', 'travail a Mopti']) {
      expect(consoleText, needle).not.toContain(needle);
    }
    expect(text).not.toContain(NUMBER);
  });

  it('when sign-in attempts are spread over both instances, then they share one budget', async () => {
    const address = { 'x-forwarded-for': '203.0.113.50' };
    let refusedAt = 0;
    for (let i = 1; i <= 12 && !refusedAt; i++) {
      const client = new ConsoleClient(i % 2 ? a.baseUrl : b.baseUrl, address);
      const status = (await client.login(`nobody${i}`, 'wrong')).status;
      if (status === 429) refusedAt = i;
    }
    expect(refusedAt).toBe(11);
  });
});

describeWithRedis('a session after its account changed (another deploy of CONSOLE_USERS)', (redisUrl) => {
  const prefix = `test-console-roles-${process.pid}:`;
  const started: RunningService[] = [];
  let dataDir: string;
  const env = async (users: string) => ({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    PHONE_HASH_KEY: 'h'.repeat(32),
    CONSOLE_USERS: users,
    CONSOLE_SESSION_SECRET: 's'.repeat(40),
  });
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-console-roles-'));
  });
  afterAll(async () => {
    for (const s of started) await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when an editor is demoted or removed while signed in, then the next request has the new role, or none', async () => {
    const users = (await consoleUsers()).split(',');
    const ed = users.find((u) => u.startsWith('ed:'))!;
    const before = await startService(await env(users.join(',')));
    // The same accounts, ed now a viewer; and the same without ed.
    const demoted = await startService(
      await env(users.map((u) => (u === ed ? u.replace('ed:editor:', 'ed:viewer:') : u)).join(',')),
    );
    const removed = await startService(await env(users.filter((u) => u !== ed).join(',')));
    started.push(before, demoted, removed);
    const client = new ConsoleClient(before.baseUrl);
    expect((await client.login('ed', PASSWORDS.ed)).status).toBe(303);
    const cookie = client.cookie;
    const on = (s: RunningService) => Object.assign(new ConsoleClient(s.baseUrl), { cookie });

    const asDemoted = on(demoted);
    const page = await asDemoted.get('/admin/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('(viewer)');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    expect((await asDemoted.post('/admin/tofix/remove', { _csrf: token, words: 'eau' })).status).toBe(403);

    const asRemoved = on(removed);
    const gone = await asRemoved.get('/admin/dashboard');
    expect(gone.status).toBe(303);
    expect(gone.location).toMatch(/^\/admin\/login/);
    // Its session is over, on every instance.
    expect((await on(before).get('/admin/dashboard')).status).toBe(303);
  });
});
