import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { describeWithRedis } from './support/redis.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { startService, type RunningService } from './support/service.js';
import { AtSession, recHeader, type AtAnswer } from './support/ussd.js';

/**
 * What one USSD hop asks of Redis, measured on a real redis-server behind a proxy that holds every
 * byte sent to Redis for DELAY_MS: a hop that waits on n round trips one after the other takes
 * at least n × DELAY_MS, so a hop under 2 × DELAY_MS waited on one. MONITOR on a direct
 * connection counts the commands each hop sent (`sent`) and what Redis ran, scripts' commands
 * included (`ran`). The figures are printed (bench/notes.md quotes them).
 */

/** Long enough that a loaded machine's CPU time per hop (a few ms, tens at worst) cannot pass for a round trip. */
const DELAY_MS = 300;
const fr = (key: Parameters<typeof t>[1]) => toGsm7(t('fr', key));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP proxy that delays what clients send (replies come back at once); order is kept. */
async function delayingProxy(target: number, delayMs: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.on('data', (chunk) => client.write(chunk));
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

interface Measured {
  label: string;
  ms: number;
  /** Commands clients sent (EVALSHA, SET, GET ...). */
  sent: string[];
  /** Commands Redis ran, a script's own commands included. */
  ran: string[];
}

describeWithRedis('USSD hop round trips on a real Redis', () => {
  const prefix = `rt${randomUUID().slice(0, 8)}:`;
  let redis: RedisServer;
  let proxy: { port: number; close(): void };
  let monitor: Redis;
  let running: RunningService;
  const lines: Array<{ lua: boolean; command: string }> = [];
  const table: Measured[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = await delayingProxy(redis.port, DELAY_MS);
    monitor = new Redis(redis.url);
    const watching = await monitor.monitor();
    watching.on('monitor', (_time: string, args: string[], source: string) => {
      // Only this service's keys; not the follow-up snapshot's background reload (at most every
      // 5 s per instance, src/followup/snapshot.ts), which no hop waits on.
      if (!args.some((arg) => arg.startsWith(prefix))) return;
      if (args.some((arg) => arg.startsWith(`${prefix}{followup}`))) return;
      lines.push({ lua: source.includes('lua'), command: String(args[0]).toUpperCase() });
    });
    running = await startService({
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_KEY_PREFIX: prefix,
      PHONE_HASH_KEY: 'round-trips-test-key-0123456789',
      REDIS_COMMAND_TIMEOUT_MS: String(DELAY_MS * 8),
      REQUEST_TIMEOUT_MS: String(DELAY_MS * 20),
      RATE_LIMIT_PER_MINUTE: '1000',
    });
    // Warm: connections made, the script loaded (its first EVALSHA answers NOSCRIPT, then EVAL).
    await new AtSession(running.baseUrl).dial('1', '2');
    await sleep(DELAY_MS * 2);
  }, 30_000);

  afterAll(async () => {
    console.log(
      [
        `USSD hop, Redis work (proxy delay ${DELAY_MS} ms each way in):`,
        '| hop | ms | commands sent | commands run (scripts included) |',
        '|---|---:|---|---|',
        ...table.map(
          (m) => `| ${m.label} | ${Math.round(m.ms)} | ${m.sent.join(' ')} | ${m.ran.join(' ')} |`,
        ),
      ].join('\n'),
    );
    await running?.close();
    monitor?.disconnect();
    proxy?.close();
    await redis?.stop();
  });

  /** One hop, then a pause for the writes it did not wait for; what it asked of Redis. */
  async function measure(label: string, hop: () => Promise<AtAnswer>): Promise<AtAnswer & Measured> {
    // What came before (a previous hop's writes, the test's own reads) is in before we start.
    await sleep(DELAY_MS + 100);
    lines.length = 0;
    const answer = await hop();
    await sleep(DELAY_MS + 100);
    const measured: Measured = {
      label,
      ms: answer.ms,
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
      // At least one delay (the proxy is in the path), less than two (nothing waited on twice).
      expect(hop.ms, hop.label).toBeGreaterThanOrEqual(DELAY_MS);
      expect(hop.ms, hop.label).toBeLessThan(2 * DELAY_MS);
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
    expect(chosen.ms).toBeLessThan(2 * DELAY_MS);
    expect(chosen.sent).toEqual(['EVALSHA', 'EVALSHA']);
    // Session, "where was I" and the language, in the one write.
    expect(chosen.ran.filter((c) => c === 'SET')).toHaveLength(3);
  });

  it('when a session was stored under the old key layout before the upgrade, then its next hop goes on from it and moves it under the person’s key', async () => {
    const s = new AtSession(running.baseUrl);
    await s.dial('1', '2');
    const page = await s.type('98');
    await sleep(DELAY_MS * 2);
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
      expect(back.ms).toBeLessThan(2 * DELAY_MS);
      expect(back.sent).toEqual(['EVALSHA', 'EVALSHA']);
    } finally {
      direct.disconnect();
    }
  });
});
