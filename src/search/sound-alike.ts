import { commonPrefix, editDistance, maxEdits } from './spelling.js';
import { phonetic, root } from './text.js';

/**
 * Whether a word the report does not use stands for one of the report's words that share its
 * index key, rather than only sounding like them. A key is a stem written as it sounds, so
 * forms and spellings of one word meet ("sécurité", "securiter", "koranique"), but so can two
 * words: "quitter" and Kita both read "kit", and "quitter la CEDEAO" opened the roads of Kita.
 * A form shares its word's written stem ("menaient", "mener"); a spelling starts the way its
 * word starts when said, or is a typo of it; a word that does none of these is another word.
 */
export function standsFor(word: string, reportWords: Iterable<string>): boolean {
  const sound = phonetic(word);
  const written = root(word);
  const allowed = maxEdits(word.length);
  for (const other of reportWords) {
    if (other === word || root(other) === written) return true;
    if (commonPrefix(sound, phonetic(other)) >= Math.min(4, other.length)) return true;
    if (editDistance(word, other, allowed) <= allowed) return true;
  }
  return false;
}
