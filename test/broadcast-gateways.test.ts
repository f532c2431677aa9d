import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacing, type Broadcaster, type BroadcastWorker } from '../adapters/broadcast/broadcaster.js';
import { readAtAnswer, telegramSender, whatsappSender } from '../adapters/broadcast/gateway-senders.js';
import { broadcastPost, createGraphClient } from '../adapters/whatsapp/graph-client.js';
import { DOCUMENTED_LIMITS, limitBoundSeconds, type GatewayLimits } from '../adapters/broadcast/limits.js';
import { createRedisConnection, type RedisConnection } from '../adapters/stores/redis-client.js';
import { RedisSessionStore } from '../adapters/stores/redis-store.js';
import { RedisOptOutRegistry } from '../adapters/stores/optout-redis.js';
import { RedisSubscriptionStore } from '../adapters/subscriptions/redis-store.js';
import { createServiceWindow } from '../adapters/whatsapp/state.js';
import type { BroadcastDraft, BroadcastRecipient } from '../src/broadcast/model.js';
import { createAddressCipher } from '../src/privacy/address-cipher.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import type { Lang } from '../src/core/refs.js';
import type { SubscriptionChannel } from '../src/subscriptions/model.js';
import { createSubscriptions } from '../src/subscriptions/service.js';
import { gatewayBroadcaster, type GatewaySetup } from './support/broadcast-gateways.js';
import {
  startFakeAfricasTalking,
  startFakeTelegram,
  startFakeWhatsApp,
  type FakeGateway,
} from './support/fake-gateways.js';
import { describeWithRedis } from './support/redis.js';

const SUBSCRIBERS_KEY = 'g'.repeat(48);
const pseudonymize = createPseudonymizer('test-phone-hash-key-0123456789');
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LANGS: Lang[] = ['fr', 'bm', 'en'];
const draft: BroadcastDraft = {
  messages: {
    fr: 'Suivi 2.10 : annoncée. SUIVI 2.10 pour le détail.',
    bm: 'Kunnafoni 2.10: a fɔra.',
    en: 'Follow-up 2.10: announced. FOLLOW 2.10 for details.',
  },
  audience: { kind: 'all' },
};

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const recipient = (to: string): BroadcastRecipient => ({ to, pseudonym: `p_${to}`, key: `b.p_${to}` });

describe('what each gateway answer means', () => {
  it("when Africa's Talking answers a bulk request, then each number gets its own outcome and a 429's Retry-After is kept", () => {
    const batch = ['+22370000001', '+22370000002', '+22370000003', '+22370000004'].map(recipient);
    const outcomes = readAtAnswer(batch, {
      status: 201,
      body: {
        SMSMessageData: {
          Recipients: [
            { number: '+22370000001', statusCode: 101, status: 'Success' },
            { number: '+22370000002', statusCode: 500, status: 'InternalServerError' },
            { number: '+22370000003', statusCode: 406, status: 'UserInBlacklist' },
          ],
        },
      },
    });
    expect(outcomes).toEqual([
      { status: 'sent' },
      { status: 'failed', retry: true, detail: '500 InternalServerError' },
      { status: 'failed', retry: false, detail: '406 UserInBlacklist' },
      { status: 'failed', retry: false, detail: 'not in the answer' },
    ]);
    expect(readAtAnswer(batch.slice(0, 1), { status: 429, retryAfter: '3' })).toEqual([
      { status: 'failed', retry: true, retryAfterMs: 3000, detail: 'HTTP 429' },
    ]);
    expect(readAtAnswer(batch.slice(0, 1), { status: 401 })[0]).toMatchObject({ retry: false });
  });

  it('when Telegram answers 429 with retry_after, then the wait it asked is kept; a blocked bot is final; no answer is thrown on', async () => {
    const error = (body: object) => Object.assign(new Error('bot api'), body);
    const outcome = (thrown: unknown) =>
      telegramSender(() => Promise.reject(thrown)).send(recipient('42'), 'x');
    expect(await outcome(error({ error_code: 429, parameters: { retry_after: 7 } }))).toEqual({
      status: 'failed',
      retry: true,
      retryAfterMs: 7000,
      detail: 'telegram 429',
    });
    expect(await outcome(error({ error_code: 403, description: 'bot was blocked' }))).toMatchObject({
      retry: false,
    });
    await expect(outcome(new Error('socket hang up'))).rejects.toThrow('socket hang up');
  });

  it('when a WhatsApp number is outside its 24-hour window, then the template goes, or nothing without one', async () => {
    const posted: string[] = [];
    const post = async (_to: string, message: { kind: string }) => {
      posted.push(message.kind);
      return { status: 200 };
    };
    const closed = { windowOpen: async () => false, post };
    expect(await whatsappSender({ ...closed, template: 'news' }).send(recipient('1'), 'x')).toEqual({
      status: 'sent',
    });
    expect(await whatsappSender(closed).send(recipient('1'), 'x')).toMatchObject({ retry: false });
    expect(await whatsappSender({ windowOpen: async () => true, post }).send(recipient('1'), 'x')).toEqual({
      status: 'sent',
    });
    expect(posted).toEqual(['template', 'text']);
    const throttled = whatsappSender({
      windowOpen: async () => true,
      post: async () => ({ status: 400, code: 130429 }),
    });
    expect(await throttled.send(recipient('1'), 'x')).toMatchObject({ retry: true, retryAfterMs: 1000 });
  });

  it('when the Graph API throttles a broadcast, then every throttling code waits as told or its default, and a 5xx without a delay is retried without a pause', async () => {
    const answering = (answer: { status: number; code?: number; retryAfter?: string }) =>
      whatsappSender({ windowOpen: async () => true, post: async () => answer }).send(recipient('1'), 'x');
    expect(await answering({ status: 429, code: 130429, retryAfter: '3' })).toMatchObject({
      retry: true,
      retryAfterMs: 3000,
    });
    expect(await answering({ status: 429 })).toMatchObject({ retry: true, retryAfterMs: 1000 });
    // Pair rate: one message every 6 s to one user; spam rate limit: a minute (no duration given).
    expect(await answering({ status: 400, code: 131056 })).toMatchObject({ retry: true, retryAfterMs: 6000 });
    expect(await answering({ status: 400, code: 131048 })).toMatchObject({
      retry: true,
      retryAfterMs: 60_000,
    });
    expect(await answering({ status: 503, retryAfter: '2' })).toMatchObject({
      retry: true,
      retryAfterMs: 2000,
    });
    const busy = await answering({ status: 503, code: 131000 });
    expect(busy).toMatchObject({ retry: true });
    expect(busy).not.toHaveProperty('retryAfterMs');
    expect(await answering({ status: 400, code: 131047 })).toMatchObject({ retry: false });
  });

  it('when the channel’s Graph client posts a broadcast, then it makes one attempt and hands back what Meta said, and a send of unknown fate throws', async () => {
    let calls = 0;
    const client = (answer: () => Promise<Response>) =>
      createGraphClient({
        ...{ apiRoot: 'http://graph.test', version: 'v21.0', phoneNumberId: '1', token: 't' },
        logger: silent,
        fetch: () => {
          calls++;
          return answer();
        },
      });
    const throttled = () =>
      Promise.resolve(
        new Response(JSON.stringify({ error: { code: 130429 } }), {
          status: 429,
          headers: { 'retry-after': '4' },
        }),
      );
    const post = broadcastPost(client(throttled), 'fr');
    expect(await post('22370000001', { kind: 'text', text: 'x' })).toEqual({
      status: 429,
      code: 130429,
      retryAfter: '4',
    });
    expect(calls).toBe(1);
    const timedOut = broadcastPost(
      client(() => Promise.reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))),
      'fr',
    );
    await expect(timedOut('22370000001', { kind: 'template', name: 'news' })).rejects.toThrow(/unknown/);
  });

  it('when a rate is paced, then a tenth of a second gets its share, never a second’s burst at once', () => {
    expect(pacing(30)).toEqual({ max: 3, duration: 100 });
    expect(pacing(80)).toEqual({ max: 8, duration: 100 });
    expect(pacing(5)).toEqual({ max: 1, duration: 200 });
    for (const rate of [1, 4, 7, 30, 80, 333, 1000]) {
      const { max, duration } = pacing(rate);
      expect(Math.abs((max * 1000) / duration - rate) / rate).toBeLessThan(0.05);
    }
  });

  it('when the limit-bound minimum is computed, then it is the slowest gateway at its documented rate', () => {
    // 58,800 SMS in requests of 100 at 5/s: 118 s; 29,400 Telegram at 30/s: 980 s; 9,800 WhatsApp at 80/s.
    expect(limitBoundSeconds({ sms: 58_800, telegram: 29_400, whatsapp: 9_800 }, DOCUMENTED_LIMITS)).toBe(
      980,
    );
  });
});

describeWithRedis('broadcasts within each gateway’s limits', (redisUrl) => {
  const settings = { REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: 2000 };
  let redis: RedisConnection;
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(() => {
    redis = createRedisConnection(settings, { patient: true });
  });
  afterAll(async () => {
    for (const thing of open.reverse()) await thing.close().catch(() => {});
    redis.disconnect();
  });

  interface Person {
    i: number;
    channel: SubscriptionChannel;
    lang: Lang;
    address: string;
    pseudonym: string;
  }

  /** `counts` subscribers per channel; every 50th opted out; one WhatsApp number in two has an open window. */
  async function subscribers(prefix: string, counts: Record<SubscriptionChannel, number>) {
    const store = new RedisSubscriptionStore(createRedisConnection(settings, { patient: true }), prefix);
    const optOut = new RedisOptOutRegistry(redis, silent, `${prefix}sms:optout`, 2000, 10_000);
    const subs = createSubscriptions({
      store,
      optOut,
      cipher: createAddressCipher(SUBSCRIBERS_KEY),
      clock: { now: Date.now },
      themeCount: 5,
    });
    const window = createServiceWindow(new RedisSessionStore(redis, prefix, 5000), { now: Date.now });
    const people: Person[] = [];
    for (const channel of ['sms', 'telegram', 'whatsapp'] as const)
      for (let k = 0; k < counts[channel]; k++) {
        const i = people.length;
        const address =
          channel === 'sms'
            ? `+2237${String(1_000_000 + i).padStart(7, '0')}`
            : channel === 'telegram'
              ? String(500_000_000 + i)
              : `2236${String(1_000_000 + i).padStart(7, '0')}`;
        people.push({ i, channel, lang: LANGS[i % 3]!, address, pseudonym: pseudonymize(address) });
      }
    await Promise.all(
      people.map((p) =>
        subs.subscribe({
          pseudonym: p.pseudonym,
          address: p.address,
          channel: p.channel,
          lang: p.lang,
          theme: null,
        }),
      ),
    );
    const windows = new Set<string>();
    for (const p of people.filter((p) => p.channel === 'whatsapp' && p.i % 2 === 0)) {
      await window.refresh(p.pseudonym, Math.floor(Date.now() / 1000));
      windows.add(p.address);
    }
    const optedOut = people.filter((p) => p.i % 50 === 7);
    for (const p of optedOut) await optOut.add(p.pseudonym);
    await store.close();
    return { people, windows, optedOut: new Set(optedOut.map((p) => p.address)) };
  }

  async function instances(setup: GatewaySetup, count: number) {
    const made: Array<{ broadcaster: Broadcaster; worker: BroadcastWorker }> = [];
    for (let k = 0; k < count; k++) {
      const broadcaster = gatewayBroadcaster(setup);
      const worker = broadcaster.createWorker({ lockDurationMs: 5000, stalledIntervalMs: 1000 });
      open.push(broadcaster, worker);
      made.push({ broadcaster, worker });
    }
    await Promise.all(made.map((m) => m.worker.waitUntilReady()));
    return made;
  }

  /** Two instances (a worker each) against these gateways; the first starts the broadcast; resolves when it is done. */
  async function broadcastOnTwo(setup: Omit<GatewaySetup, 'redisUrl' | 'subscribersKey' | 'backoffMs'>) {
    const [first] = await instances(
      { ...setup, redisUrl, subscribersKey: SUBSCRIBERS_KEY, backoffMs: 100 },
      2,
    );
    const id = await first!.broadcaster.start(draft);
    await until(
      async () => (await first!.broadcaster.progress(id))!.done,
      100_000,
      'the broadcast to finish',
    );
    return { id, broadcaster: first!.broadcaster };
  }

  function track<T extends FakeGateway>(gateway: T): T {
    open.push(gateway);
    return gateway;
  }

  it(
    'when two instances broadcast through gateways that fail a fifth of requests at random, then each subscriber gets it once on their channel, SMS go in batches of one language, and all are counted sent',
    { timeout: 120_000 },
    async () => {
      const prefix = `g${randomUUID().slice(0, 8)}:`;
      const limits: GatewayLimits = {
        sms: { requestsPerSecond: 4, recipientsPerRequest: 10 },
        telegram: { requestsPerSecond: 20, recipientsPerRequest: 1 },
        whatsapp: { requestsPerSecond: 15, recipientsPerRequest: 1 },
      };
      const { people, windows, optedOut } = await subscribers(prefix, {
        sms: 120,
        telegram: 60,
        whatsapp: 20,
      });
      const at = track(
        await startFakeAfricasTalking({ perSecond: 4, maxRecipients: 10, failShare: 0.2, seed: 1 }),
      );
      const tg = track(await startFakeTelegram({ perSecond: 20, failShare: 0.2, seed: 2 }));
      const wa = track(
        await startFakeWhatsApp({ perSecond: 15, failShare: 0.2, seed: 3, openWindows: windows }),
      );
      const first = await broadcastOnTwo({
        ...{ prefix, atUrl: at.url, telegramUrl: tg.url, whatsappUrl: wa.url, limits },
        whatsappTemplate: 'dim_news',
        attempts: 10,
      });
      const id = first.id;

      const gatewayOf = { sms: at, telegram: tg, whatsapp: wa };
      for (const p of people) {
        const got = gatewayOf[p.channel].received.get(p.address) ?? 0;
        expect(got, `${p.channel} #${p.i}`).toBe(optedOut.has(p.address) ? 0 : 1);
      }
      const textOf = (p: Person) => gatewayOf[p.channel].texts.get(p.address);
      const byLang = (lang: Lang) =>
        people.find((p) => p.lang === lang && p.channel === 'sms' && !optedOut.has(p.address))!;
      expect(textOf(byLang('bm'))).toBe(draft.messages.bm);
      expect(textOf(byLang('en'))).toBe(draft.messages.en);
      // WhatsApp: a text inside the 24-hour window, the approved template outside it.
      for (const p of people.filter((p) => p.channel === 'whatsapp' && !optedOut.has(p.address)))
        expect(textOf(p)).toBe(windows.has(p.address) ? draft.messages[p.lang] : 'template:dim_news');
      expect(await first.broadcaster.progress(id)).toMatchObject({
        total: 200,
        sent: 200 - optedOut.size,
        skippedOptOut: optedOut.size,
        failed: 0,
        uncertain: 0,
        pending: 0,
      });
      // 117 SMS in one-language requests of at most 10: 12 requests at least, plus the retried ones.
      const sms = at.stats();
      expect(sms.delivered).toBe(117);
      expect(sms.requests).toBeGreaterThanOrEqual(12);
      expect(sms.requests - sms.failed - sms.throttled).toBeLessThanOrEqual(15);
      for (const stats of [sms, tg.stats(), wa.stats()]) {
        expect(stats.failed).toBeGreaterThan(0);
        // Never more delivered in one second than the gateway takes (SMS: 4 requests of 10).
        expect(stats.duringWait).toBe(0);
      }
      expect(tg.stats().peakPerSecond).toBeLessThanOrEqual(2 * 20);
    },
  );

  it(
    'when the WhatsApp Cloud API answers 429 with Retry-After, then workers on both instances pause as told through the queue, and nothing is lost or doubled',
    { timeout: 120_000 },
    async () => {
      const prefix = `g${randomUUID().slice(0, 8)}:`;
      const { people, windows, optedOut } = await subscribers(prefix, { sms: 0, telegram: 0, whatsapp: 40 });
      // The limiter believes 40 a second; this number takes 8 and asks for 2 s past it.
      const wa = track(await startFakeWhatsApp({ perSecond: 8, retryAfterSeconds: 2, openWindows: windows }));
      const unused = track(await startFakeAfricasTalking({ perSecond: 1 }));
      const first = await broadcastOnTwo({
        ...{ prefix, atUrl: unused.url, telegramUrl: unused.url, whatsappUrl: wa.url },
        limits: { ...DOCUMENTED_LIMITS, whatsapp: { requestsPerSecond: 40, recipientsPerRequest: 1 } },
        whatsappTemplate: 'dim_news',
        attempts: 2,
      });
      const stats = wa.stats();
      for (const p of people) {
        expect(wa.received.get(p.address) ?? 0, `#${p.i}`).toBe(optedOut.has(p.address) ? 0 : 1);
        if (!optedOut.has(p.address))
          expect(wa.texts.get(p.address)).toBe(
            windows.has(p.address) ? draft.messages[p.lang] : 'template:dim_news',
          );
      }
      // Throttled many times with only 2 attempts a job: the waits Meta asked for used none
      // (the Graph client's own retries would have spent them, or slept inside one job).
      expect(stats.throttled).toBeGreaterThan(2);
      expect(stats.requests).toBe(stats.delivered + stats.throttled);
      expect(await first.broadcaster.progress(first.id)).toMatchObject({
        sent: 40 - optedOut.size,
        failed: 0,
        uncertain: 0,
        pending: 0,
      });
      // Once told to wait, no worker of either instance asked again before the time was up.
      expect(stats.duringWait).toBe(0);
    },
  );

  it(
    'when a gateway takes fewer messages than the limiter allows, then its 429 retry_after makes every worker wait as told, and nothing is lost or doubled',
    { timeout: 120_000 },
    async () => {
      const prefix = `g${randomUUID().slice(0, 8)}:`;
      const { people, optedOut } = await subscribers(prefix, { sms: 0, telegram: 40, whatsapp: 0 });
      // The limiter believes 40 a second; this Telegram takes 8 and asks for 2 s past it.
      const tg = track(await startFakeTelegram({ perSecond: 8, retryAfterSeconds: 2 }));
      const unused = track(await startFakeAfricasTalking({ perSecond: 1 }));
      const first = await broadcastOnTwo({
        ...{ prefix, atUrl: unused.url, telegramUrl: tg.url, whatsappUrl: unused.url },
        limits: { ...DOCUMENTED_LIMITS, telegram: { requestsPerSecond: 40, recipientsPerRequest: 1 } },
        attempts: 2,
      });
      const id = first.id;
      const stats = tg.stats();
      for (const p of people) expect(tg.received.get(p.address) ?? 0).toBe(optedOut.has(p.address) ? 0 : 1);
      // Throttled many times with only 2 attempts a job: a wait the gateway asks for uses none.
      expect(stats.throttled).toBeGreaterThan(2);
      expect(await first.broadcaster.progress(id)).toMatchObject({ failed: 0, uncertain: 0, pending: 0 });
      // Once told to wait, no worker of either instance asked again before the time was up.
      expect(stats.duringWait).toBe(0);
    },
  );
});
