import { foldLetters } from './normalize.js';

/**
 * A message cut into the words and numbers the parser reads (src/core/intents.ts). Letters are
 * folded as the search folds them (src/core/normalize.ts: case, accents, ɛ→e, ɔ→o, ɲ→ny,
 * apostrophes as spaces); a number keeps the separators people write between a theme and a
 * recommendation ("2.15", "2,15", "2-15", "2 . 15"), so "2.15" is one token, not two.
 * Letters glued to digits are two tokens ("t2r15" → t 2 r 15, "n°2.10" → n 2.10, "3e" → 3 e).
 */
export type Token =
  /** `surface`: the word as typed, in lower case ("éducation"); `text`: folded ("education"). */
  | { kind: 'word'; text: string; surface: string; glued: boolean }
  /** `parts`: the digit groups ("2.15" → ["2", "15"], "215" → ["215"]). */
  | { kind: 'number'; parts: string[]; glued: boolean };

/** A number with its separators, or a run of letters; anything else separates tokens. */
const TOKEN = /\d{1,12}(?:[ \t]?[.,/-][ \t]?\d{1,12}){0,4}|\p{L}{1,40}/gu;

export function tokenize(text: string): Token[] {
  const lowered = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’'`´‘]/g, ' ');
  const tokens: Token[] = [];
  let end = -1;
  for (const match of lowered.matchAll(TOKEN)) {
    const value = match[0];
    const glued = match.index === end;
    end = match.index + value.length;
    if (/^\d/.test(value)) tokens.push({ kind: 'number', parts: value.split(/[^\d]+/), glued });
    else {
      // Folded letter by letter: "ɛ" becomes "e", a combining accent goes.
      const folded = foldLetters(value).replace(/[^\p{L}]/gu, '');
      if (folded !== '') tokens.push({ kind: 'word', text: folded, surface: value, glued });
    }
  }
  return tokens;
}

/** The words of a phrase as the index keys them ("C'est quoi" → "c est quoi"). */
export function phraseKey(phrase: string): string {
  return tokenize(phrase)
    .map((token) => (token.kind === 'word' ? token.text : token.parts.join('.')))
    .join(' ');
}
