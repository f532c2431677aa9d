import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { USSD_HOP_SCRIPTS } from '../adapters/stores/ussd-hops.js';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { describeWithRedis } from './support/redis.js';
import { holdingProxy } from './support/holding-proxy.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { startService, type RunningService } from './support/service.js';
import { AtSession, recHeader, type AtAnswer } from './support/ussd.js';

/**
 * What one USSD hop asks of Redis, on a real redis-server behind a proxy that can hold replies.
 * While a hop is measured, the proxy holds every reply to the hop's writes (the save script, the
 * session id's owner SET) on that connection: a hop that waited on its writes would never get them
 * and would end in the request deadline's apology. A hop that answers its screen has therefore
 * waited on its read alone; MONITOR on a direct connection counts the commands each hop sent
 * (`sent`) and what Redis ran, scripts' commands included (`ran`). No stopwatch: the same verdict
 * on an idle or a saturated machine. The table is printed (bench/notes.md quotes it).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fr = (key: Parameters<typeof t>[1]) => toGsm7(t('fr', key));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

interface Measured {
  label: string;
  /** Connections whose replies to the hop's writes were still held when the hop answered. */
  held: number;
  /** Commands clients sent (EVALSHA, SET, GET ...). */
  sent: string[];
  /** Commands Redis ran, a script's own commands included. */
  ran: string[];
}

describeWithRedis('USSD hop round trips on a real Redis', () => {
  const prefix = `rt${randomUUID().slice(0, 8)}:`;
  let redis: RedisServer;
  let proxy: Awaited<ReturnType<typeof holdingProxy>>;
  let monitor: Redis;
  let direct: Redis;
  let running: RunningService;
  const lines: Array<{ lua: boolean; command: string }> = [];
  const table: Measured[] = [];
  let marks = 0;

  /** A hop's writes: the save script (by its SHA1) and the SET of the session id's owner key. */
  const saveSha = sha1(USSD_HOP_SCRIPTS.save);
  const isWrite = (request: string) =>
    request.includes(saveSha) || (request.includes('\r\nSET\r\n') && request.includes(`${prefix}ussd:s:`));

  /** Waits until MONITOR has shown everything Redis ran so far: a marker command, then its line. */
  async function settled(): Promise<void> {
    const mark = `${prefix}mark:${++marks}`;
    let seen = false;
    const watch = (_time: string, args: string[]) => {
      if (args[1] === mark) seen = true;
    };
    monitorFeed.on('monitor', watch);
    await direct.get(mark);
    while (!seen) await sleep(5);
    monitorFeed.off('monitor', watch);
  }
  let monitorFeed: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = await holdingProxy(redis.port, isWrite);
    monitor = new Redis(redis.url);
    direct = new Redis(redis.url);
    monitorFeed = await monitor.monitor();
    monitorFeed.on('monitor', (_time: string, args: string[], source: string) => {
      // Only this service's keys; not the follow-up snapshot's background reload (at most every
      // 5 s per instance, src/followup/snapshot.ts), which no hop waits on; not our markers.
      if (!args.some((arg) => arg.startsWith(prefix))) return;
      if (args.some((arg) => arg.startsWith(`${prefix}{followup}`) || arg.startsWith(`${prefix}mark:`)))
        return;
      lines.push({ lua: source.includes('lua'), command: String(args[0]).toUpperCase() });
    });
    running = await startService({
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_KEY_PREFIX: prefix,
      PHONE_HASH_KEY: 'round-trips-test-key-0123456789',
      // A hop that waited on a held write would meet the request deadline first (the store's
      // is longer): its answer would be the deadline's apology, an END, not its screen.
      REDIS_COMMAND_TIMEOUT_MS: '8000',
      REQUEST_TIMEOUT_MS: '4000',
      RATE_LIMIT_PER_MINUTE: '1000',
    });
    // Warm: connections made, the script loaded (its first EVALSHA answers NOSCRIPT, then EVAL).
    await new AtSession(running.baseUrl).dial('1', '2');
    await settled();
  }, 30_000);

  afterAll(async () => {
    console.log(
      [
        "USSD hop, Redis work (replies to the hop's writes held until it answered):",
        '| hop | writes held | commands sent | commands run (scripts included) |',
        '|---|---:|---|---|',
        ...table.map((m) => `| ${m.label} | ${m.held} | ${m.sent.join(' ')} | ${m.ran.join(' ')} |`),
      ].join('\n'),
    );
    await running?.close();
    monitorFeed?.disconnect();
    monitor?.disconnect();
    direct?.disconnect();
    proxy?.close();
    await redis?.stop();
  });

  /**
   * One hop with the replies to its writes held until it has answered; then what it asked of
   * Redis. `held` counts the connections whose write replies were held when the answer came.
   */
  async function measure(label: string, hop: () => Promise<AtAnswer>): Promise<AtAnswer & Measured> {
    // What came before (a previous hop's writes, the test's own reads) is in before we start.
    await settled();
    lines.length = 0;
    proxy.held = 0;
    proxy.holding = true;
    let answer: AtAnswer;
    try {
      answer = await hop();
    } finally {
      proxy.release();
    }
    const held = proxy.held;
    await settled();
    const measured: Measured = {
      label,
      held,
      sent: lines.filter((line) => !line.lua).map((line) => line.command),
      ran: lines.map((line) => line.command),
    };
    table.push(measured);
    return { ...answer, ...measured };
  }

  it('when a person navigates the menus, then each hop waits on one Redis round trip and sends one script to read and one to write', async () => {
    const s = new AtSession(running.baseUrl);
    const first = await measure('dial (new session)', () => s.dial());
    expect(first.lines[0]).toBe(fr('ussd.home.title'));
    const hops = [
      await measure('menu: themes', () => s.type('1')),
      await measure('menu: theme 2', () => s.type('2')),
      await measure('menu: next page', () => s.type('98')),
      await measure('menu: a recommendation', () => s.type('15')),
      await measure('menu: back', () => s.type('0')),
    ];
    expect(recHeader(hops[3]!.lines[0])?.id).toBe('2.15');
    for (const hop of [first, ...hops]) {
      // Answered (its screen, not the deadline's apology) while its writes' replies were held:
      // the hop did not wait on them; the read is then the one round trip it waited on.
      expect(hop.end, hop.label).toBe(false);
      expect(hop.held, hop.label).toBeGreaterThanOrEqual(1);
    }
    for (const hop of hops) {
      // The read: one script (budget, session); the writes: session and "where was I", one script.
      expect(hop.sent, hop.label).toEqual(['EVALSHA', 'EVALSHA']);
      expect(
        hop.ran.filter((c) => c !== 'PEXPIRE'),
        hop.label,
      ).toEqual(['EVALSHA', 'INCR', 'GET', 'EVALSHA', 'SET', 'SET']);
    }
    // A first hop reads last and language in the same script, and names the session id's owner
    // (another slot: a SET of its own).
    expect(first.sent).toEqual(expect.arrayContaining(['EVALSHA', 'EVALSHA', 'SET']));
    expect(first.sent).toHaveLength(3);
  });

  it('when a language is chosen, then it is written with the hop’s other writes, in the same round trip', async () => {
    const s = new AtSession(running.baseUrl);
    await s.dial();
    await s.type('5');
    const chosen = await measure('menu: language chosen', () => s.type('2'));
    expect([chosen.end, chosen.held]).toEqual([false, 1]);
    expect(chosen.sent).toEqual(['EVALSHA', 'EVALSHA']);
    // Session, "where was I" and the language, in the one write.
    expect(chosen.ran.filter((c) => c === 'SET')).toHaveLength(3);
  });

  it('when a session was stored under the old key layout before the upgrade, then its next hop goes on from it and moves it under the person’s key', async () => {
    const s = new AtSession(running.baseUrl);
    await s.dial('1', '2');
    const page = await s.type('98');
    await settled();
    // What the release before this one kept: the same record under `ussd:s:<sessionId>`, no tag.
    const direct = new Redis(redis.url);
    try {
      const pseudonym = running.service.pseudonymize(s.phone);
      const moved = `${prefix}ussd:{${pseudonym}}:s:${s.sessionId}`;
      const old = `${prefix}ussd:s:${s.sessionId}`;
      const record = await direct.get(moved);
      expect(record).not.toBeNull();
      await direct.del(moved);
      await direct.set(old, record!, 'EX', 300);

      const upgraded = await measure('old layout: first hop after the upgrade', () => s.type('15'));
      expect(recHeader(upgraded.lines[0])?.id).toBe('2.15');
      // Off the common path, once: the script, then the old key.
      expect(upgraded.sent.slice(0, 2)).toEqual(['EVALSHA', 'GET']);
      expect(JSON.parse((await direct.get(moved))!)).toMatchObject({ owner: pseudonym, consumed: 4 });
      expect(JSON.parse((await direct.get(old))!)).toEqual({ owner: pseudonym });

      const back = await measure('old layout: the hop after', () => s.type('0'));
      expect(back.screen).toBe(page.screen);
      expect([back.end, back.held]).toEqual([false, 1]);
      expect(back.sent).toEqual(['EVALSHA', 'EVALSHA']);
    } finally {
      direct.disconnect();
    }
  });
});
