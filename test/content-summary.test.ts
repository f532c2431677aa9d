import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { loadCorpus } from '../src/content/load.js';

const catalog = (lang: string): Record<string, Record<string, string>> =>
  JSON.parse(readFileSync(`content/i18n/${lang}.json`, 'utf8')) as Record<string, Record<string, string>>;

function catalogSummary(lang: string): string | undefined {
  for (const section of Object.values(catalog(lang))) {
    if (section && typeof section === 'object' && 'about.summary' in section) return section['about.summary'];
  }
  return undefined;
}

describe('our summary of the Dialogue in the content file', () => {
  it('when the corpus carries a copy of our summary for outside readers, then it is the catalogs’ text', () => {
    const corpus = loadCorpus('content/recommendations.json');
    expect(corpus.about.summary?.fr).toBe(catalogSummary('fr'));
    expect(corpus.about.summary?.en).toBe(catalogSummary('en'));
    expect(corpus.about.summary?.fr?.length).toBeGreaterThan(100);
  });
});
