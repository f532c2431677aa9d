import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../adapters/telegram/commands.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { MemoryRateLimiter } from '../adapters/stores/rate-limiter.js';
import { createRedisConnection } from '../adapters/stores/redis-client.js';
import { RedisSessionStore } from '../adapters/stores/redis-store.js';
import { loadConfig } from '../src/config.js';
import type { AnalyticsEvent, SessionStore } from '../src/ports/index.js';
import { describeWithRedis } from './support/redis.js';
import { botHarness, callback, inlineQuery, sent, textMessage, textOf, USER } from './support/telegram.js';

/** A store that remembers the TTL of every write, over the real memory store. */
class TtlRecordingStore extends MemorySessionStore {
  readonly writes: Array<{ key: string; ttl: number }> = [];
  override async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.writes.push({ key, ttl: ttlSeconds });
    return super.set(key, value, ttlSeconds);
  }
  override async setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    this.writes.push({ key, ttl: ttlSeconds });
    return super.setIfAbsent(key, value, ttlSeconds);
  }
}

/** A store that is down: every operation rejects, as the Redis store does when Redis is unreachable. */
const downStore: SessionStore = {
  get: () => Promise.reject(new Error('store down')),
  set: () => Promise.reject(new Error('store down')),
  delete: () => Promise.reject(new Error('store down')),
  setIfAbsent: () => Promise.reject(new Error('store down')),
  ping: () => Promise.reject(new Error('store down')),
  close: async () => {},
};

describe('telegram: sessions, repeated updates, failures and logs', () => {
  it('when a chat chooses a language, then its session is stored under a pseudonymous key with a TTL', async () => {
    const store = new TtlRecordingStore();
    const h = botHarness({ store });
    await h.send(callback('l:en'));
    const sessionWrites = store.writes.filter((w) => w.key.endsWith(':session'));
    expect(sessionWrites.length).toBeGreaterThan(0);
    for (const write of store.writes) {
      expect(write.ttl).toBeGreaterThan(0);
      expect(write.key).not.toContain(String(USER.id));
    }
    expect(sessionWrites[0]!.key).toMatch(/^tg:\{p_[\w-]+\}:session$/);
    expect(await store.get(sessionWrites[0]!.key)).toEqual({ lang: 'en' });
  });

  it('when a search list is kept for paging, then the session holds result ids, never the query', async () => {
    const store = new TtlRecordingStore();
    const h = botHarness({ store });
    await h.send(textMessage('/recherche armée'));
    const key = store.writes.find((w) => w.key.endsWith(':session'))!.key;
    const session = JSON.stringify(await store.get(key));
    expect(session).toContain('"ids"');
    expect(session).not.toContain('arm');
  });

  it('when Telegram delivers the same update_id twice, then it is handled once', async () => {
    const h = botHarness();
    const first = await h.send({ ...textMessage('/start'), update_id: 9001 });
    const again = await h.send({ ...textMessage('/start'), update_id: 9001 });
    expect(sent(first)).toHaveLength(1);
    expect(again).toHaveLength(0);
    const other = await h.send({ ...textMessage('/start'), update_id: 9002 });
    expect(sent(other)).toHaveLength(1);
  });

  it('when the store is down, then a message gets a polite error and a tap is still answered', async () => {
    const h = botHarness({ store: downStore });
    const message = await h.send(textMessage('2.15'));
    expect(textOf(sent(message)[0])).toContain('erreur');
    const tap = await h.send(callback('t:2:0'));
    expect(tap.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
    expect(h.logger.lines.some((l) => l.level === 'error' && l.msg === 'telegram: update failed')).toBe(true);
  });

  it('when Telegram refuses to send, then the failure is logged and the bot keeps serving', async () => {
    const h = botHarness();
    h.failNext('sendMessage', 'Forbidden: bot was blocked by the user', 403);
    await h.send(textMessage('/start'));
    expect(h.logger.lines.some((l) => l.level === 'error')).toBe(true);
    expect(sent(await h.send(textMessage('/start')))).toHaveLength(1);
  });

  it('when updates are handled, then logs carry a pseudonym and update_id but no user id and no text', async () => {
    const h = botHarness();
    const secretWords = 'zanzibar-quokka';
    await h.send(textMessage(secretWords));
    await h.send(textMessage(`/recherche ${secretWords}`));
    await h.send(inlineQuery(secretWords));
    await h.send(callback('zz'));
    h.failNext(
      'sendMessage',
      `Bad Request: can't parse entities: unsupported start tag "${secretWords}"`,
      400,
    );
    await h.send(textMessage('/themes'));
    const logs = JSON.stringify(h.logger.lines);
    expect(h.logger.lines.length).toBeGreaterThan(4);
    expect(logs).not.toContain(String(USER.id));
    expect(logs).not.toContain('zanzibar');
    expect(logs).toContain("can't parse entities");
    for (const line of h.logger.lines.filter((l) => l.msg === 'telegram update handled')) {
      expect(line.user).toMatch(/^p_/);
      expect(typeof line.update_id).toBe('number');
    }
  });
});

describe('telegram: commands registered with Telegram', () => {
  it('when the commands are registered, then French is the default and English is set for language_code en', async () => {
    const h = botHarness();
    const ok = await registerCommands(h.bot.api, h.logger);
    expect(ok).toBe(true);
    const calls = h.calls.filter((c) => c.method === 'setMyCommands');
    expect(calls).toHaveLength(3);
    const fr = calls[0]!.payload as { commands: Array<{ command: string }>; language_code?: string };
    const bm = calls[1]!.payload as { commands: Array<{ command: string }>; language_code?: string };
    const en = calls[2]!.payload as { commands: Array<{ command: string }>; language_code?: string };
    expect(bm.language_code).toBe('bm');
    expect(bm.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['barokunw', 'nyini', 'kan']));
    expect(fr.language_code).toBeUndefined();
    expect(fr.commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(['recherche', 'apropos', 'langue', 'aide']),
    );
    expect(en.language_code).toBe('en');
    expect(en.commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(['search', 'about', 'language', 'help']),
    );
    for (const c of [...fr.commands, ...bm.commands, ...en.commands])
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
  });

  it('when Telegram refuses the commands, then it is logged and not fatal', async () => {
    const h = botHarness();
    h.failNext('setMyCommands', 'Not Found: method not found', 404);
    await expect(registerCommands(h.bot.api, h.logger)).resolves.toBe(false);
    expect(h.logger.lines.some((l) => l.level === 'warn' && String(l.msg).includes('commands'))).toBe(true);
  });
});

describeWithRedis('telegram: sessions in Redis', (redisUrl) => {
  const redis = createRedisConnection(loadConfig({ NODE_ENV: 'test', REDIS_URL: redisUrl }));
  afterAll(() => redis.quit());

  it('when a chat uses the bot with Redis, then its session and the dedupe mark expire', async () => {
    const prefix = `test:${randomUUID()}:`;
    const h = botHarness({ store: new RedisSessionStore(redis, prefix) });
    await h.send({ ...callback('l:en'), update_id: 31337 });
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.some((k) => /tg:\{p_[\w-]+\}:session$/.test(k))).toBe(true);
    expect(keys).toContain(`${prefix}tg:upd:31337`);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(textOf(sent(await h.send(textMessage('/start')))[0])).toContain('Hello!');
  });

  it('when two instances get the same double tap at once, then one answers; a reaction counts once across them', async () => {
    const prefix = `test:${randomUUID()}:`;
    const store = new RedisSessionStore(redis, prefix);
    const events: AnalyticsEvent[] = [];
    const analytics = { record: (event: AnalyticsEvent) => events.push(event) };
    const [a, b] = [botHarness({ store, analytics }), botHarness({ store, analytics })];
    // Telegram sends each tap as its own update: the same person, message and button.
    const tap = callback('r:2.15');
    const [onA, onB] = await Promise.all([
      a.send({ ...tap, update_id: 5001 }),
      b.send({ ...tap, update_id: 5002 }),
    ]);
    expect(sent([...onA, ...onB])).toHaveLength(1);
    expect([...onA, ...onB].filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(2);
    // 👍 on one instance, 🤔 on the other: one reaction of this person to 2.15.
    await a.send({ ...callback('f:2.15:1'), update_id: 5003 });
    await b.send({ ...callback('f:2.15:2'), update_id: 5004 });
    expect(events.filter((e) => e.type === 'feedback')).toHaveLength(1);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.filter((k) => /tg:\{p_[\w-]+\}:tap:/.test(k)).length).toBeGreaterThan(0);
    expect(keys.filter((k) => /tg:\{p_[\w-]+\}:fb:2\.15$/.test(k))).toHaveLength(1);
    for (const key of keys) {
      expect(key).not.toContain(String(USER.id));
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    }
  });
});

describe('telegram: the per-person budget', () => {
  it('when a user floods the bot, then over the budget one notice is sent, then silence; others are served', async () => {
    const h = botHarness({ limiter: new MemoryRateLimiter(3) });
    for (let i = 0; i < 3; i++) expect(sent(await h.send(textMessage('2.15')))).toHaveLength(1);
    const refused = sent(await h.send(textMessage('2.15')));
    expect(refused).toHaveLength(1);
    expect(textOf(refused[0])).toContain('Trop de demandes');
    expect(await h.send(textMessage('2.15'))).toHaveLength(0);
    const tap = await h.send(callback('t:2:0'));
    expect(tap).toHaveLength(1);
    expect(tap[0]!.payload.text).toContain('Trop de demandes');
    const inline = await h.send(inlineQuery('eau'));
    expect(inline[0]!.payload.results).toEqual([]);
    expect(sent(await h.send(textMessage('2.15', { id: 777002 })))).toHaveLength(1);
  });
});
