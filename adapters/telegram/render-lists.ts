import type { InlineKeyboardButton } from 'grammy/types';
import { recLabel, themeName, themeTitle } from '../../src/content/localized.js';
import type { Lang, Recommendation, Reply, Theme } from '../../src/core/types.js';
import { t, tp } from '../../src/i18n/index.js';
import { resultsTitle } from '../../src/core/sentences.js';
import type { Action } from './callback-data.js';
import { button, escapeHtml, homeRow, type Keyboard, type Rendered } from './render.js';

/** Eight entries a page: fits a phone screen without scrolling past the page buttons. */
const PAGE_SIZE = 8;

function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Clamps a page from a button (possibly stale) into the list's range. */
export function clampPage(page: number, total: number): number {
  return Math.min(Math.max(0, page), pageCount(total) - 1);
}

export function pageOf(index: number): number {
  return Math.floor(index / PAGE_SIZE);
}

/** A list button's label fits one line of a small phone; longer labels (ours, never the report's text) are cut. */
export const LIST_LABEL_MAX = 35;

function fitLabel(label: string, max = LIST_LABEL_MAX): string {
  const chars = [...label];
  if (chars.length <= max) return label;
  const cut = chars.slice(0, max - 1).join('');
  // At a word boundary when one is near, so no word is left half-written.
  const space = cut.lastIndexOf(' ');
  return `${(space >= max - 12 ? cut.slice(0, space) : cut).replace(/(?<![\s,;:·-])[\s,;:·-]+$/u, '')}…`;
}

/** A list entry shows our short label: it is a button, never presented as the report's text. */
function entry(rec: Recommendation, lang: Lang): InlineKeyboardButton {
  return button(fitLabel(`${rec.id} · ${recLabel(rec, lang)}`), { kind: 'open', id: rec.id });
}

/** Entries of one page plus ◀ page/pages ▶; the middle button re-shows the page. */
function pagedKeyboard(
  lang: Lang,
  recs: Recommendation[],
  page: number,
  at: (page: number) => Action,
): Keyboard {
  const rows: Keyboard = recs
    .slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
    .map((rec) => [entry(rec, lang)]);
  const pages = pageCount(recs.length);
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (page > 0) nav.push(button('◀', at(page - 1)));
    nav.push(button(t(lang, 'tg.page', { page: page + 1, pages }), at(page)));
    if (page < pages - 1) nav.push(button('▶', at(page + 1)));
    rows.push(nav);
  }
  return rows;
}

export function renderThemes(lang: Lang, themes: Theme[], countOf: (theme: number) => number): Rendered {
  const lines = themes.map(
    (theme) => `${theme.number}. ${escapeHtml(themeTitle(theme, lang))} (${countOf(theme.number)})`,
  );
  return {
    text: `<b>${escapeHtml(t(lang, 'themes.title'))}</b>\n\n${lines.join('\n')}\n\n${escapeHtml(t(lang, 'tg.themesPrompt'))}`,
    keyboard: [
      ...themes.map((theme) => [
        button(`${theme.number}. ${themeName(theme, lang)}`, { kind: 'theme', theme: theme.number, page: 0 }),
      ]),
      homeRow(lang),
    ],
  };
}

export function renderThemePage(lang: Lang, theme: Theme, recs: Recommendation[], page: number): Rendered {
  const text = [
    `<b>${escapeHtml(t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) }))}</b>`,
    escapeHtml(t(lang, 'theme.count', { theme: theme.number, count: recs.length })),
    '',
    escapeHtml(t(lang, 'tg.themePrompt')),
    `<i>${escapeHtml(t(lang, 'label.ours'))}</i>`,
  ].join('\n');
  return {
    text,
    keyboard: [
      ...pagedKeyboard(lang, recs, page, (p) => ({ kind: 'theme', theme: theme.number, page: p })),
      [button(t(lang, 'tg.button.themes'), { kind: 'themes' }), ...homeRow(lang)],
    ],
  };
}

/**
 * The text of a result list holds what the search understood of the query (`echo`, never a word
 * it did not know); paging changes the buttons only, so the query is never stored.
 */
export function searchResultsText(
  lang: Lang,
  reply: Extract<Reply, { kind: 'searchResults' }>,
  count: number,
): string {
  const { suggestion } = reply;
  const title = resultsTitle(lang, reply);
  const lines = [`<b>${escapeHtml(title)}</b>`];
  if (suggestion) lines.push(escapeHtml(t(lang, 'search.didYouMean', { suggestion })));
  lines.push(escapeHtml(tp(lang, 'tg.resultsCount', count)), `<i>${escapeHtml(t(lang, 'label.ours'))}</i>`);
  return lines.join('\n');
}

export function searchResultsKeyboard(
  lang: Lang,
  recs: Recommendation[],
  token: string,
  page: number,
  theme?: Theme,
): Keyboard {
  // A topic word ("insécurité") names a whole theme: it is offered as the first row.
  const themeRow = theme
    ? [
        [
          button(t(lang, 'search.themeButton', { theme: theme.number, title: theme.short }), {
            kind: 'theme',
            theme: theme.number,
            page: 0,
          }),
        ],
      ]
    : [];
  return [
    ...themeRow,
    ...pagedKeyboard(lang, recs, page, (p) => ({ kind: 'searchPage', token, page: p })),
    [button(t(lang, 'tg.wrongAnswer'), { kind: 'wrong', token })],
    homeRow(lang),
  ];
}

export function renderNoResults(lang: Lang, reply: Extract<Reply, { kind: 'noResults' }>): Rendered {
  const lines = [escapeHtml(t(lang, 'search.none'))];
  if (reply.suggestion)
    lines.push(escapeHtml(t(lang, 'search.didYouMean', { suggestion: reply.suggestion })));
  lines.push(escapeHtml(t(lang, 'search.noneHint')));
  return {
    text: lines.join('\n'),
    keyboard: [
      ...reply.themes.map((theme) => [
        button(`${theme.number}. ${themeName(theme, lang)}`, { kind: 'theme', theme: theme.number, page: 0 }),
      ]),
      homeRow(lang),
    ],
  };
}

export function renderOutOfRange(lang: Lang, reply: Extract<Reply, { kind: 'outOfRange' }>): Rendered {
  const validTheme = reply.theme >= 1 && reply.theme <= reply.themeCount;
  if (reply.total !== undefined) {
    return {
      text: escapeHtml(t(lang, 'outOfRange.total', { count: reply.total, themeCount: reply.themeCount })),
      keyboard: [[button(t(lang, 'tg.button.themes'), { kind: 'themes' }), ...homeRow(lang)]],
    };
  }
  if (reply.suggestions && reply.suggestions.length > 0) {
    const ids = reply.suggestions;
    const or = ` ${t(lang, 'language.or')} `;
    const list = ids.length > 1 ? `${ids.slice(0, -1).join(', ')}${or}${ids[ids.length - 1]}` : ids[0]!;
    return {
      text: escapeHtml(t(lang, 'outOfRange.suggest', { ids: list })),
      keyboard: [
        ids.map((id) => button(id, { kind: 'open', id })),
        [button(t(lang, 'tg.button.themes'), { kind: 'themes' }), ...homeRow(lang)],
      ],
    };
  }
  const text =
    reply.number !== undefined && validTheme
      ? t(lang, 'outOfRange.recommendation', {
          id: `${reply.theme}.${reply.number}`,
          theme: reply.theme,
          count: reply.maxNumber ?? 0,
        })
      : t(lang, 'outOfRange.theme', { theme: reply.theme, themeCount: reply.themeCount });
  const rows: Keyboard = [];
  if (validTheme) {
    rows.push([
      button(t(lang, 'tg.button.theme', { theme: reply.theme }), {
        kind: 'theme',
        theme: reply.theme,
        page: 0,
      }),
    ]);
  }
  rows.push([button(t(lang, 'tg.button.themes'), { kind: 'themes' }), ...homeRow(lang)]);
  return { text: escapeHtml(text), keyboard: rows };
}
