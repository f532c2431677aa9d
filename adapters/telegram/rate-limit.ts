import type { NextFunction } from 'grammy';
import { isLang, langFromLocale } from '../../src/i18n/index.js';
import type { Lang } from '../../src/core/types.js';
import { say } from '../../src/reply/index.js';
import type { RateLimiter } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import { chatPseudonym, type BotContext, type SessionData } from './context.js';
import { sessionKey } from './session.js';
import { describeError } from './reply.js';
import { decode, type Action } from './callback-data.js';

/**
 * The per-person budget (RATE_LIMIT_PER_MINUTE) shared with USSD and SMS. Over budget, a tap is
 * answered with the notice, an inline query with nothing, and a chat is told once per window
 * (a mark with the window's TTL), so a flood is not answered message for message. If the
 * limiter fails the update is served: the limiter already falls back to memory.
 */
export function rateLimit(limiter: RateLimiter, readingLimiter?: RateLimiter) {
  return async (ctx: BotContext, next: NextFunction): Promise<void> => {
    if (!ctx.from) return next();
    const { store, metrics, pseudonymize } = ctx.deps;
    const who = chatPseudonym(pseudonymize, ctx.from.id);
    // Reading a theme with ▶ is one tap a recommendation, and inline mode asks at every key:
    // those only read, and have their own, larger budget.
    const reading = readingLimiter !== undefined && (isReadingTap(ctx) || ctx.inlineQuery !== undefined);
    let decision;
    try {
      decision = reading
        ? await readingLimiter.hit(storeKeys.readingBudget(who))
        : await limiter.hit(storeKeys.personBudget('tg', who));
    } catch (error) {
      ctx.log.warn({ err: describeError(error) }, 'telegram: rate limiter unavailable');
      return next();
    }
    if (decision.allowed) return next();
    metrics.rateLimited('telegram');
    ctx.log.info({ retryAfterMs: decision.retryAfterMs }, 'telegram: over the per-person budget');
    const lang = await chosenLang(ctx);
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: say.rateLimited(lang) });
      return;
    }
    if (ctx.inlineQuery) {
      await ctx.answerInlineQuery([], { cache_time: 5 });
      return;
    }
    if (!ctx.chat) return;
    const ttl = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    const firstRefusal = await store
      .setIfAbsent(storeKeys.limitedNotice('tg', who), 1, ttl)
      .catch(() => false);
    if (firstRefusal) await ctx.reply(say.rateLimited(lang));
  };
}

/**
 * The language the chat chose (its session, read here since the session middleware runs after
 * the budget), else Telegram's: the refusal is said in the language the replies are in.
 */
async function chosenLang(ctx: BotContext): Promise<Lang> {
  const fallback = langFromLocale(ctx.from?.language_code);
  if (!ctx.chat || ctx.inlineQuery) return fallback;
  try {
    const key = sessionKey(chatPseudonym(ctx.deps.pseudonymize, ctx.chat.id));
    const session = await ctx.deps.store.get<SessionData>(key);
    return isLang(session?.lang) ? session.lang : fallback;
  } catch {
    return fallback;
  }
}

/** Taps that only open or page what is already there; a language change or a search is not one. */
const READING: ReadonlySet<Action['kind']> = new Set<Action['kind']>([
  'home',
  'themes',
  'theme',
  'open',
  'show',
  'step',
  'searchPage',
  'about',
  'chooseLanguage',
  'prompt',
]);

function isReadingTap(ctx: BotContext): boolean {
  const action = decode(ctx.callbackQuery?.data);
  return action !== undefined && READING.has(action.kind);
}
