import type { Repeat } from '../../src/content/repeats.js';
import type { Lang, Recommendation, Reply, Theme } from '../../src/core/types.js';
import { languageChoices, localized, t } from '../../src/i18n/index.js';
import { translationsRevision } from '../../src/content/localized.js';
import { recLabel, recSummary, themeName, themeTitle } from '../../src/content/localized.js';
import { BAMBARA_LETTERS, toGsm7 } from '../../src/text/gsm7.js';
import { followUpShortLine } from '../../src/followup/reply.js';
import { resultsTitle, SMALL_TALK_REPLY } from '../../src/core/sentences.js';
import { followUpAnswerLines } from '../../src/followup/turn.js';
import { paginate, type PageMarkers } from './paging.js';
import { countSegments } from './segments.js';

/**
 * What the search understood of a query (never the words it did not know: src/search) is echoed
 * back, but only its start: an echo must not cost a segment.
 */
export const QUERY_ECHO_MAX = 30;

export function echo(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > QUERY_ECHO_MAX ? `${oneLine.slice(0, QUERY_ECHO_MAX - 3)}...` : oneLine;
}

// Labels and theme names are ours: in the person's language where we have them (content/translations).
const listed = (recommendations: Recommendation[], lang: Lang) =>
  recommendations.map((r) => `${r.id} ${recLabel(r, lang)}`);

/** Every list ends the same way: the exact thing to send (an id it shows), never "the number". */
const listPrompt = (lang: Lang, recommendations: Recommendation[], fallback: string) =>
  t(lang, 'sms.list.prompt', { example: recommendations[0]?.id ?? fallback });

/** "NB : même texte que la 4.57." under a recommendation the report repeats. */
const repeatLines = (lang: Lang, id: string, repeats?: Map<string, Repeat[]>) =>
  (repeats?.get(id) ?? []).map((repeat) => t(lang, `repeat.${repeat.kind}`, { id: repeat.id }));
const followUpLine = (reply: Extract<Reply, { kind: 'recommendation' }>, lang: Lang) =>
  reply.followUp ? [followUpShortLine(reply.followUp, lang)] : [];
const themeLines = (themes: Theme[], lang: Lang) =>
  themes.map((theme) => `T${theme.number} ${themeName(theme, lang)}`);

/**
 * The reply as one text, before GSM-7 and paging. The report's words (text, items, theme
 * titles) go in verbatim; a recommendation is introduced as the report's text, our short labels
 * are only ever listed after an id, never as a quotation.
 */
export function smsBody(reply: Reply, lang: Lang, themes: Theme[], repeats?: Map<string, Repeat[]>): string {
  switch (reply.kind) {
    case 'help':
      return t(lang, 'sms.help');
    case 'home':
      // By SMS the menu is the list of themes (MENU and THEMES both lead there), under a title.
      return [
        t(lang, 'home.title'),
        ...themeLines(themes, lang),
        t(lang, 'sms.themes.prompt', { count: themes.length }),
      ].join('\n');
    case 'themes':
      // No title: the T1..T5 lines say what they are, and the answer stays in one segment.
      return [
        ...themeLines(reply.themes, lang),
        t(lang, 'sms.themes.prompt', { count: reply.themes.length }),
      ].join('\n');
    case 'theme': {
      const { theme, recommendations } = reply;
      return [
        t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) }),
        t(lang, 'theme.count', { theme: theme.number, count: recommendations.length }),
        ...listed(recommendations, lang),
        listPrompt(lang, recommendations, `${theme.number}.1`),
      ].join('\n');
    }
    case 'recommendation': {
      const { recommendation } = reply;
      // Where we wrote a summary (Bambara), it comes first, marked as ours, with the way to the
      // report's text; TEXTE 2.15 asks for that text.
      const summary = reply.reportText ? undefined : recSummary(recommendation, lang);
      if (summary)
        return [
          t(lang, 'summary.title', { id: recommendation.id }),
          summary,
          t(lang, 'summary.ours'),
          t(lang, 'sms.reportText', { id: recommendation.id }),
          ...followUpLine(reply, lang),
          t(lang, 'feedback.hint', { id: recommendation.id }),
        ].join('\n');
      return [
        t(lang, 'sms.recommendation.header', { id: recommendation.id }),
        recommendation.text,
        ...(recommendation.items ?? []).map((item) => `- ${item}`),
        ...repeatLines(lang, recommendation.id, repeats),
        // Ours, after the report's words: an editor's follow-up with its source, if published.
        ...followUpLine(reply, lang),
        // Ours, after the report's words: how to give the one-key reaction (AVIS 2.10 1).
        t(lang, 'feedback.hint', { id: recommendation.id }),
      ].join('\n');
    }
    case 'searchResults':
      return [
        ...(reply.suggestion ? [t(lang, 'search.didYouMean', { suggestion: echo(reply.suggestion) })] : []),
        resultsTitle(lang, reply, echo),
        ...(reply.theme ? [t(lang, 'search.themeOffer', { theme: reply.theme.number })] : []),
        ...listed(
          reply.hits.map((hit) => hit.recommendation),
          lang,
        ),
        listPrompt(
          lang,
          reply.hits.map((hit) => hit.recommendation),
          '2.15',
        ),
      ].join('\n');
    case 'smallTalk':
      return t(lang, SMALL_TALK_REPLY[reply.what]);
    case 'notInReport':
      return t(lang, 'search.notInReport', { query: echo(reply.echo) });
    case 'noResults':
      return [
        // Never the message itself: it may be an insult, a name or a long forwarded text.
        t(lang, 'search.none'),
        ...(reply.suggestion ? [t(lang, 'search.didYouMean', { suggestion: echo(reply.suggestion) })] : []),
        // Not the theme list (THEMES sends it): a nothing-found stays in one segment.
        t(lang, 'sms.none.hint'),
      ].join('\n');
    case 'outOfRange':
      // A bare number the engine read as the report's count (300) or near real ids (10 → 1.10).
      if (reply.total !== undefined)
        return t(lang, 'outOfRange.total', { count: reply.total, themeCount: reply.themeCount });
      if (reply.suggestions?.length) {
        const ids = reply.suggestions;
        const list =
          ids.length > 1 ? `${ids.slice(0, -1).join(', ')} ${t(lang, 'language.or')} ${ids.at(-1)}` : ids[0]!;
        return t(lang, 'outOfRange.suggest', { ids: list });
      }
      return reply.number === undefined || reply.maxNumber === undefined
        ? t(lang, 'outOfRange.theme', { theme: reply.theme, themeCount: reply.themeCount })
        : t(lang, 'outOfRange.recommendation', {
            id: `${reply.theme}.${reply.number}`,
            theme: reply.theme,
            count: reply.maxNumber,
          });
    case 'about':
      return [t(lang, 'about.title'), localized(reply.about.summary, lang), t(lang, 'about.ours')].join('\n');
    case 'navigation':
      return reply.direction === 'back' ? t(lang, 'sms.back') : t(lang, 'sms.noPages');
    case 'optOut':
      return t(lang, 'optOut.done');
    case 'optIn':
      return t(lang, 'optIn.done');
    case 'language':
      return reply.lang
        ? t(reply.lang, 'language.set')
        : t(lang, 'language.choose', { choices: languageChoices(lang) });
    case 'empty':
      return t(lang, 'sms.empty');
    case 'followUp':
      return followUpAnswerLines(reply.answer, lang).join('\n');
    case 'callback':
      // The conversation answers APPEL itself (queued, limit); a reply here means no call back is wired.
      return t(lang, 'callback.unavailable');
  }
}

/** How Bambara goes out by SMS (SMS_BAMBARA_ENCODING): older spelling in GSM-7, or UCS-2. */
export type BambaraEncoding = 'gsm7' | 'ucs2';

/** Whether this language's SMS keep Bambara's official letters (and so go out in UCS-2). */
export const keepsBambaraLetters = (lang: Lang, encoding: BambaraEncoding = 'gsm7'): boolean =>
  lang === 'bm' && encoding === 'ucs2';

/** A text as it leaves by SMS: GSM-7 (ɛ→è ɔ→ò ɲ→ny ŋ→ng), or Bambara's letters kept for UCS-2. */
export function smsText(text: string, lang: Lang, encoding: BambaraEncoding = 'gsm7'): string {
  return toGsm7(text, keepsBambaraLetters(lang, encoding) ? BAMBARA_LETTERS : undefined);
}

/** `onRequest`: pages wait in the session for SUITE; `allAtOnce`: every page is sent now. */
export type Paging = 'onRequest' | 'allAtOnce';

export function pageMarkers(
  lang: Lang,
  paging: Paging = 'onRequest',
  encoding: BambaraEncoding = 'gsm7',
): PageMarkers {
  const onRequest = paging === 'onRequest';
  const text = (value: string) => smsText(value, lang, encoding);
  return {
    counter: (page, total) => text(t(lang, 'sms.page', { page, total })),
    more: onRequest ? text(t(lang, 'sms.more')) : '',
    ...(onRequest ? { firstMore: (total: number) => text(t(lang, 'sms.more.first', { total })) } : {}),
  };
}

export interface SmsRenderOptions {
  maxSegments: number;
  themes: Theme[];
  paging?: Paging;
  /** The report's repeats (src/content/repeats.ts), named under each recommendation. */
  repeats?: Map<string, Repeat[]>;
  bambaraEncoding?: BambaraEncoding;
}

const segmentsOf = (pages: string[]) => pages.reduce((sum, page) => sum + countSegments(page).segments, 0);

/**
 * A theme by SMS is one message (its title, size, how to read, search and list), and the list
 * of its recommendations follows page by page on SUITE: reading a theme's list is a choice
 * the person makes knowing its cost. Sent all at once (from USSD), the list follows at once.
 */
function renderTheme(
  reply: Extract<Reply, { kind: 'theme' }>,
  lang: Lang,
  options: SmsRenderOptions,
): string[] {
  const { theme, recommendations } = reply;
  const encoding = options.bambaraEncoding ?? 'gsm7';
  const unicode = keepsBambaraLetters(lang, encoding);
  const list = paginate(
    smsText(
      [...listed(recommendations, lang), listPrompt(lang, recommendations, `${theme.number}.1`)].join('\n'),
      lang,
      encoding,
    ),
    options.maxSegments,
    pageMarkers(lang, options.paging, encoding),
    unicode,
  );
  const count = recommendations.length;
  const summary = smsText(
    [
      t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) }),
      t(lang, 'sms.theme.summary', {
        theme: theme.number,
        count,
        example: recommendations[Math.min(11, count - 1)]?.id ?? `${theme.number}.1`,
        pages: list.length,
      }),
    ].join('\n'),
    lang,
    encoding,
  );
  return [
    ...paginate(summary, options.maxSegments, pageMarkers(lang, 'allAtOnce', encoding), unicode),
    ...list,
  ];
}

/** INFO: a one-segment short form (ours), the full summary on SUITE. */
function renderAbout(
  reply: Extract<Reply, { kind: 'about' }>,
  lang: Lang,
  options: SmsRenderOptions,
): string[] {
  const encoding = options.bambaraEncoding ?? 'gsm7';
  const full = paginate(
    smsText(smsBody(reply, lang, options.themes), lang, encoding),
    options.maxSegments,
    pageMarkers(lang, options.paging, encoding),
    keepsBambaraLetters(lang, encoding),
  );
  if ((options.paging ?? 'onRequest') === 'allAtOnce') return full;
  return [smsText(t(lang, 'sms.about.short', { pages: full.length }), lang, encoding), ...full];
}

/** The reply as GSM-7 SMS pages of at most `maxSegments` segments each. */
export function renderSms(reply: Reply, lang: Lang, options: SmsRenderOptions): string[] {
  if (reply.kind === 'theme') return renderTheme(reply, lang, options);
  if (reply.kind === 'about') return renderAbout(reply, lang, options);
  const encoding = options.bambaraEncoding ?? 'gsm7';
  const unicode = keepsBambaraLetters(lang, encoding);
  const markers = pageMarkers(lang, options.paging, encoding);
  const body = smsText(smsBody(reply, lang, options.themes, options.repeats), lang, encoding);
  const pages = paginate(body, options.maxSegments, markers, unicode);
  if (reply.kind !== 'recommendation') return pages;
  // Its place in the report (theme number and the report's title), when it costs no segment more.
  const place = smsText(
    t(lang, 'theme.title', { theme: reply.theme.number, title: reply.theme.title }),
    lang,
    encoding,
  );
  const placed = paginate(`${body}\n${place}`, options.maxSegments, markers, unicode);
  return placed.length === pages.length && segmentsOf(placed) === segmentsOf(pages) ? placed : pages;
}

/**
 * renderSms with the answers that never change (a recommendation, a theme, the menus) kept
 * once rendered: the segment library is slow (milliseconds a page) and a theme list has many.
 * Search answers depend on what was typed and are rendered each time.
 */
export function createSmsRenderer(options: Omit<SmsRenderOptions, 'paging'>) {
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
    if (key === undefined) return renderSms(reply, lang, { ...options, paging });
    // A translation published from the console changes the revision: no stale page is sent.
    const full = `${key}:${lang}:${paging}:${translationsRevision()}`;
    let pages = cache.get(full);
    if (!pages) {
      pages = renderSms(reply, lang, { ...options, paging });
      cache.set(full, pages);
    }
    return [...pages];
  };
}
