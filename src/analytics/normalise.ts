import { QUERY_FILLERS, STOPWORDS } from '../search/index.js';

/** At most this many words of a query are kept: enough to see the subject, too few to retell a message. */
const MAX_QUERY_WORDS = 6;
const MAX_WORD_LENGTH = 24;

/**
 * What the console may keep of a search: its content words, folded (lower case, no accents),
 * without function words, without any token holding a digit (a phone number, an amount, a
 * date someone typed), each once, sorted. Sorting groups "eau potable" with "potable eau" and
 * means the stored form is a set of words, never the sentence a person wrote.
 */
export function normaliseQuery(text: string): string {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 2 && word.length <= MAX_WORD_LENGTH && !/\d/.test(word))
    .filter((word) => !STOPWORDS.has(word) && !QUERY_FILLERS.has(word));
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS).sort().join(' ');
}

/** A recommendation id as the corpus writes it ("2.10"); anything else is not counted. */
export function isRecId(value: string): boolean {
  return /^\d{1,2}\.\d{1,3}$/.test(value);
}

/** Labels that become parts of keys and CSV cells: a short lower-case word, else "other". */
export function label(value: string, max = 24): string {
  return new RegExp(`^[a-z][a-z0-9_.-]{0,${max - 1}}$`, 'i').test(value) ? value : 'other';
}
