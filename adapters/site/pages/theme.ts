import type { Theme } from '../../../src/core/types.js';
import { t } from '../../../src/i18n/index.js';
import { html } from '../html.js';
import type { PageContent } from '../layout.js';
import { PATHS, href } from '../links.js';
import { badge, SITE_STATUSES, statusOf, type SiteStatus } from '../status.js';
import { crumbs, recItem, themeHeading, type View } from '../view.js';
import { themeTitle } from '../../../src/content/localized.js';

/** A theme's recommendations with their status, filtered by one status with `?status=`. */
export function themePage(view: View, theme: Theme, status: SiteStatus | undefined): PageContent {
  const { lang, engine, followUps } = view;
  const all = engine.recommendationsOf(theme.number);
  const counts = followUps.count(all);
  const shown = status ? all.filter((rec) => statusOf(followUps.of(rec.id)) === status) : all;
  const path = PATHS.theme(theme.number);
  const filter = (value: SiteStatus | undefined, text: ReturnType<typeof html>, count: number) =>
    html`<li>
      <a href="${href(path, lang, { status: value })}" ${value === status ? html` aria-current="true"` : ''}
        >${text} (${count})</a
      >
    </li>`;
  const previous = engine.theme(theme.number - 1);
  const next = engine.theme(theme.number + 1);
  const heading = t(lang, 'site.theme.heading', { theme: theme.number });
  const body = html`${crumbs(lang, [{ label: t(lang, 'site.nav.home'), path: PATHS.home }, { label: heading }])}
    <h1>${themeHeading(lang, theme)}</h1>
    <p>${t(lang, 'theme.count', { count: all.length, theme: theme.number })}</p>
    <p class="ours">${t(lang, 'label.ours')}</p>
    <nav aria-label="${t(lang, 'site.theme.filter')}">
      <ul class="inline">
        ${filter(undefined, html`${t(lang, 'site.theme.all')}`, all.length)}${SITE_STATUSES.map((value) =>
          filter(value, badge(lang, value), counts[value]),
        )}
      </ul>
    </nav>
    <h2>
      ${status ? t(lang, 'site.theme.withStatus', { status: t(lang, `followup.status.${status}`) }) : t(lang, 'site.theme.list')}
    </h2>
    ${
      shown.length > 0
        ? html`<ul class="list">
            ${shown.map((rec) => recItem(view, rec))}
          </ul>`
        : html`<p>${t(lang, 'site.theme.noneWithStatus')}</p>`
    }
    <nav class="pn" aria-label="${t(lang, 'site.nav.themes')}">
      ${previous ? html`<a href="${href(PATHS.theme(previous.number), lang)}" rel="prev">← ${t(lang, 'site.theme.heading', { theme: previous.number })}</a>` : html`<span></span>`}${next ? html`<a href="${href(PATHS.theme(next.number), lang)}" rel="next">${t(lang, 'site.theme.heading', { theme: next.number })} →</a>` : ''}
    </nav>`;
  return {
    place: { path, params: { status } },
    title: t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) }),
    description: t(lang, 'theme.count', { count: all.length, theme: theme.number }),
    body,
  };
}
