import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import {
  Bot,
  type BotError,
  type Context,
  HttpError,
  type NextFunction,
  session,
  type Transformer,
} from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { langFromLocale, REFERENCE_LANG } from '../../src/i18n/index.js';
import { say } from '../../src/reply/index.js';
import {
  chatPseudonym,
  langOf,
  userPseudonym,
  type BotContext,
  type BotDeps,
  type SessionData,
} from './context.js';
import { aboutFeature } from './features/about.js';
import { inlineFeature } from './features/inline.js';
import { languageFeature } from './features/language.js';
import { recommendationFeature } from './features/recommendation.js';
import { feedbackFeature } from './features/feedback.js';
import { searchFeature } from './features/search.js';
import { startFeature } from './features/start.js';
import { themesFeature } from './features/themes.js';
import { fallbackFeature } from './features/text.js';
import { groupReplies, ownersOnly } from './groups.js';
import { editsAsNewText, handleOnce, tapOnce } from './once.js';
import { rateLimit } from './rate-limit.js';
import { describeError } from './reply.js';
import { sessionKey, storeSessionAdapter } from './session.js';

/** A network failure is retried twice, half a second apart: a blip passes, an outage fails fast. */
const NETWORK_RETRIES = 2;
const NETWORK_RETRY_DELAY_MS = 500;

export interface CreateBotOptions extends BotDeps {
  token: string;
  /** Another Bot API server (self-hosted, or a test server); no trailing slash. */
  apiRoot?: string;
  /** Set in tests (and webhook setups that know it) so no getMe call is needed. */
  botInfo?: UserFromGetMe;
}

export function createBot(options: CreateBotOptions): Bot<BotContext> {
  const { token, apiRoot, botInfo, ...deps } = options;
  const bot = new Bot<BotContext>(token, {
    ...(botInfo ? { botInfo } : {}),
    ...(apiRoot ? { client: { apiRoot } } : {}),
  });
  // Bounded: a message that waited minutes for Telegram is worse than an error in the log.
  // auto-retry retries network errors (HttpError) without any bound, whatever maxRetryAttempts
  // says: those are rethrown to our own bounded retry, installed outside it.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5, rethrowHttpErrors: true }));
  bot.api.config.use(retryNetworkErrors(NETWORK_RETRIES, NETWORK_RETRY_DELAY_MS));

  // One session per person (their language and lists), in a group too; none without a chat.
  const userKey = (ctx: Omit<BotContext, 'session'>) => {
    const user = ctx.chat ? userPseudonym(ctx) : undefined;
    return user ? sessionKey(user) : undefined;
  };
  // One chat's updates in order, and one person's (their session) across chats: the runner
  // processes updates concurrently otherwise.
  bot.use(sequentialize((ctx: Context) => [`c${ctx.chat?.id ?? ''}`, `u${ctx.from?.id ?? ''}`]));
  bot.use(contextExtras(deps));
  bot.use(handleOnce);
  bot.use(answerEveryCallback);
  bot.use(tapOnce);
  bot.use(editsAsNewText);
  // Before anything may answer (the budget's notice included): threads and button owners in groups.
  bot.use(groupReplies);
  if (deps.limiter) bot.use(rateLimit(deps.limiter, deps.readingLimiter));
  // Inside the boundary, a failure is logged and answered politely; it never reaches the
  // webhook as a 500 (Telegram would re-deliver) nor stops the runner.
  const guarded = bot.errorBoundary(onError);
  guarded.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      getSessionKey: userKey,
      storage: storeSessionAdapter<SessionData>(deps.store),
    }),
  );
  guarded.use(ownersOnly);
  guarded.use(startFeature(), themesFeature(), recommendationFeature(), searchFeature(), feedbackFeature());
  guarded.use(languageFeature(), aboutFeature(), inlineFeature(), fallbackFeature());
  bot.catch(onError);
  return bot;
}

function retryNetworkErrors(retries: number, delayMs: number): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || attempt >= retries || signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  };
}

/** A logger per update, keyed by update_id and a pseudonym of the user: never the raw id, never the text. */
function contextExtras(deps: BotDeps) {
  return async (ctx: BotContext, next: NextFunction) => {
    ctx.deps = deps;
    const user = ctx.from ? chatPseudonym(deps.pseudonymize, ctx.from.id) : undefined;
    ctx.log = deps.logger.child({ channel: 'telegram', update_id: ctx.update.update_id, user });
    const started = Date.now();
    await next();
    ctx.log.debug({ kind: updateKind(ctx), ms: Date.now() - started }, 'telegram update handled');
  };
}

function updateKind(ctx: Context): string {
  return Object.keys(ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
}

/**
 * Clients show a spinner until a callback query is answered. Whatever the handlers did (or
 * failed to do), the tap is answered once: a per-update transformer notes whether it was.
 */
async function answerEveryCallback(ctx: BotContext, next: NextFunction): Promise<void> {
  if (!ctx.callbackQuery) return next();
  let answered = false;
  ctx.api.config.use((prev, method, payload, signal) => {
    if (method === 'answerCallbackQuery') answered = true;
    return prev(method, payload, signal);
  });
  try {
    await next();
  } finally {
    if (!answered) {
      await ctx.answerCallbackQuery().catch((error: unknown) => {
        ctx.log.warn({ err: describeError(error) }, 'telegram: could not answer a callback query');
      });
    }
  }
}

/** Logged without the message; the user gets a polite sentence where there is a chat to write to. */
async function onError(error: BotError<BotContext>): Promise<void> {
  const ctx = error.ctx;
  const log = ctx.log ?? ctx.deps?.logger;
  log?.error({ err: describeError(error.error), kind: updateKind(ctx) }, 'telegram: update failed');
  if (!ctx.chat || ctx.inlineQuery) return;
  try {
    const lang = ctx.deps ? langOfSafe(ctx) : REFERENCE_LANG;
    await ctx.reply(say.error(lang));
  } catch {
    // Telegram itself may be what failed; the log above is all we can do.
  }
}

/** The session may be what failed: fall back to Telegram's language. */
function langOfSafe(ctx: BotContext) {
  try {
    return langOf(ctx);
  } catch {
    return langFromLocale(ctx.from?.language_code);
  }
}
