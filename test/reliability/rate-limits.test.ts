import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encode } from '../../adapters/ussd/layout.js';
import { t } from '../../src/i18n/index.js';
import { toGsm7 } from '../../src/text/gsm7.js';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import type { RunningService } from '../support/service.js';
import { callback, textMessage } from '../support/telegram.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';

/**
 * Per-person budgets (RATE_LIMIT_PER_MINUTE, here 5) on USSD and SMS, keyed by the pseudonym
 * and shared through Redis; per-address budget on the API (here 10). Over the limit a person
 * is told politely on their channel; nobody else notices.
 */
const h = new Harness();
const LIMIT = 5;
const apis: FakeBotApi[] = [];
const API_LIMIT = 10;
const token = SECRETS.WEBHOOK_TOKEN;
const limitedUssd = (lang: 'fr' | 'en') => `END ${encode(t(lang, 'error.rateLimited'), 'gsm')}`;
const limitedSms = (lang: 'fr' | 'en') => toGsm7(t(lang, 'error.rateLimited'));

let hop = 0;
async function ussd(base: string, phone: string, text = '') {
  const response = await h.fetch(`${base}/ussd/${token}`, {
    method: 'POST',
    headers: FORM,
    body: form({
      sessionId: `ATUid_rl_${++hop}`,
      serviceCode: '*384*12#',
      phoneNumber: phone,
      networkCode: '99999',
      text,
    }),
  });
  return { status: response.status, body: await response.text() };
}

let messageId = 0;
async function sms(base: string, phone: string, text: string) {
  const response = await h.fetch(`${base}/sms/${token}`, {
    method: 'POST',
    headers: FORM,
    body: form({ from: phone, to: '36000', text, id: `rl-${++messageId}`, date: '2026-11-28' }),
  });
  return { status: response.status, body: (await response.json()) as { status: string } };
}

function outboxFor(s: RunningService, phone: string) {
  const pseudonym = s.service.pseudonymize(phone);
  return s.service.sms.outbox!.list().filter((entry) => entry.to === pseudonym);
}

/** Budgets are fixed one-minute windows: a test never starts in the last 5 s of one. */
async function awayFromWindowEdge() {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
}

function suite(name: string, extraEnv: () => Record<string, string>) {
  describe(name, () => {
    let s: RunningService;
    let api: FakeBotApi;
    beforeEach(awayFromWindowEdge);
    beforeAll(async () => {
      api = await startFakeBotApi();
      apis.push(api);
      s = await h.start({
        ...telegramWebhookEnv('/tg/rl-hook', api.url),
        WEBHOOK_TOKEN: token,
        PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
        API_RATE_LIMIT_PER_MINUTE: String(API_LIMIT),
        REDIS_KEY_PREFIX: `rl${Date.now()}${Math.random().toString(36).slice(2, 6)}:`,
        ...extraEnv(),
      });
    });

    it('when one phone floods USSD, then it gets a polite END after its budget and another phone is served as usual', async () => {
      const flooder = h.phone(400);
      const other = h.phone(401);
      const answers = [];
      for (let i = 0; i < LIMIT + 3; i++) answers.push(await ussd(s.baseUrl, flooder));
      expect(answers.map((a) => a.status)).toEqual(Array(LIMIT + 3).fill(200));
      expect(answers.slice(0, LIMIT).every((a) => a.body.startsWith('CON '))).toBe(true);
      expect(answers.slice(LIMIT).map((a) => a.body)).toEqual(Array(3).fill(limitedUssd('fr')));
      const served = await ussd(s.baseUrl, other);
      expect(served.body.startsWith('CON ')).toBe(true);
    });

    it('when one phone floods the latest-input dialect, then it gets a release screen with the notice', async () => {
      const Mobile = h.phone(408).slice(1);
      const answers: Array<{ Type: string; Message: string }> = [];
      for (let i = 0; i < LIMIT + 1; i++) {
        const response = await h.fetch(`${s.baseUrl}/ussd/${token}/hubtel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            Type: 'Initiation',
            SessionId: `hubrl${i}${Date.now()}`,
            Mobile,
            ServiceCode: '713',
            Message: '*713#',
          }),
        });
        expect(response.status).toBe(200);
        answers.push((await response.json()) as { Type: string; Message: string });
      }
      expect(answers.slice(0, LIMIT).every((a) => a.Type === 'response')).toBe(true);
      expect(answers[LIMIT]).toMatchObject({
        Type: 'release',
        Message: encode(t('fr', 'error.rateLimited'), 'gsm'),
      });
    });

    it('when a person who chose English is over the budget, then the USSD notice is in English', async () => {
      const phone = h.phone(402);
      expect((await sms(s.baseUrl, phone, 'EN')).status).toBe(200); // the language is shared by SMS and USSD
      let last = '';
      for (let i = 0; i < LIMIT + 1; i++) last = (await ussd(s.baseUrl, phone)).body;
      expect(last).toBe(limitedUssd('en'));
    });

    it('when one phone floods SMS, then it gets one "try again later" per window, not one per message, and the gateway always a 200', async () => {
      const phone = h.phone(403);
      const outcomes = [];
      for (let i = 0; i < LIMIT + 10; i++) outcomes.push(await sms(s.baseUrl, phone, 'eau'));
      expect(outcomes.every((o) => o.status === 200)).toBe(true);
      expect(outcomes.slice(LIMIT).every((o) => o.body.status === 'rateLimited')).toBe(true);
      await s.service.sms.flush();
      const texts = outboxFor(s, phone).map((entry) => entry.text);
      expect(texts.filter((text) => text === limitedSms('fr'))).toHaveLength(1);
      expect(texts).toHaveLength(LIMIT + 1);
    });

    it('when a phone uses USSD and SMS, then both count against the one budget of that person', async () => {
      const phone = h.phone(404);
      for (let i = 0; i < LIMIT - 2; i++) await ussd(s.baseUrl, phone);
      await sms(s.baseUrl, phone, 'eau');
      await sms(s.baseUrl, phone, 'route');
      expect((await ussd(s.baseUrl, phone)).body).toBe(limitedUssd('fr'));
    });

    it('when delivery reports and bulk opt-outs keep coming for one number, then they are never limited (they are the gateway’s, not the person’s)', async () => {
      const phone = h.phone(405);
      for (let i = 0; i < LIMIT + 3; i++) {
        const report = await h.fetch(`${s.baseUrl}/sms/${token}/delivery`, {
          method: 'POST',
          headers: FORM,
          body: form({ id: `ATXid_${i}`, status: 'Success', phoneNumber: phone }),
        });
        expect(report.status).toBe(200);
      }
      const optout = await h.fetch(`${s.baseUrl}/sms/${token}/optout`, {
        method: 'POST',
        headers: FORM,
        body: form({ senderId: '36000', phoneNumber: phone }),
      });
      expect(optout.status).toBe(200);
      expect(await s.service.sms.optOuts.has(s.service.pseudonymize(phone))).toBe(true);
    });

    it('when one Telegram user floods the bot, then one polite message per window, a tapped button gets the notice, and the webhook always a 200', async () => {
      await api.waitFor('setWebhook');
      const from = { id: 4_040_404 + Math.floor(Math.random() * 1000), first_name: 'U', language_code: 'en' };
      const post = (update: object) =>
        h.fetch(`${s.baseUrl}/tg/rl-hook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET,
          },
          body: JSON.stringify(update),
        });
      const toUser = () =>
        api.calls
          .filter((c) => c.method === 'sendMessage' && c.payload.chat_id === from.id)
          .map((c) => String(c.payload.text));
      const base = Math.floor(Math.random() * 1e6) * 10;
      for (let i = 0; i < LIMIT + 4; i++)
        expect((await post({ update_id: base + i, ...textMessage('/reco 2.15', from) })).status).toBe(200);
      const texts = toUser();
      expect(texts.filter((text) => text === t('en', 'error.rateLimited'))).toHaveLength(1);
      expect(texts).toHaveLength(LIMIT + 1);
      expect((await post({ update_id: base + 50, ...callback('x', from) })).status).toBe(200);
      const answer = api.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1);
      expect(answer?.payload.text).toBe(t('en', 'error.rateLimited'));
    });

    it('when one address floods the API, then it gets 429 JSON with Retry-After', async () => {
      const statuses = [];
      let refused: Response | undefined;
      for (let i = 0; i < API_LIMIT + 2; i++) {
        const response = await h.fetch(`${s.baseUrl}/api/search?q=eau`);
        statuses.push(response.status);
        if (response.status === 429) refused = response;
        else await response.arrayBuffer();
      }
      expect(statuses.slice(0, API_LIMIT)).toEqual(Array(API_LIMIT).fill(200));
      expect(statuses.slice(API_LIMIT)).toEqual([429, 429]);
      const retryAfter = Number(refused!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(61);
      expect(await refused!.json()).toMatchObject({ error: 'rate_limited' });
      // Health checks and gateways are not the API: still served.
      expect((await h.fetch(`${s.baseUrl}/healthz`)).status).toBe(200);
    });

    it('when one phone sends 200 hops at once, then another phone is served in full while the flood is in flight', async () => {
      const flooder = h.phone(406);
      const other = h.phone(407);
      const flood = Promise.all(Array.from({ length: 200 }, () => ussd(s.baseUrl, flooder)));
      // What "stays fast" stands for, without a stopwatch (speed is in bench/): none of the other
      // phone's hops is refused, cut by the request deadline's apology, or charged to the
      // flooder's budget; the flooder gets its budget and polite refusals, never a 5xx.
      const answers = [];
      for (let i = 0; i < LIMIT; i++) answers.push(await ussd(s.baseUrl, other));
      expect(answers.map((a) => [a.status, a.body.slice(0, 4)])).toEqual(Array(LIMIT).fill([200, 'CON ']));
      const flooded = await flood;
      expect(flooded.filter((a) => a.body.startsWith('CON ')).length).toBe(LIMIT);
      expect(flooded.every((a) => a.status === 200)).toBe(true);
    });
  });
}

afterAll(async () => {
  const leaks = await h.finish('rate-limits');
  await Promise.all(apis.map((api) => api.close()));
  expect(leaks).toEqual([]);
});

suite('rate limits, memory (one process)', () => ({}));

describeWithRedis('rate limits through Redis', (redisUrl) => {
  suite('one instance', () => ({ REDIS_URL: redisUrl }));

  describe('two instances', () => {
    let one: RunningService;
    let two: RunningService;
    beforeAll(async () => {
      const env = {
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `rl2${Date.now()}:`,
        WEBHOOK_TOKEN: token,
        PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
      };
      [one, two] = await Promise.all([h.start(env), h.start(env)]);
    });

    beforeEach(awayFromWindowEdge);

    it('when a phone alternates between two instances, then the budget is shared, not doubled', async () => {
      const phone = h.phone(410);
      const bodies = [];
      for (let i = 0; i < LIMIT + 2; i++)
        bodies.push((await ussd(i % 2 ? two.baseUrl : one.baseUrl, phone)).body);
      expect(bodies.filter((b) => b.startsWith('CON ')).length).toBe(LIMIT);
      expect(bodies.slice(LIMIT)).toEqual([limitedUssd('fr'), limitedUssd('fr')]);
    });
  });
});
