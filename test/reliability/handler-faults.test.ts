import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';
import { textMessage } from '../support/telegram.js';

/**
 * Faults inside a handler, injected through the data it reads: stored state that is not JSON,
 * or JSON of the wrong shape (a bad deploy, a manual edit, another version of the service).
 * Every request ends with a clean answer on its channel (never a 5xx to a gateway, never a
 * hang), the process stays up, and the next request of the same person works again. Then
 * the request deadline: a store frozen longer than REQUEST_TIMEOUT_MS.
 */
const h = new Harness();
const token = SECRETS.WEBHOOK_TOKEN;
const HOOK_PATH = '/tg/faults-hook';

describeWithRedis('faults inside handlers', (redisUrl) => {
  let s: RunningService;
  let api: FakeBotApi;
  let redis: Redis;
  const prefix = `hf${Date.now()}:`;

  beforeAll(async () => {
    api = await startFakeBotApi();
    redis = new Redis(redisUrl);
    s = await h.start({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
      // The service's own deadline answers for promptness (the test no longer times requests).
      REQUEST_TIMEOUT_MS: '1500',
      ...telegramWebhookEnv(HOOK_PATH, api.url),
    });
    await api.waitFor('setWebhook');
  });
  afterAll(async () => {
    redis?.disconnect();
    await api?.close();
  });

  const ussd = async (sessionId: string, phone: string, text: string) => {
    const response = await h.fetch(`${s.baseUrl}/ussd/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({ sessionId, serviceCode: '*384*12#', phoneNumber: phone, networkCode: '99999', text }),
    });
    return { status: response.status, body: await response.text() };
  };
  let smsId = 0;
  const sms = async (phone: string, text: string) => {
    const response = await h.fetch(`${s.baseUrl}/sms/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({ from: phone, to: '36000', text, id: `hf-${++smsId}`, date: '2026-11-28' }),
    });
    return { status: response.status, body: await response.text() };
  };

  const corruptions = (pseudonym: string): Array<[string, string]> => [
    ['not JSON', '{not json'],
    ['a number', '42'],
    ['null', 'null'],
    [
      'wrong shape',
      JSON.stringify({ owner: pseudonym, consumed: 'x', state: { v: 9, cur: 5, stack: 'no' } }),
    ],
    [
      'deep nonsense',
      JSON.stringify({
        owner: pseudonym,
        consumed: 1,
        state: { v: 1, lang: 'xx', cur: { k: 'rec', id: '9.99', p: -1 }, stack: [] },
      }),
    ],
  ];

  it('when a USSD session or preference in the store is corrupted, then the hop ends cleanly and the next session works', async () => {
    for (const [i, phoneIndex] of [0, 1, 2, 3, 4].entries()) {
      const phone = h.phone(950 + phoneIndex);
      const pseudonym = s.service.pseudonymize(phone);
      const [label, value] = corruptions(pseudonym)[i]!;
      const session = `ATUid_hf_${i}`;
      h.tally.faults++;
      await redis.set(`${prefix}ussd:s:${session}`, value, 'EX', 60);
      await redis.set(`${prefix}pref:{${pseudonym}}:lang`, value, 'EX', 60);
      await redis.set(`${prefix}ussd:{${pseudonym}}:last`, value, 'EX', 60);
      const hop = await ussd(session, phone, '1*2');
      expect(hop.status, label).toBe(200);
      expect(hop.body, label).toMatch(/^(CON|END) \S/);
      const fresh = await ussd(`ATUid_hf_fresh_${i}`, phone, '');
      expect(fresh.status, label).toBe(200);
      expect(fresh.body, label).toMatch(/^(CON|END) \S/);
    }
  });

  it('when SMS pages or a preference in the store are corrupted, then the gateway gets no 5xx and the person is answered', async () => {
    for (const [i] of [0, 1, 2, 3, 4].entries()) {
      const phone = h.phone(960 + i);
      const pseudonym = s.service.pseudonymize(phone);
      const [label, value] = corruptions(pseudonym)[i]!;
      h.tally.faults++;
      await redis.set(`${prefix}sms:{${pseudonym}}:pages`, value, 'EX', 60);
      await redis.set(`${prefix}pref:{${pseudonym}}:lang`, value, 'EX', 60);
      const before = s.service.sms.outbox!.list().length;
      const next = await sms(phone, 'SUITE');
      expect(next.status, `${label}: ${next.body}`).toBe(200);
      const word = await sms(phone, 'eau');
      expect(word.status, `${label}: ${word.body}`).toBe(200);
      await s.service.sms.flush();
      expect(s.service.sms.outbox!.list().length - before, label).toBeGreaterThanOrEqual(1);
    }
  });

  it('when a Telegram session in the store is corrupted, then the webhook answers 200 and the user gets a reply', async () => {
    for (const [i] of [0, 1, 2, 3].entries()) {
      const userId = 6660000 + i;
      const pseudonym = s.service.pseudonymize(String(userId));
      const [label, value] = corruptions(pseudonym)[i]!;
      h.tally.faults++;
      await redis.set(`${prefix}tg:{${pseudonym}}:session`, value, 'EX', 60);
      const before = api.calls.filter((c) => c.method === 'sendMessage').length;
      const response = await h.fetch(`${s.baseUrl}${HOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET,
        },
        body: JSON.stringify({ update_id: 80_000 + i, ...textMessage('/reco 2.15', { id: userId }) }),
      });
      expect(response.status, label).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(
        api.calls.filter((c) => c.method === 'sendMessage').length - before,
        label,
      ).toBeGreaterThanOrEqual(1);
    }
  });

  it('when all the corrupted state has been read, then the process is up and ready', async () => {
    expect((await h.fetch(`${s.baseUrl}/healthz`)).status).toBe(200);
    expect((await h.fetch(`${s.baseUrl}/readyz`)).status).toBe(200);
  });
});

describeWithRedis('the request deadline (REQUEST_TIMEOUT_MS)', () => {
  let own: RedisServer;
  let s: RunningService;
  beforeAll(async () => {
    own = await startRedisServer();
    // The store waits up to 1 s per command; the deadline (200 ms) must answer first.
    s = await h.start({
      REDIS_URL: own.url,
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '200',
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
    });
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('when the store freezes past the deadline, then USSD gets a clean END at the deadline, SMS a 503 to redeliver, and both recover', async () => {
    // Paused far longer than either deadline; lifted by hand below. A probe write queued before
    // the hop is released only when the pause ends: the hop answering while the probe still
    // waits proves it did not wait for Redis (the ordering, not a stopwatch, on a busy machine).
    const pauser = new Redis(own.url);
    await pauser.call('CLIENT', 'PAUSE', '30000', 'WRITE');
    const prober = new Redis(own.url);
    let probeDone = false;
    const probe = prober.set('handler-faults:probe', '1').then(() => (probeDone = true));
    h.tally.faults++;
    const hop = await h.fetch(`${s.baseUrl}/ussd/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({
        sessionId: 'ATUid_deadline',
        serviceCode: '*384*12#',
        phoneNumber: h.phone(970),
        networkCode: '1',
        text: '1',
      }),
    });
    const body = await hop.text();
    expect(hop.status).toBe(200);
    expect(body).toMatch(/^(END|CON) \S/);
    expect(probeDone).toBe(false);
    const message = await h.fetch(`${s.baseUrl}/sms/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({ from: h.phone(971), to: '36000', text: 'eau', id: 'deadline-1', date: '2026-11-28' }),
    });
    expect([200, 503]).toContain(message.status);
    if (message.status === 503) h.tally.failed--; // deferred to the gateway's redelivery, counted below
    if (message.status === 503) h.tally.deferred++;
    expect(probeDone).toBe(false);
    await pauser.call('CLIENT', 'UNPAUSE');
    await probe;
    pauser.disconnect();
    prober.disconnect();
    const again = await h.fetch(`${s.baseUrl}/sms/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({ from: h.phone(971), to: '36000', text: 'eau', id: 'deadline-1', date: '2026-11-28' }),
    });
    expect(again.status).toBe(200);
    const after = await h.fetch(`${s.baseUrl}/ussd/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({
        sessionId: 'ATUid_deadline2',
        serviceCode: '*384*12#',
        phoneNumber: h.phone(970),
        networkCode: '1',
        text: '',
      }),
    });
    expect(await after.text()).toMatch(/^CON /);
  });
});

afterAll(async () => {
  const leaks = await h.finish('handler-faults');
  expect(leaks).toEqual([]);
});
