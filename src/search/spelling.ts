import { phonetic } from './text.js';

/**
 * How a word may be spelt, typed or said in another language: the edit distance of a typo, the
 * French spellings of an English word, an English word's base, the consonants of a word as it
 * sounds. Used by the searcher (src/search/searcher.ts) to find what a query word stands for.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const cols = b.length + 1;
  // Three rolling rows: i-2 (for transpositions), i-1 and i.
  let before = new Int32Array(cols);
  let previous = new Int32Array(cols);
  let current = new Int32Array(cols);
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, before[j - 2]! + 1);
      }
      current[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * French spellings of an English word, by the regular correspondences of their shared Latin
 * vocabulary (security/sécurité, diplomacy/diplomatie, military/militaire, history/histoire,
 * religious/religieux, traditional/traditionnel, democratic/démocratique). Tried only for a word
 * the index and the lexicon do not know; a match through it is loose (never a single answer).
 */
const COGNATE_RULES: Array<[RegExp, string]> = [
  [/ities$/, 'ites'],
  [/ity$/, 'ite'],
  [/cies$/, 'ties'],
  [/cy$/, 'tie'],
  [/ories$/, 'oires'],
  [/ory$/, 'oire'],
  [/aries$/, 'aires'],
  [/ary$/, 'aire'],
  [/ies$/, 'ies'],
  [/y$/, 'ie'],
  [/ical$/, 'ique'],
  [/ics$/, 'iques'],
  [/ic$/, 'ique'],
  [/ous$/, 'eux'],
  [/ism$/, 'isme'],
  [/ists?$/, 'iste'],
  [/ive$/, 'if'],
  [/i[sz]ation$/, 'isation'],
  [/i[sz]ed$/, 'ise'],
  [/i[sz]e$/, 'iser'],
  [/ian$/, 'ien'],
  [/al$/, 'el'],
  [/als$/, 'aux'],
  [/ed$/, 'e'],
];

export function cognates(word: string): string[] {
  if (word.length < 5) return [];
  const out: string[] = [];
  for (const [pattern, replacement] of COGNATE_RULES) {
    if (pattern.test(word)) out.push(word.replace(pattern, replacement));
  }
  return out;
}

/** The forms an English word may come from: "returning" → return, "studies" → study, "roads" → road. */
export function englishBases(word: string): string[] {
  if (word.length < 5) return [];
  const out = new Set<string>();
  for (const [suffix, by] of [
    ['ing', ''],
    ['ing', 'e'],
    ['ed', ''],
    ['ed', 'e'],
    ['ies', 'y'],
    ['es', ''],
    ['s', ''],
  ] as const)
    if (word.endsWith(suffix)) out.add(word.slice(0, -suffix.length) + by);
  out.delete(word);
  return [...out];
}

/**
 * The consonants of a word as it sounds (src/search/text.ts `phonetic`, "-tion" as "-sion",
 * vowels and doubled letters dropped): two edits that keep it are spelling ("corupsion",
 * "sekuriter"), two that change it make another word ("translation" is not "transition").
 */
export function skeleton(word: string): string {
  // "-tion" as "-sion", a soft c as s (milices, milisses), "ch" before a consonant as k (techno, tekno).
  const sounded = word
    .replace(/t(?=ions?$)/, 's')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/ch(?=[lnrt])/g, 'k');
  return phonetic(sounded)
    .replace(/[aeiouy]+/g, '')
    .replace(/(.)\1+/g, '$1');
}

export function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Typos tolerated: one edit up to 7 letters, two from 8. */
export function maxEdits(length: number): number {
  return length >= 8 ? 2 : 1;
}
