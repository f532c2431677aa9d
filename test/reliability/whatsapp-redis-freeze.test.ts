import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { describeWhen } from '../support/describe-when.js';
import { newTally, saveTally } from '../support/reliability.js';
import {
  notification,
  startWhatsAppService,
  text,
  wamid,
  type WhatsAppHarness,
} from '../support/whatsapp.js';

/**
 * Issue 33, point 2: the WhatsApp webhook answered 200 before processing, so Meta never delivered
 * again what failed: in a 5 s Redis freeze 112 of 240 messages were never answered and 27 of 60
 * STOPs were neither stored nor confirmed. Now only what is decided and kept is acknowledged;
 * the rest gets 503, which Meta delivers again (emulated here: every non-2xx is posted again
 * after a pause, as Meta does, for as long as it takes).
 *
 * Counted, not timed: every message answered once, every STOP stored and confirmed once.
 */
const PEOPLE = 240;
const STOPS = 60;
const FREEZE_MS = 5000;
const tally = newTally();

describeWhen(redisServerAvailable(), 'redis-server', 'WhatsApp through a Redis freeze', () => {
  let redis: RedisServer;
  let wa: WhatsAppHarness;
  beforeAll(async () => {
    // A Redis of this file's own: CLIENT PAUSE freezes every client of a server.
    redis = await startRedisServer();
    wa = await startWhatsAppService(
      {
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `wafreeze-${randomBytes(3).toString('hex')}:`,
        LOG_LEVEL: 'info',
      },
      { configuredStore: true },
    );
  }, 30_000);
  afterAll(async () => {
    await wa?.close();
    await redis?.stop();
    tally.logLines += wa?.logs.lines.length ?? 0;
    saveTally('whatsapp-redis-freeze', tally);
  });

  /** Meta's side: a notification that gets no 2xx is delivered again after a pause. */
  async function meta(body: unknown): Promise<number> {
    let pause = 250;
    for (let attempt = 1; attempt <= 200; attempt++) {
      tally.inputs++;
      const status = await wa.post(body).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      if (status >= 200 && status < 300) return attempt;
      if (status === 0 || (status >= 500 && status !== 503)) tally.failed++;
      tally.deferred++;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 2000);
    }
    throw new Error('Meta gave up on a notification');
  }

  it(`when Redis freezes for 5 s while ${PEOPLE} people write and ${STOPS} send STOP, then every message is answered and every STOP stored and confirmed, once`, async () => {
    const waId = (n: number) => `2237${String(7_100_000 + n).padStart(7, '0')}`;
    const stopper = (n: number) => `2237${String(7_200_000 + n).padStart(7, '0')}`;
    const bodies = [
      ...Array.from({ length: PEOPLE }, (_, n) =>
        notification([
          text(n % 2 ? '2.15' : 'eau', { from: waId(n), id: wamid(waId(n)), timestamp: wa.clock.seconds }),
        ]),
      ),
      ...Array.from({ length: STOPS }, (_, n) =>
        notification([
          text('STOP', { from: stopper(n), id: wamid(stopper(n)), timestamp: wa.clock.seconds }),
        ]),
      ),
    ].sort(() => Math.random() - 0.5);

    // 20 at a time, the freeze starting once a third are under way.
    const queue = [...bodies];
    const senders = Array.from({ length: 20 }, async () => {
      for (let body = queue.shift(); body; body = queue.shift()) await meta(body);
    });
    while (queue.length > (bodies.length * 2) / 3) await new Promise((resolve) => setTimeout(resolve, 10));
    const pauser = new Redis(redis.url);
    await pauser.call('CLIENT', 'PAUSE', String(FREEZE_MS), 'ALL');
    pauser.disconnect();
    tally.faults++;
    await Promise.all(senders);
    await wa.service.whatsapp!.flush();

    const answered = new Map<string, number>();
    for (const call of wa.graph.calls)
      answered.set(String(call.payload.to), (answered.get(String(call.payload.to)) ?? 0) + 1);
    const unanswered = Array.from({ length: PEOPLE }, (_, n) => waId(n)).filter((id) => !answered.has(id));
    const confirmation = t('fr', 'optOut.done');
    const stopsLost: string[] = [];
    for (let n = 0; n < STOPS; n++) {
      const calls = wa.graph.calls.filter((call) => call.payload.to === stopper(n));
      const stored = await wa.service.whatsapp!.notify(stopper(n), [{ type: 'text', text: { body: 'x' } }]);
      const confirmed = calls.filter((call) =>
        JSON.stringify(call.payload).includes(confirmation.slice(0, 20)),
      );
      if (stored !== 'optedOut' || confirmed.length !== 1)
        stopsLost.push(`${n}: ${stored}, ${confirmed.length} confirmations`);
    }
    tally.lost += unanswered.length + stopsLost.length;
    expect(unanswered).toEqual([]);
    expect(stopsLost).toEqual([]);
    // Each message was answered once: a redelivered message is a duplicate, never answered twice.
    const answers = [...answered.values()];
    expect(answers.filter((count) => count > 2)).toEqual([]);
    // The freeze did make the webhook say "later" at least once (else this tested nothing).
    expect(tally.deferred).toBeGreaterThan(0);
  }, 120_000);
});
