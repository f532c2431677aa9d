import type { Context, SessionFlavor } from 'grammy';
import type { Engine, Lang } from '../../src/core/types.js';
import type { Analytics, Logger, Metrics, RateLimiter, SessionStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { FollowUpDeps } from '../../src/followup/turn.js';
import { isLang, langFromLocale } from '../../src/i18n/index.js';

/**
 * What the bot remembers of one person (keyed by the user, so a member's choice in a group is
 * theirs alone, and the same in their private chat). No message text: results are kept as ids.
 */
export interface SessionData {
  /** Set by the user's choice; absent means "follow Telegram's language". */
  lang?: Lang;
  /** Recent search result lists by short token, newest last, so list buttons can page them. */
  searches?: Array<{ token: string; ids: string[] }>;
}

export interface BotDeps {
  engine: Engine;
  store: SessionStore;
  logger: Logger;
  metrics: Metrics;
  /** The console's aggregates; nothing is counted when absent. */
  analytics?: Analytics;
  pseudonymize: Pseudonymizer;
  /** The per-person budget shared with USSD and SMS; absent means no limit (tests). */
  limiter?: RateLimiter;
  /**
   * The budget of taps that only read (open, page, step ◀ ▶, go back) and of inline queries (one
   * at every key): larger than `limiter`'s so a theme can be read to its end, still bounded.
   * Absent: those count on `limiter`.
   */
  readingLimiter?: RateLimiter;
  /** The voice line's number (VOICE_PHONE_NUMBER), told to who sends a voice note; absent: not told. */
  voicePhoneNumber?: string;
  /** SUIVI, ABONNE, DESABONNE (src/followup/turn.ts); absent: those words are searched. */
  followUp?: FollowUpDeps;
  /** The public site's base URL (PUBLIC_BASE_URL): a shared recommendation links its page. */
  publicPageBase?: string;
}

interface Extras {
  /** A child logger for this update: update_id and a pseudonym of the user, never the raw id. */
  log: Logger;
  deps: BotDeps;
}

export type BotContext = Context & SessionFlavor<SessionData> & Extras;

/**
 * The language for this update: the user's choice if any (still a supported language), else
 * Telegram's language when it is one of ours (catalog `locales`), else French. Per person, in a
 * group too: the session is the user's. Inline queries read no session (see `storedLang`).
 */
export function langOf(ctx: BotContext): Lang {
  if (ctx.chat && ctx.from) {
    const chosen = ctx.session.lang;
    if (isLang(chosen)) return chosen;
  }
  return langFromLocale(ctx.from?.language_code);
}

/**
 * Telegram chat ids are negative for groups; '-' becomes '0' so a group never shares a user's
 * pseudonym. A chat id is no phone number: hashed as given (`opaque`), never read as one.
 */
export function chatPseudonym(pseudonymize: Pseudonymizer, id: number): string {
  return (pseudonymize.opaque ?? pseudonymize)(String(id).replace('-', '0'));
}

/** The user behind an update, the same in every chat (their private chat's pseudonym): session, budgets, taps. */
export function userPseudonym(ctx: Pick<BotContext, 'from' | 'deps'>): string | undefined {
  return ctx.from ? chatPseudonym(ctx.deps.pseudonymize, ctx.from.id) : undefined;
}

export function isGroup(chat: { type: string } | undefined): boolean {
  return chat?.type === 'group' || chat?.type === 'supergroup';
}

/**
 * The person of a conversation: in a private chat the chat's pseudonym (the user's); in a group
 * the member in that group, so what was just said to Moussa is not what was said to Fanta. The
 * member id is "00", the chat's digits' length on two digits, the chat's digits, then the user's:
 * no user id (never a leading 0) nor group id ("0" then a non-zero digit) reads the same. Null
 * for inline queries (no chat): the person of an analytics event.
 */
export function personOf(ctx: BotContext): string | null {
  if (!ctx.chat) return null;
  const { pseudonymize } = ctx.deps;
  if (!isGroup(ctx.chat) || !ctx.from) return chatPseudonym(pseudonymize, ctx.chat.id);
  const chat = String(ctx.chat.id).replace('-', '');
  const member = `00${String(chat.length).padStart(2, '0')}${chat}${ctx.from.id}`;
  return (pseudonymize.opaque ?? pseudonymize)(member);
}
