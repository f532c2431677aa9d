import { createHash } from 'node:crypto';
import type { Analytics, AnalyticsEvent, Clock, FeedbackValue } from '../../src/ports/index.js';
import { isRecId, label, normaliseQuery } from '../../src/analytics/normalise.js';
import { DAY_MS, dayOf, dayStart, daysBetween, weekEnd, weekOf } from './calendar.js';

/**
 * The counting logic, once, over a small backend of Redis-like primitives (hash counters,
 * HyperLogLog sketches, strings with an expiry): Redis (adapters/analytics/redis.ts) and memory
 * (adapters/analytics/memory.ts) implement only the primitives, so both count the same way.
 *
 * Key names are logical (`d:2026-12-01:replies`); the backend adds its prefix. What is kept:
 *   d:<day>:replies    hash  channel|lang|kind → replies
 *   d:<day>:themes     hash  theme → views        d:<day>:recs   hash  recId → views
 *   d:<day>:screens    hash  channel|screen|reached/dropped → count
 *   d:<day>:sms        hash  encoding|segments, encoding|messages → count
 *   d:<day>:feedback   hash  recId|value|channel → count
 *   d:<day>:misses     hash  qid|none/close → count (qid: a digest of the words, never the words)
 *   d:<day>:wrong      hash  wid → count
 *   d:<day>:people, w:<week>:people, d:<day>:miss:<qid>, d:<day>:wrong:<wid>   HyperLogLog
 *   miss:<qid>         HyperLogLog of who sent those words over the retention window
 *   words:<qid>        the words, written only once `miss:<qid>` counts MIN_PEOPLE different people
 * Every key expires RETENTION days after the day (or week) it counts, then it is gone.
 */
export const MIN_PEOPLE = 5;

export type Write =
  | { op: 'hincr'; key: string; field: string; by: number; expireAtMs: number }
  | { op: 'pfadd'; key: string; member: string; expireAtMs: number };

export interface TallyBackend {
  write(writes: Write[]): Promise<void>;
  /** PFADD then PFCOUNT of one key. */
  addAndCount(key: string, member: string, expireAtMs: number): Promise<number>;
  setString(key: string, value: string, expireAtMs: number): Promise<void>;
  getStrings(keys: string[]): Promise<Array<string | null>>;
  hashes(keys: string[]): Promise<Array<Record<string, string>>>;
  /** PFCOUNT of the union of each group of keys. */
  counts(groups: string[][]): Promise<number[]>;
  close(): Promise<void>;
}

export interface AnalyticsReport {
  from: string;
  to: string;
  replies: Array<{ day: string; channel: string; lang: string; kind: string; count: number }>;
  themes: Array<{ theme: string; views: number }>;
  recommendations: Array<{ recId: string; views: number }>;
  peoplePerDay: Array<{ day: string; people: number }>;
  peoplePerWeek: Array<{ week: string; people: number }>;
  peopleInRange: number;
  screens: Array<{ channel: string; screen: string; reached: number; dropped: number }>;
  sms: Array<{ day: string; encoding: string; messages: number; segments: number }>;
  misses: Array<{ words: string; none: number; close: number; people: number }>;
  wrongAnswers: Array<{ words: string; resultIds: string; reports: number; people: number }>;
  feedback: Array<{ recId: string; useful: number; unclear: number }>;
}

export interface AnalyticsStore extends Analytics {
  report(from: string, to: string): Promise<AnalyticsReport>;
  /** Resolves once every event recorded so far is written (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface TallyOptions {
  retentionDays: number;
  clock: Clock;
  onError?: (error: unknown) => void;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);
const FEEDBACK: readonly FeedbackValue[] = ['useful', 'unclear'];

export function createTally(backend: TallyBackend, options: TallyOptions): AnalyticsStore {
  const retentionMs = options.retentionDays * DAY_MS;
  const pending = new Set<Promise<void>>();

  const track = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => options.onError?.(error));
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };

  async function recordNow(event: AnalyticsEvent): Promise<void> {
    const now = options.clock.now();
    const day = dayOf(now);
    // A day's keys live RETENTION days after that day ends; a week's after its Sunday.
    const dayExpiry = dayStart(day) + DAY_MS + retentionMs;
    const rollingExpiry = now + retentionMs;
    const writes: Write[] = [];
    const hincr = (name: string, field: string, by = 1) =>
      writes.push({ op: 'hincr', key: `d:${day}:${name}`, field, by, expireAtMs: dayExpiry });
    const person = event.person;
    if (person) {
      writes.push({ op: 'pfadd', key: `d:${day}:people`, member: person, expireAtMs: dayExpiry });
      const week = weekOf(day);
      const weekExpiry = dayStart(weekEnd(day)) + DAY_MS + retentionMs;
      writes.push({ op: 'pfadd', key: `w:${week}:people`, member: person, expireAtMs: weekExpiry });
    }
    switch (event.type) {
      case 'reply': {
        hincr('replies', `${label(event.channel)}|${label(event.lang, 8)}|${label(event.kind)}`);
        const theme = event.theme ?? (event.recId ? Number(event.recId.split('.')[0]) : undefined);
        if (theme !== undefined && Number.isInteger(theme) && theme > 0 && theme < 100) {
          hincr('themes', String(theme));
        }
        if (event.recId && isRecId(event.recId)) hincr('recs', event.recId);
        break;
      }
      case 'screen':
        hincr(
          'screens',
          `${label(event.channel)}|${label(event.screen, 40)}|${event.event === 'dropped' ? 'dropped' : 'reached'}`,
        );
        break;
      case 'smsSent': {
        const encoding = event.encoding === 'UCS-2' ? 'UCS-2' : 'GSM-7';
        const count = Math.max(0, Math.min(1000, Math.trunc(event.count)));
        hincr('sms', `${encoding}|messages`);
        if (count > 0) hincr('sms', `${encoding}|segments`, count);
        break;
      }
      case 'feedback':
        if (!isRecId(event.recId) || !FEEDBACK.includes(event.value)) break;
        hincr('feedback', `${event.recId}|${event.value}|${label(event.channel)}`);
        break;
      case 'searchMiss':
      case 'wrongAnswer': {
        // Normalised here again whatever the caller did: what is stored is never the text sent.
        const words = normaliseQuery(event.normalisedWords ?? '');
        const resultIds =
          event.type === 'wrongAnswer' ? event.resultIds.filter(isRecId).slice(0, 10).join(' ') : '';
        // A miss needs its words; a wrong answer is known by its result ids (words are not kept).
        if (!words && !resultIds) break;
        const id = event.type === 'wrongAnswer' ? digest(`${words}|${resultIds}`) : digest(words);
        const family = event.type === 'wrongAnswer' ? 'wrong' : 'miss';
        if (event.type === 'wrongAnswer') hincr('wrong', id);
        else hincr('misses', `${id}|${event.outcome === 'close' ? 'close' : 'none'}`);
        await backend.write(writes);
        if (!person) return;
        await backend.write([
          { op: 'pfadd', key: `d:${day}:${family}:${id}`, member: person, expireAtMs: dayExpiry },
        ]);
        const people = await backend.addAndCount(`${family}:${id}`, person, rollingExpiry);
        if (people >= MIN_PEOPLE) {
          const value = event.type === 'wrongAnswer' ? JSON.stringify({ words, resultIds }) : words;
          await backend.setString(`words:${id}`, value, rollingExpiry);
        }
        return;
      }
    }
    if (writes.length > 0) await backend.write(writes);
  }

  async function report(from: string, to: string): Promise<AnalyticsReport> {
    const days = daysBetween(from, to);
    const names = ['replies', 'themes', 'recs', 'screens', 'sms', 'feedback', 'misses', 'wrong'] as const;
    const hashes = await backend.hashes(days.flatMap((day) => names.map((name) => `d:${day}:${name}`)));
    const byDay = (day: number, name: (typeof names)[number]) =>
      Object.entries(hashes[day * names.length + names.indexOf(name)] ?? {}).map(
        ([field, value]) => [field.split('|'), Number(value)] as const,
      );
    const sum = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

    const replies: AnalyticsReport['replies'] = [];
    const themes = new Map<string, number>();
    const recs = new Map<string, number>();
    const screens = new Map<string, number>();
    const sms = new Map<string, number>();
    const feedback = new Map<string, number>();
    const misses = new Map<string, number>();
    const wrong = new Map<string, number>();
    days.forEach((day, i) => {
      for (const [[channel = '', lang = '', kind = ''], count] of byDay(i, 'replies'))
        replies.push({ day, channel, lang, kind, count });
      for (const [[theme = ''], n] of byDay(i, 'themes')) sum(themes, theme, n);
      for (const [[recId = ''], n] of byDay(i, 'recs')) sum(recs, recId, n);
      for (const [field, n] of byDay(i, 'screens')) sum(screens, field.join('|'), n);
      for (const [[encoding = '', what = ''], n] of byDay(i, 'sms'))
        sum(sms, `${day}|${encoding}|${what}`, n);
      for (const [[recId = '', value = ''], n] of byDay(i, 'feedback')) sum(feedback, `${recId}|${value}`, n);
      for (const [field, n] of byDay(i, 'misses')) sum(misses, field.join('|'), n);
      for (const [[id = ''], n] of byDay(i, 'wrong')) sum(wrong, id, n);
    });

    const weeks = [...new Set(days.map(weekOf))];
    const missIds = [...new Set([...misses.keys()].map((key) => key.split('|')[0]!))];
    const wrongIds = [...wrong.keys()];
    const groups = [
      ...days.map((day) => [`d:${day}:people`]),
      ...weeks.map((week) => [`w:${week}:people`]),
      days.map((day) => `d:${day}:people`),
      ...missIds.map((id) => days.map((day) => `d:${day}:miss:${id}`)),
      ...wrongIds.map((id) => days.map((day) => `d:${day}:wrong:${id}`)),
    ];
    const counts = groups.length > 0 ? await backend.counts(groups) : [];
    const words = await backend.getStrings([...missIds, ...wrongIds].map((id) => `words:${id}`));
    let at = 0;
    const peoplePerDay = days.map((day) => ({ day, people: counts[at++] ?? 0 }));
    const peoplePerWeek = weeks.map((week) => ({ week, people: counts[at++] ?? 0 }));
    const peopleInRange = counts[at++] ?? 0;

    const missRows: AnalyticsReport['misses'] = [];
    missIds.forEach((id, i) => {
      const people = counts[at++] ?? 0;
      const text = words[i];
      // Shown only when MIN_PEOPLE different people sent these words within the range.
      if (people < MIN_PEOPLE || !text) return;
      missRows.push({
        words: text,
        none: misses.get(`${id}|none`) ?? 0,
        close: misses.get(`${id}|close`) ?? 0,
        people,
      });
    });
    const wrongRows: AnalyticsReport['wrongAnswers'] = [];
    wrongIds.forEach((id, i) => {
      const people = counts[at++] ?? 0;
      const text = words[missIds.length + i];
      if (people < MIN_PEOPLE || !text) return;
      const parsed = JSON.parse(text) as { words: string; resultIds: string };
      wrongRows.push({ ...parsed, reports: wrong.get(id) ?? 0, people });
    });

    const screenRows = new Map<string, AnalyticsReport['screens'][number]>();
    for (const [field, n] of screens) {
      const [channel = '', screen = '', event = ''] = field.split('|');
      const row = screenRows.get(`${channel}|${screen}`) ?? { channel, screen, reached: 0, dropped: 0 };
      if (event === 'dropped') row.dropped += n;
      else row.reached += n;
      screenRows.set(`${channel}|${screen}`, row);
    }
    const smsRows = new Map<string, AnalyticsReport['sms'][number]>();
    for (const [field, n] of sms) {
      const [day = '', encoding = '', what = ''] = field.split('|');
      const row = smsRows.get(`${day}|${encoding}`) ?? { day, encoding, messages: 0, segments: 0 };
      if (what === 'segments') row.segments += n;
      else row.messages += n;
      smsRows.set(`${day}|${encoding}`, row);
    }
    const feedbackRows = new Map<string, AnalyticsReport['feedback'][number]>();
    for (const [field, n] of feedback) {
      const [recId = '', value = ''] = field.split('|');
      const row = feedbackRows.get(recId) ?? { recId, useful: 0, unclear: 0 };
      if (value === 'useful') row.useful += n;
      else row.unclear += n;
      feedbackRows.set(recId, row);
    }
    const byRecId = (a: string, b: string) => {
      const [ta = 0, na = 0] = a.split('.').map(Number);
      const [tb = 0, nb = 0] = b.split('.').map(Number);
      return ta - tb || na - nb;
    };
    return {
      from,
      to,
      replies: replies.sort((a, b) => a.day.localeCompare(b.day) || b.count - a.count),
      themes: [...themes]
        .map(([theme, views]) => ({ theme, views }))
        .sort((a, b) => Number(a.theme) - Number(b.theme)),
      recommendations: [...recs]
        .map(([recId, views]) => ({ recId, views }))
        .sort((a, b) => b.views - a.views || byRecId(a.recId, b.recId)),
      peoplePerDay,
      peoplePerWeek,
      peopleInRange,
      screens: [...screenRows.values()].sort(
        (a, b) => a.channel.localeCompare(b.channel) || b.reached - a.reached,
      ),
      sms: [...smsRows.values()].sort(
        (a, b) => a.day.localeCompare(b.day) || a.encoding.localeCompare(b.encoding),
      ),
      misses: missRows.sort((a, b) => b.people - a.people || a.words.localeCompare(b.words)),
      wrongAnswers: wrongRows.sort((a, b) => b.people - a.people || a.words.localeCompare(b.words)),
      feedback: [...feedbackRows.values()].sort((a, b) => byRecId(a.recId, b.recId)),
    };
  }

  return {
    record: (event) => {
      try {
        track(recordNow(event));
      } catch (error) {
        options.onError?.(error);
      }
    },
    report,
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
      await backend.close();
    },
  };
}
