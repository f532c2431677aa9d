import { run, type RunnerHandle } from '@grammyjs/runner';
import express, { type RequestHandler, type Router } from 'express';
import { type Bot, webhookCallback } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/ports/index.js';
import { secretEquals } from '../gateway/security.js';
import { createBot } from './bot.js';
import { registerCommands } from './commands.js';
import type { BotContext, BotDeps } from './context.js';
import { describeError } from './reply.js';

/** What Telegram sends the bot: an edited message is answered as new text (once.ts). */
const UPDATES = ['message', 'edited_message', 'callback_query', 'inline_query'] as const;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramChannel {
  bot: Bot<BotContext>;
  mode: 'polling' | 'webhook';
  /** The webhook route (webhook mode), for the service's express app. */
  routes: Array<{ path: string; router: Router }>;
  /** Polling: starts the runner. Webhook: registers the webhook. Both register the commands (best effort). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

type TelegramConfig = Pick<
  Config,
  | 'TELEGRAM_BOT_TOKEN'
  | 'TELEGRAM_WEBHOOK_URL'
  | 'TELEGRAM_WEBHOOK_SECRET'
  | 'TELEGRAM_API_ROOT'
  | 'REQUEST_TIMEOUT_MS'
  | 'production'
>;

/** undefined when TELEGRAM_BOT_TOKEN is unset: the channel is off and the rest of the service runs. */
export function createTelegramChannel(
  config: TelegramConfig,
  deps: BotDeps,
  options: { botInfo?: UserFromGetMe } = {},
): TelegramChannel | undefined {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return undefined;
  const log = deps.logger.child({ channel: 'telegram' });
  const bot = createBot({
    ...deps,
    token,
    apiRoot: config.TELEGRAM_API_ROOT?.replace(/(?<!\/)\/+$/, ''),
    ...options,
  });
  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;

  if (webhookUrl) {
    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    if (!secret) throw new Error('TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET');
    const path = webhookPathOf(webhookUrl);
    return {
      bot,
      mode: 'webhook',
      routes: [{ path, router: webhookRouter(bot, secret, config.REQUEST_TIMEOUT_MS) }],
      start: async () => {
        try {
          await bot.init();
          await bot.api.setWebhook(webhookUrl, { secret_token: secret, allowed_updates: UPDATES });
          log.info({ path }, 'telegram: webhook registered');
        } catch (error) {
          // Not fatal: Telegram may keep an earlier registration, and updates that do arrive are served.
          log.error({ err: describeError(error) }, 'telegram: could not register the webhook');
        }
        await registerCommands(bot.api, log);
      },
      stop: async () => {},
    };
  }

  return pollingChannel(bot, log);
}

/**
 * Long polling with grammY's runner (one chat's updates in order: `sequentialize` in the bot).
 * Telegram may be unreachable when the process starts, or for hours later: getMe is retried in
 * the background (by grammY), and getUpdates keeps retrying with slowly growing waits until
 * stop(): the runner's defaults would double the wait without bound and give up after 15 h.
 */
function pollingChannel(bot: Bot<BotContext>, log: Logger): TelegramChannel {
  let runner: RunnerHandle | undefined;
  const stopping = new AbortController();
  // The runner prints fetch errors raw to stderr (with the URL, hence the token): it is kept
  // silent and failures are logged here, at most one line every 30 s.
  let lastLogged = 0;
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      const polling = method === 'getUpdates' || method === 'getMe';
      if (polling && !stopping.signal.aborted && Date.now() - lastLogged > 30_000) {
        lastLogged = Date.now();
        log.warn({ err: describeError(error), method }, 'telegram: Telegram unreachable, retrying');
      }
      throw error;
    }
  });
  const poll = async () => {
    try {
      // grammY retries getMe itself on network errors and 5xx (backoff capped at 20 min).
      await bot.init(stopping.signal as Parameters<typeof bot.init>[0]);
    } catch (error) {
      if (!stopping.signal.aborted)
        log.error({ err: describeError(error) }, 'telegram: cannot start (getMe)');
      return;
    }
    // getUpdates is refused while a webhook is set (say, left by a previous deployment).
    await bot.api.deleteWebhook().catch((error: unknown) => {
      log.warn({ err: describeError(error) }, 'telegram: could not delete a webhook before polling');
    });
    if (stopping.signal.aborted) return;
    runner = run(bot, {
      runner: {
        fetch: { allowed_updates: UPDATES },
        retryInterval: 'quadratic',
        maxRetryTime: Number.POSITIVE_INFINITY,
        silent: true,
      },
    });
    void runner.task()?.catch((error: unknown) => {
      log.error({ err: describeError(error) }, 'telegram: polling stopped');
    });
    log.info({}, 'telegram: long polling started');
    await registerCommands(bot.api, log);
  };
  return {
    bot,
    mode: 'polling',
    routes: [],
    start: async () => {
      void poll().catch((error: unknown) =>
        log.error({ err: describeError(error) }, 'telegram: polling failed'),
      );
    },
    stop: async () => {
      stopping.abort();
      if (runner?.isRunning()) await runner.stop();
    },
  };
}

/** https://host/tg/abc → /tg/abc. The root would swallow every other route, so it is refused. */
function webhookPathOf(url: string): string {
  const path = new URL(url).pathname.replace(/(?<!\/)\/+$/, '');
  if (!path) throw new Error('TELEGRAM_WEBHOOK_URL needs a path (https://host/tg/<something>)');
  return path;
}

/**
 * POST only, secret checked before the body is even parsed (grammY checks it again), then a
 * shape check so a malformed body is a 400 and never reaches the bot.
 */
function webhookRouter(bot: Bot<BotContext>, secret: string, requestTimeoutMs: number): Router {
  const router = express.Router();
  const checkSecret: RequestHandler = (req, res, next) => {
    const given = req.header(SECRET_HEADER);
    if (given === undefined || !secretEquals(given, secret)) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
  const checkShape: RequestHandler = (req, res, next) => {
    const body: unknown = req.body;
    const updateId =
      typeof body === 'object' && body !== null ? (body as { update_id?: unknown }).update_id : undefined;
    if (!Number.isSafeInteger(updateId)) {
      res.status(400).json({ error: 'bad_request' });
      return;
    }
    next();
  };
  router.post(
    '/',
    checkSecret,
    express.json({ limit: '256kb' }),
    checkShape,
    // Under the service's own request timeout, so a slow update ends in grammY's error (Telegram
    // re-delivers, the dedupe drops the copy, the first run still answers) rather than a cut reply.
    webhookCallback(bot, 'express', {
      secretToken: secret,
      timeoutMilliseconds: Math.max(1000, requestTimeoutMs - 500),
    }),
  );
  return router;
}
