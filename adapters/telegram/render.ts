import type { InlineKeyboardButton } from 'grammy/types';
import { recSummary, themeTitle } from '../../src/content/localized.js';
import type { Repeat } from '../../src/content/repeats.js';
import type { FollowUpVersion } from '../../src/followup/model.js';
import { followUpShortLine } from '../../src/followup/reply.js';
import { splitAtBoundaries } from '../../src/text/split.js';
import type { About, Lang, Recommendation, Theme } from '../../src/core/types.js';
import { dateLocaleOf, languageChoices, languageMenu, localized, t } from '../../src/i18n/index.js';
import { encode, type Action } from './callback-data.js';

/** Telegram refuses longer messages; we measure the HTML source, which is never shorter than what is shown. */
export const MESSAGE_MAX = 4096;

export type Keyboard = InlineKeyboardButton[][];

export interface Rendered {
  /** HTML (parse_mode HTML). Every piece of text that is not ours is escaped. */
  text: string;
  keyboard?: Keyboard;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A callback button; encode() throws on data Telegram would refuse. */
export function button(text: string, action: Action): InlineKeyboardButton {
  return { text, callback_data: encode(action) };
}

/**
 * Cuts a message into parts of at most `max` characters, at paragraph boundaries first, then
 * at line boundaries, then between words. Our tags never span lines, so a part never opens a
 * tag it does not close.
 */
export function splitMessage(html: string, max = MESSAGE_MAX): string[] {
  return splitAtBoundaries(html, max, entitySafeCut);
}

/** A "word" longer than a message is cut, never inside an HTML entity such as &amp;. */
function entitySafeCut(rest: string, max: number): number {
  const amp = rest.lastIndexOf('&', max - 1);
  return amp > 0 && rest.indexOf(';', amp) >= max ? amp : max;
}

function mainMenu(lang: Lang): Keyboard {
  return [
    [
      button(t(lang, 'tg.button.themes'), { kind: 'themes' }),
      button(t(lang, 'tg.button.search'), { kind: 'prompt', what: 'search' }),
    ],
    [
      button(t(lang, 'tg.button.byNumber'), { kind: 'prompt', what: 'number' }),
      button(t(lang, 'tg.button.about'), { kind: 'about' }),
    ],
    [button(t(lang, 'tg.button.language'), { kind: 'chooseLanguage' })],
  ];
}

export function homeRow(lang: Lang): InlineKeyboardButton[] {
  return [button(t(lang, 'tg.button.home'), { kind: 'home' })];
}

/** The menu; the greeting (first contact) already says what the title says, so it replaces it. */
export function renderHome(lang: Lang, greet: boolean, notice?: string): Rendered {
  const lines = [`<b>${escapeHtml(t(lang, 'app.name'))}</b>`];
  if (notice) lines.push(escapeHtml(notice));
  lines.push(
    escapeHtml(t(lang, greet ? 'tg.greeting' : 'home.title')),
    '',
    escapeHtml(t(lang, 'tg.menuPrompt')),
  );
  return { text: lines.join('\n'), keyboard: mainMenu(lang) };
}

export function renderHelp(lang: Lang, botUsername: string): Rendered {
  return {
    text: `<b>${escapeHtml(t(lang, 'help.title'))}</b>\n${escapeHtml(t(lang, 'tg.help', { bot: botUsername }))}`,
    keyboard: mainMenu(lang),
  };
}

export function renderPrompt(lang: Lang, what: 'search' | 'number'): Rendered {
  return {
    text: escapeHtml(t(lang, what === 'search' ? 'tg.searchPrompt' : 'tg.numberPrompt')),
    keyboard: [homeRow(lang)],
  };
}

export function renderNotice(lang: Lang, text: string): Rendered {
  return { text: escapeHtml(text), keyboard: [homeRow(lang)] };
}

export function renderLanguageChooser(lang: Lang): Rendered {
  return {
    text: escapeHtml(t(lang, 'language.choose', { choices: languageChoices(lang) })),
    // One row of the languages' own names, from the one list (content/i18n).
    keyboard: [
      languageMenu().map((entry) => button(entry.label, { kind: 'setLanguage', lang: entry.code })),
      homeRow(lang),
    ],
  };
}

export function deepLink(botUsername: string, id: string): string {
  return `https://t.me/${botUsername}?start=r${id.replace('.', '_')}`;
}

export interface RecommendationContext {
  theme: Theme;
  previous?: Recommendation;
  next?: Recommendation;
  /** The page of the theme list that holds this recommendation, for the "back" button. */
  themePage: number;
  /** Where the report repeats this text (4.11 = 4.57): said under it, in our words. */
  repeats?: Repeat[];
  /** The follow-up an editor published (status, date, source), shown under the text. */
  followUp?: FollowUpVersion;
}

/**
 * Our summary (Bambara), marked as ours, when the language has one and the report's text was
 * not asked for; else undefined.
 */
function summaryText(lang: Lang, rec: Recommendation, theme: Theme): string | undefined {
  const summary = recSummary(rec, lang);
  if (!summary) return undefined;
  return [
    `<b>${escapeHtml(t(lang, 'summary.title', { id: rec.id }))}</b>\n<i>${escapeHtml(
      t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) }),
    )}</i>`,
    escapeHtml(summary),
    `<i>${escapeHtml(t(lang, 'summary.ours'))}</i>`,
  ].join('\n\n');
}

/** The report's words verbatim (escaped) in the body; our words only in the header and the source line. */
export function recommendationText(lang: Lang, rec: Recommendation, theme: Theme): string {
  const body = [escapeHtml(rec.text), ...(rec.items ?? []).map((item) => `• ${escapeHtml(item)}`)].join('\n');
  return [
    `<b>${escapeHtml(t(lang, 'recommendation.title', { id: rec.id }))}</b>\n<i>${escapeHtml(
      t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) }),
    )}</i>`,
    body,
    `<i>${escapeHtml(t(lang, 'recommendation.source'))}</i>`,
  ].join('\n\n');
}

export function renderRecommendation(
  lang: Lang,
  rec: Recommendation,
  where: RecommendationContext,
  reportText = false,
): Rendered {
  const summary = reportText ? undefined : summaryText(lang, rec, where.theme);
  const nav: InlineKeyboardButton[] = [];
  if (where.previous) nav.push(button(`◀ ${where.previous.id}`, { kind: 'show', id: where.previous.id }));
  if (where.next) nav.push(button(`${where.next.id} ▶`, { kind: 'show', id: where.next.id }));
  const keyboard: Keyboard = [
    // Where a summary is shown, the report's own text is one tap away.
    ...(summary ? [[button(t(lang, 'tg.button.reportText'), { kind: 'reportText', id: rec.id })]] : []),
    [
      button(t(lang, 'tg.feedback.useful'), { kind: 'feedback', id: rec.id, value: 1 }),
      button(t(lang, 'tg.feedback.unclear'), { kind: 'feedback', id: rec.id, value: 2 }),
    ],
    ...(nav.length > 0 ? [nav] : []),
    [
      button(t(lang, 'tg.button.theme', { theme: where.theme.number }), {
        kind: 'theme',
        theme: where.theme.number,
        page: where.themePage,
      }),
      { text: t(lang, 'tg.button.share'), switch_inline_query: rec.id },
    ],
    homeRow(lang),
  ];
  const repeats = (where.repeats ?? []).map(
    (repeat) => `<i>${escapeHtml(t(lang, `repeat.${repeat.kind}`, { id: repeat.id }))}</i>`,
  );
  // An editor's follow-up (ours, with its source), after the report's words and apart from them.
  const followUp = where.followUp ? [`<i>${escapeHtml(followUpShortLine(where.followUp, lang))}</i>`] : [];
  return {
    text: [summary ?? recommendationText(lang, rec, where.theme), ...repeats, ...followUp].join('\n\n'),
    keyboard,
  };
}

export function renderAbout(lang: Lang, about: About): Rendered {
  const date = new Intl.DateTimeFormat(dateLocaleOf(lang), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${about.reportDate}T00:00:00Z`));
  const summary = localized(about.summary, lang);
  const text = [
    `<b>${escapeHtml(t(lang, 'about.title'))}</b>`,
    escapeHtml(summary),
    // The summary may already end on the report's date and place: said once.
    ...(summary.includes(date)
      ? []
      : [escapeHtml(t(lang, 'tg.about.report', { date, place: about.reportPlace }))]),
    `<i>${escapeHtml(t(lang, 'about.ours'))}</i>`,
  ].join('\n\n');
  return { text, keyboard: [[button(t(lang, 'tg.button.themes'), { kind: 'themes' })], homeRow(lang)] };
}
