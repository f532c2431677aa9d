import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { fold } from '../src/core/normalize.js';
import type { Reply } from '../src/core/types.js';
import { createSearcher, loadLexicon, STOPWORDS, stem } from '../src/search/index.js';
import {
  expandPeopleFixture,
  readPeopleFixture,
  splitOf,
  type LabelledQuery,
} from '../scripts/search-fixtures.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = loadCorpus(`${root}content/recommendations.json`);
const lexicon = loadLexicon(`${root}content/lexicon.json`);
const engine = createEngine(corpus, createSearcher(corpus, lexicon));
const fixture = readPeopleFixture(`${root}test/fixtures/search-people.json`);
const all = expandPeopleFixture(fixture, corpus);
const byId = new Map(corpus.recommendations.map((r) => [r.id, r]));

/** What a channel gets: the reply's shape and the ranked ids behind it. */
function answer(q: string): { reply: Reply; ids: string[] } {
  const reply = engine.answer(q);
  const ids =
    reply.kind === 'recommendation'
      ? [reply.recommendation.id]
      : reply.kind === 'searchResults'
        ? engine.search(q).hits.map((h) => h.recommendation.id)
        : [];
  return { reply, ids };
}

const contentWords = (text: string): string[] =>
  fold(text)
    .split(' ')
    .filter((w) => w !== '' && !STOPWORDS.has(w))
    .map(stem);

function longestSharedRun(a: string[], b: string[]): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && a[i + k] === b[j + k]) k++;
      best = Math.max(best, k);
    }
  }
  return best;
}

describe('the evaluation set written as people write', () => {
  it('when it is read, then every recommendation has an everyday French, an SMS-style and an English query', () => {
    expect(Object.keys(fixture.recommendations).sort()).toEqual(
      corpus.recommendations.map((r) => r.id).sort(),
    );
    for (const [id, q] of Object.entries(fixture.recommendations)) {
      for (const kind of ['fr', 'sms', 'en'] as const) expect(q[kind].trim(), `${id} ${kind}`).not.toBe('');
      expect(new Set([q.fr, q.sms, q.en]).size, id).toBe(3);
    }
  });

  it('when it is read, then it holds topic sets, 60+ off-topic, 30+ small-talk and Bambara in both spellings', () => {
    const topics = new Set(fixture.topics.map((t) => t.topic));
    for (const topic of ['femmes', 'jeunes', 'frontieres', 'aes', 'energie'])
      expect(topics.has(topic)).toBe(true);
    for (const t of all.filter((x) => x.kind === 'topic')) expect(t.ids.length, t.q).toBeGreaterThan(1);
    expect(fixture.offTopic.length).toBeGreaterThanOrEqual(60);
    expect(fixture.smallTalk.length).toBeGreaterThanOrEqual(30);
    const bambara = fixture.bambara.map((b) => b.q);
    expect(bambara.some((q) => /[ɛɔɲŋ]/.test(q))).toBe(true);
    expect(bambara.some((q) => /[èò]/.test(q))).toBe(true);
  });

  it('when a query is compared with its target recommendation, then it never copies more than two content words in a row', () => {
    for (const item of all.filter((x) => x.target)) {
      const rec = byId.get(item.target!)!;
      const target = contentWords([rec.text, ...(rec.items ?? []), rec.label].join(' '));
      expect(longestSharedRun(contentWords(item.q), target), `${item.target}: ${item.q}`).toBeLessThanOrEqual(
        2,
      );
    }
  });

  it('when the set is split, then it is by recommendation (all its queries in one half) and about half and half', () => {
    for (const item of all.filter((x) => x.target)) expect(item.split).toBe(splitOf(item.target!));
    const held = new Set(all.filter((x) => x.target && x.split === 'heldout').map((x) => x.target));
    const tune = new Set(all.filter((x) => x.target && x.split === 'tune').map((x) => x.target));
    expect([...held].filter((id) => tune.has(id))).toEqual([]);
    expect(Math.abs(held.size - tune.size)).toBeLessThanOrEqual(30);
  });
});

/**
 * The held-out half, through Engine.answer as every channel gets it. The targets are
 * hit@3 ≥ 0.92, in-scope zero ≤ 2 %, confident wrong ≤ 0.5 %, off-topic nothing ≥ 90 %, and
 * every small-talk message handled; the held-out half reaches them all (bench/search-eval.md).
 * Tuning looked at the tune half only.
 */
describe('held-out floor (queries as people write them)', () => {
  const heldout: LabelledQuery[] = all.filter((x) => x.split === 'heldout');
  const inScope = heldout.filter((x) => x.ids.length > 0);
  const offTopic = heldout.filter((x) => x.kind === 'offTopic');
  const smallTalk = heldout.filter((x) => x.kind === 'smallTalk');

  it('when the held-out half is answered, then hit@3, zero results, confident wrong and off-topic stay at their floors', () => {
    let hit3 = 0;
    let zero = 0;
    let confidentWrong = 0;
    for (const item of inScope) {
      const { reply, ids } = answer(item.q);
      const rank = ids.findIndex((id) => item.ids.includes(id));
      if (rank >= 0 && rank < 3) hit3++;
      if (ids.length === 0) zero++;
      if (reply.kind === 'recommendation' && rank !== 0) confidentWrong++;
    }
    let nothing = 0;
    for (const item of offTopic) {
      const { reply, ids } = answer(item.q);
      if (ids.length === 0) nothing++;
      if (reply.kind === 'recommendation') confidentWrong++;
    }
    const talk = smallTalk.filter((item) => answer(item.q).reply.kind === 'smallTalk').length;
    expect(hit3 / inScope.length).toBeGreaterThanOrEqual(HIT3_FLOOR);
    expect(zero / inScope.length).toBeLessThanOrEqual(ZERO_CEILING);
    expect(confidentWrong / heldout.length).toBeLessThanOrEqual(0.005);
    expect(nothing / offTopic.length).toBeGreaterThanOrEqual(OFF_TOPIC_FLOOR);
    expect(talk / smallTalk.length).toBe(1);
  });
});

// The targets, which the held-out half reaches (bench/search-eval.md: hit@3 0.927, zero
// 0.009, off-topic 0.904 = 66 of 73 on the larger set of off-topic questions, small talk 45 of 45).
const HIT3_FLOOR = 0.92;
const ZERO_CEILING = 0.02;
const OFF_TOPIC_FLOOR = 0.9;
