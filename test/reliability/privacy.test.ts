import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';
import { callback, inlineQuery, textMessage } from '../support/telegram.js';
import { ConsoleClient, PASSWORDS, consoleUsers } from '../support/console.js';
import {
  WA,
  notification,
  sign,
  startFakeGraphApi,
  text as waText,
  wamid,
  type FakeGraphApi,
} from '../support/whatsapp.js';

/**
 * After a scenario of every channel over a real Redis (USSD, SMS with its pages, Telegram,
 * WhatsApp, voice, the API, the console): every key has a TTL except the durable lists, no key
 * or value carries a phone number, a Telegram id or a message text, and no log line (debug
 * level included) carries a number, a text or a secret.
 *
 * Issue 33, point 5: `sms:{p}:pages` quoted the start of the message (24 h) and `:searched`
 * kept its words (10 min): "ou est mon fils Ibrahim Coulibaly arrete a Kidal" sat in Redis under
 * a pseudonym. Every value is now also searched, lower-cased, for the start of each message and
 * for the names in it, on every channel that took it.
 */
const h = new Harness();
const token = SECRETS.WEBHOOK_TOKEN;
const HOOK_PATH = '/tg/privacy-hook';
/** A Telegram user id that cannot be mistaken for anything else in a log line. */
const TG_USER = 987654321012;
/** A group's id, as unmistakable. */
const TG_GROUP = -1009876501234;
/** A first name is personal data too. */
const TG_NAME = 'Fantasiagoundamou';

describeWithRedis('privacy over real Redis', (redisUrl) => {
  let s: RunningService;
  let api: FakeBotApi;
  let redis: Redis;
  const prefix = `priv${Date.now()}:`;
  const phones = { ussd: '', hubtel: '', sms: '', stop: '', optout: '', whatsapp: '', voice: '' };
  const texts = [
    'route kidal goundam securite',
    'education des filles dans le nord',
    'recherche eau potable villages',
  ];
  /** What a worried parent writes (issue 33), and a search whose answer takes several SMS pages. */
  const PARENT = 'ou est mon fils Ibrahim Coulibaly arrete a Kidal';
  const PAGED = 'femmes et jeunes de Kidal Coulibaly';
  /** Lower-cased, searched in every key and value: the names, and how each message starts. */
  const fragments = [
    'ibrahim',
    'coulibaly',
    ...[...texts, PARENT, PAGED].map((t) => t.slice(0, 20).toLowerCase()),
  ];
  let graph: FakeGraphApi;

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
    h.sensitive.add(String(TG_GROUP).slice(1));
    h.sensitive.add(TG_NAME);
    h.text(PARENT);
    h.text(PAGED);
    h.sensitive.add('Ibrahim');
    h.sensitive.add('Coulibaly');
    api = await startFakeBotApi();
    graph = await startFakeGraphApi();
    redis = new Redis(redisUrl);
    s = await h.start({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
      METRICS_TOKEN: SECRETS.METRICS_TOKEN,
      CONSOLE_USERS: await consoleUsers(),
      WHATSAPP_TOKEN: WA.token,
      WHATSAPP_APP_SECRET: WA.appSecret,
      WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
      WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
      WHATSAPP_API_ROOT: graph.url,
      ...telegramWebhookEnv(HOOK_PATH, api.url),
    });
    await api.waitFor('setWebhook');

    // USSD: a session that browses, searches, opens a recommendation, asks for it by SMS,
    // changes language, then drops (resume record); and one on the latest-input dialect.
    const ussdSteps = ['1', '2', '3', '0', '00', '2', texts[0]!, '1', '9', '00', '2', PARENT];
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
    for (const text of [
      texts[2]!,
      '4.80',
      'SUITE',
      'EN',
      'T2',
      'INFO',
      PARENT,
      'FR',
      PAGED,
      'SUITE',
      'FAUX',
      PAGED,
    ])
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
    for (const text of ['/start', '/reco 2.15', `/recherche ${texts[1]}`, texts[2]!, PARENT, PAGED]) {
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
    // Issue 37: a group naming the bot, a reaction, a double tap, an edited message.
    const group = { id: TG_GROUP, type: 'supergroup', title: 'Famille' };
    const naming = `@dim_test_bot ${texts[1]}`;
    const entities = [{ type: 'mention', offset: 0, length: '@dim_test_bot'.length }];
    const sentAt = Math.floor(Date.now() / 1000);
    const inGroup = { message_id: 31, date: sentAt, chat: group, from, text: naming, entities };
    expect((await telegram({ message: inGroup }, ++update)).status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect((await telegram(callback('f:2.15:1', from), ++update)).status).toBe(200);
    const edit = {
      message_id: 32,
      date: sentAt - 5,
      edit_date: sentAt,
      chat: group,
      from,
      text: naming,
      entities,
    };
    expect((await telegram({ edited_message: edit }, ++update)).status).toBe(200);
    // WhatsApp: the same sentences, then a STOP.
    const wa = phones.whatsapp.slice(1);
    for (const body of [PARENT, PAGED, 'STOP']) {
      const raw = JSON.stringify(
        notification([waText(body, { from: wa, id: wamid(wa), timestamp: Math.floor(Date.now() / 1000) })]),
      );
      const posted = await h.fetch(`${s.baseUrl}/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
        body: raw,
      });
      expect(posted.status).toBe(200);
    }
    // Voice: a call that opens the line, and its end.
    for (const isActive of ['1', '0'])
      await h.fetch(`${s.baseUrl}/voice/${token}`, {
        method: 'POST',
        headers: FORM,
        body: form({
          isActive,
          sessionId: 'ATVId_priv_1',
          direction: 'Inbound',
          callerNumber: phones.voice,
          destinationNumber: '+22320000000',
          durationInSeconds: '12',
        }),
      });
    // The console: an operator signs in and exports.
    const operator = new ConsoleClient(s.baseUrl);
    expect((await operator.login('vera', PASSWORDS.vera)).status).toBe(303);
    expect((await operator.get('/admin/export/misses.csv')).status).toBe(200);
    // API and metrics.
    await h.fetch(`${s.baseUrl}/api/search?q=${encodeURIComponent(texts[0]!)}`);
    await h.fetch(`${s.baseUrl}/api/search?q=${encodeURIComponent(PARENT)}`);
    await h.fetch(`${s.baseUrl}/metrics`, { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } });
    await s.service.sms.flush();
    await s.service.whatsapp!.flush();
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    const leaks = await h.finish('privacy');
    await api?.close();
    await graph?.close();
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

  it('when every channel has been used, then every stored key has a TTL except the durable lists', async () => {
    const keys = await allKeys();
    const kinds = new Set(keys.map((key) => key.slice(prefix.length).split(':')[0]));
    // The scenario reached every kind of state: USSD, SMS, Telegram, preferences, rate limits.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['pref', 'rl', 'sms', 'tg', 'ussd']));
    const withoutTtl: string[] = [];
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      if (ttl <= 0) withoutTtl.push(`${key.slice(prefix.length)} (${ttl})`);
    }
    // The durable lists: STOPs (SMS, WhatsApp), and the console's audit log (trimmed by age at
    // each entry, operators' names only).
    expect(withoutTtl).toEqual(['console:{console}:audit (-1)', 'sms:optout (-1)', 'whatsapp:optout (-1)']);
    expect(await redis.scard(`${prefix}sms:optout`)).toBe(2);
    expect(await redis.scard(`${prefix}whatsapp:optout`)).toBe(1);
  });

  it('when every key and value is read, then none carries a phone number, a Telegram id or a message text', async () => {
    const found: string[] = [];
    const sensitive = [...h.sensitive];
    const keys = await allKeys();
    // The scenario left paging state and what searches showed: both were read, not skipped.
    expect(keys.some((key) => key.endsWith(':pages'))).toBe(true);
    expect(keys.some((key) => key.endsWith(':searched'))).toBe(true);
    // And issue 37's marks: a tap, a reaction, an edit answered (digests and pseudonyms only).
    for (const mark of [/:tap:/, /:fb:2\.15$/, /:edit:/])
      expect(keys.some((key) => mark.test(key))).toBe(true);
    for (const key of keys) {
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
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                  : type === 'stream'
                    ? (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields])
                    : [`(${type})`];
      for (const text of [key, ...values]) {
        for (const value of sensitive) if (text.includes(value)) found.push(`${key}: ${value}`);
        const lower = text.toLowerCase();
        for (const fragment of fragments) if (lower.includes(fragment)) found.push(`${key}: "${fragment}"`);
      }
    }
    expect(found).toEqual([]);
  });

  it('when SUITE follows a long answer, then the next page comes from the ids kept, the words of the question nowhere', async () => {
    const pseudonym = s.service.pseudonymize(phones.sms);
    const pages = s.service.sms
      .outbox!.list()
      .filter((entry) => entry.to === pseudonym && /^\(\d\/\d\)/.test(entry.text));
    // The long answer to PAGED: its first page, then the second one SUITE asked for.
    expect(pages.some((page) => page.text.startsWith('(2/'))).toBe(true);
    const state = await redis.get(`${prefix}sms:{${pseudonym}}:pages`);
    expect(state).toMatch(/"ids":\["\d\.\d+"/);
  });

  it('when the scenario is over, then the logs (debug level) were scanned and carry no number, text or secret', () => {
    expect(h.logLineCount()).toBeGreaterThan(20);
    if (process.env.DUMP_LOGS) process.stdout.write(`${s.logs.text}\n`);
    expect(h.leaks()).toEqual([]);
  });
});
