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

/**
 * Shortens a line to `width` septets, at a word boundary when one is close, with the marker.
 * `floor`: the word boundary is taken only when it keeps at least that many septets.
 */
export function truncate(line: string, width: number, floor = 0): string {
  if (len(line) <= width) return line;
  const room = Math.max(0, width - len(TRUNCATION_MARKER));
  let cut = fittingPrefix(line, room);
  const space = line.lastIndexOf(' ', cut);
  if (space > cut - 8 && space > 0 && len(line.slice(0, space).trimEnd()) >= floor) cut = space;
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
    const breakAt = Math.max(lastBreakableSpace(rest, cut), rest.lastIndexOf('\n', cut));
    if (breakAt > cut / 2) {
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
 * The last space at or before `cut` where a page may end: not around French spaced
 * punctuation (`Suivi : En cours` must not become "Suivi" | ": En cours" or "Suivi :" | "En cours").
 */
function lastBreakableSpace(text: string, cut: number): number {
  const glued = (at: number) => /[:;!?»]/.test(text[at + 1] ?? '') || text.slice(at - 2, at) === ' :';
  let at = text.lastIndexOf(' ', cut);
  while (at > 0 && glued(at)) at = text.lastIndexOf(' ', at - 1);
  return at;
}

/** A list row: the part that is never cut (its key, and a recommendation's number) and its label. */
export interface Row {
  head: string;
  label: string;
}

/** Septets a label takes at the least: whole when short, else `minLabel` and the marker. */
const leastOf = (label: string, minLabel: number) => Math.min(len(label), minLabel + len(TRUNCATION_MARKER));

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
 * length (water-filling), never below `minLabel` septets where the page was packed for it.
 */
export function fitRows(rows: Row[], room: number, minLabel: number): string[] {
  const whole = rows.map((row) => row.head + row.label);
  if (linesLength(whole) <= room) return whole;
  const longest = Math.max(...rows.map((row) => len(row.label)));
  for (let cap = longest - 1; cap > 6; cap -= 1) {
    const cut = rows.map((row) => row.head + truncate(row.label, cap, Math.min(minLabel, cap - 2)));
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
