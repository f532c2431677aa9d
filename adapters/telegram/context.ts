import type { Context, SessionFlavor } from 'grammy';
import type { Engine, Lang } from '../../src/core/types.js';
import type { Analytics, Logger, Metrics, RateLimiter, SessionStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { FollowUpDeps } from '../../src/followup/turn.js';
import { isLang, langFromLocale } from '../../src/i18n/index.js';

/** What the bot remembers of one chat. No message text: search results are kept as ids. */
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
   * The budget of taps that only read (open, page, step ◀ ▶, go back): larger than `limiter`'s
   * so a theme can be read to its end, still bounded. Absent: those taps count on `limiter`.
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
 * Telegram's language when it is one of ours (catalog `locales`), else French. Inline queries have no chat and so no session: Telegram's language only.
 */
export function langOf(ctx: BotContext): Lang {
  if (ctx.chat) {
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

/** The chat's pseudonym, or null (inline queries have no chat): the person of an analytics event. */
export function personOf(ctx: BotContext): string | null {
  return ctx.chat ? chatPseudonym(ctx.deps.pseudonymize, ctx.chat.id) : null;
}
