import { recLabel, themeName } from '../content/localized.js';
import type { Engine, Lang, Recommendation, Reply, SmallTalk, Theme } from '../core/types.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { Action, Entry, Line, Step, Surface } from './types.js';

/** Pieces every plan uses: lines, actions, entries, the "what next" line of each surface. */

export const line = (text: string, tone?: Line['tone']): Line => (tone ? { text, tone } : { text });
export const optional = (text: string, tone?: Line['tone']): Line => ({
  ...line(text, tone),
  optional: true,
});
/** A line that starts a paragraph. */
export const para = (text: string, tone?: Line['tone']): Line => ({ ...line(text, tone), break: true });

export const action = (
  lang: Lang,
  key: MessageKey,
  step: Step,
  params?: Record<string, string | number>,
): Action => ({ label: t(lang, key, params), step });

/** The way back to the menu, which every chat screen offers. */
export const homeAction = (lang: Lang): Action => action(lang, 'button.home', { to: 'home' });

/** The buttons most screens end with: the themes and the menu. */
export const themesAndHome = (lang: Lang): Action[] => [
  action(lang, 'button.themes', { to: 'themes' }),
  homeAction(lang),
];

/**
 * What to do next, said once for each surface: where people type, the words to send; where
 * they tap, "choose below" (the buttons are there).
 */
export const nextStep = (lang: Lang, surface: Surface): Line =>
  line(t(lang, surface.input === 'typed' ? 'hint.typed' : 'menu.prompt'));

export const recEntry = (rec: Recommendation, lang: Lang): Entry => ({
  kind: 'rec',
  id: rec.id,
  label: recLabel(rec, lang),
  step: { to: 'rec', id: rec.id },
});

export const themeEntry = (theme: Theme, lang: Lang, engine: Engine): Extract<Entry, { kind: 'theme' }> => ({
  kind: 'theme',
  theme: theme.number,
  label: themeName(theme, lang),
  title: theme.title,
  count: engine.recommendationsOf(theme.number).length,
  detail: t(lang, 'theme.count', {
    theme: theme.number,
    count: engine.recommendationsOf(theme.number).length,
  }),
  step: { to: 'theme', theme: theme.number },
});

/** "1.10, 2.10 ou 3.10": ids joined in the language's own words. */
export function orList(ids: string[], lang: Lang): string {
  if (ids.length <= 1) return ids[0] ?? '';
  return `${ids.slice(0, -1).join(', ')} ${t(lang, 'language.or')} ${ids.at(-1)}`;
}

/**
 * What the search understood, shortened where every character is paid for (an SMS): the echo
 * must not cost a segment.
 */
export const QUERY_ECHO_MAX = 30;
export function shortEcho(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > QUERY_ECHO_MAX ? `${oneLine.slice(0, QUERY_ECHO_MAX - 3)}...` : oneLine;
}

/**
 * The one sentence each kind of small talk gets (the parser tells which: src/core/intents.ts,
 * from the catalogs' `greeting`, `thanks` and `ack` words): a greeting is greeted, thanks are
 * welcomed, an "ok" or 👍 is acknowledged.
 */
export const SMALL_TALK_REPLY: Readonly<Record<SmallTalk, MessageKey>> = {
  greeting: 'smallTalk.greeting',
  thanks: 'smallTalk.reply',
  ack: 'smallTalk.ack',
};

/**
 * A result list's title: "Résultats pour « eau potable »" with the words the search understood
 * (never a word it did not know), or without any when it understood none as typed.
 */
export function resultsTitle(
  lang: Lang,
  reply: Extract<Reply, { kind: 'searchResults' }>,
  shorten: (echo: string) => string = (echo) => echo,
): string {
  if (reply.echo === '') return t(lang, reply.close ? 'search.closeTitleBare' : 'search.resultsTitleBare');
  return t(lang, reply.close ? 'search.closeTitle' : 'search.resultsTitle', { query: shorten(reply.echo) });
}
