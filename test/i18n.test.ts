import { describe, expect, it } from 'vitest';
import { catalog, t, type MessageKey } from '../src/i18n/index.js';

const placeholders = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the UI string catalog', () => {
  const entries = Object.entries(catalog) as Array<[MessageKey, { fr: string; en: string }]>;

  it('when the catalog is loaded, then it has the strings every channel shares', () => {
    for (const key of [
      'help.text',
      'outOfRange.theme',
      'outOfRange.recommendation',
      'search.none',
      'search.didYouMean',
      'about.title',
    ] as const) {
      expect(catalog[key]).toBeDefined();
    }
  });

  it.each(entries)('when key %s is read, then French and English are both non-empty', (_key, message) => {
    expect(message.fr.trim()).not.toBe('');
    expect(message.en.trim()).not.toBe('');
  });

  it.each(entries)(
    'when key %s is read, then French and English have the same placeholders',
    (_key, message) => {
      expect(placeholders(message.en)).toEqual(placeholders(message.fr));
    },
  );

  it('when an out-of-range theme is named, then the sentence names the valid range', () => {
    expect(t('fr', 'outOfRange.theme', { theme: 6, themeCount: 5 })).toBe(
      "Le thème 6 n'existe pas : choisissez 1 à 5.",
    );
    expect(t('en', 'outOfRange.theme', { theme: 6, themeCount: 5 })).toBe(
      'Theme 6 does not exist: choose 1 to 5.',
    );
  });

  it('when an out-of-range recommendation is named, then the sentence gives the theme count', () => {
    expect(t('fr', 'outOfRange.recommendation', { id: '2.99', theme: 2, count: 51 })).toBe(
      "La recommandation 2.99 n'existe pas : le thème 2 en compte 51 (2.1 à 2.51).",
    );
  });

  it('when a placeholder has no value, then it is left visible rather than dropped', () => {
    expect(t('en', 'search.none', {})).toBe('Nothing found for "{query}".');
  });
});
