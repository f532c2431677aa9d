import type { Config } from '../../src/config.js';
import type { Engine, Lang, Recommendation, Theme } from '../../src/core/types.js';
import { recLabel, recReview, themeReview, themeTitle } from '../../src/content/localized.js';
import { formatDate, REFERENCE_LANG, t, type MessageKey } from '../../src/i18n/index.js';
import { MAX_QUERY_LENGTH } from '../../src/core/limits.js';
import { escapeHtml, Html, html, langAttr } from './html.js';
import { PATHS, href } from './links.js';
import { badge, statusOf, type FollowUps } from './status.js';

/** The settings pages read: how people reach the service by phone, from the configuration. */
export type SiteConfig = Pick<
  Config,
  'AT_SHORTCODE' | 'USSD_SERVICE_CODE' | 'TELEGRAM_BOT_USERNAME' | 'WHATSAPP_NUMBER' | 'VOICE_PHONE_NUMBER'
>;

/** What every page renderer gets for one request. */
export interface View {
  lang: Lang;
  engine: Engine;
  followUps: FollowUps;
  config: SiteConfig;
  origin: string;
}

/** A day (YYYY-MM-DD, or the day of a timestamp) as the language writes it: the channels' own formatter. */
export function dayText(lang: Lang, iso: string): string {
  return formatDate(iso.slice(0, 10), lang);
}

/** A day in a <time> that machines read. */
export function day(lang: Lang, iso: string): Html {
  return html`<time datetime="${iso.slice(0, 10)}">${dayText(lang, iso)}</time>`;
}

/**
 * A catalog sentence with markup in some of its placeholders (a link, a date): the sentence is
 * escaped, then each `slots` placeholder takes its markup where the language put it.
 */
export function tHtml(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number>,
  slots: Record<string, Html>,
): Html {
  const names = Object.keys(slots);
  const marks = Object.fromEntries(names.map((name, i) => [name, `\uE000${i}\uE001`]));
  const text = escapeHtml(t(lang, key, { ...params, ...marks }));
  return new Html(text.replace(/\uE000(\d)\uE001/g, (_whole, i: string) => slots[names[Number(i)]!]!.value));
}

/** Marks an entry of ours that no native speaker has reviewed yet. */
export function draftTag(lang: Lang, review: 'draft' | 'reviewed' | undefined): Html | '' {
  return review === 'draft' ? html` <span class="tag">${t(lang, 'site.draftTag')}</span>` : '';
}

/** Our short label of a recommendation, in French where the language has none served. */
export function label(lang: Lang, rec: Recommendation): Html {
  const review = recReview(rec, lang);
  const textLang = review === undefined ? REFERENCE_LANG : lang;
  return html`<span${langAttr(textLang, lang)}>${recLabel(rec, lang)}</span>${draftTag(lang, review)}`;
}

export function themeName(lang: Lang, theme: Theme): Html {
  const review = themeReview(theme, lang);
  const textLang = review === undefined ? REFERENCE_LANG : lang;
  return html`<span${langAttr(textLang, lang)}>${themeTitle(theme, lang)}</span>`;
}

/** One recommendation in a list: its number, our label, its follow-up status. */
export function recItem(view: View, rec: Recommendation): Html {
  const { lang } = view;
  return html`<li>
    <a href="${href(PATHS.recommendation(rec.id), lang)}"
      ><span class="id">${rec.id}</span>${label(lang, rec)}</a
    >
    ${badge(lang, statusOf(view.followUps.of(rec.id)))}
  </li>`;
}

export function searchForm(lang: Lang, query = ''): Html {
  return html`<form class="search" role="search" action="${PATHS.search}" method="get">
    <label for="q">${t(lang, 'site.search.label')}</label
    ><input
      type="search"
      id="q"
      name="q"
      value="${query}"
      maxlength="${MAX_QUERY_LENGTH}"
    />${lang === REFERENCE_LANG ? '' : html`<input type="hidden" name="lang" value="${lang}" />`}<button
      type="submit"
    >
      ${t(lang, 'site.search.submit')}
    </button>
  </form>`;
}

export function crumbs(lang: Lang, trail: Array<{ label: string | Html; path?: string }>): Html {
  return html`<nav class="crumbs" aria-label="${t(lang, 'site.nav.crumbs')}">
    ${trail.map((step, i) =>
      step.path
        ? html`${i > 0 ? ' › ' : ''}<a href="${href(step.path, lang)}">${step.label}</a>`
        : html`${i > 0 ? ' › ' : ''}<span aria-current="page">${step.label}</span>`,
    )}
  </nav>`;
}

/** "Thème 2 : <its name>", the name in its own language. */
export function themeHeading(lang: Lang, theme: Theme, name: Html = themeName(lang, theme)): Html {
  return tHtml(lang, 'theme.title', { theme: theme.number }, { title: name });
}
