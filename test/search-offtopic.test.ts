import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { buildLexicon, createSearcher, loadLexicon } from '../src/search/index.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Off-topic questions answered honestly: nothing found (said without claiming what the report
 * lacks, issue 29), never a loose list built on a word that names no subject ("monde") or on a
 * piece of an English word ("s'end").
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = loadCorpus(`${root}content/recommendations.json`);
const lexicon = loadLexicon(`${root}content/lexicon.json`);
const searcher = createSearcher(corpus, lexicon);
const engine = createEngine(corpus, searcher);

describe('a question whose only known words name no subject', () => {
  it('when "qui est le plus riche du monde" is asked, then nothing is found and nothing is listed', () => {
    const q = 'qui est le plus riche du monde';
    expect(engine.answer(q).kind).toBe('noResults');
    expect(engine.search(q).hits).toEqual([]);
  });

  it.each(['le monde rural', 'jeunes du mali', 'pays voisins'])(
    'when %j joins a generic word to a subject of the report, then it is still searched',
    (q) => {
      expect(engine.search(q).hits.length, q).toBeGreaterThan(0);
    },
  );

  it('when the same question is asked without the generic-word list, then a loose list came back (the rule does the work)', () => {
    const plain = buildLexicon({
      note: 'test',
      abbreviations: {},
      synonyms: {},
      words: {},
    });
    const bare = createEngine(corpus, createSearcher(corpus, plain));
    expect(bare.search('qui est le plus riche du monde').hits.length).toBeGreaterThan(0);
    const withGeneric = createEngine(
      corpus,
      createSearcher(corpus, { ...plain, generic: new Set(['monde']) }),
    );
    expect(withGeneric.search('qui est le plus riche du monde').hits).toEqual([]);
  });
});

describe('a glued apostrophe is split only where French elides', () => {
  it('when "send me airtime" is searched, then "send" stays whole (not "s\'end") and nothing is listed', () => {
    expect(searcher.analyze('send me airtime').words).toEqual(['send', 'airtime']);
    expect(engine.answer('send me airtime').kind).toBe('noResults');
  });

  it.each([
    ['linsecurite', 'insecurite'],
    ['lecole', 'ecole'],
    ['larmee', 'armee'],
    ['dautodefense', 'autodefense'],
  ])('when %j is searched, then the elided article is still split off', (glued, word) => {
    expect(searcher.analyze(glued).words).toContain(word);
  });
});

describe('off-topic through the API of the real service', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await startService();
  });
  afterAll(() => running.close());

  it('when a question about the richest man in the world is searched, then the API lists nothing', async () => {
    const q = 'qui est le plus riche du monde';
    const res = await fetch(`${running.baseUrl}/api/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verdict: string; results: unknown[] };
    expect(body.verdict).toBe('none');
    expect(body.results).toEqual([]);
  });
});
