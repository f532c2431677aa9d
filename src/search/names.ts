import { fold } from '../core/normalize.js';
import { editDistance, maxEdits } from './spelling.js';
import { phonetic, root } from './text.js';

/**
 * The report's proper names that its stems would merge with another word. A key is a stem
 * written as it sounds, and Snowball cuts names as it cuts French: KONE and Konna both read
 * "kon", Ménaka and "menace" both "menak", so "konna" opened 2.12 (Modibo KONE) and "menace"
 * listed the roads of Ménaka. A name found in the middle of a sentence always with a capital,
 * whose key holds other words and none of them a slip of it (a typo away) or a form of it (its
 * written root), gets a key of its own: its whole spelling as it sounds, marked so no stem can
 * take it. A capitalised common word stays with its forms (Accord, accords; Équipes, équipée).
 */
export function namesApart(texts: readonly string[], stem: (word: string) => string): Map<string, string> {
  const capitalMid = new Set<string>();
  const lower = new Set<string>();
  const byKey = new Map<string, Set<string>>();
  for (const text of texts) {
    // A sentence's or an item's first word has its capital from its place: no evidence.
    let first = true;
    for (const [token] of text.replace(/[’'`´‘]/g, ' ').matchAll(/[\p{L}\p{N}]+|[.;:!?]/gu)) {
      if (/^[.;:!?]$/.test(token)) {
        first = true;
        continue;
      }
      const folded = fold(token);
      if (folded === '' || folded.includes(' ')) continue;
      if (!/^\p{Lu}/u.test(token)) lower.add(folded);
      else if (!first) capitalMid.add(folded);
      first = false;
      const key = stem(folded);
      if (!byKey.has(key)) byKey.set(key, new Set());
      byKey.get(key)!.add(folded);
    }
  }
  const names = new Set([...capitalMid].filter((word) => !lower.has(word)));
  const apart = new Map<string, string>();
  for (const name of names) {
    const others = [...(byKey.get(stem(name)) ?? [])].filter((word) => word !== name);
    const limit = (word: string) => maxEdits(Math.max(word.length, name.length));
    // A capitalised common word (Aménagement, Équipes) has its forms among the other words: it
    // stays with them. A short root says nothing: Snowball cuts KONE and Konna to "kon".
    const kin = (word: string) =>
      editDistance(word, name, limit(word)) <= limit(word) ||
      (root(word) === root(name) && root(name).length >= 5);
    if (others.length > 0 && !others.some(kin)) apart.set(name, `=${phonetic(name)}`);
  }
  return apart;
}

/**
 * The name set apart that a word the report does not use is a slip of ("menakka" is Ménaka,
 * not "menace"), if any, and if it is not as much a slip of one of `rivals` (the words its
 * stem reads: "menaca" may be either, so it is left to the search). Names of four letters or
 * fewer are left out: one edit from KONE is "zone", "cone", "bone".
 */
export function nameSlippedTo(
  word: string,
  apart: ReadonlyMap<string, string>,
  rivals: Iterable<string> = [],
): string | undefined {
  const slip = (other: string) => {
    const allowed = maxEdits(Math.max(word.length, other.length));
    return editDistance(word, other, allowed) <= allowed;
  };
  const name = [...apart.keys()].find((candidate) => candidate.length >= 5 && slip(candidate));
  if (!name || [...rivals].some(slip)) return undefined;
  return name;
}
