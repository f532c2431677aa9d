/**
 * The labelled search set written as people write (test/fixtures/search-people.json), expanded
 * into queries with their acceptable answers and a deterministic tuning/held-out split:
 * - a recommendation's queries go to the half its id hashes to, so no held-out recommendation
 *   was ever looked at while tuning;
 * - topic and Bambara queries go to the half of their topic (all "femmes" queries together);
 * - off-topic and small-talk messages by hash of the message.
 * Used by scripts/eval-search.ts and the vitest floor (test/search-people.test.ts).
 */
import { z } from 'zod';
import type { Corpus } from '../src/core/types.js';
import { readJsonFile } from '../src/json-file.js';

export type Kind = 'fr' | 'sms' | 'en' | 'topic' | 'bambara' | 'offTopic' | 'smallTalk';
export type Split = 'tune' | 'heldout';

export interface LabelledQuery {
  q: string;
  /** Acceptable recommendation ids; empty for off-topic and small talk (the right answer is none). */
  ids: string[];
  kind: Kind;
  split: Split;
  /** The recommendation the query was written for (per-recommendation kinds only). */
  target?: string;
}

const TopicQuery = z.object({ q: z.string(), topic: z.string() });
const PeopleFixtureSchema = z.object({
  note: z.string(),
  topicPatterns: z.record(z.string(), z.string()),
  equivalent: z.array(z.array(z.string())),
  recommendations: z.record(z.string(), z.object({ fr: z.string(), sms: z.string(), en: z.string() })),
  topics: z.array(TopicQuery),
  bambara: z.array(TopicQuery),
  offTopic: z.array(z.string()),
  smallTalk: z.array(z.string()),
});
export type PeopleFixture = z.infer<typeof PeopleFixtureSchema>;

/** FNV-1a, 32 bits: a stable hash that needs no dependency. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export const splitOf = (key: string): Split => (fnv1a(key) % 2 === 0 ? 'tune' : 'heldout');

export function readPeopleFixture(path: string): PeopleFixture {
  return readJsonFile(path, PeopleFixtureSchema);
}

/** Every recommendation whose text (or label) matches the topic's pattern; THEME<n> adds theme n. */
export function topicIds(corpus: Corpus, pattern: string): string[] {
  const themes = [...pattern.matchAll(/THEME(\d)/g)].map((m) => Number(m[1]));
  const re = new RegExp(pattern.replace(/\|?THEME\d/g, '') || '^$', 'iu');
  return corpus.recommendations
    .filter(
      (r) => themes.includes(r.theme) || re.test([r.text, ...(r.items ?? [])].join(' ')) || re.test(r.label),
    )
    .map((r) => r.id);
}

export function expandPeopleFixture(fixture: PeopleFixture, corpus: Corpus): LabelledQuery[] {
  const same = new Map<string, string[]>();
  for (const group of fixture.equivalent) for (const id of group) same.set(id, group);
  const out: LabelledQuery[] = [];
  for (const [id, queries] of Object.entries(fixture.recommendations)) {
    const ids = same.get(id) ?? [id];
    const split = splitOf(id);
    for (const kind of ['fr', 'sms', 'en'] as const) {
      out.push({ q: queries[kind], ids, kind, split, target: id });
    }
  }
  const topicSet = (topic: string): string[] => {
    const pattern = fixture.topicPatterns[topic];
    if (pattern === undefined) throw new Error(`unknown topic ${topic}`);
    return topicIds(corpus, pattern);
  };
  for (const { q, topic } of fixture.topics) {
    out.push({ q, ids: topicSet(topic), kind: 'topic', split: splitOf(`topic:${topic}`) });
  }
  for (const { q, topic } of fixture.bambara) {
    out.push({ q, ids: topicSet(topic), kind: 'bambara', split: splitOf(`topic:${topic}`) });
  }
  for (const q of fixture.offTopic) out.push({ q, ids: [], kind: 'offTopic', split: splitOf(q) });
  for (const q of fixture.smallTalk) out.push({ q, ids: [], kind: 'smallTalk', split: splitOf(q) });
  return out;
}
