import type { InlineKeyboardButton } from 'grammy/types';
import { recLabel, themeName, themeTitle } from '../../src/content/localized.js';
import type { Lang, Recommendation, Reply, Theme } from '../../src/core/types.js';
import { t } from '../../src/i18n/index.js';
import type { Action } from './callback-data.js';
import { button, escapeHtml, homeRow, type Keyboard, type Rendered } from './render.js';

/** Eight entries a page: fits a phone screen without scrolling past the page buttons. */
export const PAGE_SIZE = 8;

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Clamps a page from a button (possibly stale) into the list's range. */
export function clampPage(page: number, total: number): number {
  return Math.min(Math.max(0, page), pageCount(total) - 1);
}

export function pageOf(index: number): number {
  return Math.floor(index / PAGE_SIZE);
}

/** A list entry shows our short label: it is a button, never presented as the report's text. */
function entry(rec: Recommendation, lang: Lang): InlineKeyboardButton {
  return button(`${rec.id} · ${recLabel(rec, lang)}`, { kind: 'open', id: rec.id });
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

/** The text of a result list holds the query; paging changes the buttons only, so the query is never stored. */
export function searchResultsText(lang: Lang, query: string, count: number, suggestion?: string): string {
  const lines = [`<b>${escapeHtml(t(lang, 'search.resultsTitle', { query }))}</b>`];
  if (suggestion) lines.push(escapeHtml(t(lang, 'search.didYouMean', { suggestion })));
  lines.push(
    escapeHtml(t(lang, 'tg.resultsCount', { count })),
    `<i>${escapeHtml(t(lang, 'label.ours'))}</i>`,
  );
  return lines.join('\n');
}

export function searchResultsKeyboard(
  lang: Lang,
  recs: Recommendation[],
  token: string,
  page: number,
): Keyboard {
  return [...pagedKeyboard(lang, recs, page, (p) => ({ kind: 'searchPage', token, page: p })), homeRow(lang)];
}

export function renderNoResults(lang: Lang, reply: Extract<Reply, { kind: 'noResults' }>): Rendered {
  const lines = [escapeHtml(t(lang, 'search.none', { query: reply.query }))];
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
