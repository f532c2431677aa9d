import { fold } from '../core/normalize.js';
import type { LanguageMeta } from './catalog.js';

/**
 * Is a message written in a given language, whatever the person chose? A deliberately simple
 * guess from the catalog's `meta.detect` (documented in docs/translating.md): one of the
 * language's own letters (Bambara's ɛ ɔ ɲ ŋ), or one of its everyday words, folded as the parser
 * folds (ɛ→e, ɔ→o, ɲ→ny, accents off). The words are chosen so that none is a word of another
 * language ("ne", "ce", "be", "here" are left out of Bambara's); a person who writes one of them
 * is answered in that language for that message; the stored choice does not change (a
 * language keyword does that).
 */
export interface LanguageCues {
  letters: ReadonlySet<string>;
  words: ReadonlySet<string>;
}

export function compileCues(detect: NonNullable<LanguageMeta['detect']>): LanguageCues {
  return { letters: new Set(detect.letters ?? ''), words: new Set(detect.words.map(fold)) };
}

export function hasCues(cues: LanguageCues, text: string): boolean {
  for (const ch of text) if (cues.letters.has(ch)) return true;
  return fold(text)
    .split(' ')
    .some((word) => cues.words.has(word));
}
