import type { Lang, Recommendation, Reply, Theme } from '../../src/core/types.js';
import { languageChoices, localized, t } from '../../src/i18n/index.js';
import { toGsm7 } from '../../src/text/gsm7.js';
import { paginate, type PageMarkers } from './paging.js';

/** A typed query is echoed back, but only its start: an echo must not cost a segment. */
const QUERY_ECHO_MAX = 30;

function echo(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > QUERY_ECHO_MAX ? `${oneLine.slice(0, QUERY_ECHO_MAX - 3)}...` : oneLine;
}

const listed = (recommendations: Recommendation[]) => recommendations.map((r) => `${r.id} ${r.label}`);
const themeLines = (themes: Theme[]) => themes.map((theme) => `T${theme.number} ${theme.short}`);

/**
 * The reply as one text, before GSM-7 and paging. The report's words (text, items, theme
 * titles) go in verbatim; a recommendation is introduced as the report's text, our short labels
 * are only ever listed after an id, never as a quotation.
 */
export function smsBody(reply: Reply, lang: Lang, themes: Theme[]): string {
  switch (reply.kind) {
    case 'help':
      return t(lang, 'sms.help');
    case 'home':
      // By SMS the menu is the list of themes (MENU and THEMES both lead there), under a title.
      return [
        t(lang, 'home.title'),
        ...themeLines(themes),
        t(lang, 'sms.themes.prompt', { count: themes.length }),
      ].join('\n');
    case 'themes':
      return [
        t(lang, 'themes.title'),
        ...themeLines(reply.themes),
        t(lang, 'sms.themes.prompt', { count: reply.themes.length }),
      ].join('\n');
    case 'theme': {
      const { theme, recommendations } = reply;
      return [
        t(lang, 'theme.title', { theme: theme.number, title: theme.title }),
        t(lang, 'theme.count', { theme: theme.number, count: recommendations.length }),
        ...listed(recommendations),
        t(lang, 'sms.theme.prompt', { example: recommendations[0]?.id ?? `${theme.number}.1` }),
      ].join('\n');
    }
    case 'recommendation': {
      const { recommendation } = reply;
      return [
        t(lang, 'sms.recommendation.header', { id: recommendation.id }),
        recommendation.text,
        ...(recommendation.items ?? []).map((item) => `- ${item}`),
      ].join('\n');
    }
    case 'searchResults':
      return [
        ...(reply.suggestion ? [t(lang, 'search.didYouMean', { suggestion: echo(reply.suggestion) })] : []),
        t(lang, reply.close ? 'search.closeTitle' : 'search.resultsTitle', { query: echo(reply.query) }),
        ...(reply.theme ? [t(lang, 'search.themeOffer', { theme: reply.theme.number })] : []),
        ...listed(reply.hits.map((hit) => hit.recommendation)),
        t(lang, 'search.resultsPrompt'),
      ].join('\n');
    case 'smallTalk':
      return t(lang, 'smallTalk.reply');
    case 'notInReport':
      return t(lang, 'search.notInReport', { query: echo(reply.query) });
    case 'noResults':
      return [
        t(lang, 'search.none', { query: echo(reply.query) }),
        ...(reply.suggestion ? [t(lang, 'search.didYouMean', { suggestion: echo(reply.suggestion) })] : []),
        t(lang, 'search.noneHint'),
        ...themeLines(reply.themes),
      ].join('\n');
    case 'outOfRange':
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
    case 'callback':
      // The conversation answers APPEL itself (queued, limit); a reply here means no call back is wired.
      return t(lang, 'callback.unavailable');
  }
}

/** `onRequest`: pages wait in the session for SUITE; `allAtOnce`: every page is sent now. */
export type Paging = 'onRequest' | 'allAtOnce';

export function pageMarkers(lang: Lang, paging: Paging = 'onRequest'): PageMarkers {
  return {
    counter: (page, total) => toGsm7(t(lang, 'sms.page', { page, total })),
    more: paging === 'onRequest' ? toGsm7(t(lang, 'sms.more')) : '',
  };
}

/** The reply as GSM-7 SMS pages of at most `maxSegments` segments each. */
export function renderSms(
  reply: Reply,
  lang: Lang,
  options: { maxSegments: number; themes: Theme[]; paging?: Paging },
): string[] {
  const body = toGsm7(smsBody(reply, lang, options.themes));
  return paginate(body, options.maxSegments, pageMarkers(lang, options.paging));
}

/**
 * renderSms with the answers that never change (a recommendation, a theme, the menus) kept
 * once rendered: the segment library is slow (milliseconds a page) and a theme list has many.
 * Search answers depend on what was typed and are rendered each time.
 */
export function createSmsRenderer(options: { maxSegments: number; themes: Theme[] }) {
  const cache = new Map<string, string[]>();
  const stableKey = (reply: Reply): string | undefined => {
    switch (reply.kind) {
      case 'recommendation':
        return `r:${reply.recommendation.id}`;
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
    const full = `${key}:${lang}:${paging}`;
    let pages = cache.get(full);
    if (!pages) {
      pages = renderSms(reply, lang, { ...options, paging });
      cache.set(full, pages);
    }
    return [...pages];
  };
}
