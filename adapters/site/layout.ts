import type { Lang } from '../../src/core/types.js';
import { dateLocaleOf, languages, REFERENCE_LANG, t } from '../../src/i18n/index.js';
import { html, type Html } from './html.js';
import { PATHS, href, placeHref, type Place } from './links.js';
import { qrSvg } from './qr.js';
import { STYLE } from './style.js';
import { tHtml } from './view.js';

/** One page before its shell: what it says, where it is, how it is shared. */
export interface PageContent {
  place: Place;
  title: string;
  /** For search engines and link previews (og:description): plain text, cut by the layout. */
  description: string;
  body: Html;
  ogType?: 'website' | 'article';
  /** Pages that are answers, not documents (a search, a 404): not indexed, no QR code. */
  transient?: boolean;
  /** The navigation entry this page belongs to, marked as current. */
  section?: 'home' | 'search' | 'about';
}

export interface ShellContext {
  lang: Lang;
  /** The site's absolute base: PUBLIC_BASE_URL, else the request's own origin. */
  origin: string;
}

const DESCRIPTION_MAX = 200;
/** At most `max` characters, cut between words when a word boundary is near. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${space > max / 2 ? head.slice(0, space) : head}…`;
}

/** `og:locale` wants ll_CC: the language's date locale (fr-FR → fr_FR), else its code. */
const ogLocale = (lang: Lang) => dateLocaleOf(lang).replace('-', '_');

/** The catalog of `lang` is ours and unreviewed: the page says so at its top. */
function catalogIsDraft(lang: Lang): boolean {
  if (lang === REFERENCE_LANG) return false;
  return languages().find((l) => l.code === lang)?.review.state !== 'reviewed';
}

export function renderPage(page: PageContent, { lang, origin }: ShellContext): string {
  const self = placeHref(page.place, lang);
  const absolute = `${origin}${self}`;
  const alternates = languages().map((l) => ({
    code: l.code,
    name: l.name,
    url: placeHref(page.place, l.code),
  }));
  const description = cut(page.description.replace(/\s+/g, ' ').trim(), DESCRIPTION_MAX);
  const nav = (section: PageContent['section'], path: string, label: string) =>
    html`<li>
      <a href="${href(path, lang)}" ${page.section === section ? html` aria-current="page"` : ''}>${label}</a>
    </li>`;
  const out = html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>${page.title} · ${t(lang, 'app.name')}</title>
        <meta name="description" content="${description}" />
        ${page.transient ? html`<meta name="robots" content="noindex" />` : ''}
        <link rel="canonical" href="${absolute}" />
        ${alternates.map((a) => html`<link rel="alternate" hreflang="${a.code}" href="${origin}${a.url}" />`)}
        <link rel="alternate" hreflang="x-default" href="${origin}${placeHref(page.place, REFERENCE_LANG)}" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title="${t(lang, 'site.feed.title')}"
          href="${href(PATHS.feed, lang)}"
        />
        <link rel="icon" href="data:," />
        <meta property="og:type" content="${page.ogType ?? 'website'}" />
        <meta property="og:site_name" content="${t(lang, 'app.name')}" />
        <meta property="og:title" content="${page.title}" />
        <meta property="og:description" content="${description}" />
        <meta property="og:url" content="${absolute}" />
        <meta property="og:locale" content="${ogLocale(lang)}" />
        ${alternates.filter((a) => a.code !== lang).map((a) => html`<meta property="og:locale:alternate" content="${ogLocale(a.code)}" />`)}
        <meta name="twitter:card" content="summary" />
        <meta name="twitter:title" content="${page.title}" />
        <meta name="twitter:description" content="${description}" />
        ${STYLE}
      </head>
      <body>
        <a class="skip" href="#main">${t(lang, 'site.skip')}</a>
        <header>
          <div class="wrap">
            <div class="top">
              <a class="brand" href="${href(PATHS.home, lang)}">${t(lang, 'app.name')}</a>
              <nav aria-label="${t(lang, 'site.nav.languages')}">
                <ul class="langs">
                  ${alternates.map(
                    (a) =>
                      html`<li>
                        <a
                          href="${a.url}"
                          hreflang="${a.code}"
                          lang="${a.code}"
                          ${a.code === lang ? html` aria-current="true"` : ''}
                          >${a.name}</a
                        >
                      </li>`,
                  )}
                </ul>
              </nav>
            </div>
            <nav aria-label="${t(lang, 'site.nav.main')}">
              <ul class="nav">
                ${nav('home', PATHS.home, t(lang, 'site.nav.home'))}${nav('search', PATHS.search, t(lang, 'site.nav.search'))}${nav('about', PATHS.about, t(lang, 'site.nav.about'))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap">
          ${catalogIsDraft(lang) ? html`<p class="draft">${t(lang, 'site.draftLanguage')}</p>` : ''}
          ${page.body} ${page.transient ? '' : qrFigure(lang, absolute)}
        </main>
        <footer class="wrap">
          <p>${tHtml(lang, 'site.footer.licence', {}, { licence: licenceLink(lang) })}</p>
          <ul class="inline links">
            <li><a href="${href(PATHS.about, lang)}#privacy">${t(lang, 'site.about.privacyTitle')}</a></li>
            <li><a href="${href(PATHS.about, lang)}#data">${t(lang, 'site.data.title')}</a></li>
            <li><a href="${href(PATHS.feed, lang)}">${t(lang, 'site.feed.link')}</a></li>
          </ul>
        </footer>
      </body>
    </html>`;
  // The templates are indented for their readers (prettier formats them): the indentation
  // is dropped, each line break kept (whitespace between inline elements means a space).
  return out.value.replace(/\n[ \t]+/g, '\n');
}

function qrFigure(lang: Lang, url: string): Html {
  return html`<figure class="qr">
    ${qrSvg(url, t(lang, 'site.qr.label', { url }))}
    <figcaption>${t(lang, 'site.qr.caption', { url })}</figcaption>
  </figure>`;
}

/** Creative Commons' own page of the licence, in the page's language where it has one (`site.licence.url`). */
export function licenceLink(lang: Lang): Html {
  return html`<a href="${t(lang, 'site.licence.url')}" rel="license">CC BY 4.0</a>`;
}
