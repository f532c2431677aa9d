import { gsm7Length, toAscii, toGsm7 } from '../../src/text/gsm7.js';

/**
 * Fitting text into USSD screens. Everything is measured AFTER transliteration, in GSM-7
 * septets, because that is what the network counts. Paging decisions are pure functions of
 * the text and the limit, so a replayed session lands on the same pages.
 */

/** Marks a label we had to shorten. Only lists truncate; the report's text is paged instead. */
const TRUNCATION_MARKER = '..';

export type Alphabet = 'gsm' | 'ascii';

export function encode(text: string, alphabet: Alphabet): string {
  return alphabet === 'ascii' ? toAscii(text) : toGsm7(text);
}

export const len = gsm7Length;

/** Joined screen length: lines plus the newlines between them. */
export function linesLength(lines: string[]): number {
  return lines.reduce((sum, line) => sum + len(line), 0) + Math.max(0, lines.length - 1);
}

/** GSM-7 extension characters take two septets (the same set gsm7Length counts). */
const EXTENSION = new Set('^{}\\[~]|€\f');

/** The longest prefix of `text` that fits in `budget` septets. */
function fittingPrefix(text: string, budget: number): number {
  let used = 0;
  let i = 0;
  for (const ch of text) {
    // Per character on every page of every hop: a set lookup, not gsm7Length's iterator.
    const cost = EXTENSION.has(ch) ? 2 : 1;
    if (used + cost > budget) break;
    used += cost;
    i += ch.length;
  }
  return i;
}

/** What may trail a kept word and goes with the cut: spaces, a comma, a colon, a dash. */
const TRAILING = new Set([' ', '\n', '\t', '\u00a0', ',', ';', ':', '·', '-']);

/** A text without what trails its last word (a loop: no regular expression to backtrack). */
function withoutTrailing(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING.has(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}

/**
 * Shortens a line to `width` septets with the marker, at a word boundary: a word is kept whole
 * or left out, never cut ("Rencontres intergénérationn.." is unreadable). Only a first word longer
 * than the room is cut, as a last resort.
 */
export function truncate(line: string, width: number): string {
  if (len(line) <= width) return line;
  const room = Math.max(0, width - len(TRUNCATION_MARKER));
  const cut = fittingPrefix(line, room);
  // The end of a word: a space, or the room falls right before one.
  const end = line[cut] === ' ' ? cut : line.lastIndexOf(' ', cut);
  const kept = end > 0 ? withoutTrailing(line.slice(0, end)) : '';
  if (kept !== '') return kept + TRUNCATION_MARKER;
  return line.slice(0, cut).trimEnd() + TRUNCATION_MARKER;
}

/**
 * Splits long text into pages of at most `budget` septets, breaking at a space or a newline
 * when one falls in the second half of the page; nothing is dropped but that one whitespace.
 */
export function pageText(text: string, budget: number): string[] {
  // Every hop on a recommendation pages its text again: remember the few hundred we serve.
  const key = `${budget}\u0000${text}`;
  const known = pageCache.get(key);
  if (known) return known;
  const pages = splitPages(text, budget);
  if (pageCache.size >= PAGE_CACHE_SIZE) pageCache.clear();
  pageCache.set(key, pages);
  return pages;
}

const PAGE_CACHE_SIZE = 4000;
const pageCache = new Map<string, string[]>();

function splitPages(text: string, budget: number): string[] {
  const size = Math.max(10, budget);
  const pages: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (len(rest) <= size) {
      pages.push(rest);
      break;
    }
    const cut = fittingPrefix(rest, size);
    // The last place that may part (a line's end, or a space between two words that may part),
    // so a screen uses its room; a word is cut only when it alone is longer than a page.
    const breakAt = Math.max(rest.lastIndexOf('\n', cut), lastBreakableSpace(rest, cut));
    if (breakAt > 0) {
      pages.push(rest.slice(0, breakAt).trimEnd());
      rest = rest.slice(breakAt + 1).trimStart();
    } else {
      pages.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  return pages.length > 0 ? pages : [''];
}

/**
 * The last space at or before `cut` where a page may end. Not where the two sides read as one:
 * around French spaced punctuation (`Suivi : En cours` is neither "Suivi" | ": En cours" nor
 * "Suivi :" | "En cours"), after a hyphen that joins a name over a space ("Farakala-" |
 * "Lobougoula-fourou"), inside a short parenthesis ("(B" | "FASO)"), after a list's bullet or a
 * one-letter word ("à", "y").
 */
function lastBreakableSpace(text: string, cut: number): number {
  const before = (at: number) =>
    text
      .slice(text.lastIndexOf(' ', at - 1) + 1, at)
      .split('\n')
      .at(-1)!;
  const after = (at: number) => text.slice(at + 1).split(/\s/, 1)[0] ?? '';
  const glued = (at: number) => {
    const left = before(at);
    const right = after(at);
    return (
      /^[:;!?»]/.test(right) ||
      left === ':' ||
      /\p{L}-$/u.test(left) ||
      left === '-' ||
      left === '•' ||
      /^\p{L}$/u.test(left) ||
      (/^\([^)]*$/.test(left) && /^[^(]*\)/.test(right) && left.length + right.length <= 12)
    );
  };
  let at = text.lastIndexOf(' ', cut);
  while (at > 0 && glued(at)) at = text.lastIndexOf(' ', at - 1);
  return at;
}

/** A list row: the part that is never cut (its key, and a recommendation's number) and its label. */
export interface Row {
  head: string;
  label: string;
}

/** A label cut after a word: the word ends with what trails it (a comma, a dash) dropped. */
const upTo = (label: string, end: number) => withoutTrailing(label.slice(0, end));

/**
 * Septets a label takes at the least: whole when short, else its first words up to `minLabel`
 * septets or more (a label is cut after a word, never inside one) and the marker.
 */
function leastOf(label: string, minLabel: number): number {
  if (len(label) <= minLabel + len(TRUNCATION_MARKER)) return len(label);
  for (const word of label.matchAll(/\S+/g)) {
    const kept = upTo(label, word.index + word[0].length);
    if (len(kept) >= minLabel) return Math.min(len(label), len(kept) + len(TRUNCATION_MARKER));
  }
  return len(label);
}

/**
 * Where each page of a list starts: from each page's first row, as many rows (up to
 * `maxPerPage`) as fit that page's room (`roomOf(page)` septets) while every label keeps at least `minLabel` septets (or
 * all of itself). A page holds one row at the least. Pure: the same rows give the same pages.
 */
export function packRows(
  rows: Row[],
  roomOf: (page: number) => number,
  maxPerPage: number,
  minLabel: number,
): number[] {
  const starts: number[] = [];
  let at = 0;
  while (at < rows.length) {
    const room = roomOf(starts.length);
    starts.push(at);
    let used = 0;
    let taken = 0;
    while (at < rows.length && taken < maxPerPage) {
      const row = rows[at]!;
      const need = len(row.head) + leastOf(row.label, minLabel) + (taken > 0 ? 1 : 0);
      if (taken > 0 && used + need > room) break;
      used += need;
      taken += 1;
      at += 1;
    }
  }
  return starts.length > 0 ? starts : [0];
}

/**
 * The rows of one screen within `room` septets: labels cut from the longest down, to the same
 * length (water-filling), each at a word boundary (the page was packed so that each keeps
 * about MIN_LABEL_SEPTETS).
 */
export function fitRows(rows: Row[], room: number, minLabel = 0): string[] {
  const whole = rows.map((row) => row.head + row.label);
  if (linesLength(whole) <= room) return whole;
  // A word at a time off the longest label, none below `minLabel` septets (the page was packed
  // for that): every label keeps whole words and as many as the screen allows.
  const shown = rows.map((row) => row.label);
  const drawn = () =>
    rows.map((row, i) => row.head + (shown[i] === row.label ? row.label : shown[i] + TRUNCATION_MARKER));
  for (;;) {
    const lines = drawn();
    if (linesLength(lines) <= room) return lines;
    let longest = -1;
    let shorter = '';
    for (const [i, label] of shown.entries()) {
      const space = label.lastIndexOf(' ');
      const next = space > 0 ? upTo(label, space) : '';
      if (next === '' || len(next) < minLabel) continue;
      if (longest < 0 || len(label) > len(shown[longest]!)) {
        longest = i;
        shorter = next;
      }
    }
    if (longest < 0) break;
    shown[longest] = shorter;
  }
  const longest = Math.max(...rows.map((row) => len(row.label)));
  for (let cap = longest - 1; cap > 6; cap -= 1) {
    const cut = rows.map((row) => row.head + truncate(row.label, cap));
    if (linesLength(cut) <= room) return cut;
  }
  return rows.map((row) => row.head + truncate(row.label, 6));
}

/** Assembles a screen and guarantees the limit: a last resort that the crawl test proves unused. */
export function assemble(lines: string[], maxChars: number): string {
  const text = lines.filter((line) => line.length > 0).join('\n');
  if (len(text) <= maxChars) return text;
  return text.slice(0, fittingPrefix(text, maxChars));
}
