import { draftCounts } from '../../../src/content/localized.js';
import { languages, REFERENCE_LANG, t } from '../../../src/i18n/index.js';
import { aboutSummary } from '../../../src/reply/index.js';
import { phoneLinks } from '../channels.js';
import { html, langAttr } from '../html.js';
import { licenceLink, type PageContent } from '../layout.js';
import { PATHS, href } from '../links.js';
import { dayText, searchForm, tHtml, type View } from '../view.js';

/**
 * About this service: what the Dialogue was (our summary, marked as ours), whose words are
 * whose, how far the translations are reviewed, the privacy statement, the open data and its
 * licence (docs/site.md says why CC BY 4.0 for what is ours).
 */
export function aboutPage(view: View): PageContent {
  const { lang, engine } = view;
  const about = engine.corpus.about;
  // Our summary is in every language's catalog (about.summary): said in the page's language.
  const summaryLang = lang;
  const drafts = draftCounts();
  const states = languages()
    .filter((l) => l.code !== REFERENCE_LANG)
    .map((l) => {
      const content = drafts[l.code]?.content ?? { draft: 0, total: 0 };
      return html`<li>
        <span lang="${l.code}">${l.name}</span>:
        ${t(lang, 'site.about.reviewState', {
          draft: content.draft,
          total: content.total,
        })}
        ${l.review.state === 'reviewed' ? '' : t(lang, 'site.about.catalogDraft')}
      </li>`;
    });
  const body = html`<h1>${t(lang, 'site.about.title')}</h1>
<h2 id="dialogue">${t(lang, 'about.title')}</h2>
<p${langAttr(summaryLang, lang)}>${aboutSummary(lang)}</p>
<p class="ours">${t(lang, 'about.ours')} ${t(lang, 'about.report', { date: dayText(lang, about.reportDate), place: about.reportPlace })}</p>
<h2 id="words">${t(lang, 'site.about.wordsTitle')}</h2>
<p>${t(lang, 'site.about.words')}</p>
<h2 id="translations">${t(lang, 'site.about.translationsTitle')}</h2>
<p>${t(lang, 'site.about.translations')}</p><ul>${states}</ul>
<h2 id="followup">${t(lang, 'site.rec.followUp')}</h2>
<p>${t(lang, 'site.about.followUp')}</p>
<h2 id="privacy">${t(lang, 'site.about.privacyTitle')}</h2>
<p>${t(lang, 'site.about.privacySite')}</p>
<p>${t(lang, 'site.about.privacyPhones')}</p>
<p>${t(lang, 'site.about.privacyKept')}</p>
<h2 id="data">${t(lang, 'site.data.title')}</h2>
<p>${t(lang, 'site.data.intro')}</p>
<ul><li><a href="${PATHS.csv}" type="text/csv">${t(lang, 'site.data.csv')}</a></li><li><a href="${PATHS.json}" type="application/json">${t(lang, 'site.data.json')}</a></li><li><a href="${href(PATHS.feed, lang)}" type="application/atom+xml">${t(lang, 'site.feed.link')}</a></li><li><a href="/api/openapi.json">${t(lang, 'site.data.api')}</a></li></ul>
<p>${tHtml(lang, 'site.data.licence', {}, { licence: licenceLink(lang) })}</p>
${phoneLinks(lang, view.config)}
${searchForm(lang)}`;
  return {
    place: { path: PATHS.about },
    title: t(lang, 'site.about.title'),
    description: t(lang, 'site.home.intro'),
    body,
    section: 'about',
  };
}

/** A page that does not exist: said plainly, with the way back. */
export function notFoundPage(view: View, path: string): PageContent {
  const { lang } = view;
  return {
    place: { path },
    title: t(lang, 'site.notFound.title'),
    description: t(lang, 'site.notFound.text'),
    body: html`<h1>${t(lang, 'site.notFound.title')}</h1>
      <p>${t(lang, 'site.notFound.text')}</p>
      <p><a href="${href(PATHS.home, lang)}">${t(lang, 'site.notFound.home')}</a></p>
      ${searchForm(lang)}`,
    transient: true,
  };
}
