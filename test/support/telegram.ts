import type { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { createBot } from '../../adapters/telegram/bot.js';
import type { BotContext } from '../../adapters/telegram/context.js';
import { MemorySessionStore } from '../../adapters/stores/memory-store.js';
import { loadCorpus } from '../../src/content/load.js';
import { createEngine } from '../../src/core/engine.js';
import type { Engine } from '../../src/core/types.js';
import type { Analytics, Logger, RateLimiter, SessionStore } from '../../src/ports/index.js';
import { noMetrics } from '../../src/ports/index.js';
import { createPseudonymizer } from '../../src/privacy/pseudonym.js';
import { createSearcher, loadLexicon } from '../../src/search/index.js';

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: 'DIM',
  username: 'dim_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

let sharedEngine: Engine | undefined;
/** The real engine over the real corpus and search: built once per test file, it is pure. */
export function realEngine(): Engine {
  if (!sharedEngine) {
    const corpus = loadCorpus('content/recommendations.json');
    sharedEngine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
  }
  return sharedEngine;
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** Log lines as objects, so a test can look for leaks. */
export function memoryLogger(lines: Array<Record<string, unknown>> = []): Logger & {
  lines: Array<Record<string, unknown>>;
} {
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (level: string) => (obj: object, msg?: string) =>
      lines.push({ level, ...bindings, ...obj, msg });
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { lines });
}

export interface Harness {
  bot: Bot<BotContext>;
  calls: ApiCall[];
  store: SessionStore;
  logger: ReturnType<typeof memoryLogger>;
  engine: Engine;
  /** Feeds one update; returns the API calls it caused. */
  send(update: Omit<Update, 'update_id'> & { update_id?: number }): Promise<ApiCall[]>;
  /** Makes the next calls of this method fail with a Bot API error. */
  failNext(method: string, description: string, code?: number): void;
}

/**
 * A bot over the real engine with an API transformer that records every call and answers it
 * like Telegram would (no network).
 */
export function botHarness(
  options: {
    store?: SessionStore;
    limiter?: RateLimiter;
    readingLimiter?: RateLimiter;
    voicePhoneNumber?: string;
    analytics?: Analytics;
    /** Another engine (one that shows follow-ups, say); default the shared real one. */
    engine?: Engine;
    /** The public site's base URL (shares link the recommendation's page). */
    publicPageBase?: string;
  } = {},
): Harness {
  const store = options.store ?? new MemorySessionStore();
  const logger = memoryLogger();
  const engine = options.engine ?? realEngine();
  const bot = createBot({
    token: '123:TEST',
    botInfo: BOT_INFO,
    engine,
    store,
    logger,
    metrics: noMetrics,
    pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.readingLimiter ? { readingLimiter: options.readingLimiter } : {}),
    ...(options.publicPageBase ? { publicPageBase: options.publicPageBase } : {}),
    ...(options.voicePhoneNumber ? { voicePhoneNumber: options.voicePhoneNumber } : {}),
    ...(options.analytics ? { analytics: options.analytics } : {}),
  });
  const calls: ApiCall[] = [];
  const failures = new Map<string, { description: string; code: number }>();
  let messageId = 100;
  bot.api.config.use(async (_prev, method, payload) => {
    const body = (payload ?? {}) as Record<string, unknown>;
    calls.push({ method, payload: body });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return { ok: false, error_code: failure.code, description: failure.description } as never;
    }
    if (method === 'sendMessage' || method === 'editMessageText') {
      const chat = { id: body.chat_id as number, type: 'private' as const, first_name: 'U' };
      const result = {
        message_id: (body.message_id as number) ?? ++messageId,
        date: 0,
        chat,
        text: body.text,
      };
      return { ok: true, result } as never;
    }
    return { ok: true, result: true } as never;
  });
  let updateId = 1;
  return {
    bot,
    calls,
    store,
    logger,
    engine,
    failNext: (method, description, code = 400) => failures.set(method, { description, code }),
    send: async (update) => {
      const before = calls.length;
      await bot.handleUpdate({ update_id: update.update_id ?? updateId++, ...update } as Update);
      return calls.slice(before);
    },
  };
}

export const USER = { id: 777001, is_bot: false, first_name: 'Awa', language_code: 'fr' };

export function textMessage(text: string, from: Partial<typeof USER> = {}): Omit<Update, 'update_id'> {
  const user = { ...USER, ...from };
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command' as const, offset: 0, length: text.split(/\s/)[0]!.length }]
    : undefined;
  return {
    message: {
      message_id: 1,
      date: 0,
      chat: { id: user.id, type: 'private', first_name: user.first_name },
      from: user,
      text,
      ...(entities ? { entities } : {}),
    },
  } as Omit<Update, 'update_id'>;
}

export function callback(data: string, from: Partial<typeof USER> = {}): Omit<Update, 'update_id'> {
  const user = { ...USER, ...from };
  return {
    callback_query: {
      id: `cb${Math.random().toString(36).slice(2)}`,
      from: user,
      chat_instance: 'ci',
      data,
      message: {
        message_id: 55,
        date: 0,
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        text: 'list',
      },
    },
  } as Omit<Update, 'update_id'>;
}

export function inlineQuery(
  query: string,
  offset = '',
  from: Partial<typeof USER> = {},
): Omit<Update, 'update_id'> {
  return {
    inline_query: { id: 'iq1', from: { ...USER, ...from }, query, offset },
  } as Omit<Update, 'update_id'>;
}

/** Every inline button of a call's reply_markup, flattened. */
export function buttonsOf(call: ApiCall | undefined): Array<Record<string, unknown>> {
  const markup = call?.payload.reply_markup as
    { inline_keyboard?: Array<Array<Record<string, unknown>>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}

export const sent = (calls: ApiCall[]) => calls.filter((c) => c.method === 'sendMessage');
export const textOf = (call: ApiCall | undefined) => String(call?.payload.text ?? '');
