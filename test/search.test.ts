import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { fold } from '../src/core/normalize.js';
import type { Corpus, Recommendation } from '../src/core/types.js';
import {
  buildLexicon,
  createSearcher,
  editDistance,
  EMPTY_LEXICON,
  LexiconError,
  loadLexicon,
  parseLexicon,
  stem,
} from '../src/search/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = loadCorpus(`${root}content/recommendations.json`);
const lexicon = loadLexicon(`${root}content/lexicon.json`);
const searcher = createSearcher(corpus, lexicon);

const ids = (query: string): string[] => searcher.search(query).hits.map((h) => h.recommendation.id);
const top = (query: string): string | undefined => ids(query)[0];

const WATER = ['3.13', '3.15', '3.18', '3.39', '4.50', '5.45'];
const REFUGEES = ['1.1', '4.28', '4.29'];

describe('held-out evaluation floor', () => {
  interface LabelledQuery {
    q: string;
    ids: string[];
    kind: string;
    split: 'tune' | 'heldout';
  }
  const all = JSON.parse(readFileSync(`${root}test/fixtures/search-queries.json`, 'utf8')) as LabelledQuery[];
  const heldout = all.filter((x) => x.split === 'heldout');
  const inScope = heldout.filter((x) => x.ids.length > 0);
  const outScope = heldout.filter((x) => x.ids.length === 0);

  it('when the labelled set is read, then it holds 160+ queries split half and half within every kind', () => {
    expect(all.length).toBeGreaterThanOrEqual(160);
    expect(all.filter((x) => x.ids.length === 0).length).toBeGreaterThanOrEqual(20);
    const known = new Set(corpus.recommendations.map((r) => r.id));
    for (const item of all) for (const id of item.ids) expect(known.has(id), `${item.q}: ${id}`).toBe(true);
    for (const kind of new Set(all.map((x) => x.kind))) {
      const sub = all.filter((x) => x.kind === kind);
      const held = sub.filter((x) => x.split === 'heldout').length;
      expect(Math.abs(sub.length - 2 * held), kind).toBeLessThanOrEqual(1);
    }
  });

  // The report's own words, kept as a regression set (the set written as people write is
  // test/search-people.test.ts). hit@1 went from 0.95 to 0.93 with issue 12 (wider lexicon,
  // stems and completions): more lists with the right item second; hit@3 stays 0.95.
  it('when the held-out half is searched, then quality stays above the floor (hit@1 0.92, hit@3 0.95, nothing for 90% of out-of-scope queries)', () => {
    let hit1 = 0;
    let hit3 = 0;
    let zero = 0;
    for (const item of inScope) {
      const found = ids(item.q);
      const rank = found.findIndex((id) => item.ids.includes(id));
      if (rank === 0) hit1++;
      if (rank >= 0 && rank < 3) hit3++;
      if (found.length === 0) zero++;
    }
    const nothing = outScope.filter((item) => searcher.search(item.q).verdict === 'none').length;
    expect(hit1 / inScope.length).toBeGreaterThanOrEqual(0.92);
    expect(hit3 / inScope.length).toBeGreaterThanOrEqual(0.95);
    expect(zero / inScope.length).toBeLessThanOrEqual(0.03);
    expect(nothing / outScope.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('folding and analysis', () => {
  it('when a query has accents, capitals or apostrophes, then it finds the same as its plain form', () => {
    expect(fold("Sécurité ALIMENTAIRE de l'État")).toBe('securite alimentaire de l etat');
    expect(ids('Sécurité ALIMENTAIRE')).toEqual(ids('securite alimentaire'));
    expect(top('securite alimentaire')).toBe('3.26');
    expect(ids('réfugiés')).toEqual(ids('REFUGIES'));
  });

  it('when a question is asked, then it reduces to its content words', () => {
    expect(searcher.analyze('que dit le rapport sur l eau ?').words).toEqual(['eau']);
    expect(searcher.analyze('que propose le dialogue sur le coton ?').words).toEqual(['coton']);
    expect(searcher.analyze('what does the report say about water?').words).toEqual(['water']);
    expect(ids('que dit le rapport sur l eau ?')).toEqual(ids('eau'));
  });

  it('when "dialogue" is the subject and not the frame, then it is searched', () => {
    expect(searcher.analyze('dialogue communautaire').words).toEqual(['dialogue', 'communautaire']);
  });

  it('when a navigation word is also a word of the report, then the search still finds it', () => {
    expect(REFUGEES).toContain(top('retour'));
  });

  it('when plurals and feminines are stemmed, then they meet but army and weapons stay apart', () => {
    expect(stem('femmes')).toBe(stem('femme'));
    expect(stem('eaux')).toBe(stem('eau'));
    expect(stem('nationaux')).toBe(stem('national'));
    expect(stem('frontieres')).toBe(stem('frontiere'));
    expect(stem('armee')).not.toBe(stem('armes'));
  });
});

describe('lexicon', () => {
  it('when an everyday word is typed, then its lexicon expansion finds the report word', () => {
    expect(top('impots')).toBe('3.11');
    expect(top('chemin de fer')).toBe('5.38');
    expect(['3.37', '3.36', '2.37']).toContain(top('courant'));
  });

  it('when SMS abbreviations are typed, then they are expanded before searching', () => {
    expect(searcher.analyze('secu pr les jeunes').words).toEqual(['securite', 'jeunes']);
    expect(top('secu alimentaire')).toBe('3.26');
  });

  it('when English is typed, then it lands on the French recommendations', () => {
    expect(REFUGEES).toContain(top('refugees'));
    expect(ids('refugees').slice(0, 3).sort()).toEqual([...REFUGEES].sort());
    expect(WATER).toContain(top('water'));
    expect(['5.42', '5.56', '5.68']).toContain(top('cotton'));
  });

  it('when the search runs without the lexicon, then English words it does not spell like French find nothing', () => {
    const bare = createSearcher(corpus, EMPTY_LEXICON);
    expect(bare.search('women').verdict).toBe('none');
    expect(bare.search('water').verdict).toBe('none');
    expect(['1.15', '1.16', '2.39', '2.40', '3.7', '3.52', '4.70', '4.71', '5.61']).toContain(top('women'));
  });

  it('when an English word is one typo from the French one, then the fuzzy step alone finds it', () => {
    const bare = createSearcher(corpus, EMPTY_LEXICON);
    expect(REFUGEES).toContain(bare.search('refugees').hits[0]?.recommendation.id);
  });

  it('when a lexicon file misses its note or has an empty expansion, then loading fails and names the field', () => {
    expect(() => parseLexicon(JSON.stringify({ abbreviations: {}, synonyms: {}, words: {} }))).toThrow(
      /note/,
    );
    expect(() =>
      parseLexicon(JSON.stringify({ note: 'ours', abbreviations: {}, synonyms: { impots: [] }, words: {} })),
    ).toThrow(LexiconError);
    expect(() => parseLexicon('{not json')).toThrow(/not valid JSON/);
    // A language's section is named by its catalog code, not its name.
    expect(() =>
      parseLexicon(JSON.stringify({ note: 'ours', abbreviations: {}, synonyms: {}, words: { English: {} } })),
    ).toThrow(/words\.English/);
  });

  it('when lexicon keys carry accents, then they are folded like queries', () => {
    const lex = buildLexicon({
      note: 'ours',
      abbreviations: { sécu: 'sécurité' },
      synonyms: { Électricité: ['électrification'] },
      words: {},
    });
    expect(lex.abbreviations.get('secu')).toEqual(['securite']);
    expect(lex.expansions.get('electricite')).toEqual(['electrification']);
  });
});

describe('typos and suggestions', () => {
  it('when a word is misspelt, then it is corrected and the correction is offered', () => {
    const outcome = searcher.search('corupsion');
    expect(outcome.suggestion).toBe('corruption');
    expect(['2.20', '2.21']).toContain(outcome.hits[0]?.recommendation.id);
    expect(searcher.search('electrificasion').suggestion).toBe('électrification');
    expect(searcher.search('electrificasion').hits[0]?.recommendation.id).toBe('3.37');
  });

  it('when the words are spelt right, then no correction is suggested', () => {
    expect(searcher.search('corruption').suggestion).toBeUndefined();
    expect(searcher.search('route kidal').suggestion).toBeUndefined();
  });

  it('when a short word is one letter from a report word, then it is not forced onto it', () => {
    // "prix" and "pain" are one edit from "paix": four letters are too few to correct safely.
    expect(searcher.search('prix du pain').verdict).toBe('none');
  });

  it('when a word is cut short, then its completions are searched', () => {
    expect(['3.47', '3.50', '5.2', '5.3', '5.39']).toContain(top('petrol'));
  });

  it('when edit distances are computed, then a transposition counts as one edit', () => {
    expect(editDistance('fronteire', 'frontiere')).toBe(1);
    expect(editDistance('sattelite', 'satellite')).toBe(2);
    expect(editDistance('football', 'formation', 2)).toBe(3);
  });
});

describe('verdicts and scores', () => {
  it('when a query is out of scope, then nothing is returned', () => {
    for (const q of ['football', 'meteo demain', 'recette tiramisu', 'iphone prix']) {
      const outcome = searcher.search(q);
      expect(outcome.verdict, q).toBe('none');
      expect(outcome.hits, q).toEqual([]);
    }
  });

  it('when a query holds only stopwords or nothing, then nothing is returned', () => {
    expect(searcher.search('').verdict).toBe('none');
    expect(searcher.search('le la les ?').verdict).toBe('none');
  });

  it('when "eau" is searched, then water recommendations come first', () => {
    const found = ids('eau');
    expect(WATER).toContain(found[0]);
    expect(found.slice(0, 3).every((id) => WATER.includes(id))).toBe(true);
  });

  it('when "route kidal" is searched, then 4.80 is the one clear answer', () => {
    const outcome = searcher.search('route kidal');
    expect(outcome.verdict).toBe('one');
    expect(outcome.hits[0]?.recommendation.id).toBe('4.80');
  });

  it('when two recommendations are word for word the same, then neither is a clear winner', () => {
    const outcome = searcher.search('surveillance des frontieres');
    expect(outcome.verdict).toBe('several');
    expect(
      outcome.hits
        .slice(0, 2)
        .map((h) => h.recommendation.id)
        .sort(),
    ).toEqual(['4.11', '4.57']);
  });

  it('when results come back, then scores lie in 0..1, best first, within the limit', () => {
    for (const q of ['jeunes', 'securite', 'femmes formation', 'coton']) {
      const outcome = searcher.search(q, 4);
      expect(outcome.hits.length).toBeGreaterThan(0);
      expect(outcome.hits.length).toBeLessThanOrEqual(4);
      outcome.hits.forEach((h, i) => {
        expect(h.score).toBeGreaterThan(0);
        expect(h.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(h.score).toBeLessThanOrEqual(outcome.hits[i - 1]!.score);
      });
    }
  });

  it('when a document matches more query words, then it ranks above one repeating a single rare word', () => {
    const rec = (n: number, text: string): Recommendation => ({
      id: `1.${n}`,
      theme: 1,
      number: n,
      text,
      label: `r${n}`,
    });
    const filler = Array.from({ length: 20 }, (_, i) => rec(i + 3, `autre sujet numero ${i} village`));
    const small: Corpus = {
      ...corpus,
      recommendations: [
        rec(1, 'puits puits puits forage puits'),
        rec(2, 'creuser des puits dans chaque village rural'),
        ...filler,
      ],
    };
    const s = createSearcher(small, EMPTY_LEXICON);
    expect(s.search('puits village rural').hits[0]?.recommendation.id).toBe('1.2');
  });
});
