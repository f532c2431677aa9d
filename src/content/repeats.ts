import type { Recommendation } from '../core/types.js';

/**
 * The report repeats itself (4.11 and 4.57 are word for word the same text; 1.14 and 5.52 differ
 * by one word). Computed from the corpus when it loads, never listed by hand, so each channel
 * can say "même texte que 4.57" where a repeat appears.
 */
export interface Repeat {
  /** The other recommendation. */
  id: string;
  /** `same`: the same words; `near`: nearly (word-level similarity at or above NEAR). */
  kind: 'same' | 'near';
}

/** Share of words kept in order (1 - word edit distance / longer length) from which two texts are "nearly" the same. */
const NEAR = 0.8;

const words = (r: Recommendation) =>
  [r.text, ...(r.items ?? [])]
    .join(' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');

function wordDistance(a: string[], b: string[]): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Every recommendation that repeats another, with the others it repeats (both directions). */
export function findRepeats(recommendations: Recommendation[]): Map<string, Repeat[]> {
  const texts = recommendations.map((r) => ({ id: r.id, words: words(r) }));
  const repeats = new Map<string, Repeat[]>();
  const note = (from: string, repeat: Repeat) => repeats.set(from, [...(repeats.get(from) ?? []), repeat]);
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i]!;
      const b = texts[j]!;
      const longer = Math.max(a.words.length, b.words.length);
      // Cheap first: lengths too far apart cannot be near.
      if (Math.min(a.words.length, b.words.length) < longer * NEAR) continue;
      const similarity = 1 - wordDistance(a.words, b.words) / longer;
      if (similarity < NEAR) continue;
      const kind = similarity === 1 ? 'same' : 'near';
      note(a.id, { id: b.id, kind });
      note(b.id, { id: a.id, kind });
    }
  }
  return repeats;
}
