import { recLabel, recReview, recSummary } from '../../../src/content/localized.js';
import type { Repeat } from '../../../src/content/repeats.js';
import type { Recommendation, Theme } from '../../../src/core/types.js';
import { isLink } from '../../../src/followup/model.js';
import { REFERENCE_LANG, t } from '../../../src/i18n/index.js';
import { phoneLinks } from '../channels.js';
import { html, langAttr, type Html } from '../html.js';
import type { PageContent } from '../layout.js';
import { PATHS, href } from '../links.js';
import { badge } from '../status.js';
import { crumbs, day, draftTag, label, tHtml, themeHeading, themeName, type View } from '../view.js';

export interface Neighbours {
  previous?: Recommendation;
  next?: Recommendation;
  repeats: Repeat[];
}

/**
 * One recommendation at its stable address: the report's words verbatim and marked as such
 * (in French, `lang="fr"`, in a blockquote citing the report), our label and summary marked as
 * ours, the follow-up an editor published with its date and source, the report's repeats,
 * previous and next, how to get it by phone, how to share it.
 */
export function recommendationPage(
  view: View,
  rec: Recommendation,
  theme: Theme,
  around: Neighbours,
): PageContent {
  const { lang, origin } = view;
  const title = t(lang, 'recommendation.title', { id: rec.id });
  const themeShort = t(lang, 'site.theme.heading', { theme: theme.number });
  const summary = recSummary(rec, lang);
  const url = `${origin}${href(PATHS.recommendation(rec.id), lang)}`;
  const shareText = t(lang, 'site.rec.pageTitle', { id: rec.id, label: recLabel(rec, lang) });
  const body = html`${crumbs(lang, [
      { label: t(lang, 'site.nav.home'), path: PATHS.home },
      { label: themeShort, path: PATHS.theme(theme.number) },
      { label: rec.id },
    ])}
    <h1>${title}</h1>
    <p>
      <strong>${label(lang, rec)}</strong><br /><span class="ours">${t(lang, 'site.rec.labelOurs')}</span>
    </p>
    <p>
      ${themeHeading(lang, theme, html`<a href="${href(PATHS.theme(theme.number), lang)}">${themeName(lang, theme)}</a>`)}
    </p>
    ${summary ? summaryBlock(view, rec, summary) : ''}
    <h2 id="text">${t(lang, 'site.rec.reportText')}</h2>
    <figure>
      <blockquote lang="${REFERENCE_LANG}">
        <p>${rec.text}</p>
        ${
          rec.items
            ? html`<ul>
                ${rec.items.map((item) => html`<li>${item}</li>`)}
              </ul>`
            : ''
        }
      </blockquote>
      <figcaption>${t(lang, 'recommendation.source')}</figcaption>
    </figure>
    ${around.repeats.map((repeat) => html`<p class="ours"><a href="${href(PATHS.recommendation(repeat.id), lang)}">${t(lang, `repeat.${repeat.kind}`, { id: repeat.id })}</a></p>`)}
    ${followUpBlock(view, rec)}
    <nav class="pn" aria-label="${t(lang, 'site.rec.around')}">
      ${around.previous ? html`<a href="${href(PATHS.recommendation(around.previous.id), lang)}" rel="prev">← ${around.previous.id}</a>` : html`<span></span>`}${around.next ? html`<a href="${href(PATHS.recommendation(around.next.id), lang)}" rel="next">${around.next.id} →</a>` : ''}
    </nav>
    ${phoneLinks(lang, view.config, rec)}
    <section class="share" aria-labelledby="share">
      <h2 id="share">${t(lang, 'site.share.title')}</h2>
      <ul class="inline">
        <li><a href="https://wa.me/?text=${encodeURIComponent(`${shareText} ${url}`)}">WhatsApp</a></li>
        <li>
          <a
            href="https://t.me/share/url?url=${encodeURIComponent(url)}&amp;text=${encodeURIComponent(shareText)}"
            >Telegram</a
          >
        </li>
        <li>
          <a href="https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}">Facebook</a>
        </li>
      </ul>
    </section>`;
  return {
    place: { path: PATHS.recommendation(rec.id) },
    title: shareText,
    description: summary ?? [rec.text, ...(rec.items ?? [])].join(' '),
    body,
    ogType: 'article',
  };
}

function summaryBlock(view: View, rec: Recommendation, summary: string): Html {
  const { lang } = view;
  const review = recReview(rec, lang);
  return html`<section aria-labelledby="summary"><h2 id="summary">${t(lang, 'site.rec.summary')}${draftTag(lang, review)}</h2>
<p${langAttr(review === undefined ? REFERENCE_LANG : lang, lang)}>${summary}</p><p class="ours">${t(lang, 'summary.ours')}</p></section>`;
}

function followUpBlock(view: View, rec: Recommendation): Html {
  const { lang } = view;
  const entry = view.followUps.of(rec.id);
  const heading = html`<h2 id="followup">${t(lang, 'site.rec.followUp')}</h2>`;
  if (!entry)
    return html`<section aria-labelledby="followup">
      ${heading}
      <p>${badge(lang, 'none')} ${t(lang, 'followup.none')}</p>
      <p class="ours">${t(lang, 'site.rec.followUpOurs')}</p>
    </section>`;
  const source = isLink(entry.source)
    ? html`<a href="${entry.source}" rel="nofollow noopener noreferrer">${entry.source}</a>`
    : html`<cite>${entry.source}</cite>`;
  return html`<section aria-labelledby="followup">
    ${heading}
    <p>
      ${tHtml(lang, 'site.rec.status', {}, { status: badge(lang, entry.status), date: day(lang, entry.date) })}
    </p>
    <p class="src">${tHtml(lang, 'followup.source', {}, { source })}</p>
    ${entry.note ? html`<p>${t(lang, 'followup.note', { note: entry.note })}</p>` : ''}
    <p class="ours">
      ${t(lang, 'site.rec.followUpOurs')}
      ${tHtml(lang, 'site.rec.published', { version: entry.version }, { date: day(lang, entry.publishedAt) })}
    </p>
  </section>`;
}
