import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTEXT_FRESH_SECONDS,
  readState,
  remember,
  resolve,
  step,
  type ConversationState,
} from '../src/conversation/context.js';
import { CONVERSATION_TTL_SECONDS } from '../src/conversation/memory.js';
import { t } from '../src/i18n/index.js';
import { storeKeys } from '../src/ports/keys.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { describeWithRedis } from './support/redis.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';
import { startService, type RunningService } from './support/service.js';
import { realEngine } from './support/telegram.js';

/**
 * Issue 29, "what was just said": the state kept per person (ids, kinds, a language code), how a
 * message that refers to it is resolved, and whole conversations over the real SMS webhook.
 */
const engine = realEngine();
const list = (ids: string[], kind: 'results' | 'theme' | 'themes' = 'results'): ConversationState => ({
  v: 1,
  at: 0,
  list: { kind, ids },
});

describe('the state and its resolution (pure)', () => {
  it('when a stored value is read, then only the shape written is accepted (ids, kinds, a known language)', () => {
    expect(
      readState({ v: 1, at: 5, lang: 'en', rec: '2.10', list: { kind: 'results', ids: ['3.13'] } }),
    ).toEqual({ v: 1, at: 5, lang: 'en', rec: '2.10', list: { kind: 'results', ids: ['3.13'] } });
    expect(
      readState({ v: 1, at: 5, lang: 'xx', rec: 'drop table', list: { kind: 'results', ids: ['<b>'] } }),
    ).toEqual({
      v: 1,
      at: 5,
    });
    expect(readState('eau potable')).toBeUndefined();
    expect(readState({ v: 2, at: 5 })).toBeUndefined();
  });

  it('when a bare number comes right after a list, then it picks from the list; beyond it, it keeps its own meaning', () => {
    const state = list(['3.15', '3.13', '4.50']);
    expect(resolve({ kind: 'theme', theme: 2, digits: '2' }, state)).toEqual({
      intent: { kind: 'recommendation', theme: 3, number: 13 },
    });
    expect(resolve({ kind: 'theme', theme: 7, digits: '7' }, state)).toEqual({
      intent: { kind: 'theme', theme: 7, digits: '7' },
    });
    // T1 is typed as a theme: never a pick.
    expect(resolve({ kind: 'theme', theme: 1 }, state)).toEqual({ intent: { kind: 'theme', theme: 1 } });
    expect(
      resolve(
        { kind: 'recommendation', theme: 1, number: 2, digits: '12' },
        list(
          Array.from({ length: 59 }, (_, i) => `3.${i + 1}`),
          'theme',
        ),
      ),
    ).toEqual({
      intent: { kind: 'recommendation', theme: 3, number: 12 },
    });
    expect(
      resolve({ kind: 'theme', theme: 4, digits: '4' }, list(['1', '2', '3', '4', '5'], 'themes')),
    ).toEqual({
      intent: { kind: 'theme', theme: 4 },
    });
  });

  it('when "le 3e" or "the last one" is sent, then it picks; outside the list or without one, a notice says what to send', () => {
    const state = list(['3.15', '3.13', '4.50']);
    expect(resolve({ kind: 'pick', position: 'last' }, state)).toEqual({
      intent: { kind: 'recommendation', theme: 4, number: 50 },
    });
    expect(resolve({ kind: 'pick', position: 9 }, state)).toEqual({
      notice: 'pick.range',
      params: { count: 3 },
    });
    expect(resolve({ kind: 'pick', position: 1 }, undefined)).toEqual({ notice: 'pick.none' });
  });

  it('when "elle", "le texte" or "is it done?" refers to the last recommendation, then it is that one; with none, the general answer or a question', () => {
    const state: ConversationState = { v: 1, at: 0, rec: '2.11' };
    expect(resolve({ kind: 'followUp', recommendation: 'current' }, state)).toEqual({
      intent: { kind: 'followUp', recommendation: { theme: 2, number: 11 } },
    });
    expect(resolve({ kind: 'followUp', recommendation: 'current' }, undefined)).toEqual({
      intent: { kind: 'followUp', recommendation: null },
    });
    expect(resolve({ kind: 'current', reportText: true }, state)).toEqual({
      intent: { kind: 'recommendation', theme: 2, number: 11, reportText: true },
    });
    expect(resolve({ kind: 'current' }, undefined)).toEqual({ notice: 'context.none' });
  });

  it('when "la suivante" follows a recommendation, then it is the next in the list it was opened from, else in the report', () => {
    expect(step(engine, { v: 1, at: 0, rec: '1.41' }, 'next')).toEqual({
      intent: { kind: 'recommendation', theme: 2, number: 1 },
    });
    expect(step(engine, { v: 1, at: 0, rec: '1.1' }, 'previous')).toEqual({ notice: 'nav.atStart' });
    expect(step(engine, { v: 1, at: 0, rec: '5.68' }, 'next')).toEqual({ notice: 'nav.noMore' });
    const fromResults: ConversationState = { ...list(['3.15', '3.13', '4.50']), rec: '3.13' };
    expect(step(engine, fromResults, 'next')).toEqual({
      intent: { kind: 'recommendation', theme: 4, number: 50 },
    });
  });

  it('when an answer is remembered, then a new list replaces the last one and a recommendation outside it ends it', () => {
    const results = engine.respond({ kind: 'search', query: 'eau' });
    const afterList = remember(undefined, results, 10, 'fr');
    expect(afterList.list?.kind).toBe('results');
    const opened = engine.respond({ kind: 'recommendation', ...{ theme: 3, number: 13 } });
    expect(remember(afterList, opened, 11, undefined)).toMatchObject({
      rec: '3.13',
      lang: 'fr',
      list: afterList.list,
    });
    const elsewhere = engine.respond({ kind: 'recommendation', theme: 1, number: 1 });
    expect(remember(afterList, elsewhere, 12, undefined).list).toBeUndefined();
    // Only ids, kinds, a code and a time: never the words typed.
    expect(JSON.stringify(afterList)).not.toContain('eau');
  });
});

describe('conversations over the real SMS webhook', () => {
  let harness: SmsHarness;
  let now = Date.now();
  let phones = 0;
  beforeAll(async () => {
    harness = await startSmsHarness({}, undefined, { clock: { now: () => now } });
  });
  afterAll(() => harness.stop());

  /** Each message's replies, from a number of its own. */
  const conversation = async (...texts: string[]): Promise<string[]> => {
    const from = `+2237300${String(++phones).padStart(4, '0')}`;
    const replies: string[] = [];
    for (const text of texts) {
      const before = (await harness.outbox()).length;
      expect((await harness.incoming(text, { from })).status).toBe(200);
      replies.push(
        (await harness.outbox())
          .slice(before)
          .map((entry) => entry.text)
          .join('\n'),
      );
    }
    return replies;
  };
  const fr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) =>
    toGsm7(t('fr', key, params));

  it('when a question about the recommendation just read comes next, then its follow-up is answered', async () => {
    const [, followUp] = await conversation('2.11', "c'est appliqué ?");
    expect(followUp).toContain(fr('followup.title', { id: '2.11' }));
  });

  it('when a bare number, "le 3e" or "la dernière" comes after a list, then it picks from the list', async () => {
    const [results, second, third] = await conversation('eau potable', '2', 'le 3e');
    // The first SMS (one segment) shows the first results; the list is the search's hits in order.
    const shown = [...results!.matchAll(/^(\d\.\d+) /gm)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    const answer = harness.service.engine.answer('eau potable');
    const ids = answer.kind === 'searchResults' ? answer.hits.map((hit) => hit.recommendation.id) : [];
    expect(ids.slice(0, shown.length)).toEqual(shown);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(second).toMatch(new RegExp(`^Rapport, ${ids[1]!.replace('.', '\\.')} :`));
    expect(third).toMatch(new RegExp(`^Rapport, ${ids[2]!.replace('.', '\\.')} :`));
  });

  it("when a number comes after a theme, then it is that theme's; T1 still means theme 1", async () => {
    const [, five, theme1] = await conversation('T2', '5', 'T1');
    expect(five).toMatch(/^Rapport, 2\.5 :/);
    expect(theme1).toMatch(/^Th.me 1 :/);
  });

  it('when "suivante" or "la précédente" comes after a recommendation, then the next or previous one opens', async () => {
    const [, next, previous] = await conversation('2.10', 'suivante', 'la précédente');
    expect(next).toMatch(/^Rapport, 2\.11 :/);
    expect(previous).toMatch(/^Rapport, 2\.10 :/);
  });

  it('when "le 3e" comes with no list, then the reply says what to send', async () => {
    expect((await conversation('le 3e'))[0]).toBe(`${fr('pick.none')}\n${fr('hint.typed')}`);
  });

  it('when the list is old, then a bare number means a theme again', async () => {
    const from = '+22373009999';
    await harness.incoming('eau', { from });
    now += (CONTEXT_FRESH_SECONDS + 60) * 1000;
    const before = (await harness.outbox()).length;
    await harness.incoming('2', { from });
    expect((await harness.outbox()).slice(before)[0]!.text).toMatch(/^Th.me 2 :/);
  });

  it('when a person writes in English, then the conversation stays in English, numbers included', async () => {
    const [list, opened] = await conversation('what does the report say about water', '2');
    expect(list).toMatch(/^(\(1\/\d+\) )?Results for/);
    expect(opened).toMatch(/^(\(1\/\d\) )?Report, \d\.\d+ \(French\):/);
  });

  it('when a person greets in Bambara, then Bambara answers, and keeps answering', async () => {
    const [hello, opened] = await conversation('i ni ce', '2.15');
    expect(hello).toBe(toGsm7(`${t('bm', 'smallTalk.greeting')}\n${t('bm', 'hint.typed')}`));
    expect(opened).toMatch(/^Ladilikan 2\.15/);
  });

  it('when an insult or a long text is not understood, then it is never quoted back', async () => {
    const [reply] = await conversation('espece de gros crapaud menteur');
    expect(reply).toContain(fr('search.none'));
    expect(reply).not.toMatch(/crapaud|menteur/);
  });

  it('when a subject the report never names is asked, then it says so, naming that subject only', async () => {
    const [reply] = await conversation('bande de nuls, le prix du riz a Bamako ?');
    expect(reply).toContain(fr('search.notInReport', { query: 'prix riz' }));
    expect(reply).not.toContain('nuls');
  });

  it('when DESABONNE is sent where news are not offered, then it is STOP; ABONNE says how to follow instead', async () => {
    const [abonne] = await conversation('ABONNE');
    expect(abonne).toBe(fr('subscribe.unavailable'));
    const [stopped, after] = await conversation('DESABONNE', '2.10');
    expect(stopped).toBe(fr('optOut.done'));
    expect(after).toBe('');
  });
});

describeWithRedis('what was just said, in Redis', () => {
  const prefix = `cx${randomUUID().slice(0, 8)}:`;
  // A redis-server of its own: MONITOR on the suite's shared one would stream every other
  // file's traffic too (a busy broadcast test tripped ioredis's command queue with it).
  let own: RedisServer;
  let running: RunningService;
  let monitor: Redis;
  let feed: Redis;
  let direct: Redis;
  const commands: string[][] = [];
  beforeAll(async () => {
    own = await startRedisServer();
    const redisUrl = own.url;
    running = await startService({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    monitor = new Redis(redisUrl);
    direct = new Redis(redisUrl);
    feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => arg.startsWith(prefix))) commands.push(args);
    });
  });
  afterAll(async () => {
    feed?.disconnect();
    monitor?.disconnect();
    direct?.disconnect();
    await running?.close();
    await own?.stop();
  });

  const sms = async (from: string, text: string) => {
    const form = new URLSearchParams({ from, to: '36000', text, id: `cx-${randomUUID()}` });
    expect((await fetch(`${running.baseUrl}/sms`, { method: 'POST', body: form })).status).toBe(200);
    await running.service.sms.flush();
  };

  /** Waits until MONITOR has shown a marker sent after everything else. */
  const settled = async () => {
    const mark = `${prefix}mark:${randomUUID()}`;
    await direct.get(mark);
    while (!commands.some((args) => args[1] === mark)) await new Promise((r) => setTimeout(r, 5));
  };

  it('when a turn begins, then the language and what was just said are read in the turn’s one script, on one slot', async () => {
    const from = '+22373100001';
    const pseudonym = running.service.pseudonymize(from);
    await sms(from, 'eau');
    await settled();
    commands.length = 0;
    await sms(from, '2');
    await settled();
    const state = `${prefix}${storeKeys.conversation(pseudonym)}`;
    const lang = `${prefix}${storeKeys.languagePreference(pseudonym)}`;
    // The claim-and-read script names them as its keys (src/conversation/turn-state.ts); no MGET.
    const scripts = commands.filter((args) => args.includes(state) && args.includes(lang));
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![0]).toMatch(/^evalsha$/i);
    expect(commands.filter((args) => /^mget$/i.test(args[0]!))).toEqual([]);
  });

  it('when it is kept, then it has a TTL and holds ids, kinds and a language code, never the words typed', async () => {
    const from = '+22373100002';
    const pseudonym = running.service.pseudonymize(from);
    await sms(from, 'what does the report say about water');
    await sms(from, '2');
    const key = `${prefix}${storeKeys.conversation(pseudonym)}`;
    const ttl = await direct.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CONVERSATION_TTL_SECONDS * 1000);
    const stored = JSON.parse((await direct.get(key))!) as ConversationState;
    expect(Object.keys(stored).sort()).toEqual(['at', 'lang', 'list', 'rec', 'v']);
    expect(stored.lang).toBe('en');
    expect(JSON.stringify(stored)).not.toMatch(/water|report/);
  });
});
