import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { TURN_SCRIPTS } from '../adapters/stores/redis-store.js';
import { describeWithRedis } from './support/redis.js';
import { holdingProxy } from './support/holding-proxy.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { startService, type RunningService } from './support/service.js';

/**
 * What one incoming SMS asks of Redis, as test/ussd-round-trips.test.ts measures a USSD hop: a
 * real redis-server behind a proxy that, while a turn is measured, holds every reply to the
 * turn's writes (the write script). A turn that waited on its writes would never be answered
 * and would end in the request deadline's 503; a turn answered 200 `accepted` waited on its
 * reads alone. MONITOR counts what each turn sent and what Redis ran (READ and WRITE: the turn's
 * two scripts, the person's budget counted inside READ; EVAL: the spending caps of the reply's
 * send after the answer; SISMEMBER: the opt-out, sent beside the read, not after it, and again at
 * send time). The round trips a turn waits on: the read, plus every command sent before it but the
 * opt-out beside it (the budget used to be one, an EVAL of its own before the read: 2 in all).
 * No stopwatch.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

interface Measured {
  label: string;
  /** Round trips waited on before the answer: the read script and whatever was sent before it. */
  waited: number;
  /** What the read script ran (a script's commands follow its EVALSHA in MONITOR, all at once). */
  inRead: string[];
  status: number;
  answer: string;
  held: number;
  sent: string[];
  ran: string[];
}

describeWithRedis('SMS turn round trips on a real Redis', () => {
  const prefix = `st${randomUUID().slice(0, 8)}:`;
  const table: Measured[] = [];
  const lines: Array<{ lua: boolean; command: string }> = [];
  let redis: RedisServer;
  let proxy: Awaited<ReturnType<typeof holdingProxy>>;
  let monitor: Redis;
  let feed: Redis;
  let direct: Redis;
  let running: RunningService;
  let marks = 0;
  const writeSha = sha1(TURN_SCRIPTS.writeMany);
  const readSha = sha1(TURN_SCRIPTS.claimAndRead);
  /** A command as the table shows it: the turn's scripts by name, others by their command. */
  const named = (args: string[]) => {
    const command = String(args[0]).toUpperCase();
    if (command !== 'EVALSHA') return command;
    return args[1] === readSha ? 'READ' : args[1] === writeSha ? 'WRITE' : 'EVALSHA';
  };

  async function settled(): Promise<void> {
    const mark = `${prefix}mark:${++marks}`;
    let seen = false;
    const watch = (_time: string, args: string[]) => {
      if (args[1] === mark) seen = true;
    };
    feed.on('monitor', watch);
    await direct.get(mark);
    while (!seen) await sleep(5);
    feed.off('monitor', watch);
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = await holdingProxy(redis.port, (request) => request.includes(writeSha));
    monitor = new Redis(redis.url);
    direct = new Redis(redis.url);
    feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[], source: string) => {
      if (!args.some((arg) => arg.startsWith(prefix))) return;
      if (args.some((arg) => arg.startsWith(`${prefix}{followup}`) || arg.startsWith(`${prefix}mark:`)))
        return;
      lines.push({ lua: source.includes('lua'), command: named(args) });
    });
    running = await startService({
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_KEY_PREFIX: prefix,
      PHONE_HASH_KEY: 'sms-round-trips-test-key-0123456789',
      REDIS_COMMAND_TIMEOUT_MS: '8000',
      REQUEST_TIMEOUT_MS: '4000',
      RATE_LIMIT_PER_MINUTE: '1000',
    });
    // Warm: connections made, scripts loaded (a first EVALSHA answers NOSCRIPT, then EVAL).
    await sms('+22371999999', 'bonjour');
    await sms('+22371999999', 'SUITE');
    await running.service.sms.flush(); // its reply's sends (the spending caps' EVALs) done
    await settled();
  }, 30_000);

  afterAll(async () => {
    console.log(
      [
        "SMS turn, Redis work (replies to the turn's writes held until it answered):",
        '| message | answer | round trips waited on | writes held | commands sent | commands run (scripts included) |',
        '|---|---|---:|---:|---|---|',
        ...table.map(
          (m) =>
            `| ${m.label} | ${m.status} ${m.answer} | ${m.waited} | ${m.held} | ${m.sent.join(' ')} | ${m.ran.join(' ')} |`,
        ),
      ].join('\n'),
    );
    await running?.close();
    feed?.disconnect();
    monitor?.disconnect();
    direct?.disconnect();
    proxy?.close();
    await redis?.stop();
  });

  async function sms(from: string, text: string, id = `rt-${randomUUID()}`) {
    const form = new URLSearchParams({ from, to: '36000', text, id });
    const response = await fetch(`${running.baseUrl}/sms`, { method: 'POST', body: form });
    const body = (await response.json()) as { status?: string };
    return { status: response.status, answer: body.status ?? JSON.stringify(body) };
  }

  async function measure(label: string, from: string, text: string, id?: string): Promise<Measured> {
    await running.service.sms.flush();
    await settled();
    lines.length = 0;
    proxy.held = 0;
    proxy.holding = true;
    let answered: { status: number; answer: string };
    try {
      answered = await sms(from, text, id);
    } finally {
      proxy.release();
    }
    const held = proxy.held;
    await running.service.sms.flush();
    await settled();
    const sent = lines.filter((line) => !line.lua).map((line) => line.command);
    const beforeRead = sent.slice(0, Math.max(0, sent.indexOf('READ')));
    const read = lines.findIndex((line) => !line.lua && line.command === 'READ');
    const end = lines.findIndex((line, i) => i > read && !line.lua);
    const inRead = read < 0 ? [] : lines.slice(read + 1, end < 0 ? undefined : end).map((l) => l.command);
    const measured: Measured = {
      label,
      ...answered,
      // The opt-out's SISMEMBER goes beside the read (one wait for both); anything else before it is one more.
      waited: sent.includes('READ') ? 1 + beforeRead.filter((c) => c !== 'SISMEMBER').length : 0,
      inRead,
      held,
      sent,
      ran: lines.map((line) => line.command),
    };
    table.push(measured);
    return measured;
  }

  it('when a person searches, reads a theme and turns its page, then each SMS waits on one round trip, its budget counted in its one script of reads, and not on its one script of writes', async () => {
    const from = '+22371000001';
    const turns = [
      await measure('search', from, 'eau potable'),
      await measure('a theme', from, 'T2'),
      await measure('SUITE', from, 'SUITE'),
      await measure('a recommendation', from, '2.15'),
    ];
    for (const turn of turns) {
      // Answered while the reply to its writes was held: the turn did not wait on them.
      expect([turn.status, turn.answer], turn.label).toEqual([200, 'accepted']);
      expect(turn.held, turn.label).toBe(1);
      // One round trip waited on: nothing of its own before the read (the budget is in it).
      expect(turn.waited, turn.label).toBe(1);
      // Its state: one script to read (the seen-mark claimed, language, what was just said and
      // the pages), one to write; no GET, MGET, SET or DEL of its own.
      expect(
        turn.sent.filter((c) => c === 'READ'),
        turn.label,
      ).toEqual(['READ']);
      expect(
        turn.sent.filter((c) => c === 'WRITE'),
        turn.label,
      ).toEqual(['WRITE']);
      expect(
        turn.sent.filter((c) => /^(GET|MGET|SET|DEL)$/.test(c)),
        turn.label,
      ).toEqual([]);
      expect(turn.sent, turn.label).toContain('SISMEMBER');
      // Inside the read script: the budget (INCR; PEXPIRE on a window's first), the mark (SET NX)
      // and three GETs; the budget counted nowhere else.
      expect(
        turn.inRead.filter((c) => c !== 'PEXPIRE'),
        turn.label,
      ).toEqual(['INCR', 'SET', 'GET', 'GET', 'GET']);
      expect(
        turn.ran.filter((c) => c === 'INCR'),
        turn.label,
      ).toEqual(['INCR']);
    }
  });

  it('when the same message is delivered twice, then the second is a duplicate after one script and nothing is written', async () => {
    const from = '+22371000002';
    await measure('first delivery', from, 'T3', 'dup-1');
    const again = await measure('redelivery', from, 'T3', 'dup-1');
    expect([again.status, again.answer]).toEqual([200, 'duplicate']);
    // The read script found the mark: no reads, no writes, no reply.
    expect(again.sent.filter((c) => c === 'READ' || c === 'WRITE')).toEqual(['READ']);
    expect(again.ran.filter((c) => c === 'GET')).toEqual([]);
    expect(again.held).toBe(0);
  });

  it('when a person is over their budget, then the read script refuses the message in its one round trip: nothing claimed or read, one notice per window', async () => {
    const from = '+22371000004';
    const pseudonym = running.service.pseudonymize(from);
    // The person limiter's counter (RATE_LIMIT_PER_MINUTE=1000) full, in this window and the next.
    const window = Math.floor(Date.now() / 60_000);
    for (const w of [window, window + 1])
      await direct.set(`${prefix}rl:phone:{${pseudonym}}:${w}`, 1000, 'PX', 120_000);
    const outbox = running.service.sms.outbox!;
    const notices = () => outbox.list().filter((m) => m.to === pseudonym).length;
    const over = await measure('over the budget', from, 'eau potable');
    const again = await measure('over the budget, again', from, 'route');
    for (const turn of [over, again]) {
      expect([turn.status, turn.answer, turn.waited], turn.label).toEqual([200, 'rateLimited', 1]);
      // The budget's INCR and nothing after it in the script: no mark claimed, no state read,
      // nothing written for the turn.
      expect(turn.inRead, turn.label).toEqual(['INCR']);
      expect(
        turn.sent.filter((c) => c === 'WRITE'),
        turn.label,
      ).toEqual([]);
    }
    // One "try again later" for the window (the first), none for the second.
    expect(notices()).toBe(1);
    expect(await direct.exists(`${prefix}sms:{${pseudonym}}:limited`)).toBe(1);
  });

  it('when a person sends STOP, then the opt-out is durable before the gateway hears 200', async () => {
    const from = '+22371000003';
    const stop = await measure('STOP', from, 'STOP');
    expect([stop.status, stop.answer]).toEqual([200, 'accepted']);
    // The opt-out SADD ran before the answer came back (held writes aside, it was waited on).
    expect(stop.sent).toContain('SADD');
    const pseudonym = running.service.pseudonymize(from);
    expect(await direct.sismember(`${prefix}sms:optout`, pseudonym)).toBe(1);
  });
});

describe('SMS budget without Redis', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await startService({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => running?.close());

  it('when a person goes over their budget on the memory backend, then the turn refuses the extra messages with one notice per window and answers nothing else', async () => {
    // Fixed one-minute windows: not within the last 5 s of one.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await sleep(60_000 - intoWindow + 50);
    const from = '+22371000005';
    const answers: unknown[] = [];
    for (const [i, text] of ['eau', 'route', 'école', 'santé'].entries()) {
      const response = await fetch(`${running.baseUrl}/sms`, {
        method: 'POST',
        body: new URLSearchParams({ from, to: '36000', text, id: `mem-${i}` }),
      });
      answers.push([response.status, await response.json()]);
    }
    expect(answers.slice(2)).toEqual([
      [200, { status: 'rateLimited', notified: true }],
      [200, { status: 'rateLimited', notified: false }],
    ]);
    await running.service.sms.flush();
    const pseudonym = running.service.pseudonymize(from);
    const texts = running.service.sms.outbox!.list().filter((m) => m.to === pseudonym);
    // Two answers and one "try again later" (in French, the person's language).
    expect(texts).toHaveLength(3);
    expect(texts.at(-1)?.text).toBe(toGsm7(t('fr', 'error.rateLimited')));
  });
});
