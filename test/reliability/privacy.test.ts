import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';
import { callback, inlineQuery, textMessage } from '../support/telegram.js';

/**
 * After a scenario of every channel over a real Redis: every key has a TTL except the opt-out
 * set, no key or value carries a phone number, a Telegram id or a message text, and no log
 * line (debug level included) carries a number, a text or a secret.
 */
const h = new Harness();
const token = SECRETS.WEBHOOK_TOKEN;
const HOOK_PATH = '/tg/privacy-hook';
/** A Telegram user id that cannot be mistaken for anything else in a log line. */
const TG_USER = 987654321012;
/** A first name is personal data too. */
const TG_NAME = 'Fantasiagoundamou';

describeWithRedis('privacy over real Redis', (redisUrl) => {
  let s: RunningService;
  let api: FakeBotApi;
  let redis: Redis;
  const prefix = `priv${Date.now()}:`;
  const phones = { ussd: '', hubtel: '', sms: '', stop: '', optout: '' };
  const texts = [
    'route kidal goundam securite',
    'education des filles dans le nord',
    'recherche eau potable villages',
  ];

  const ussd = (sessionId: string, phone: string, text: string) =>
    h.fetch(`${s.baseUrl}/ussd/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({ sessionId, serviceCode: '*384*12#', phoneNumber: phone, networkCode: '99999', text }),
    });
  let smsId = 0;
  const sms = (phone: string, text: string) =>
    h.fetch(`${s.baseUrl}/sms/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({ from: phone, to: '36000', text, id: `priv-${++smsId}`, date: '2026-11-28' }),
    });
  const telegram = (update: object, id: number) =>
    h.fetch(`${s.baseUrl}${HOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET,
      },
      body: JSON.stringify({ update_id: id, ...update }),
    });

  beforeAll(async () => {
    for (const [i, name] of Object.keys(phones).entries())
      phones[name as keyof typeof phones] = h.phone(800 + i);
    for (const text of texts) h.text(text);
    h.sensitive.add(String(TG_USER));
    h.sensitive.add(TG_NAME);
    api = await startFakeBotApi();
    redis = new Redis(redisUrl);
    s = await h.start({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
      METRICS_TOKEN: SECRETS.METRICS_TOKEN,
      ...telegramWebhookEnv(HOOK_PATH, api.url),
    });
    await api.waitFor('setWebhook');

    // USSD: a session that browses, searches, opens a recommendation, asks for it by SMS,
    // changes language, then drops (resume record); and one on the latest-input dialect.
    const ussdSteps = ['1', '2', '3', '0', '00', '2', texts[0]!, '1', '9'];
    for (let hop = 0; hop <= ussdSteps.length; hop++) {
      expect((await ussd('ATUid_priv_1', phones.ussd, ussdSteps.slice(0, hop).join('*'))).status).toBe(200);
    }
    await h.fetch(`${s.baseUrl}/ussd/${token}/events`, {
      method: 'POST',
      headers: FORM,
      body: form({ sessionId: 'ATUid_priv_1', phoneNumber: phones.ussd, status: 'Incomplete', input: '9' }),
    });
    for (const [i, input] of ['5', '2', '00'].entries()) {
      expect(
        (await ussd('ATUid_priv_2', phones.ussd, ['5', '2', '00'].slice(0, i + 1).join('*'))).status,
      ).toBe(200);
      void input;
    }
    for (const [Type, Message] of [
      ['Initiation', '*713#'],
      ['Response', '2'],
      ['Response', texts[1]!],
    ] as const) {
      await h.fetch(`${s.baseUrl}/ussd/${token}/hubtel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          Type,
          Message,
          SessionId: 'hubpriv1',
          Mobile: phones.hubtel.slice(1),
          ServiceCode: '713',
          Operator: 'orange',
        }),
      });
    }
    // SMS: words, a long answer with pages, language, a duplicate, STOP/START, a bulk opt-out, a report.
    for (const text of [texts[2]!, '4.80', 'SUITE', 'EN', 'T2', 'INFO'])
      expect((await sms(phones.sms, text)).status).toBe(200);
    expect((await sms(phones.stop, 'STOP')).status).toBe(200);
    expect((await sms(phones.stop, texts[0]!)).status).toBe(200);
    await h.fetch(`${s.baseUrl}/sms/${token}/optout`, {
      method: 'POST',
      headers: FORM,
      body: form({ senderId: '36000', phoneNumber: phones.optout }),
    });
    await h.fetch(`${s.baseUrl}/sms/${token}/delivery`, {
      method: 'POST',
      headers: FORM,
      body: form({
        id: 'ATXid_9',
        status: 'Failed',
        phoneNumber: phones.sms,
        failureReason: 'AbsentSubscriber',
      }),
    });
    // Telegram: commands, a search, a button, an inline query, a duplicate update.
    const from = { id: TG_USER, first_name: TG_NAME, language_code: 'fr' };
    let update = 7000;
    for (const text of ['/start', '/reco 2.15', `/recherche ${texts[1]}`, texts[2]!]) {
      expect((await telegram(textMessage(text, from), ++update)).status).toBe(200);
    }
    expect((await telegram(textMessage('/start', from), update)).status).toBe(200); // the same update again
    const button = api.calls
      .flatMap((call) => {
        const markup = call.payload.reply_markup as {
          inline_keyboard?: Array<Array<{ callback_data?: string }>>;
        };
        return markup?.inline_keyboard?.flat() ?? [];
      })
      .find((b) => b.callback_data)?.callback_data;
    if (button) expect((await telegram(callback(button, from), ++update)).status).toBe(200);
    expect((await telegram(inlineQuery(texts[0]!, '', from), ++update)).status).toBe(200);
    // API and metrics.
    await h.fetch(`${s.baseUrl}/api/search?q=${encodeURIComponent(texts[0]!)}`);
    await h.fetch(`${s.baseUrl}/metrics`, { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } });
    await s.service.sms.flush();
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    const leaks = await h.finish('privacy');
    await api?.close();
    expect(leaks).toEqual([]);
  });

  async function allKeys(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys.sort();
  }

  it('when every channel has been used, then every stored key has a TTL except the opt-out set', async () => {
    const keys = await allKeys();
    const kinds = new Set(keys.map((key) => key.slice(prefix.length).split(':')[0]));
    // The scenario reached every kind of state: USSD, SMS, Telegram, preferences, rate limits.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['pref', 'rl', 'sms', 'tg', 'ussd']));
    const withoutTtl: string[] = [];
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      if (ttl <= 0) withoutTtl.push(`${key.slice(prefix.length)} (${ttl})`);
    }
    expect(withoutTtl).toEqual(['sms:optout (-1)']);
    expect(await redis.scard(`${prefix}sms:optout`)).toBe(2);
  });

  it('when every key and value is read, then none carries a phone number, a Telegram id or a message text', async () => {
    const found: string[] = [];
    const sensitive = [...h.sensitive];
    for (const key of await allKeys()) {
      const type = await redis.type(key);
      const values =
        type === 'string'
          ? [(await redis.get(key)) ?? '']
          : type === 'set'
            ? await redis.smembers(key)
            : type === 'hash'
              ? Object.entries(await redis.hgetall(key)).flat()
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : [`(${type})`];
      for (const text of [key, ...values]) {
        for (const value of sensitive) if (text.includes(value)) found.push(`${key}: ${value}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('when the scenario is over, then the logs (debug level) were scanned and carry no number, text or secret', () => {
    expect(h.logLineCount()).toBeGreaterThan(20);
    if (process.env.DUMP_LOGS) process.stdout.write(`${s.logs.text}\n`);
    expect(h.leaks()).toEqual([]);
  });
});
