import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBroadcaster,
  type Broadcaster,
  type BroadcastWorker,
} from '../adapters/broadcast/broadcaster.js';
import { bullConnection } from '../adapters/broadcast/connection.js';
import { countSegments } from '../adapters/sms/segments.js';
import { RedisOptOutRegistry } from '../adapters/stores/optout-redis.js';
import { createRedisConnection, type RedisConnection } from '../adapters/stores/redis-client.js';
import { RedisSubscriptionStore } from '../adapters/subscriptions/redis-store.js';
import { planBroadcast, type BroadcastDraft, type BroadcastSender } from '../src/broadcast/model.js';
import { createAddressCipher } from '../src/privacy/address-cipher.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import type { SubscriptionChannel } from '../src/subscriptions/model.js';
import { createSubscriptions } from '../src/subscriptions/service.js';
import { httpBroadcastSender, startFakeGateway } from './support/broadcast-gateway.js';
import { describeWithRedis } from './support/redis.js';

const SUBSCRIBERS_KEY = 's'.repeat(48);
const cipher = createAddressCipher(SUBSCRIBERS_KEY);
const pseudonymize = createPseudonymizer('test-phone-hash-key-0123456789');
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LANGS = ['fr', 'bm', 'en'];
/** One message a request on every gateway, at this rate: the delivery guarantees, not the gateways' limits. */
const everyGateway = (rate: number) => ({
  sms: { requestsPerSecond: rate, recipientsPerRequest: 1 },
  telegram: { requestsPerSecond: rate, recipientsPerRequest: 1 },
  whatsapp: { requestsPerSecond: rate, recipientsPerRequest: 1 },
});

const draft: BroadcastDraft = {
  messages: {
    fr: 'Suivi 2.10 : annoncée le 7/8/2025. Source : Charte. SUIVI 2.10 pour le détail.',
    bm: 'Kunnafoni 2.10: a fɔra. KUNNAFONI 2.10 ka a bɛɛ lajɛ.',
    en: 'Follow-up 2.10: announced on 7 August 2025. Source: Charter. FOLLOW 2.10 for details.',
  },
  audience: { kind: 'all' },
};

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('broadcast planning', () => {
  it('when a dry-run is planned, then it counts recipients, segments and encoding per language and the SMS cost', () => {
    const recipients = [
      ...Array.from({ length: 10 }, () => ({ lang: 'fr' as const, channel: 'sms' as const })),
      ...Array.from({ length: 4 }, () => ({ lang: 'bm' as const, channel: 'sms' as const })),
      ...Array.from({ length: 3 }, () => ({ lang: 'en' as const, channel: 'telegram' as const })),
    ];
    const plan = planBroadcast(draft, recipients, 2, countSegments, 25);
    const by = Object.fromEntries(plan.languages.map((l) => [l.lang, l]));
    expect(plan.recipients).toBe(17);
    expect(plan.optedOut).toBe(2);
    expect(by.fr).toMatchObject({ recipients: 10, smsRecipients: 10, segments: 1, encoding: 'GSM-7' });
    // ɔ and ɛ are outside GSM-7: the Bambara text goes as UCS-2, 70 characters a segment.
    expect(by.bm).toMatchObject({ recipients: 4, segments: 1, encoding: 'UCS-2' });
    expect(by.en).toMatchObject({ recipients: 3, smsRecipients: 0 });
    expect(plan.smsSegments).toBe(14);
    expect(plan.estimatedCost).toBe(350);
    expect(plan.problems).toEqual([]);
  });

  it('when the French text is missing or a text is too long, then the problems are named', () => {
    const bad = planBroadcast(
      { messages: { fr: ' ', en: 'x'.repeat(500) }, audience: { kind: 'theme', theme: 0 } },
      [],
      0,
      countSegments,
      1,
    );
    expect(bad.problems).toEqual([
      'fr: the French message is required',
      'en: 4 SMS segments, at most 3',
      'audience: bad theme',
    ]);
  });

  it('when a language has no text, then its subscribers get the French one, marked as a fallback', () => {
    const plan = planBroadcast(
      { messages: { fr: 'Bonjour' }, audience: { kind: 'all' } },
      [],
      0,
      countSegments,
      1,
    );
    expect(plan.languages.find((l) => l.lang === 'bm')).toMatchObject({ text: 'Bonjour', fallback: true });
  });
});

describeWithRedis('broadcasts on BullMQ', (redisUrl) => {
  const settings = { REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: 2000 };
  let redis: RedisConnection;
  let prefix: string;
  let store: RedisSubscriptionStore;
  let optOut: RedisOptOutRegistry;
  const children: ChildProcess[] = [];

  const phoneOf = (i: number) => `+2237${String(1_000_000 + i).padStart(7, '0')}`;

  beforeAll(async () => {
    redis = createRedisConnection(settings, { patient: true });
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    redis.disconnect();
  });

  async function fresh(count: number, keepPrefix = false) {
    if (!keepPrefix) prefix = `t${randomUUID().slice(0, 8)}:`;
    store = new RedisSubscriptionStore(createRedisConnection(settings, { patient: true }), prefix);
    optOut = new RedisOptOutRegistry(
      createRedisConnection(settings, { patient: true }),
      silent,
      `${prefix}sms:optout`,
      2000,
      10_000,
    );
    const subs = createSubscriptions({ store, optOut, cipher, clock: { now: Date.now }, themeCount: 5 });
    for (let start = 0; start < count; start += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, count - start) }, (_, k) => {
          const i = start + k;
          const channel: SubscriptionChannel = i % 10 === 9 ? 'telegram' : 'sms';
          return subs.subscribe({
            pseudonym: pseudonymize(phoneOf(i)),
            address: phoneOf(i),
            channel,
            lang: LANGS[i % 3]!,
            theme: i % 2 === 0 ? null : 2,
          });
        }),
      );
    }
  }

  function broadcaster(sender: BroadcastSender, ratePerSecond = 1000): Broadcaster {
    return createBroadcaster({
      redis,
      connection: bullConnection(redisUrl),
      keyPrefix: prefix,
      subscriptions: store,
      optOut,
      cipher,
      sender,
      countSegments,
      costPerSegment: 25,
      limits: everyGateway(ratePerSecond),
      backoffMs: 100,
      logger: silent,
    });
  }

  function spawnWorker(gateway: string, rate: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/broadcast-worker-child.ts'], {
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        PREFIX: prefix,
        GATEWAY: gateway,
        SUBSCRIBERS_KEY,
        RATE: String(rate),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }

  it(
    'when 1,000 subscribers get a broadcast while a worker is SIGKILLed and replaced, then each gets it exactly once, no opted-out person does, and the tally matches',
    { timeout: 90_000 },
    async () => {
      const t0 = Date.now();
      const mark = (what: string) => process.stdout.write(`T+${Date.now() - t0} ms ${what}\n`);
      const all = Array.from({ length: 1000 }, (_, i) => i);
      const optedOut = all.filter((i) => i % 20 === 7); // 50 people
      const failOnce = new Set(all.filter((i) => i % 25 === 3).map(phoneOf)); // 40: a 503 once, then fine
      const refused = phoneOf(all.find((i) => i % 20 !== 7 && i % 25 !== 3 && i > 500)!);
      const gateway = await startFakeGateway({ failOnce, refuse: new Set([refused]), delayMs: 3 });
      prefix = `t${randomUUID().slice(0, 8)}:`;
      // The worker process starts (tsx, a few seconds on a loaded machine) while subscribers are made.
      const firstReady = spawnWorker(gateway.url, 400);
      await fresh(1000, true);
      const producer = broadcaster(httpBroadcastSender(gateway.url));
      let replacement: BroadcastWorker | undefined;
      try {
        const dry = await producer.dryRun(draft);
        expect(dry.recipients).toBe(1000);
        expect(Object.fromEntries(dry.languages.map((l) => [l.lang, l.recipients]))).toEqual({
          fr: 334,
          bm: 333,
          en: 333,
        });

        // STOP after the dry-run, before the send: the send-time check must catch it.
        for (const i of optedOut) await optOut.add(pseudonymize(phoneOf(i)));

        const first = await firstReady;
        mark('subscribed, first worker ready');
        const id = await producer.start(draft);
        mark('queued');
        await until(() => gateway.deliveries.length >= 250, 30_000, '250 deliveries');
        first.kill('SIGKILL');
        const killedAt = gateway.deliveries.length;
        mark(`worker killed after ${killedAt} deliveries`);
        // Killed mid-way: some of the 949 deliveries were still to do (the point of the test).
        expect(killedAt).toBeLessThan(949);
        // A new worker takes over (in this process: no start-up wait), and another instance
        // joins: several instances share the queue and its rate limit.
        replacement = broadcaster(httpBroadcastSender(gateway.url)).createWorker({
          concurrency: 20,
          lockDurationMs: 1500,
          stalledIntervalMs: 500,
        });
        const second = spawnWorker(gateway.url, 400);
        // Starting the same broadcast again (a retried request after a restart) sends nothing twice.
        await producer.start(draft, id);
        await until(async () => (await producer.progress(id))!.done, 60_000, 'the broadcast to finish');
        mark('done');
        await second.then((child) => child.kill('SIGKILL')).catch(() => {});

        const perNumber = new Map<string, number>();
        for (const d of gateway.deliveries) perNumber.set(d.to, (perNumber.get(d.to) ?? 0) + 1);
        const expected = all.filter((i) => !optedOut.includes(i) && phoneOf(i) !== refused);
        for (const i of expected) expect(perNumber.get(phoneOf(i)), phoneOf(i)).toBe(1);
        for (const i of optedOut) expect(perNumber.has(phoneOf(i))).toBe(false);
        expect(perNumber.has(refused)).toBe(false);
        expect(gateway.deliveries.length).toBe(949);

        // Each got the text of their language.
        expect(gateway.deliveries.find((d) => d.to === phoneOf(1))!.text).toBe(draft.messages.bm);
        expect(gateway.deliveries.find((d) => d.to === phoneOf(2))!.text).toBe(draft.messages.en);

        expect(await producer.progress(id)).toMatchObject({
          total: 1000,
          sent: 949,
          failed: 1,
          skippedOptOut: 50,
          skippedUnsubscribed: 0,
          uncertain: 0,
          pending: 0,
          done: true,
        });
        expect(gateway.stats().failedOnce).toBe(40);
        // No number and no message text in the queue's or the broadcast's keys and values.
        const keys = await redis.keys(`${prefix}*`);
        expect(keys.join(' ')).not.toMatch(/2237\d{7}/);
        for (const key of keys.filter((k) => k.includes('bull')).slice(0, 100)) {
          if ((await redis.type(key)) === 'hash')
            expect(JSON.stringify(await redis.hgetall(key))).not.toMatch(/2237\d{7}|Suivi 2\.10/);
        }
        const stats = gateway.stats();
        process.stdout.write(
          `broadcast: 1000 subscribers, worker killed after ${killedAt} deliveries, ${stats.requests} gateway requests, ${stats.repeatedKeys} repeated keys dropped by the gateway, ${Date.now() - t0} ms\n`,
        );
      } finally {
        for (const child of children) child.kill('SIGKILL');
        await replacement?.close();
        await producer.close();
        await gateway.close();
      }
    },
  );

  it('when a non-idempotent send was cut by a crash, then it is counted uncertain and never sent again', async () => {
    await fresh(3);
    const sent: string[] = [];
    const sender: BroadcastSender = {
      idempotent: false,
      send: async (to) => {
        sent.push(to);
        return { status: 'sent' };
      },
    };
    const b = broadcaster(sender);
    const id = `bcrash${randomUUID().slice(0, 8)}`;
    // What a worker killed between its claim and its confirmation leaves behind.
    await redis.hset(`${prefix}bc:{${id}}:state`, pseudonymize(phoneOf(0)), 'sending:deadworker');
    const worker = b.createWorker();
    try {
      await b.start(draft, id);
      await until(async () => (await b.progress(id))!.done, 10_000, 'done');
      expect(await b.progress(id)).toMatchObject({ total: 3, sent: 2, uncertain: 1 });
      expect(sent.sort()).toEqual([phoneOf(1), phoneOf(2)].sort());
    } finally {
      await worker.close();
      await b.close();
    }
  });

  it('when an instance stops gracefully mid-broadcast (deploy) and another starts, then a non-idempotent sender still sends each exactly once', async () => {
    await fresh(200);
    const sent = new Map<string, number>();
    const sender: BroadcastSender = {
      idempotent: false,
      send: async (to) => {
        await sleep(2);
        sent.set(to, (sent.get(to) ?? 0) + 1);
        return { status: 'sent' };
      },
    };
    const b = broadcaster(sender, 300);
    const first = b.createWorker({ concurrency: 10 });
    let second: BroadcastWorker | undefined;
    try {
      const id = await b.start(draft);
      await until(() => sent.size >= 50, 20_000, '50 sends');
      await first.close(); // waits for the jobs in hand: no send is cut
      const atStop = sent.size;
      second = b.createWorker({ concurrency: 10 });
      await until(async () => (await b.progress(id))!.done, 30_000, 'done');
      expect(atStop).toBeLessThan(200);
      expect(sent.size).toBe(200);
      expect([...sent.values()].every((n) => n === 1)).toBe(true);
      expect(await b.progress(id)).toMatchObject({ total: 200, sent: 200, uncertain: 0, failed: 0 });
    } finally {
      await first.close();
      await second?.close();
      await b.close();
    }
  });

  it('when a broadcast targets a theme, then only subscribers to everything or to that theme are queued', async () => {
    await fresh(10);
    const b = broadcaster({ idempotent: true, send: async () => ({ status: 'sent' }) });
    try {
      const themeTwo = await b.dryRun({ ...draft, audience: { kind: 'theme', theme: 2 } });
      const themeThree = await b.dryRun({ ...draft, audience: { kind: 'theme', theme: 3 } });
      const english = await b.dryRun({ ...draft, audience: { kind: 'lang', lang: 'en' } });
      expect([themeTwo.recipients, themeThree.recipients, english.recipients]).toEqual([10, 5, 3]);
    } finally {
      await b.close();
    }
  });
});
