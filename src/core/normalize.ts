/** Text folding shared by the intent parser and the search index: what a basic phone can type. */

/** Lower case, accents and ligatures removed, apostrophes and punctuation turned into spaces. */
export function fold(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/œ/gi, 'oe')
      .replace(/æ/gi, 'ae')
      .toLowerCase()
      // Bambara letters, as people type them on phones without them (è/e, ò/o, ny, ng).
      .replace(/ɛ/g, 'e')
      .replace(/ɔ/g, 'o')
      .replace(/ɲ/g, 'ny')
      .replace(/ŋ/g, 'ng')
      .replace(/[’'`´‘]/g, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

export function tokens(text: string): string[] {
  const folded = fold(text);
  return folded === '' ? [] : folded.split(' ');
}
