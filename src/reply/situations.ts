import type { Lang } from '../core/types.js';
import { t } from '../i18n/index.js';
import type { ReplyPlan } from './types.js';
import { action, line, themesAndHome } from './words.js';

/**
 * What the chat channels say about what they cannot read or no longer know (a voice note, a
 * photo, an old button), the prompts behind the menu's buttons, and the short confirmations a
 * tap gets. Worded here once; each channel decides only when the situation arises.
 */

export type Unsupported = 'voice' | 'media' | 'sticker' | 'location' | 'other';

const home = (lang: Lang) => [action(lang, 'button.home', { to: 'home' })];

/** A message that is not text. Voice notes get the voice line's number when there is one. */
export function unsupportedPlan(what: Unsupported, lang: Lang, voiceNumber?: string): ReplyPlan {
  const said = t(lang, `unsupported.${what}`);
  // One line: what the bot reads, and where a voice line answers, its number.
  const text =
    what === 'voice' && voiceNumber
      ? `${said} ${t(lang, 'unsupported.call', { number: voiceNumber })}`
      : said;
  // One short line: a chat that draws a way home adds its own (Telegram), WhatsApp sends it as text.
  return { kind: 'unsupported', lines: [line(text)], actions: [] };
}

/** A button from an older message that leads nowhere now. */
export function expiredPlan(lang: Lang): ReplyPlan {
  return { kind: 'expired', lines: [line(t(lang, 'button.expired'))], actions: themesAndHome(lang) };
}

/** What the search and number buttons ask for. */
export function promptPlan(what: 'search' | 'number', lang: Lang): ReplyPlan {
  return {
    kind: 'prompt',
    lines: [line(t(lang, what === 'search' ? 'prompt.search' : 'prompt.number'))],
    actions: home(lang),
  };
}

/** A slash command typed without what it needs (/reco eau, /theme 9). */
export function usagePlan(command: 'reco' | 'theme', lang: Lang, themeCount: number): ReplyPlan {
  const text =
    command === 'reco' ? t(lang, 'command.usage.reco') : t(lang, 'command.usage.theme', { themeCount });
  return { kind: 'help', lines: [line(text)], actions: home(lang) };
}

/** After the last of the 300: nothing follows. */
export function lastPlan(lang: Lang): ReplyPlan {
  return { kind: 'navigation', lines: [line(t(lang, 'nav.last'))], actions: themesAndHome(lang) };
}

/** A message too long to be read (a forwarded text). */
export function tooLongPlan(lang: Lang): ReplyPlan {
  return { kind: 'tooLong', lines: [line(t(lang, 'message.tooLong'))], actions: [] };
}

/** Short sentences a tap or a refusal gets (a toast, a one-line answer). */
export const say = {
  rateLimited: (lang: Lang): string => t(lang, 'error.rateLimited'),
  error: (lang: Lang): string => t(lang, 'error.generic'),
  buttonExpired: (lang: Lang): string => t(lang, 'button.expired'),
  listExpired: (lang: Lang): string => t(lang, 'list.expired'),
  feedbackThanks: (lang: Lang, id: string): string => t(lang, 'feedback.thanks', { id }),
  wrongThanks: (lang: Lang): string => t(lang, 'wrong.thanks'),
  /** A tap on buttons another member of a group asked for. */
  notYours: (lang: Lang, bot: string): string => t(lang, 'tg.notYours', { bot }),
};
