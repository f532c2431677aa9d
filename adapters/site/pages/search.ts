import type { Reply } from '../../../src/core/types.js';
import { t } from '../../../src/i18n/index.js';
import { html, type Html } from '../html.js';
import type { PageContent } from '../layout.js';
import { PATHS, href } from '../links.js';
import { recItem, searchForm, themeHeading, type View } from '../view.js';

/** A search answer: the engine's reply for the words, rendered; or where the words lead. */
export type SearchOutcome = { kind: 'page'; page: PageContent } | { kind: 'redirect'; path: string };

/**
 * The search page asks the engine exactly as the channels do (`parse`, then `respond`): a
 * number opens its recommendation, a theme its page, and words get the engine's verdict (one
 * clear answer, a list, close results, a correction, "not in the report"). Works as a plain
 * GET form: no script.
 */
export function searchPage(view: View, rawQuery: string): SearchOutcome {
  const { lang, engine } = view;
  const query = rawQuery.trim();
  if (query === '') return { kind: 'page', page: page(view, '', html``) };
  const intent = engine.parse(query);
  if (intent.kind === 'recommendation' || intent.kind === 'theme') {
    const reply = engine.respond(intent);
    if (reply.kind === 'recommendation')
      return { kind: 'redirect', path: href(PATHS.recommendation(reply.recommendation.id), lang) };
    if (reply.kind === 'theme')
      return { kind: 'redirect', path: href(PATHS.theme(reply.theme.number), lang) };
    if (reply.kind === 'outOfRange')
      return { kind: 'page', page: page(view, query, outOfRange(view, reply)) };
  }
  const reply = engine.respond({ kind: 'search', query });
  return { kind: 'page', page: page(view, query, answer(view, query, reply)) };
}

function answer(view: View, query: string, reply: Reply): Html {
  const { lang, engine } = view;
  const again = (words: string) => href(PATHS.search, lang, { q: words });
  switch (reply.kind) {
    case 'recommendation':
      return html`<h2>${t(lang, 'site.search.single', { query })}</h2>
        <ul class="list">
          ${recItem(view, reply.recommendation)}
        </ul>`;
    case 'searchResults':
      return html`<h2>${t(lang, reply.close ? 'search.closeTitle' : 'search.resultsTitle', { query })}</h2>
        ${reply.suggestion ? html`<p><a href="${again(reply.suggestion)}">${t(lang, 'search.didYouMean', { suggestion: reply.suggestion })}</a></p>` : ''}
        ${reply.theme ? html`<p><a href="${href(PATHS.theme(reply.theme.number), lang)}">${themeHeading(lang, reply.theme)}</a></p>` : ''}
        <ul class="list">
          ${reply.hits.map((hit) => recItem(view, hit.recommendation))}
        </ul>`;
    case 'noResults':
      return html`<h2>${t(lang, 'search.none', { query })}</h2>
        ${reply.suggestion ? html`<p><a href="${again(reply.suggestion)}">${t(lang, 'search.didYouMean', { suggestion: reply.suggestion })}</a></p>` : ''}
        <p>${t(lang, 'search.noneHint')}</p>
        ${themeLinks(view)}`;
    case 'notInReport':
      return html`<h2>${t(lang, 'site.search.notInReport', { query })}</h2>
        <p>${t(lang, 'search.noneHint')}</p>
        ${themeLinks(view)}`;
    default:
      // Small talk and the like: the engine says nothing to search; the page says what to type.
      return html`<p>${t(lang, 'home.prompt')}</p>
        ${themeLinks(view)}`;
  }
  function themeLinks(v: View): Html {
    return html`<ul>
      ${engine.corpus.themes.map((theme) => html`<li><a href="${href(PATHS.theme(theme.number), v.lang)}">${themeHeading(v.lang, theme)}</a></li>`)}
    </ul>`;
  }
}

function outOfRange(view: View, reply: Extract<Reply, { kind: 'outOfRange' }>): Html {
  const { lang } = view;
  const text =
    reply.maxNumber !== undefined
      ? t(lang, 'site.search.noSuchNumber', { theme: reply.theme, max: reply.maxNumber })
      : t(lang, 'site.search.noSuchTheme', { count: reply.themeCount });
  const suggestions = (reply.suggestions ?? [])
    .map((id) => view.engine.recommendation(id))
    .filter((rec) => rec !== undefined);
  return html`<h2>${text}</h2>
    ${
      suggestions.length > 0
        ? html`<p>${t(lang, 'site.search.perhaps')}</p>
            <ul class="list">
              ${suggestions.map((rec) => recItem(view, rec))}
            </ul>`
        : ''
    }`;
}

function page(view: View, query: string, results: Html): PageContent {
  const { lang } = view;
  return {
    place: { path: PATHS.search, params: { q: query || undefined } },
    title: query ? t(lang, 'site.search.titleFor', { query }) : t(lang, 'site.search.title'),
    description: t(lang, 'home.prompt'),
    body: html`<h1>${t(lang, 'site.search.title')}</h1>
      <p>${t(lang, 'site.search.intro')}</p>
      ${searchForm(lang, query)}${results}`,
    transient: true,
    section: 'search',
  };
}
