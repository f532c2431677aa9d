import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../adapters/sms/senders/outbox.js';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from './support/fake-bot-api.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from './support/redis-server.js';
import { startService, type RunningService } from './support/service.js';
import { freshPhone, newSessionId, recHeader } from './support/ussd.js';

/**
 * Two service processes' worth of state (two in-process services, each with its own engine,
 * HTTP server, Redis connection, Telegram bot and SMS outbox) share one real Redis. Every
 * conversation is played twice: once entirely on instance A (the reference), once with its
 * steps alternating between A and B. "Every session continues correctly" means the two
 * transcripts are identical, and the reference is checked to be a real conversation (right
 * recommendation, every SMS page, the search's second page), so two broken runs cannot agree.
 */

const SECRET = 'tg-webhook-secret_0123456789';
const WEBHOOK_PATH = '/telegram/webhook';

let redis: RedisServer;
let fake: FakeBotApi;
let a: RunningService;
let b: RunningService;

/** The instance for step i: A only for the reference, A, B, A, B… for the scale-out run. */
type Pick = (step: number) => RunningService;
const onlyA: Pick = () => a;
const alternate: Pick = (step) => (step % 2 === 0 ? a : b);

describe.skipIf(!redisServerAvailable() && !process.env.CI)('two instances on one Redis', () => {
  beforeAll(async () => {
    // A Redis of this file's own: the opt-out set and rate-limit keys are shared names.
    redis = await startRedisServer();
    fake = await startFakeBotApi();
    const env = {
      REDIS_URL: redis.url,
      // Both instances must pseudonymise a number the same way, or they would not find each other's sessions.
      PHONE_HASH_KEY: 'scale-out-phone-hash-key-0123456789',
      TELEGRAM_BOT_TOKEN: '123:SCALE',
      TELEGRAM_WEBHOOK_URL: `https://bot.example.test${WEBHOOK_PATH}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'warn',
    };
    a = await startService(env);
    b = await startService(env);
    await fake.waitFor('setWebhook', 5000);
  }, 30_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await redis?.stop();
  });

  describe('USSD', () => {
    /** An Africa's Talking session: every hop carries the whole input history. */
    type Input = string | ((previousScreen: string) => string);
    async function atSession(pick: Pick, phone: string, inputs: Input[], step0 = 0): Promise<string[]> {
      const sessionId = newSessionId();
      const screens: string[] = [];
      const typed: string[] = [];
      for (let hop = 0; hop < inputs.length; hop++) {
        const input = inputs[hop]!;
        typed.push(typeof input === 'string' ? input : input(screens.at(-1) ?? ''));
        const text = typed.filter((key) => key !== '').join('*');
        const res = await fetch(`${pick(step0 + hop).baseUrl}/ussd`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            sessionId,
            serviceCode: '*384*123#',
            phoneNumber: phone,
            networkCode: '61001',
            text,
          }),
        });
        expect(res.status).toBe(200);
        screens.push(await res.text());
      }
      return screens;
    }

    /** A latest-input (Hubtel-style) session: each hop carries only what was just typed. */
    async function latestInputSession(pick: Pick, phone: string, inputs: string[]): Promise<string[]> {
      const sessionId = newSessionId();
      const screens: string[] = [];
      for (let hop = 0; hop < inputs.length; hop++) {
        const res = await fetch(`${pick(hop).baseUrl}/ussd/hubtel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            Type: hop === 0 ? 'Initiation' : 'Response',
            Mobile: phone,
            SessionId: sessionId,
            ServiceCode: '384',
            Message: inputs[hop],
            Operator: 'orange',
            Sequence: hop + 1,
            ClientState: '',
          }),
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { Type: string; Message: string };
        screens.push(`${body.Type} ${body.Message}`);
      }
      return screens;
    }

    /** Browse, page, go back and home, search, all in one session; then a dial string straight to 2.15. */
    async function browsing(pick: Pick): Promise<string[]> {
      const phone = freshPhone();
      const first = await atSession(pick, phone, ['', '1', '2', '15', '98', '0', '00', '1', '4']);
      const direct = await atSession(pick, freshPhone(), ['3', '215', '98']);
      return [...first, ...direct];
    }

    /** A session dropped on a recommendation, then a new session of the same phone resumes it. */
    async function dropAndResume(pick: Pick): Promise<string[]> {
      const phone = freshPhone();
      const dropped = await atSession(pick, phone, ['', '1', '3', '5']);
      // The new session's first hop (with the offer) and its answer land on different instances.
      const resumeKey = (screen: string) =>
        /^(\d+)\D.*Reprendre/m.exec(screen.replace(/^CON /, ''))?.[1] ?? 'no resume offer';
      const resumed = await atSession(pick, phone, ['', resumeKey], 1);
      return [...dropped, ...resumed];
    }

    it('when the hops of Africa’s Talking sessions alternate between the instances, then every screen is the one a single instance gives', async () => {
      const reference = await browsing(onlyA);
      expect(reference.map((s) => recHeader(s.replace(/^(CON|END) /, '').split('\n')[0])?.id)).toContain(
        '2.15',
      );
      expect(reference.every((s) => /^(CON|END) /.test(s))).toBe(true);
      expect(await browsing(alternate)).toEqual(reference);
    });

    it('when a session drops on one instance, then the resume offered on the other brings the person back where they were', async () => {
      const reference = await dropAndResume(onlyA);
      const where = reference[3];
      expect(recHeader(where!.replace(/^CON /, '').split('\n')[0])?.id).toBe('3.5');
      expect(reference.at(-1)).toBe(where);
      expect(await dropAndResume(alternate)).toEqual(reference);
    });

    it('when a latest-input gateway alternates hops, then the menu state kept in Redis carries the session across', async () => {
      const inputs = ['*384#', '1', '2', '15', '0', '00', '0'];
      const reference = await latestInputSession(onlyA, freshPhone(), inputs);
      expect(recHeader(reference[3]!.replace(/^response /, '').split('\n')[0])?.id).toBe('2.15');
      expect(reference.at(-1)).toMatch(/^release /);
      expect(await latestInputSession(alternate, freshPhone(), inputs)).toEqual(reference);
    });

    it('when many sessions run at once with alternating hops, then none is mixed up with another', async () => {
      const scripts = Array.from({ length: 12 }, (_, i) => [
        '',
        '1',
        String((i % 5) + 1),
        String((i % 9) + 1),
      ]);
      const references = await Promise.all(scripts.map((s) => atSession(onlyA, freshPhone(), s)));
      const alternated = await Promise.all(scripts.map((s, i) => atSession(alternate, freshPhone(), s, i)));
      expect(alternated).toEqual(references);
      const ids = references.map((r) => recHeader(r[3]!.replace(/^(CON|END) /, '').split('\n')[0])?.id);
      expect(ids).toEqual(scripts.map((s) => `${s[2]}.${s[3]}`));
    });
  });

  describe('SMS', () => {
    let messageCounter = 0;
    async function outbox(instance: RunningService): Promise<OutboxEntry[]> {
      await instance.service.sms.flush();
      return (await (await fetch(`${instance.baseUrl}/dev/outbox`)).json()) as OutboxEntry[];
    }

    /** Sends one SMS to an instance; returns the replies that instance sent to this person. */
    async function exchange(instance: RunningService, phone: string, text: string): Promise<string[]> {
      const before = (await outbox(instance)).length;
      const res = await fetch(`${instance.baseUrl}/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          from: phone,
          to: '36000',
          text,
          date: '2024-05-10 10:00:00',
          id: `ATXid_scale_${process.pid}_${++messageCounter}`,
          linkId: 'link-1',
          networkCode: '61001',
        }),
      });
      expect(res.status).toBe(200);
      const pseudonym = instance.service.pseudonymize(phone);
      return (await outbox(instance))
        .slice(before)
        .filter((entry) => entry.to === pseudonym)
        .map((entry) => entry.text);
    }

    async function conversation(pick: Pick): Promise<string[][]> {
      const phone = freshPhone();
      const texts = ['4.80', 'SUITE', 'SUITE', 'SUITE', 'SUITE', 'SUITE', 'SUITE', 'EN', 'T2', 'SUITE'];
      const replies: string[][] = [];
      for (const [step, text] of texts.entries()) replies.push(await exchange(pick(step), phone, text));
      return replies;
    }

    it('when the SUITE pages of a conversation go to alternating instances, then the pages follow in order and the language holds', async () => {
      const reference = await conversation(onlyA);
      const total = Number(/^\(1\/(\d+)\)/.exec(reference[0]![0] ?? '')?.[1]);
      expect(total).toBeGreaterThanOrEqual(3);
      for (let page = 2; page <= Math.min(total, 7); page++) {
        expect(reference[page - 1]![0]).toMatch(new RegExp(`^\\(${page}/${total}\\) `));
      }
      expect(reference.every((replies) => replies.length === 1)).toBe(true);
      expect(await conversation(alternate)).toEqual(reference);
    });

    it('when STOP is sent to one instance, then the other sends that person nothing more until START', async () => {
      const phone = freshPhone();
      expect(await exchange(a, phone, 'STOP')).toHaveLength(1);
      expect(await exchange(b, phone, '2.15')).toEqual([]);
      expect(await exchange(a, phone, '2.15')).toEqual([]);
      expect(await exchange(b, phone, 'START')).toHaveLength(1);
      expect((await exchange(a, phone, '2.15')).length).toBeGreaterThan(0);
    });
  });

  describe('Telegram (webhook mode, fabricated updates)', () => {
    let updateId = 5_000_000;

    async function post(instance: RunningService, update: Record<string, unknown>): Promise<RecordedCall[]> {
      const before = fake.calls.length;
      const res = await fetch(`${instance.baseUrl}${WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
      return fake.calls.slice(before);
    }

    function user(id: number) {
      return { id, is_bot: false, first_name: 'Awa', language_code: 'fr' };
    }
    function message(id: number, text: string) {
      const entities = text.startsWith('/')
        ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }]
        : undefined;
      return {
        message: {
          message_id: 1,
          date: 0,
          chat: { id, type: 'private', first_name: 'Awa' },
          from: user(id),
          text,
          ...(entities ? { entities } : {}),
        },
      };
    }
    function callback(id: number, data: string) {
      return {
        callback_query: {
          id: `cb${updateId}`,
          from: user(id),
          chat_instance: 'ci',
          data,
          message: {
            message_id: 55,
            date: 0,
            chat: { id, type: 'private', first_name: 'Awa' },
            text: 'list',
          },
        },
      };
    }
    const buttons = (calls: RecordedCall[]) =>
      calls.flatMap((call) => {
        const markup = call.payload.reply_markup as {
          inline_keyboard?: Array<Array<{ callback_data?: string }>>;
        };
        return (markup?.inline_keyboard ?? []).flat().map((button) => button.callback_data ?? '');
      });

    /** What a person sees: methods and texts, with per-run values (chat id, search token) neutralised. */
    const transcript = (calls: RecordedCall[]) =>
      calls.map((call) =>
        JSON.stringify({ method: call.method, text: call.payload.text, markup: call.payload.reply_markup })
          .replace(/s:[A-Za-z0-9_-]+:/g, 's:<token>:')
          .replace(/"w:[A-Za-z0-9_-]+"/g, '"w:<token>"')
          .replace(/"callback_query_id":"[^"]*"/g, ''),
      );

    async function chat(pick: Pick, chatId: number): Promise<string[][]> {
      const steps: Array<(previous: RecordedCall[]) => Record<string, unknown>> = [
        () => message(chatId, '/start'),
        () => callback(chatId, 'l:en'),
        () => message(chatId, 'sécurité'),
        // Tap "next page" of the search list: the list's ids are in the store under a token.
        (previous) =>
          callback(chatId, buttons(previous).find((data) => /^s:[^:]+:1$/.test(data)) ?? 'missing'),
        () => callback(chatId, 't:2:0'),
        () => callback(chatId, 't:2:1'),
        () => callback(chatId, 'r:2.15'),
      ];
      const seen: string[][] = [];
      let previous: RecordedCall[] = [];
      for (const [step, make] of steps.entries()) {
        previous = await post(pick(step), { update_id: ++updateId, ...make(previous) });
        seen.push(
          transcript(
            previous.filter((call) => call.payload.chat_id === chatId || call.method.startsWith('answer')),
          ),
        );
      }
      return seen;
    }

    it('when the updates of one chat alternate between the instances, then language, search pages and menus continue as on one instance', async () => {
      const reference = await chat(onlyA, 880_001);
      const flat = reference.flat().join('\n');
      // English after l:en, and the search's second page (ids kept in Redis under a token) redrawn in place.
      expect(reference[2]!.join('\n')).not.toMatch(/Recherche|Résultats/);
      expect(reference[3]!.some((line) => line.includes('"method":"editMessageText"'))).toBe(true);
      expect(reference[3]!.join('\n')).not.toContain('no longer valid');
      expect(flat).toContain('2.15');
      expect(await chat(alternate, 880_002)).toEqual(reference);
    });

    it('when Telegram delivers the same update to both instances, then it is handled once', async () => {
      const update = { update_id: ++updateId, ...message(880_003, '2.15') };
      const first = await post(a, update);
      const second = await post(b, update);
      expect(first.filter((call) => call.method === 'sendMessage')).toHaveLength(1);
      expect(second).toEqual([]);
    });
  });
});
