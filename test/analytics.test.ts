import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseQuery } from '../src/analytics/normalise.js';
import type { AnalyticsEvent, Clock } from '../src/ports/index.js';
import { dayOf, daysBetween, weekOf } from '../adapters/analytics/calendar.js';
import { HyperLogLog } from '../adapters/analytics/hll.js';
import { createMemoryAnalytics } from '../adapters/analytics/memory.js';
import { createRedisAnalytics } from '../adapters/analytics/redis.js';
import { MIN_PEOPLE, type AnalyticsStore } from '../adapters/analytics/tally.js';
import { describeWithRedis } from './support/redis.js';

const DAY = 86_400_000;
/**
 * The traffic is fabricated on the next Monday after today, at 10:00 UTC: a date that moves with
 * the day the suite runs. Redis expires keys on its own (real) clock, so a fixed calendar day
 * would be born expired once the real date passes it plus the retention.
 */
const START = nextMonday(Date.now()) + 10 * 3_600_000;
const DAY1 = dayOf(START);
const DAY2 = dayOf(START + DAY);
const WEEK = weekOf(DAY1);

function nextMonday(now: number): number {
  const today = Math.floor(now / DAY) * DAY;
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0
  return today + (7 - weekday) * DAY;
}
const SENTENCE = "Je m'appelle Awa Traore, mon numero 76 12 34 56, ou en est l'eau potable a Kidal ?";

function fakeClock(at = START): Clock & { set(ms: number): void } {
  let now = at;
  return { now: () => now, set: (ms) => (now = ms) };
}

const reply = (
  person: string,
  extra: Partial<Extract<AnalyticsEvent, { type: 'reply' }>> = {},
): AnalyticsEvent => ({
  type: 'reply',
  person,
  channel: 'sms',
  lang: 'fr',
  kind: 'recommendation',
  ...extra,
});

/** The same traffic for every backend, and the figures it must give. */
async function fabricate(store: AnalyticsStore, clock: ReturnType<typeof fakeClock>) {
  // Day 1 (Monday): 3 people; p1 three times.
  for (const person of ['p_1', 'p_1', 'p_1', 'p_2', 'p_3'])
    store.record(reply(person, { recId: '2.10', theme: 2 }));
  store.record(reply('p_2', { channel: 'ussd', kind: 'theme', theme: 5 }));
  store.record(reply('p_3', { channel: 'telegram', lang: 'en', kind: 'home' }));
  store.record({ type: 'screen', person: 'p_2', channel: 'ussd', screen: 'home', event: 'reached' });
  store.record({ type: 'screen', person: 'p_2', channel: 'ussd', screen: 'home', event: 'reached' });
  store.record({ type: 'screen', person: 'p_2', channel: 'ussd', screen: 'home', event: 'dropped' });
  store.record({ type: 'smsSent', person: 'p_1', count: 2, encoding: 'GSM-7' });
  store.record({ type: 'smsSent', person: 'p_1', count: 3, encoding: 'UCS-2' });
  store.record({ type: 'feedback', person: 'p_1', channel: 'sms', recId: '2.10', value: 'useful' });
  store.record({ type: 'feedback', person: 'p_2', channel: 'ussd', recId: '2.10', value: 'unclear' });
  store.record({ type: 'feedback', person: 'p_3', channel: 'ussd', recId: '2.10', value: 'useful' });
  // A query sent by 4 people (below the threshold), one by one person 10 times, one by 5.
  for (const person of ['p_1', 'p_2', 'p_3', 'p_4'])
    store.record({
      type: 'searchMiss',
      person,
      channel: 'sms',
      lang: 'fr',
      outcome: 'none',
      normalisedWords: 'girafe',
    });
  for (let i = 0; i < 10; i++)
    store.record({
      type: 'searchMiss',
      person: 'p_9',
      channel: 'sms',
      lang: 'fr',
      outcome: 'none',
      normalisedWords: SENTENCE,
    });
  await store.flush();
  // Day 2 (Tuesday): p_1 again and 5 people on "transhumance bétail" (one only close).
  clock.set(clock.now() + DAY);
  store.record(reply('p_1', { recId: '1.3' }));
  for (const person of ['p_1', 'p_5', 'p_6', 'p_7', 'p_8'])
    store.record({
      type: 'searchMiss',
      person,
      channel: 'ussd',
      lang: 'fr',
      outcome: person === 'p_8' ? 'close' : 'none',
      normalisedWords: 'Bétail TRANSHUMANCE',
    });
  for (const person of ['p_1', 'p_5', 'p_6', 'p_7', 'p_8'])
    store.record({
      type: 'wrongAnswer',
      person,
      channel: 'telegram',
      normalisedWords: 'or mines',
      resultIds: ['5.41', 'x'],
    });
  await store.flush();
}

function contract(name: string, make: (clock: ReturnType<typeof fakeClock>) => Promise<AnalyticsStore>) {
  describe(name, () => {
    it('when traffic is recorded, then the report gives its counts per day, channel, language and intent, per theme and recommendation', async () => {
      const clock = fakeClock();
      const store = await make(clock);
      await fabricate(store, clock);
      const report = await store.report(DAY1, DAY2);
      expect(report.replies).toEqual(
        expect.arrayContaining([
          { day: DAY1, channel: 'sms', lang: 'fr', kind: 'recommendation', count: 5 },
          { day: DAY1, channel: 'ussd', lang: 'fr', kind: 'theme', count: 1 },
          { day: DAY1, channel: 'telegram', lang: 'en', kind: 'home', count: 1 },
          { day: DAY2, channel: 'sms', lang: 'fr', kind: 'recommendation', count: 1 },
        ]),
      );
      expect(report.replies).toHaveLength(4);
      expect(report.themes).toEqual([
        { theme: '1', views: 1 },
        { theme: '2', views: 5 },
        { theme: '5', views: 1 },
      ]);
      expect(report.recommendations).toEqual([
        { recId: '2.10', views: 5 },
        { recId: '1.3', views: 1 },
      ]);
      expect(report.screens).toEqual([{ channel: 'ussd', screen: 'home', reached: 2, dropped: 1 }]);
      expect(report.sms).toEqual([
        { day: DAY1, encoding: 'GSM-7', messages: 1, segments: 2 },
        { day: DAY1, encoding: 'UCS-2', messages: 1, segments: 3 },
      ]);
      expect(report.feedback).toEqual([{ recId: '2.10', useful: 2, unclear: 1 }]);
      await store.close();
    });

    it('when people come back, then unique people are counted once per day, week and range', async () => {
      const clock = fakeClock();
      const store = await make(clock);
      await fabricate(store, clock);
      const report = await store.report(DAY1, DAY2);
      // Day 1: p_1..p_4 and p_9; day 2: p_1, p_5..p_8.
      expect(report.peoplePerDay).toEqual([
        { day: DAY1, people: 5 },
        { day: DAY2, people: 5 },
      ]);
      expect(report.peoplePerWeek).toEqual([{ week: WEEK, people: 9 }]);
      expect(report.peopleInRange).toBe(9);
      const dayTwo = await store.report(DAY2, DAY2);
      expect(dayTwo.peopleInRange).toBe(5);
      await store.close();
    });

    it(`when words were sent by fewer than ${MIN_PEOPLE} different people, then they are never shown; at ${MIN_PEOPLE}, they are, normalised`, async () => {
      const clock = fakeClock();
      const store = await make(clock);
      await fabricate(store, clock);
      const report = await store.report(DAY1, DAY2);
      expect(report.misses).toEqual([{ words: 'betail transhumance', none: 4, close: 1, people: 5 }]);
      expect(report.wrongAnswers).toEqual([{ words: 'mines or', resultIds: '5.41', reports: 5, people: 5 }]);
      // Day 1 alone has none of them: the threshold holds within the range shown.
      expect((await store.report(DAY1, DAY1)).misses).toEqual([]);
      await store.close();
    });

    it('when the retention has passed, then the figures are gone', async () => {
      const clock = fakeClock();
      const store = await make(clock);
      await fabricate(store, clock);
      clock.set(START + 5 * DAY); // day 2 ends, then 3 days of retention
      const report = await store.report(DAY1, DAY2);
      expect(report.replies).toEqual([]);
      expect(report.peopleInRange).toBe(0);
      expect(report.misses).toEqual([]);
      await store.close();
    });
  });
}

describe('normalised words', () => {
  it('when a sentence holds a name, numbers and function words, then only content words without digits are kept, sorted', () => {
    expect(normaliseQuery(SENTENCE)).toBe('appelle awa eau numero potable traore');
    expect(normaliseQuery('Où en est l’EAU potable ?')).toBe('eau potable');
    expect(normaliseQuery('+223 76 12 34 56')).toBe('');
    expect(normaliseQuery(normaliseQuery(SENTENCE))).toBe(normaliseQuery(SENTENCE));
  });
});

describe('calendar', () => {
  it('when days cross a year, then ISO weeks follow the ISO rule', () => {
    expect(weekOf('2026-12-01')).toBe('2026-W49');
    expect(weekOf('2027-01-01')).toBe('2026-W53');
    expect(weekOf('2024-12-30')).toBe('2025-W01');
    expect(daysBetween('2026-12-30', '2027-01-02')).toHaveLength(4);
  });
});

describe('the memory HyperLogLog', () => {
  it('when 20,000 different members are added (each twice), then it estimates within 5 %, and small counts exactly', () => {
    const hll = new HyperLogLog();
    for (let i = 0; i < 20_000; i++) hll.add(`p_${i}`);
    for (let i = 0; i < 20_000; i++) hll.add(`p_${i}`);
    expect(Math.abs(hll.count() - 20_000) / 20_000).toBeLessThan(0.05);
    const small = new HyperLogLog();
    for (const p of ['a', 'b', 'c', 'd', 'e', 'a']) small.add(p);
    expect(small.count()).toBe(5);
  });
});

contract('memory analytics', async (clock) => createMemoryAnalytics({ retentionDays: 3, clock }));

describe('memory analytics: what is kept', () => {
  it('when a sentence with a name and a number was searched, then memory holds neither the sentence nor the number nor its words below the threshold', async () => {
    const clock = fakeClock();
    const store = createMemoryAnalytics({ retentionDays: 3, clock });
    await fabricate(store, clock);
    const dump = store.backend.dump();
    expect(dump).not.toContain('Awa');
    expect(dump).not.toContain('awa');
    expect(dump).not.toContain('kidal');
    expect(dump).not.toMatch(/76 ?12 ?34/);
    expect(dump).not.toContain('girafe');
    expect(dump).toContain('betail transhumance');
  });
});

describeWithRedis('Redis analytics', (redisUrl) => {
  let redis: Redis;
  let n = 0;
  const prefixes: string[] = [];
  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  });
  const fresh = () => {
    const prefix = `test-an-${process.pid}-${n++}:`;
    prefixes.push(prefix);
    return prefix;
  };

  // Redis expires keys on its own clock: the retention case uses a clock where the retention
  // has passed by the time of the report, and reads what Redis still holds.
  contract('the Redis backend', async (clock) => {
    const prefix = fresh();
    const store = createRedisAnalytics(new Redis(redisUrl), {
      retentionDays: 3,
      clock,
      prefix,
      ownsConnection: true,
    });
    return {
      ...store,
      report: async (from, to) => {
        if (clock.now() >= START + 5 * DAY) {
          // What the real clock would have done: every key past its PEXPIREAT is gone.
          for (const key of await redis.keys(`${prefix}*`)) {
            const expireAt = await redis.pexpiretime(key);
            if (expireAt > 0 && expireAt <= clock.now()) await redis.del(key);
          }
        }
        return store.report(from, to);
      },
    };
  });

  it('when two instances record into one Redis, then the figures add up and unique people are not counted twice', async () => {
    const prefix = fresh();
    const clock = fakeClock(Date.now());
    const a = createRedisAnalytics(redis, { retentionDays: 30, clock, prefix });
    const b = createRedisAnalytics(redis, { retentionDays: 30, clock, prefix });
    for (const person of ['p_a', 'p_b', 'p_c']) a.record(reply(person));
    for (const person of ['p_b', 'p_c', 'p_d']) b.record(reply(person));
    for (const person of ['p_1', 'p_2', 'p_3'])
      a.record({
        type: 'searchMiss',
        person,
        channel: 'sms',
        lang: 'fr',
        outcome: 'none',
        normalisedWords: 'semences',
      });
    for (const person of ['p_3', 'p_4', 'p_5'])
      b.record({
        type: 'searchMiss',
        person,
        channel: 'ussd',
        lang: 'fr',
        outcome: 'close',
        normalisedWords: 'semences',
      });
    await Promise.all([a.flush(), b.flush()]);
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    const report = await a.report(today, today);
    expect(report.replies).toEqual([
      { day: today, channel: 'sms', lang: 'fr', kind: 'recommendation', count: 6 },
    ]);
    expect(report.peopleInRange).toBe(9);
    expect(report.misses).toEqual([{ words: 'semences', none: 3, close: 3, people: 5 }]);
  });

  it('when events are recorded, then every key has an expiry within the retention, shares one hash tag, and holds no sentence or number', async () => {
    const prefix = fresh();
    const clock = fakeClock(Date.now());
    const store = createRedisAnalytics(redis, { retentionDays: 3, clock, prefix });
    await fabricate(store, clock);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(10);
    const dump: string[] = [];
    for (const key of keys) {
      expect(key.startsWith(`${prefix}an:{an}:`)).toBe(true);
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      // At most: the rest of a week, then the retention.
      expect(ttl, key).toBeLessThanOrEqual(11 * DAY);
      const type = await redis.type(key);
      dump.push(
        key,
        type === 'hash'
          ? JSON.stringify(await redis.hgetall(key))
          : type === 'string'
            ? ((await redis.get(key)) ?? '')
            : '',
      );
    }
    const text = dump.join('\n');
    expect(text).not.toMatch(/awa|kidal|girafe/i);
    expect(text).not.toMatch(/76 ?12 ?34/);
  });
});
