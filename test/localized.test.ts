import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import {
  draftCounts,
  installTranslations,
  recLabel,
  recSummary,
  themeName,
  TranslationsStartupError,
} from '../src/content/localized.js';

const corpus = loadCorpus('content/recommendations.json');
const rec = corpus.recommendations.find((r) => r.id === '2.15')!;
const theme = corpus.themes[0]!;

describe('our translations as served (content/translations)', () => {
  afterEach(() => installTranslations('content/translations', corpus, true));

  it('when drafts are served, then Bambara and English names, labels and the Bambara summary are ours; French is the corpus', () => {
    installTranslations('content/translations', corpus, true);
    expect(themeName(theme, 'bm')).toBe('Hɛrɛ ni bɛnɲini');
    expect(themeName(theme, 'en')).toBe('Peace and reconciliation');
    expect(themeName(theme, 'fr')).toBe(theme.short);
    expect(recLabel(rec, 'bm')).not.toBe(rec.label);
    expect(recSummary(rec, 'bm')).toMatch(/\S/);
    expect(recSummary(rec, 'en')).toBeUndefined();
  });

  it('when drafts are not served, then every draft entry falls back to French, and the counts stay', () => {
    installTranslations('content/translations', corpus, false);
    expect(themeName(theme, 'bm')).toBe(theme.short);
    expect(recLabel(rec, 'en')).toBe(rec.label);
    expect(recSummary(rec, 'bm')).toBeUndefined();
    expect(draftCounts().bm!.content).toEqual({ draft: 305, total: 305 });
  });

  it('when a translation file is broken, then start-up stops with one line naming the file and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-tr-'));
    try {
      const data = JSON.parse(readFileSync('content/translations/bm.json', 'utf8')) as {
        recommendations: Record<string, { label: string }>;
      };
      data.recommendations['2.15']!.label = 'x'.repeat(80);
      writeFileSync(join(dir, 'bm.json'), JSON.stringify(data));
      let error: unknown;
      try {
        installTranslations(dir, corpus, true);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TranslationsStartupError);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(/bm\.json: recommendation 2\.15: label/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
