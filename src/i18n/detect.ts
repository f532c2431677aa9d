import { fold } from '../core/normalize.js';

/**
 * Is a message written in Bambara? A deliberately simple guess, documented in
 * docs/translating.md: one of the official letters ɛ ɔ ɲ ŋ, or one of these everyday Bambara
 * words (folded as the parser folds: ɛ→e, ɔ→o, ɲ→ny, accents off). The words are chosen so that
 * none is a French or English word ("ne", "ce", "be", "here" are left out); a person who
 * writes one of them is answered in Bambara for that message; the stored choice does not change
 * (BM, FR or EN do that).
 */
const BAMBARA_WORDS = new Set(
  [
    'ani',
    'ji',
    'walima',
    'anw',
    'aw',
    'bamanankan',
    'bamanakan',
    'ladilikan',
    'ladilikanw',
    'barokun',
    'barokunw',
    'kunnafoni',
    'nyini',
    'musow',
    'denmisenw',
    'kalan',
    'kalanso',
    'sene',
    'senekelaw',
    'cikelaw',
    'kele',
    'jamana',
    'dugukolo',
    'baara',
    'wari',
    'foroba',
    'keneya',
    'dogotoroso',
    'sariya',
    'kiritigeso',
    'sigida',
    'bolilaw',
    'misiginaw',
    'jago',
    'kalata',
    'kalafili',
    // CLDR bm: alimaɲikan (German); typed without ɲ
    'alimanyikan',
    'alimanikan',
    'diinan',
    'lakana',
    'sorodasiw',
    'tubabukan',
    'mogow',
    'kanw',
    // Words of the report's subjects people type in Bambara (issue 31), none French or English.
    // Written in the official orthography, folded below like the rest.
    'marifa',
    'kɔɔri',
    'kalafili',
    'sariyasunba',
    'bɛnɲini',
    'cɛmancɛlafanga',
    'jatigɛwalekɛlaw',
    'duwaɲɛ',
    'duwani',
    'yafa',
    'sɔrɔko',
    'kɛlɛkɛlaw',
    'laselisɛbɛn',
  ].map(fold),
);

const OFFICIAL_LETTERS = /[ɛɔɲŋƐƆƝŊ]/u;

export function looksBambara(text: string): boolean {
  if (OFFICIAL_LETTERS.test(text)) return true;
  return fold(text)
    .split(' ')
    .some((word) => BAMBARA_WORDS.has(word));
}
