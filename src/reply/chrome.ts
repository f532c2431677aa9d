import type { Lang } from '../core/types.js';
import { t } from '../i18n/index.js';

/**
 * The words of a screen's frame, not of a reply: page counters, "more", the names of a list's
 * button and sections, the note on a cut text. A channel lays them out where its frame needs
 * them; they come from the catalogs like every sentence.
 */
export function chrome(lang: Lang) {
  return {
    /** "Page 2/5" under a paged list. */
    page: (page: number, pages: number) => t(lang, 'list.page', { page, pages }),
    sms: {
      /** "(2/5)" opening each page of a long SMS answer. */
      counter: (page: number, total: number) => t(lang, 'sms.page', { page, total }),
      more: t(lang, 'sms.more'),
      /** The first page says how many SMS the answer takes. */
      moreFirst: (total: number) => t(lang, 'sms.more.first', { total }),
    },
    list: {
      /** A WhatsApp list's button and rows that page it. */
      recommendations: t(lang, 'wa.list.recommendations'),
      results: t(lang, 'wa.list.results'),
      themes: t(lang, 'wa.list.themes'),
      /** The list of languages when they outnumber a message's buttons. */
      languages: t(lang, 'button.language'),
      resultsSection: t(lang, 'wa.list.resultsSection'),
      section: (theme: number, page: number, pages: number) =>
        t(lang, 'wa.list.section', { theme, page, pages }),
      more: t(lang, 'wa.list.more'),
      moreDescription: t(lang, 'wa.list.moreDescription'),
      previous: t(lang, 'wa.list.previous'),
    },
    /** Under a text cut to fit a message: how to read it whole, and the button that does. */
    cut: t(lang, 'text.cut'),
    fullText: t(lang, 'button.fullText'),
    inline: {
      hint: t(lang, 'tg.inline.hint'),
      none: t(lang, 'tg.inline.none'),
      openInBot: t(lang, 'tg.button.openInBot'),
      /** The public site's page of a shared recommendation. */
      openPage: t(lang, 'tg.button.openPage'),
    },
  };
}
