import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, RequestHandler } from 'express';
import type { Config } from '../src/config.js';
import type { Corpus } from '../src/content/schema.js';
import { withDeadline } from '../src/core/deadline.js';
import type { Engine } from '../src/core/types.js';
import type { FollowUpSnapshot } from '../src/followup/snapshot.js';
import type {
  Analytics,
  Clock,
  Logger,
  Metrics,
  OptOutRegistry,
  RateLimiter,
  SessionStore,
} from '../src/ports/index.js';
import type { Pseudonymizer } from '../src/privacy/pseudonym.js';
import type { SentToday, SpendingCaps } from '../src/spending/caps.js';
import type { LiveTranslations } from '../src/translations/live.js';
import type { AnalyticsStore } from './analytics/tally.js';
import * as broadcasts from './broadcast/module.js';
import type { FollowUpModule } from './broadcast/compose.js';
import * as consoleModule from './console/module.js';
import type { ConsoleRecords } from './console/records.js';
import { createGatewayRunner, frameworks } from './gateway/runner.js';
import { createApp } from './http/app.js';
import * as api from './http/module.js';
import { requestTimeout, urlLimits } from './gateway/limits.js';
import * as metricsModule from './metrics/module.js';
import type { PrometheusMetrics } from './metrics/prometheus.js';
import type { ModuleContext, ServiceModule } from './module.js';
import { createPlatform, devWhatsAppOn } from './platform.js';
import * as simulator from './simulator/module.js';
import * as site from './site/module.js';
import type { SmsChannel } from './sms/index.js';
import * as sms from './sms/module.js';
import { countSegments } from './sms/segments.js';
import { RedisSessionStore } from './stores/redis-store.js';
import { lockDataDir } from './stores/single-process.js';
import * as telegram from './telegram/module.js';
import type { TelegramChannel } from './telegram/run.js';
import * as ussd from './ussd/module.js';
import type { Synthesizer } from './voice/audio/synth.js';
import type { CallBacks } from './voice/callback/index.js';
import * as callBacks from './voice/callback/module.js';
import type { VoiceChannel } from './voice/index.js';
import * as voice from './voice/module.js';
import type { WhatsAppChannel } from './whatsapp/index.js';
import * as whatsapp from './whatsapp/module.js';

export {
  CONSOLE_ACCOUNT_ATTEMPTS,
  CONSOLE_LOGIN_ATTEMPTS,
  CONSOLE_LOGIN_PAGE_VIEWS,
} from './console/module.js';

export interface Service {
  /** The express app: every route but the gateway webhooks' (served first by adapters/gateway/runner.ts) and the search's lane. */
  app: Express;
  server: Server;
  corpus: Corpus;
  /** The intent engine over the corpus and the search (lexicon from LEXICON_FILE): every channel asks it. */
  engine: Engine;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  metrics: Metrics;
  /** The same metrics with their registry (tests and benchmarks read counts from it). */
  prometheus: PrometheusMetrics;
  /** Where channels report what people look for: Prometheus, and the console's store when it is on. */
  analytics: Analytics;
  /** The console's aggregates (Redis or memory); undefined when the console is off (no CONSOLE_USERS). */
  consoleAnalytics?: AnalyticsStore;
  /** The console's audit log and "to fix" list; undefined when the console is off. */
  consoleRecords?: ConsoleRecords;
  /** The SMS channel: its conversation (flush() waits for pending sends), opt-outs, dev outbox. */
  sms: SmsChannel;
  /** The voice line: POST /voice, the audio it plays (/audio) and the recording studio (/studio). */
  voice: VoiceChannel;
  /** "Call me back" (VOICE_CALLBACK), shared by the voice line and SMS; `callbacks.flush()` waits for calls under way. */
  callBacks: CallBacks;
  /** The Telegram bot; undefined when TELEGRAM_BOT_TOKEN is unset (the channel is off). */
  telegram?: TelegramChannel;
  /** The WhatsApp channel; undefined when the WHATSAPP_* settings are unset (the channel is off). */
  whatsapp?: WhatsAppChannel;
  /**
   * Per-person budget (RATE_LIMIT_PER_MINUTE) the channels share, keyed by `storeKeys.personBudget(...)`
   * (src/ports/keys.ts): through Redis when configured, else this process's memory.
   */
  rateLimiter: RateLimiter;
  /**
   * Follow-up entries, subscriptions and broadcasts (issue 20): `followUps` always; the
   * subscriptions with SUBSCRIBERS_KEY; the broadcaster with REDIS_URL (its worker runs here).
   */
  followUp: FollowUpModule;
  /** The published follow-ups the engine shows under a recommendation (`refresh()` after an edit). */
  followUpSnapshot: FollowUpSnapshot;
  /** Translations published from the console, served on top of the files (issue 31). */
  liveTranslations: LiveTranslations;
  /** Daily caps on SMS segments and calls (shared through the store), and "sent to you today". */
  spending: { caps: SpendingCaps; sentToday: SentToday };
  /** Listens on config.PORT (0 picks a free port) and resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), closes stores. */
  close(): Promise<void>;
}

/** The first module's handler tried before the app's JSON 404 (the public site's HTML page). */
function notFound(modules: ServiceModule[]): { notFound?: RequestHandler } {
  const handler = modules.find((module) => module.notFound)?.notFound;
  return handler ? { notFound: handler } : {};
}

/**
 * The composition root: the platform (what every module shares, adapters/platform.ts), then the
 * modules, each `create(ctx)` → `{ routes, gateway?, lane?, sender?, start?, close? }`
 * (adapters/module.ts), in the order their routes are matched. A new channel is one line here.
 */
export function createService(
  config: Config,
  logger: Logger,
  overrides: {
    corpus?: Corpus;
    store?: SessionStore;
    clock?: Clock;
    optOuts?: OptOutRegistry;
    /** The pause between a rejected missed call and its call back (default 2 s). */
    callbackDelayMs?: number;
    /** The voice line's speech engine (tests: a tone); default eSpeak NG from npm. */
    synthesizer?: Synthesizer;
  } = {},
): Service {
  // Production without Redis: one process per DATA_DIR, before anything is written there.
  const releaseDataDir = config.SINGLE_PROCESS === 'on' ? lockDataDir(config.DATA_DIR) : undefined;
  const platform = createPlatform(config, logger, overrides);
  const news = broadcasts.create(platform, { smsOptOutsOverridden: overrides.optOuts !== undefined });
  const ctx: ModuleContext & typeof platform = { ...platform, followUp: news.deps };
  const calls = callBacks.create(ctx, { delayMs: overrides.callbackDelayMs });
  const text = sms.create(ctx, {
    optOuts: platform.optOuts.sms,
    callbacks: calls.callBacks.callbacks,
    budget: platform.smsBudget,
  });
  const bySms = text.channel.sendRecommendationBySms;
  const operators = consoleModule.create(ctx, { broadcasts: news.followUp, countSegments });
  const line = voice.create(ctx, {
    sendRecommendationBySms: bySms,
    callbacks: calls.callBacks.callbacks,
    ...(operators.studio ? { studio: operators.studio } : {}),
    ...(overrides.synthesizer ? { synthesizer: overrides.synthesizer } : {}),
  });
  const bot = telegram.create(ctx);
  const chat = whatsapp.create(ctx, { optOuts: platform.optOuts.whatsapp, dev: devWhatsAppOn(config) });
  const modules: ServiceModule[] = [
    text,
    ussd.create(ctx, { hops: platform.ussdHops, sendRecommendationBySms: bySms }),
    line,
    calls,
    bot,
    chat,
    news,
    metricsModule.create(ctx),
    api.create(ctx),
    operators,
    // The public site's pages at `/`, before the simulator's, so that `/` is the site's.
    site.create(ctx),
    // Last: the phone simulator at /simulator (and at GET / when the site is off).
    simulator.create(ctx, chat.dev ? { whatsapp: chat.dev } : {}),
  ];
  for (const module of modules) if (module.sender) news.senders[module.sender.channel] = module.sender.send;

  // The gateway webhooks (USSD, SMS, voice): one contract, served by one runner on Node's request
  // before express (adapters/gateway/runner.ts), behind the secret, the limits and the budget.
  const serveGateway = createGatewayRunner({
    ...{ config, logger, metrics: platform.metrics, pseudonymize: platform.pseudonymize },
    limiter: platform.limiters.person,
    observe: platform.prometheus.observeHttp,
    trust: platform.trust,
  });
  const gateways = modules.flatMap((module) => (module.gateway ? [serveGateway(module.gateway)] : []));
  const { keyFingerprints } = platform;
  const app = createApp({
    ...{ config, logger, corpus: platform.corpus, store: platform.store, gateways },
    // Metrics first (they must see every request), then the limits every route shares.
    middleware: [platform.prometheus.httpMiddleware, urlLimits, requestTimeout(config.REQUEST_TIMEOUT_MS)],
    routes: modules.flatMap((module) => module.routes),
    readiness: keyFingerprints ? [{ name: 'keys', check: () => keyFingerprints.check() }] : [],
    ...notFound(modules),
  });
  const lanes = [...gateways, ...modules.flatMap((module) => (module.lane ? [module.lane] : []))];
  const server = createServer({ requestTimeout: config.REQUEST_TIMEOUT_MS }, frameworks.node(lanes, app));
  server.keepAliveTimeout = 5000;
  const { liveTranslations, followUpSnapshot, backingStore } = platform;

  return {
    ...{ server, app, corpus: platform.corpus, engine: platform.engine, store: platform.store },
    ...{ pseudonymize: platform.pseudonymize, clock: platform.clock, metrics: platform.metrics },
    ...{ prometheus: platform.prometheus, analytics: platform.analytics, spending: platform.spending },
    consoleAnalytics: platform.consoleAnalytics,
    consoleRecords: platform.consoleRecords,
    sms: text.channel,
    voice: line.channel,
    callBacks: calls.callBacks,
    telegram: bot.channel,
    whatsapp: chat.channel,
    rateLimiter: platform.limiters.person,
    followUp: news.followUp,
    followUpSnapshot,
    liveTranslations,
    listen: async () => {
      // Translations published from the console, before the first answer when the store answers.
      const published = await withDeadline(liveTranslations.refresh(), 1500).then(
        () => true,
        () => false,
      );
      if (!published)
        logger.warn({}, 'published translations not loaded at start-up: loading in the background');
      liveTranslations.start();
      // Statuses are in memory before the first answer when the store answers; an unreachable
      // Redis must not hold start-up (the patient client waits for it): the reload goes on in
      // the background and the channels show statuses once it lands.
      const loaded = await withDeadline(followUpSnapshot.refresh(), 1500).then(
        () => true,
        () => false,
      );
      if (!loaded) logger.warn({}, 'follow-up statuses not loaded at start-up: loading in the background');
      if (backingStore instanceof RedisSessionStore && !(await backingStore.waitUntilReady(1500))) {
        logger.warn({}, 'Redis not reachable at start-up: serving degraded until it is');
      }
      // A key that differs from the other instances' is logged now (and /readyz says so).
      await keyFingerprints?.check().catch(() => {});
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      // Once HTTP is up (Telegram's webhook route must answer); none of them delays listening.
      await Promise.all(modules.map((module) => module.start?.()));
      return (server.address() as AddressInfo).port;
    },
    close: async () => {
      liveTranslations.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      forced.unref();
      await closed;
      clearTimeout(forced);
      for (const module of [...modules].reverse()) await module.close?.();
      await platform.store.close();
      platform.redis.close();
      releaseDataDir?.();
    },
  };
}
