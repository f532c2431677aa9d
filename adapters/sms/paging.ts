import { gsm7Length, isGsm7 } from '../../src/text/gsm7.js';
import { countSegments } from './segments.js';

export interface PageMarkers {
  /** The counter that opens each page of a multi-page answer, e.g. "(2/5)". */
  counter(page: number, total: number): string;
  /** What ends every page but the last: the word to send for more. Empty when all pages are sent at once. */
  more: string;
  /**
   * What ends the first page instead, knowing the total: says before a long text how many
   * messages it takes ("6 SMS : envoyez SUITE."). Absent: `more`.
   */
  firstMore?: (total: number) => string;
}

/** Room kept for the counter while cutting, before the total is known: "(99/99)". */
const COUNTER_ROOM = 99;

/**
 * How many segments a page may take: one number, or one per encoding. A list meant for UCS-2
 * (70 characters a segment) takes `{ gsm7: 1, ucs2: 2 }`: about one GSM-7 segment's worth of
 * text whichever way a page goes out (a page of a Bambara list without the language's own
 * letters is GSM-7).
 */
export type PageSegments = number | { gsm7: number; ucs2: number };

const limitOf = (max: PageSegments, gsm7: boolean) =>
  typeof max === 'number' ? max : gsm7 ? max.gsm7 : max.ucs2;

/** The authority: the library's count, and GSM-7 unless the text is meant for UCS-2. */
const fits = (text: string, maxSegments: PageSegments, unicode = false) => {
  const { segments, encoding } = countSegments(text);
  const gsm7 = encoding === 'GSM-7';
  return (unicode || gsm7) && segments <= limitOf(maxSegments, gsm7);
};

/**
 * A quick count for the search of a cut (the library is ~1000x slower). It can only be
 * optimistic (it ignores that a two-septet character never straddles two parts), so every
 * page it picks is confirmed with `fits` and shortened if the library disagrees.
 */
const roughlyFits = (text: string, maxSegments: PageSegments, unicode = false) => {
  if (!isGsm7(text)) return fits(text, maxSegments, unicode);
  const septets = gsm7Length(text);
  return (septets <= 160 ? 1 : Math.ceil(septets / 153)) <= limitOf(maxSegments, true);
};

/** Whether a text goes as one page, without markers (what `paginate` returns for it). */
export function fitsOnePage(text: string, maxSegments: PageSegments, unicode = false): boolean {
  const body = text.trim();
  return roughlyFits(body, maxSegments, unicode) && fits(body, maxSegments, unicode);
}

/**
 * Splits a GSM-7 text into SMS pages of at most `maxSegments` segments each, at word
 * boundaries, so a long answer arrives whole over several replies and no word is cut. A text
 * that fits is one page without markers; otherwise every page opens with its counter and every
 * page but the last ends with `markers.more`. A single word longer than a page (none in the
 * report) is cut as a last resort rather than dropped.
 */
export function paginate(
  text: string,
  maxSegments: PageSegments,
  markers: PageMarkers,
  /** True when the text is meant for UCS-2 (Bambara's official letters): counted as such. */
  unicode = false,
  /** A list: pages end at a line's end whenever the page holds one, so no row is cut in two. */
  wholeLines = false,
): string[] {
  const body = text.trim();
  if (fitsOnePage(body, maxSegments, unicode)) return [body];
  // First with room for any total; then again with the total found, each page with its own
  // footer (the first names the total), kept when the total comes out the same: a first page
  // then holds what its real markers leave room for.
  const safe = cut(body, maxSegments, markers, unicode, wholeLines);
  let guess = safe.length;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const tight = cut(body, maxSegments, markers, unicode, wholeLines, guess);
    if (tight.length === guess) return finish(tight, markers);
    guess = tight.length;
  }
  return finish(safe, markers);
}

/** The pages with their counters and footers, once the total is known. */
function finish(chunks: string[], markers: PageMarkers): string[] {
  const total = chunks.length;
  return chunks.map((chunk, i) => {
    const head = `${markers.counter(i + 1, total)} ${chunk}`;
    if (i + 1 >= total || !markers.more) return head;
    return `${head}\n${i === 0 && markers.firstMore ? markers.firstMore(total) : markers.more}`;
  });
}

/**
 * The cut of a text into chunks. Without `total`, each chunk keeps room for the longest counter
 * and footer; with it, for the markers of that total, the first chunk for the first page's footer.
 */
function cut(
  body: string,
  maxSegments: PageSegments,
  markers: PageMarkers,
  unicode: boolean,
  wholeLines: boolean,
  total?: number,
): string[] {
  // Cut points: after each run of whitespace; a page never starts or ends with a space.
  const words = body.split(/(?<=\s)(?=\S)/);
  const head = markers.counter(total ?? COUNTER_ROOM, total ?? COUNTER_ROOM);
  // Cut with room for the longer of the two footers (the first page's names the total).
  const longest = [markers.more, markers.firstMore?.(COUNTER_ROOM) ?? ''].reduce((a, b) =>
    b.length > a.length ? b : a,
  );
  const footerOf = (first: boolean) =>
    total === undefined ? longest : first && markers.firstMore ? markers.firstMore(total) : markers.more;
  const chunks: string[] = [];
  const page = (chunk: string, last: boolean) =>
    last || !markers.more ? `${head} ${chunk}` : `${head} ${chunk}\n${footerOf(chunks.length === 0)}`;
  let start = 0;
  while (start < words.length) {
    const rest = words.slice(start).join('').trim();
    if (roughlyFits(page(rest, true), maxSegments, unicode) && fits(page(rest, true), maxSegments, unicode)) {
      chunks.push(rest);
      break;
    }
    // Not the last page: binary search for the most words that fit with the footer.
    let low = start + 1;
    let high = words.length - 1;
    let best = start;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (roughlyFits(page(words.slice(start, mid).join('').trimEnd(), false), maxSegments, unicode)) {
        best = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    while (
      best > start &&
      !fits(page(words.slice(start, best).join('').trimEnd(), false), maxSegments, unicode)
    )
      best--;
    if (best === start) {
      // One word too long for a page: cut it where it stops fitting.
      const word = words[start] ?? '';
      let cut = word.length - 1;
      while (cut > 1 && !roughlyFits(page(word.slice(0, cut), false), maxSegments, unicode)) cut--;
      while (cut > 1 && !fits(page(word.slice(0, cut), false), maxSegments, unicode)) cut--;
      chunks.push(word.slice(0, cut));
      words[start] = word.slice(cut);
      continue;
    }
    // Lists read better cut between lines: step back to the last line break if it is near (a
    // list's, wherever it is on the page).
    let cut = best;
    const nearest = wholeLines ? start : start + (best - start) * 0.6;
    for (let i = best; i > nearest; i--) {
      if (words[i - 1]?.includes('\n')) {
        cut = i;
        break;
      }
    }
    chunks.push(words.slice(start, cut).join('').trim());
    start = cut;
  }
  noLonePromptPage(chunks, (chunk) => fits(page(chunk, true), maxSegments, unicode));
  return chunks;
}

/**
 * A last page that is one line (the list's closing prompt, "Tapez le numéro...") reads as a page
 * of nothing: the previous page gives it its last line. Moving a line back only shortens that
 * page; the last page is checked again with it.
 */
function noLonePromptPage(chunks: string[], fitsLast: (chunk: string) => boolean): void {
  if (chunks.length < 2) return;
  const last = chunks[chunks.length - 1]!;
  const previous = chunks[chunks.length - 2]!;
  if (last.includes('\n')) return;
  const cut = previous.lastIndexOf('\n');
  if (cut <= 0) return;
  const moved = `${previous.slice(cut + 1)}\n${last}`;
  if (!fitsLast(moved)) return;
  chunks[chunks.length - 2] = previous.slice(0, cut).trimEnd();
  chunks[chunks.length - 1] = moved;
}
