import { describe, expect, it } from 'vitest';
import { createEngine, MAX_QUERY_LENGTH, MAX_SEARCH_HITS } from '../src/core/engine.js';
import type { Recommendation, SearchOutcome, Searcher } from '../src/core/types.js';
import { loadCorpus } from '../src/content/load.js';
import { THEME_COUNTS } from '../src/content/schema.js';

const corpus = loadCorpus('content/recommendations.json');
const byId = (id: string): Recommendation => corpus.recommendations.find((r) => r.id === id)!;

/**
 * A searcher whose answers the test decides, to pin the engine's side of the contract (how
 * each verdict becomes a reply). What the real searcher finds is tested in engine.search.test.ts.
 */
function scriptedSearcher(outcomes: Record<string, Omit<SearchOutcome, 'query'>>): Searcher & {
  calls: Array<{ query: string; limit?: number }>;
} {
  const calls: Array<{ query: string; limit?: number }> = [];
  return {
    calls,
    search(query, limit) {
      calls.push({ query, limit });
      const outcome = outcomes[query] ?? { hits: [], verdict: 'none' };
      return { query, ...outcome };
    },
  };
}

const hit = (id: string, score: number) => ({ recommendation: byId(id), score });

describe('engine: numbers and navigation (real corpus)', () => {
  const engine = createEngine(corpus, scriptedSearcher({}));

  it('when someone asks for 2.15 in any form, then the reply is that recommendation with its theme', () => {
    for (const text of ['2.15', '215', 'T2R15', 'rec 2-15', '2,15']) {
      const reply = engine.answer(text);
      expect(reply).toEqual({
        kind: 'recommendation',
        recommendation: byId('2.15'),
        theme: corpus.themes[1],
      });
    }
  });

  it('when every recommendation is asked for by its id, then each comes back (all 300)', () => {
    let found = 0;
    for (const r of corpus.recommendations) {
      const reply = engine.answer(r.id);
      if (reply.kind === 'recommendation' && reply.recommendation.id === r.id) found++;
    }
    expect(found).toBe(300);
  });

  it('when the theme does not exist (6.1), then the reply is out of range with 5 themes and no max number', () => {
    expect(engine.answer('6.1')).toEqual({ kind: 'outOfRange', theme: 6, number: 1, themeCount: 5 });
  });

  it('when the number does not exist in a valid theme (2.99), then the reply names the theme count (51)', () => {
    expect(engine.answer('2.99')).toEqual({
      kind: 'outOfRange',
      theme: 2,
      number: 99,
      themeCount: 5,
      maxNumber: 51,
    });
  });

  it('when each theme is asked one past its end, then the max number is that theme count', () => {
    THEME_COUNTS.forEach((count, i) => {
      const reply = engine.respond({ kind: 'recommendation', theme: i + 1, number: count + 1 });
      expect(reply).toMatchObject({ kind: 'outOfRange', maxNumber: count });
      expect(engine.respond({ kind: 'recommendation', theme: i + 1, number: count })).toMatchObject({
        kind: 'recommendation',
      });
    });
  });

  it('when number 0 or theme 0 is asked, then the reply is out of range', () => {
    expect(engine.answer('2.0')).toMatchObject({ kind: 'outOfRange', theme: 2, number: 0, maxNumber: 51 });
    expect(engine.answer('0')).toEqual({ kind: 'outOfRange', theme: 0, themeCount: 5 });
  });

  it('when a theme is asked, then its recommendations come in order', () => {
    const reply = engine.answer('t4');
    expect(reply.kind).toBe('theme');
    if (reply.kind !== 'theme') return;
    expect(reply.theme.number).toBe(4);
    expect(reply.recommendations.map((r) => r.number)).toEqual(Array.from({ length: 81 }, (_, i) => i + 1));
  });

  it('when theme 6 is asked, then the reply is out of range', () => {
    expect(engine.answer('theme 6')).toEqual({ kind: 'outOfRange', theme: 6, themeCount: 5 });
  });

  it('when the themes are asked, then the five come in order', () => {
    const reply = engine.answer('thèmes');
    expect(reply.kind === 'themes' && reply.themes.map((t) => t.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('when navigation, opt-out, opt-in, language, help, home or about is typed, then the reply says so', () => {
    expect(engine.answer('suite')).toEqual({ kind: 'navigation', direction: 'next' });
    expect(engine.answer('precedent')).toEqual({ kind: 'navigation', direction: 'previous' });
    expect(engine.answer('retour')).toEqual({ kind: 'navigation', direction: 'back' });
    expect(engine.answer('STOP')).toEqual({ kind: 'optOut' });
    expect(engine.answer('start')).toEqual({ kind: 'optIn' });
    expect(engine.answer('en')).toEqual({ kind: 'language', lang: 'en' });
    expect(engine.answer('langue')).toEqual({ kind: 'language', lang: null });
    expect(engine.answer('aide')).toEqual({ kind: 'help' });
    expect(engine.answer('menu')).toEqual({ kind: 'home' });
    expect(engine.answer('')).toEqual({ kind: 'empty' });
    expect(engine.answer('info')).toEqual({ kind: 'about', about: corpus.about });
  });

  it('when the same intent is answered twice, then the replies are equal (pure)', () => {
    for (const text of ['2.15', 't3', 'eau', '6.1', 'about']) {
      expect(engine.answer(text)).toEqual(engine.answer(text));
    }
  });

  it('when the caller changes a theme list it got, then the engine is not affected', () => {
    const first = engine.recommendationsOf(1);
    first.pop();
    expect(engine.recommendationsOf(1)).toHaveLength(41);
    const reply = engine.answer('t1');
    if (reply.kind === 'theme') reply.recommendations.length = 0;
    expect(engine.answer('t1')).toMatchObject({ recommendations: expect.arrayContaining([byId('1.41')]) });
  });

  it('when a recommendation is looked up by id or by numbers, then it is found; when unknown, then undefined', () => {
    expect(engine.recommendation('2.15')).toBe(byId('2.15'));
    expect(engine.recommendation(' 2,15 ')).toBe(byId('2.15'));
    expect(engine.recommendation(2, 15)).toBe(byId('2.15'));
    expect(engine.recommendation('2.99')).toBeUndefined();
    expect(engine.recommendation('x')).toBeUndefined();
    expect(engine.recommendation(2)).toBeUndefined();
    expect(engine.theme(3)?.number).toBe(3);
    expect(engine.theme(7)).toBeUndefined();
    expect(engine.recommendationsOf(9)).toEqual([]);
  });
});

describe('engine: how a search verdict becomes a reply', () => {
  const searcher = scriptedSearcher({
    'coton malien': { verdict: 'one', hits: [hit('3.20', 0.95), hit('3.21', 0.4)] },
    coton: { verdict: 'one', hits: [hit('3.20', 0.9)] },
    femmes: {
      verdict: 'several',
      hits: ['1.15', '1.16', '2.10', '2.11', '3.1', '3.2', '3.3'].map((id, i) => hit(id, 0.9 - i * 0.1)),
    },
    'scolarite filles': {
      verdict: 'several',
      hits: [hit('1.15', 0.5), hit('3.1', 0.4)],
      suggestion: 'scolarité',
    },
    xyzzy: { verdict: 'none', hits: [], suggestion: 'eau' },
    'bizarre one': { verdict: 'one', hits: [] },
    'coton 3': { verdict: 'none', hits: [] },
    'pizza 4': { verdict: 'none', hits: [] },
    pizza: { verdict: 'none', hits: [], suggestion: 'piste' },
  });
  const engine = createEngine(corpus, searcher);

  it('when the verdict is one, then the reply is that recommendation with the query', () => {
    expect(engine.answer('coton malien')).toEqual({
      kind: 'recommendation',
      recommendation: byId('3.20'),
      theme: corpus.themes[2],
      query: 'coton malien',
    });
  });

  it('when the verdict is several, then the reply lists at most 5 hits best first', () => {
    const reply = engine.answer('femmes');
    expect(reply.kind).toBe('searchResults');
    if (reply.kind !== 'searchResults') return;
    expect(reply.hits.map((h) => h.recommendation.id)).toEqual(['1.15', '1.16', '2.10', '2.11', '3.1']);
    expect(reply.hits.length).toBeLessThanOrEqual(MAX_SEARCH_HITS);
    expect(reply).not.toHaveProperty('suggestion');
  });

  it('when the searcher suggests a correction, then the reply carries it', () => {
    expect(engine.answer('scolarite filles')).toMatchObject({
      kind: 'searchResults',
      suggestion: 'scolarité',
    });
  });

  it('when the verdict is none, then the reply offers the themes and the suggestion', () => {
    expect(engine.answer('xyzzy')).toEqual({
      kind: 'noResults',
      query: 'xyzzy',
      suggestion: 'eau',
      themes: corpus.themes,
    });
  });

  it('when the searcher says one but gives no hit, then the reply says it did not understand rather than crash', () => {
    expect(engine.answer('bizarre one')).toMatchObject({ kind: 'noResults' });
  });

  it('when the searcher is sure the subject is absent, then the reply says so, naming only the absent words', () => {
    const sure = createEngine(
      corpus,
      scriptedSearcher({
        'wagner au mali': { hits: [], verdict: 'none', notInReport: true, echo: 'wagner' },
      }),
    );
    expect(sure.answer('wagner au mali')).toEqual({
      kind: 'notInReport',
      query: 'wagner au mali',
      echo: 'wagner',
    });
  });

  it('when a stray number sinks the search ("coton 3"), then the words alone are tried and the query kept', () => {
    expect(engine.answer('coton 3')).toEqual({
      kind: 'recommendation',
      recommendation: byId('3.20'),
      theme: corpus.themes[2],
      query: 'coton 3',
    });
  });

  it('when the words alone find nothing either, then the first answer (none) stands: not understood, never "not in the report"', () => {
    expect(engine.answer('pizza 4')).toEqual({ kind: 'noResults', query: 'pizza 4', themes: corpus.themes });
  });

  it('when the query is very long, then the searcher gets at most 200 characters and asks for 5 hits', () => {
    searcher.calls.length = 0;
    engine.answer('eau '.repeat(500));
    expect(searcher.calls).toHaveLength(1);
    expect(searcher.calls[0]!.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(searcher.calls[0]!.limit).toBe(MAX_SEARCH_HITS);
  });
});

describe('engine: bare numbers that name no recommendation (issue 21)', () => {
  const engine = createEngine(corpus, scriptedSearcher({}));

  it('when someone types 300, then the reply says the report holds 300 recommendations (not "3.0 does not exist")', () => {
    const reply = engine.answer('300');
    expect(reply).toMatchObject({ kind: 'outOfRange', total: corpus.recommendations.length });
  });

  it('when someone types 10, then the reply suggests 1.10, the real id one digit away in theme 1', () => {
    const reply = engine.answer('10');
    expect(reply).toMatchObject({ kind: 'outOfRange', theme: 1, number: 0 });
    expect(reply.kind === 'outOfRange' && reply.suggestions?.[0]).toBe('1.10');
  });

  it('when someone types 1.0 (not a bare number), then no guess is made', () => {
    const reply = engine.answer('1.0');
    expect(reply.kind).toBe('outOfRange');
    expect(reply).not.toHaveProperty('suggestions');
    expect(reply).not.toHaveProperty('total');
  });

  it('when every suggestion is computed, then each is a real id of the corpus', () => {
    for (const typed of ['10', '20', '30', '40', '50', '60', '70', '90', '182', '299', '600']) {
      const reply = engine.answer(typed);
      if (reply.kind !== 'outOfRange') continue;
      for (const id of reply.suggestions ?? []) expect(byId(id), `${typed} → ${id}`).toBeDefined();
    }
  });
});
