import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { describeWithRedis } from './support/redis.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { startService, type RunningService } from './support/service.js';
import { AtSession, recHeader } from './support/ussd.js';

/** USSD on a real Redis: alternate hops on two instances, stored keys, and Redis going away. */

const fr = (key: Parameters<typeof t>[1]) => toGsm7(t('fr', key));
const HASH_KEY = 'ussd-redis-test-key-0123456789';

describeWithRedis('USSD sessions on a shared Redis', (redisUrl) => {
  const prefix = `ussd-${randomUUID().slice(0, 8)}:`;
  let one: RunningService;
  let two: RunningService;
  let redis: Redis;
  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, PHONE_HASH_KEY: HASH_KEY };
    [one, two] = await Promise.all([startService(env), startService(env)]);
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    redis.disconnect();
    await Promise.all([one.close(), two.close()]);
  });

  it('when two instances serve alternate hops of one session, then it goes on as if on one', async () => {
    const s = new AtSession(one.baseUrl, '+22370111222');
    const bases = [one.baseUrl, two.baseUrl];
    const screens: string[] = [];
    for (const [i, input] of ['', '1', '2', '98', '6', '0', '0'].entries()) {
      if (input !== '') s.inputs.push(input);
      screens.push((await s.send(bases[i % 2])).screen);
    }
    expect(screens[2]).toMatch(/^Politique, institutions \(1\//);
    expect(screens[3]).toMatch(/^Politique, institutions \(2\//);
    expect(recHeader(screens[4]!.split('\n')[0])?.id).toBe('2.6');
    expect(screens[5]).toBe(screens[3]);
    expect(screens[6]).toBe(screens[2]);
  });

  it('when a resume offer is drawn by one instance, then the other instance honours it on the next hop', async () => {
    // Replaying AT's history from scratch would not know of the offer: only shared state does.
    const dropped = new AtSession(one.baseUrl, '+22370111444');
    const reading = await dropped.dial('1', '2', '15');
    await dropped.ended('Incomplete');
    const again = new AtSession(two.baseUrl, dropped.phone);
    expect((await again.dial()).lines).toContain(`6 ${fr('ussd.home.resume')}`);
    again.inputs.push('6');
    expect((await again.send(one.baseUrl)).screen).toBe(reading.screen);
  });

  it('when the latest-input dialect alternates instances, then the state follows the session too', async () => {
    const SessionId = randomUUID();
    const post = (base: string, Type: string, Message: string) =>
      fetch(`${base}/ussd/hubtel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Type, Mobile: '22370111333', SessionId, ServiceCode: '384', Message }),
      }).then((res) => res.json() as Promise<{ Message: string }>);
    await post(one.baseUrl, 'Initiation', '*384#');
    await post(two.baseUrl, 'Response', '3');
    const rec = await post(one.baseUrl, 'Response', '480');
    expect(recHeader(rec.Message.split('\n')[0])?.id).toBe('4.80');
  });

  it("when a session stored by the first layout (whole, under the id's owner key) is found, then it goes on and is saved under the person's hash tag", async () => {
    const phone = '+22370111555';
    const pseudonym = one.service.pseudonymize(phone);
    const sessionId = `ATUid_l1_${randomUUID().slice(0, 8)}`;
    // English, on theme 2's second list page, come from home and themes.
    const first = {
      owner: pseudonym,
      consumed: 3,
      state: {
        version: 2,
        lang: 'en',
        place: { at: 'theme', theme: 2, page: 1 },
        back: [{ at: 'home' }, { at: 'themes' }],
      },
    };
    await redis.set(`${prefix}ussd:s:${sessionId}`, JSON.stringify(first), 'EX', 60);
    const s = new AtSession(two.baseUrl, phone, sessionId);
    s.inputs.push('1', '2', '98');
    expect((await s.type('0')).lines[0]).toBe(toGsm7(t('en', 'ussd.themes.title')));
    // Moved under the person's hash tag; the first layout's key keeps only the id's owner.
    const saved = JSON.parse((await redis.get(`${prefix}ussd:{${pseudonym}}:s:${sessionId}`))!) as {
      state: Record<string, unknown>;
    };
    expect(JSON.parse((await redis.get(`${prefix}ussd:s:${sessionId}`))!)).toEqual({ owner: pseudonym });
    expect(saved.state).toMatchObject({
      version: 2,
      lang: 'en',
      place: { at: 'themes', page: 0 },
      back: [{ at: 'home' }],
    });
  });

  it('when a "where was I" of the first release (short field names, v1) is found, then it is not read: no resume is offered', async () => {
    const other = '+22370111556';
    const v1Last = {
      sessionId: 'ATUid_v1_old',
      snapshot: { cur: { k: 'rec', id: '2.15', p: 0 }, stack: [{ k: 'home' }] },
      ended: false,
      at: Date.now(),
    };
    await redis.set(
      `${prefix}ussd:{${one.service.pseudonymize(other)}}:last`,
      JSON.stringify(v1Last),
      'EX',
      60,
    );
    const again = new AtSession(one.baseUrl, other);
    expect((await again.dial()).lines).not.toContain(`6 ${fr('ussd.home.resume')}`);
  });

  it('when sessions are stored, then every key has a TTL and no key or value holds a phone number or typed text', async () => {
    const s = new AtSession(one.baseUrl, '+22370999888');
    await s.dial('5', '2');
    await s.type('2');
    await s.type('Tombouctou');
    await s.ended('Incomplete');
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.some((key) => key.startsWith(`${prefix}ussd:s:`))).toBe(true);
    expect(keys.some((key) => /^.*ussd:\{p_[\w-]+\}:last$/.test(key))).toBe(true);
    expect(keys.some((key) => /^.*pref:\{p_[\w-]+\}:lang$/.test(key))).toBe(true);
    for (const key of keys) {
      const ttl = await redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(key).not.toMatch(/70999888|70111222|70111333|70111444/);
      const value = (await redis.get(key)) ?? '';
      expect(value).not.toMatch(/70999888|70111222|70111333|70111444/);
      // What the person typed is not kept either: the results screen holds recommendation ids.
      expect(value).not.toMatch(/Tombouctou/i);
    }
    const langKey = keys.find((key) => key.includes('pref:'))!;
    expect(await redis.ttl(langKey)).toBeGreaterThan(100 * 24 * 3600);
  });
});

describeWithRedis('USSD when Redis goes away', () => {
  let server: RedisServer;
  let running: RunningService;
  beforeAll(async () => {
    server = await startRedisServer();
    running = await startService({
      REDIS_URL: server.url,
      PHONE_HASH_KEY: HASH_KEY,
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
  });
  afterAll(async () => {
    await running.close();
    await server.stop();
  });

  it('when Redis stops mid-session, then Africa\u2019s Talking hops still answer from the input history, promptly', async () => {
    const s = new AtSession(running.baseUrl, '+22370444555');
    await s.dial();
    expect((await s.type('1')).lines[0]).toBe(fr('ussd.themes.title'));
    await server.stop();
    const list = await s.type('2');
    expect(list.status).toBe(200);
    expect(list.screen).toMatch(/^Politique, institutions \(1\//);
    // Answered from the history (not the request deadline's apology): a stopped Redis fails fast
    // (no offline queue) instead of holding the hop.
    const rec = await s.type('15');
    expect(recHeader(rec.lines[0])?.id).toBe('2.15');
    const fresh = await new AtSession(running.baseUrl).dial('3', '480');
    expect(recHeader(fresh.lines[0])?.id).toBe('4.80');
    expect(running.logs.text).toMatch(/replaying the input history/);
    expect(running.logs.text).not.toMatch(/70444555/);
  });

  it('when Redis is down, then a latest-input session ends with a clean apology instead of an error', async () => {
    const res = await fetch(`${running.baseUrl}/ussd/hubtel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Type: 'Initiation',
        Mobile: '22370444666',
        SessionId: randomUUID(),
        ServiceCode: '384',
        Message: '*384#',
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Type: 'release', Message: fr('ussd.error.generic') });
  });
});
