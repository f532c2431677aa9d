import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGlossary, langTexts, loadGlossary, type Glossary } from '../src/content/glossary.js';
import { loadLangState } from '../src/content/lang-state.js';
import {
  corpusHits,
  dictionaryGloss,
  readBamadaba,
  readCorpus,
  recount,
} from '../scripts/glossary-evidence.js';

const glossary = loadGlossary('bm')!;
const state = loadLangState('bm');
const lexicon = JSON.parse(readFileSync('content/lexicon.json', 'utf8')) as {
  bambara: { entries: Record<string, { gsm: string[] }> };
};
const lexiconWords = Object.entries(lexicon.bambara.entries).flatMap(([word, e]) => [word, ...e.gsm]);
const realTexts = () => langTexts({ catalog: state.catalog.messages, content: state.content, lexiconWords });
const problemsOf = (texts = realTexts(), g: Glossary = glossary) =>
  checkGlossary(g, texts, 'glossary').map((p) => `${p.key}: ${p.what}`);

describe('the Bambara glossary', () => {
  it('when every Bambara string (catalog, theme names, labels, summaries, lexicon) is held to it, then none breaks it', () => {
    expect(realTexts().length).toBeGreaterThan(1000);
    expect(problemsOf()).toEqual([]);
  });

  it('when its entries are read, then each records a source count for every term it names and stays a draft', () => {
    expect(glossary.review).toEqual({ state: 'draft', reviewer: null, date: null });
    for (const entry of glossary.terms)
      for (const term of [entry.preferred, ...entry.also, ...entry.rejected])
        expect(entry.evidence[term], `${entry.concept}: ${term}`).toBeDefined();
    // Corrections the evidence did not confirm are recorded, not enforced.
    const followUp = glossary.terms.find((t) => t.preferred === 'kɔlɔsili')!;
    expect(followUp.status).toBe('not applied');
    expect(followUp.evidence['kɔlɔsili']!.kibaru).toBeGreaterThan(20);
  });

  it('when a rejected term comes back in a summary, then the check names the place and the preferred term', () => {
    const texts = realTexts().map((t) =>
      t.where === 'summary:2.15' ? { ...t, text: `${t.text} Mali ka ambasadiw.` } : t,
    );
    expect(problemsOf(texts)).toEqual([
      'summary:2.15: "ambasadi" is rejected for embassy, ambassador (diplomatic missions): write "lasigidenso"',
    ]);
  });

  it('when a place that must use the preferred term loses it, then the check says so', () => {
    const texts = realTexts().map((t) => (t.where === 'theme:1' ? { ...t, text: 'Hɛrɛ ni bɛn' } : t));
    expect(problemsOf(texts)).toEqual([
      `theme:1: national reconciliation: the glossary's "bɛnɲini" is not used`,
    ]);
  });

  it('when one word is written two ways (weele beside wele, doubled vowel or not), then the check lists both spellings', () => {
    const texts = [
      { where: 'catalog:a', text: 'I ka an wele sini.', kind: 'text' as const },
      { where: 'catalog:b', text: 'An bɛ i weele.', kind: 'text' as const },
      { where: 'catalog:c', text: 'Sènè ni sɛnɛ.', kind: 'text' as const },
    ];
    const found = problemsOf(texts, { ...glossary, terms: [] });
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('"wele" (catalog:a), "weele" (catalog:b)');
    expect(found[1]).toContain('"sènè" (catalog:c), "sɛnɛ" (catalog:c)');
  });

  it('when a word people type is rejected in our texts, then the lexicon may keep it as a search word, and only there', () => {
    const asSearch = [{ where: 'lexicon:kamalenw', text: 'kamalenw', kind: 'search' as const }];
    expect(problemsOf(asSearch)).toEqual([]);
    const asText = [{ where: 'label:3.53', text: 'Kamalenw ka baara sɔrɔ', kind: 'text' as const }];
    expect(problemsOf(asText)).toEqual([
      'label:3.53: "kamalen" is rejected for young people (jeunes): write "denmisɛnw"',
    ]);
  });
});

describe('the evidence recount (scripts/glossary-evidence.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dim-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dictionary = readBamadaba(
    [
      '\\lx kɔ̀rɔfɔ\n\\ps v\n\\gvf critiquer\n\\gvf réprimander',
      '\\lx wálasa\n\\va walisa\n\\ps conj\n\\gvf pour que',
    ].join('\n\n'),
  );
  writeFileSync(
    join(dir, 'train.txt'),
    "Walasa O\nk'a O\nkɔrɔfɔ O\n\nwalasa O\nKumasurun O\nna O\n\nwalasa O\n",
  );
  const corpus = readCorpus([join(dir, 'train.txt')]);

  it('when a local copy of the sources is read, then glosses lose their tone marks and hits are whole words in any case', () => {
    expect(dictionaryGloss(dictionary, 'kɔrɔfɔ')).toBe('kɔrɔfɔ v: critiquer, réprimander');
    expect(dictionaryGloss(dictionary, 'walisa')).toBe('walasa conj: pour que');
    expect(dictionaryGloss(dictionary, 'rapɔɔri')).toBeNull();
    expect(corpusHits(corpus, 'walasa')).toBe(3);
    expect(corpusHits(corpus, 'kumasurun na')).toBe(1);
    expect(corpusHits(corpus, 'kɔrɔfɔli')).toBe(0);
  });

  it('when the recorded figures differ from the sources, then the recount lists each difference', () => {
    const one = glossary.terms.find((t) => t.preferred === 'walasa')!;
    const { changed } = recount({ ...glossary, terms: [one] }, dictionary, corpus);
    expect(changed).toEqual([
      `so that (spelling): walasa: kibaru 327 → 3; bamadaba walasa conj: pour que → walasa conj: pour que`,
      `so that (spelling): walisa: kibaru 1 → 0; bamadaba walasa conj: pour que → walasa conj: pour que`,
    ]);
  });
});
