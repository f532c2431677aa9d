import { t, type MessageKey } from '../i18n/index.js';
import type { Lang, Reply, SmallTalk } from './types.js';

/**
 * Sentences every text channel words the same way from an engine reply (the channels lay them
 * out: src/conversation's renderers for SMS, Telegram, WhatsApp).
 */

/**
 * The one sentence each kind of small talk gets (the parser tells which: src/core/intents.ts,
 * from the catalogs' `greeting`, `thanks` and `ack` words): a greeting is greeted, thanks are
 * welcomed, an "ok" or 👍 is acknowledged; each says what to send next.
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
