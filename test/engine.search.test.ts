import { describe, expect, it } from 'vitest';
import { createEngine, MAX_SEARCH_HITS } from '../src/core/engine.js';
import type { Recommendation, Reply } from '../src/core/types.js';
import { loadCorpus } from '../src/content/load.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));

const words = (r: Recommendation) => [r.text, ...(r.items ?? [])].join(' ').toLowerCase();

/** The recommendations a search reply puts in front of the person, best first. */
function shown(reply: Reply): Recommendation[] {
  if (reply.kind === 'recommendation') return [reply.recommendation];
  if (reply.kind === 'searchResults') return reply.hits.map((h) => h.recommendation);
  return [];
}

describe('engine with the real searcher and lexicon', () => {
  it('when someone types "route kidal", then the first recommendation shown names Kidal', () => {
    const reply = engine.answer('route kidal');
    expect(['recommendation', 'searchResults']).toContain(reply.kind);
    expect(words(shown(reply)[0]!)).toContain('kidal');
  });

  it('when someone asks "que dit le rapport sur l eau ?", then what is shown is about water', () => {
    const reply = engine.answer('que dit le rapport sur l eau ?');
    const first = shown(reply)[0];
    expect(first).toBeDefined();
    expect(words(first!)).toMatch(/\beau/);
  });

  it('when a broad word is typed ("femmes"), then a short list of at most 5 comes, each naming women', () => {
    const reply = engine.answer('femmes');
    expect(reply.kind).toBe('searchResults');
    const list = shown(reply);
    expect(list.length).toBeGreaterThan(1);
    expect(list.length).toBeLessThanOrEqual(MAX_SEARCH_HITS);
    for (const r of list) expect(words(r)).toMatch(/femme/);
  });

  it('when a clear single subject is typed ("electrification"), then one recommendation is the answer', () => {
    const reply = engine.answer('electrification');
    expect(reply.kind).toBe('recommendation');
    if (reply.kind !== 'recommendation') return;
    expect(reply.query).toBe('electrification');
    expect(reply.theme.number).toBe(reply.recommendation.theme);
    expect(words(reply.recommendation)).toMatch(/électrification|electrification/);
  });

  it('when nothing in the report fits ("pizza margherita"), then the reply says it did not understand, not that the report lacks it', () => {
    expect(engine.answer('pizza margherita')).toEqual({
      kind: 'noResults',
      query: 'pizza margherita',
      themes: engine.corpus.themes,
    });
  });

  it('when a subject the lexicon knows to be absent is asked ("le prix du riz"), then the reply says so, naming only it', () => {
    expect(engine.answer('le prix du riz svp')).toMatchObject({ kind: 'notInReport', echo: 'prix riz' });
  });

  it('when English is typed ("water"), then it finds the same subject as French', () => {
    expect(words(shown(engine.answer('water'))[0]!)).toMatch(/\beau/);
  });

  it('when a stray number follows the words ("eau 2"), then the words are still found', () => {
    const reply = engine.answer('eau 2');
    expect(words(shown(reply)[0]!)).toMatch(/\beau/);
  });

  // Speed per message is a figure of `npm run eval:search` (p99), not a test on a shared machine.
});
