import { t } from '../../../src/i18n/index.js';
import { phoneLinks } from '../channels.js';
import { html } from '../html.js';
import type { PageContent } from '../layout.js';
import { PATHS, href } from '../links.js';
import { badge, SITE_STATUSES } from '../status.js';
import { day, label, searchForm, themeHeading, type View } from '../view.js';

/** How many follow-up publications the home page lists (the Atom feed has more). */
const HOME_NEWS = 8;

/** What the Dialogue was, the five themes with their follow-up at a glance, the latest news. */
export function homePage(view: View): PageContent {
  const { lang, engine, followUps } = view;
  const themes = engine.corpus.themes.map((theme) => {
    const recs = engine.recommendationsOf(theme.number);
    const counts = followUps.count(recs);
    return html`<li>
      <h3><a href="${href(PATHS.theme(theme.number), lang)}">${themeHeading(lang, theme)}</a></h3>
      <p>${t(lang, 'theme.count', { count: recs.length, theme: theme.number })}</p>
      <ul class="counts" aria-label="${t(lang, 'site.theme.byStatus')}">
        ${SITE_STATUSES.map(
          (status) =>
            html`<li>
              ${
                counts[status] > 0
                  ? html`<a href="${href(PATHS.theme(theme.number), lang, { status })}"
                      >${badge(lang, status)} ${counts[status]}</a
                    >`
                  : html`${badge(lang, status)} 0`
              }
            </li>`,
        )}
      </ul>
    </li>`;
  });
  const news = followUps.latest(HOME_NEWS).map((entry) => {
    const rec = engine.recommendation(entry.recommendationId);
    if (!rec) return '';
    return html`<li>
      ${day(lang, entry.date)} ·
      <a href="${href(PATHS.recommendation(rec.id), lang)}"
        ><span class="id">${rec.id}</span>${label(lang, rec)}</a
      >
      ${badge(lang, entry.status)}
    </li>`;
  });
  const total = engine.corpus.recommendations.length;
  const body = html`<h1>${t(lang, 'home.title')}</h1>
    <p>${t(lang, 'site.home.intro')}</p>
    <p class="ours">
      ${t(lang, 'about.ours')} <a href="${href(PATHS.about, lang)}">${t(lang, 'site.home.more')}</a>
    </p>
    ${searchForm(lang)}
    <h2 id="themes">${t(lang, 'themes.title')}</h2>
    <p>${t(lang, 'site.home.statusIntro', { total })}</p>
    <ul class="list">
      ${themes}
    </ul>
    <h2 id="news">${t(lang, 'site.home.news')}</h2>
    ${
      news.length > 0
        ? html`<ul class="list">
              ${news}
            </ul>
            <p><a href="${href(PATHS.feed, lang)}">${t(lang, 'site.feed.link')}</a></p>`
        : html`<p>${t(lang, 'site.home.noNews')}</p>`
    }
    ${phoneLinks(lang, view.config)}`;
  return {
    place: { path: PATHS.home },
    title: t(lang, 'home.title'),
    description: t(lang, 'site.home.intro'),
    body,
    section: 'home',
  };
}
