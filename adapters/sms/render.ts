import { translationsRevision } from '../../src/content/localized.js';
import type { Engine, Lang, Reply } from '../../src/core/types.js';
import {
  chrome,
  plannerFor,
  noticePlan,
  TYPED,
  type Entry,
  type Line,
  type ReplyPlan,
  type ReplyPlanner,
} from '../../src/reply/index.js';
import type { MessageKey } from '../../src/i18n/index.js';
import { toGsm7 } from '../../src/text/gsm7.js';
import { ownLetters } from '../../src/i18n/index.js';
import { fitsOnePage, paginate, type PageMarkers, type PageSegments } from './paging.js';
import { countSegments } from './segments.js';

export { QUERY_ECHO_MAX, shortEcho as echo } from '../../src/reply/index.js';

/**
 * SMS lays out reply plans (src/reply): the plan's lines one under the other, a list as
 * "2.15 label" rows (themes "T2 label") and the line that says what to send, in GSM-7 pages.
 * It words nothing itself; it decides only how a plan is cut into paid messages:
 * - a list (results, a theme's recommendations) goes out in pages of one segment each (two in
 *   UCS-2), so a person pays for what they read and sends SUITE for more;
 * - a theme and the About text first send their one-segment introduction (the plan's `intro`),
 *   the rest on SUITE;
 * - any other answer in pages of at most SMS_MAX_SEGMENTS; a plan's optional line (a
 *   recommendation's theme) only when it costs no segment more.
 */

/** A list's pages: one segment each. */
const LIST_PAGE_SEGMENTS = 1;
/**
 * In UCS-2 a segment holds 70 characters (67 when joined): under the title and the closing line a
 * first page had no room for a result, and a row longer than what was left was cut in two across
 * paid messages. Two UCS-2 segments hold about what one GSM-7 segment does.
 */
const UCS2_LIST_PAGE_SEGMENTS = 2;

/**
 * The languages whose SMS keep their own letters (catalog `meta.letters`) and so go out in UCS-2
 * (SMS_UCS2_LANGS); the others are written in GSM-7 with the letters' older spelling.
 */
export type Ucs2Langs = ReadonlySet<Lang>;
const GSM7_ONLY: Ucs2Langs = new Set();

/** Whether this language's SMS keep its own letters (and so go out in UCS-2). */
export const keepsOwnLetters = (lang: Lang, ucs2: Ucs2Langs = GSM7_ONLY): boolean =>
  ucs2.has(lang) && ownLetters(lang).size > 0;

/** A text as it leaves by SMS: GSM-7 (letters in their catalog's spelling), or the language's letters kept for UCS-2. */
export function smsText(text: string, lang: Lang, ucs2: Ucs2Langs = GSM7_ONLY): string {
  return toGsm7(text, keepsOwnLetters(lang, ucs2) ? ownLetters(lang) : undefined);
}

/** `onRequest`: pages wait in the session for SUITE; `allAtOnce`: every page is sent now. */
export type Paging = 'onRequest' | 'allAtOnce';

export function pageMarkers(
  lang: Lang,
  paging: Paging = 'onRequest',
  ucs2: Ucs2Langs = GSM7_ONLY,
): PageMarkers {
  const onRequest = paging === 'onRequest';
  const words = chrome(lang).sms;
  const text = (value: string) => smsText(value, lang, ucs2);
  return {
    counter: (page, total) => text(words.counter(page, total)),
    more: onRequest ? text(words.more) : '',
    ...(onRequest ? { firstMore: (total: number) => text(words.moreFirst(total)) } : {}),
  };
}

const lineText = (entry: Line) => (entry.item ? `- ${entry.text}` : entry.text);
const entryText = (entry: Entry) =>
  entry.kind === 'rec' ? `${entry.id} ${entry.label}` : `T${entry.theme} ${entry.label}`;

/**
 * A plan as one text, before GSM-7 and paging; optional lines only when asked for. A search's
 * list says how to read one before its rows: its first page, often the only one read, says it.
 */
function planText(plan: ReplyPlan, withOptional = false): string {
  const keep = (entry: Line) => withOptional || !entry.optional;
  const choose = plan.list?.choose ? [plan.list.choose] : [];
  const first = plan.kind === 'searchResults';
  return [
    ...plan.lines.filter(keep).map(lineText),
    ...(plan.list
      ? [...(first ? choose : []), ...plan.list.entries.map(entryText), ...(first ? [] : choose)]
      : []),
    ...(plan.after ?? []).filter(keep).map(lineText),
  ].join('\n');
}

/** The list part of a plan alone (what a theme sends on SUITE). */
const listText = (plan: ReplyPlan) => planText({ ...plan, lines: [], after: [] });

export interface SmsRenderOptions {
  maxSegments: number;
  engine: Engine;
  paging?: Paging;
  /** SMS_UCS2_LANGS: the languages whose SMS keep their own letters (UCS-2). */
  ucs2Langs?: Ucs2Langs;
  /** The planner to use (one is made from `engine` otherwise). */
  planner?: ReplyPlanner;
}

const segmentsOf = (pages: string[]) => pages.reduce((sum, page) => sum + countSegments(page).segments, 0);

/** The reply as SMS text before GSM-7 and paging (what a reader of the whole answer gets). */
export function smsBody(reply: Reply, lang: Lang, engine: Engine): string {
  return planText(plannerFor(engine).plan(reply, lang, TYPED));
}

/** The reply as GSM-7 SMS pages. */
export function renderSms(reply: Reply, lang: Lang, options: SmsRenderOptions): string[] {
  const planner = options.planner ?? plannerFor(options.engine);
  return layOut(planner.plan(reply, lang, TYPED), lang, options);
}

/** A notice of the use case (src/conversation), as one SMS text. */
export function renderNotice(
  key: MessageKey,
  params: Record<string, string | number> | undefined,
  lang: Lang,
  ucs2: Ucs2Langs = GSM7_ONLY,
): string {
  return smsText(planText(noticePlan(key, params, lang, TYPED)), lang, ucs2);
}

function layOut(plan: ReplyPlan, lang: Lang, options: SmsRenderOptions): string[] {
  const ucs2 = options.ucs2Langs ?? GSM7_ONLY;
  const unicode = keepsOwnLetters(lang, ucs2);
  const paging = options.paging ?? 'onRequest';
  const markers = pageMarkers(lang, paging, ucs2);
  const gsm = (text: string) => smsText(text, lang, ucs2);
  const pages = (text: string, segments: PageSegments, marks: PageMarkers = markers, list = false) =>
    paginate(gsm(text), segments, marks, unicode, list);
  // A list's pages hold whole rows. SMS_MAX_SEGMENTS still caps a UCS-2 page: an operator who
  // allows one segment gets one.
  const listSegments: PageSegments = unicode
    ? { gsm7: LIST_PAGE_SEGMENTS, ucs2: Math.min(UCS2_LIST_PAGE_SEGMENTS, options.maxSegments) }
    : LIST_PAGE_SEGMENTS;
  const listPages = (text: string, marks: PageMarkers = markers) => pages(text, listSegments, marks, true);

  const introduced = plan.intro && (plan.kind === 'theme' || plan.kind === 'about');
  if (introduced && plan.kind === 'theme') {
    // The theme's size and how to read it, at once; its list page by page on SUITE.
    const list = listPages(listText(plan));
    const intro = planText({ kind: 'intro', lines: plan.intro!(list.length), actions: [] });
    return [...pages(intro, options.maxSegments, pageMarkers(lang, 'allAtOnce', ucs2)), ...list];
  }
  if (introduced && plan.kind === 'about') {
    const full = pages(planText(plan), options.maxSegments);
    if (paging === 'allAtOnce') return full;
    return [gsm(planText({ kind: 'intro', lines: plan.intro!(full.length), actions: [] })), ...full];
  }
  const paged = plan.list && plan.kind !== 'home' && plan.kind !== 'themes';
  const layout = (text: string, marks: PageMarkers = markers) =>
    paged ? listPages(text, marks) : pages(text, options.maxSegments, marks);
  const more = plan.list?.more;
  if (paged && more && markers.firstMore && !fitsOnePage(gsm(planText(plan)), listSegments, unicode)) {
    // A paged list: its first page says how to read one and how to get more in one closing
    // line, which leaves room for a second or third result beside the title.
    const withoutChoose = { ...plan, list: { ...plan.list!, choose: '' } };
    return layout(planText(withoutChoose), { ...markers, firstMore: () => gsm(more) });
  }
  const plain = layout(planText(plan));
  if (!plan.lines.some((entry) => entry.optional)) return plain;
  // An optional line (the theme of a recommendation) only when it costs no page or segment more.
  const withOptional = layout(planText(plan, true));
  return withOptional.length === plain.length && segmentsOf(withOptional) === segmentsOf(plain)
    ? withOptional
    : plain;
}

/**
 * renderSms with the answers that never change (a recommendation, a theme, the menus) kept
 * once rendered: the segment library is slow (milliseconds a page) and a theme list has many.
 * Search answers depend on what was typed and are rendered each time.
 */
export function createSmsRenderer(options: Omit<SmsRenderOptions, 'paging' | 'planner'>) {
  const planner = plannerFor(options.engine);
  const cache = new Map<string, string[]>();
  const stableKey = (reply: Reply): string | undefined => {
    switch (reply.kind) {
      case 'recommendation':
        // The follow-up's version in the key: an editor's change is sent at once.
        return `r:${reply.recommendation.id}${reply.reportText ? ':text' : ''}:${reply.followUp?.version ?? 0}`;
      case 'theme':
        return `t:${reply.theme.number}`;
      case 'help':
      case 'home':
      case 'themes':
      case 'about':
        return reply.kind;
      default:
        return undefined;
    }
  };
  return (reply: Reply, lang: Lang, paging: Paging = 'onRequest'): string[] => {
    const key = stableKey(reply);
    if (key === undefined) return renderSms(reply, lang, { ...options, paging, planner });
    // A translation published from the console changes the revision: no stale page is sent.
    const full = `${key}:${lang}:${paging}:${translationsRevision()}`;
    let pages = cache.get(full);
    if (!pages) {
      pages = renderSms(reply, lang, { ...options, paging, planner });
      cache.set(full, pages);
    }
    return [...pages];
  };
}
