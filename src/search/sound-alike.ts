import { fold } from '../core/normalize.js';
import { commonPrefix, editDistance, maxEdits } from './spelling.js';
import { phonetic, root } from './text.js';

/**
 * Whether a word the report does not use stands for one of the report's words that share its
 * index key, rather than only sounding like them. A key is a stem written as it sounds, so
 * forms and spellings of one word meet ("sécurité", "securiter", "koranique"), but so can two
 * words: "quitter" and Kita both read "kit", and "quitter la CEDEAO" opened the roads of Kita.
 * A form shares its word's written stem ("menaient", "mener"); a spelling starts the same way
 * when said ("travailleuse", travail), or is a typo; a word that does none of these is another
 * word. A name is not the start of a longer word: its spelling sounds as long as it does
 * ("quidal" is Kidal; "connais" is not Konna).
 */
export function standsFor(
  word: string,
  reportWords: Iterable<string>,
  names: ReadonlySet<string> = NO_NAMES,
): boolean {
  const sound = phonetic(word);
  const written = root(word);
  const allowed = maxEdits(word.length);
  for (const other of reportWords) {
    if (other === word || root(other) === written) return true;
    const otherSound = phonetic(other);
    if (
      commonPrefix(sound, otherSound) >= Math.min(4, otherSound.length) &&
      (!names.has(other) || Math.abs(sound.length - otherSound.length) <= 1)
    )
      return true;
    if (editDistance(word, other, allowed) <= allowed) return true;
  }
  return false;
}
const NO_NAMES: ReadonlySet<string> = new Set();

/** The words a text only ever writes with a capital (places, people, acronyms), folded. */
export function namesIn(texts: Iterable<string>): Set<string> {
  const capital = new Set<string>();
  const lower = new Set<string>();
  for (const text of texts)
    for (const token of text.replace(/[’'`´‘]/g, ' ').split(/[^\p{L}\p{N}]+/u)) {
      const folded = fold(token);
      if (folded !== '' && !folded.includes(' ')) (/^\p{Lu}/u.test(token) ? capital : lower).add(folded);
    }
  return new Set([...capital].filter((word) => !lower.has(word)));
}
