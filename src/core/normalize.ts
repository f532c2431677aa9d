/** Text folding shared by the intent parser and the search index: what a basic phone can type. */

/**
 * Lower case, accents and ligatures removed, Bambara's letters as the keypad spellings
 * (sɛnɛ = sènè = sene, ɲini = nyini); digits and punctuation kept (src/core/tokens.ts reads
 * "2.15" whole from this).
 */
export function foldLetters(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/gi, 'oe')
    .replace(/[ɛƐ]/g, 'e')
    .replace(/[ɔƆ]/g, 'o')
    .replace(/[ɲƝ]/g, 'ny')
    .replace(/[ŋŊ]/g, 'ng')
    .replace(/æ/gi, 'ae')
    .toLowerCase();
}

/** Lower case, accents and ligatures removed, apostrophes and punctuation turned into spaces. */
export function fold(text: string): string {
  return foldLetters(text)
    .replace(/[’'`´‘]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function tokens(text: string): string[] {
  const folded = fold(text);
  return folded === '' ? [] : folded.split(' ');
}
