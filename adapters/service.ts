import { createServer, type Server } from 'node:http';
import { Router, type Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Config } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { installCatalogs } from '../src/i18n/index.js';
import { draftCounts, installTranslations } from '../src/content/localized.js';
import type { Corpus } from '../src/content/schema.js';
import {
  fanOut,
  systemClock,
  type Analytics,
  type Clock,
  type Logger,
  type Metrics,
  type OptOutRegistry,
  type RateLimiter,
  type SessionStore,
  type UssdHopStore,
} from '../src/ports/index.js';
import { createPseudonymizer, type Pseudonymizer } from '../src/privacy/pseudonym.js';
import { createEngine } from '../src/core/engine.js';
import type { Engine } from '../src/core/types.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { createApi } from './http/api.js';
import { createSearchLane } from './http/api-lane.js';
import { createApp } from './http/app.js';
import { createGatewayMounter, type MountGateway } from './gateway/mount.js';
import { lanesFirst, type RawLane } from './gateway/lane.js';
import { requestTimeout, urlLimits } from './gateway/limits.js';
import { apiBudget, apiRateLimit, createAddressHasher } from './gateway/rate-limit.js';
import { securityHeaders } from './gateway/security.js';
import { resolvePhoneHashKey } from './phone-hash-key.js';
import { smsGatewayOptions } from './sms/gateway-options.js';
import { createSmsChannel, type SmsChannel } from './sms/index.js';
import { createTelegramChannel, type TelegramChannel } from './telegram/run.js';
import { createWhatsAppChannel, type WhatsAppChannel } from './whatsapp/index.js';
import { createGraphSink, devWhatsAppSettings, type GraphSink } from './whatsapp/dev-sink.js';
import { createWhatsAppMetrics } from './whatsapp/metrics.js';
import { createSimulatorRouter } from './simulator/router.js';
import { createSite } from './site/index.js';
import { ussdGatewayOptions } from './ussd/gateway-options.js';
import { createUssdChannel } from './ussd/router.js';
import { createVoiceChannel, type VoiceChannel } from './voice/index.js';
import type { Synthesizer } from './voice/audio/synth.js';
import { createCallBacks, type CallBacks } from './voice/callback/index.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './metrics/prometheus.js';
import { InstrumentedSessionStore } from './stores/instrumented-store.js';
import { MemorySessionStore } from './stores/memory-store.js';
import { MemoryRateLimiter, RedisRateLimiter } from './stores/rate-limiter.js';
import { createRedisConnection, type RedisConnection } from './stores/redis-client.js';
import { RedisSessionStore } from './stores/redis-store.js';
import { RedisUssdHops, storeUssdHops } from './stores/ussd-hops.js';
import { createMemoryAnalytics } from './analytics/memory.js';
import { createPrometheusAnalytics } from './analytics/prometheus.js';
import { createRedisAnalytics } from './analytics/redis.js';
import type { AnalyticsStore } from './analytics/tally.js';
import { MemoryConsoleRecords, RedisConsoleRecords, type ConsoleRecords } from './console/records.js';
import { createConsoleRouter } from './console/router.js';
import { createConsoleAuth } from './console/auth.js';
import { countSegments } from './sms/segments.js';
import { RedisOptOutRegistry } from './stores/optout-redis.js';
import { createKeyFingerprints } from './stores/key-fingerprints.js';
import { fileFingerprints, lockDataDir } from './stores/single-process.js';
import { MemorySpendingCaps, RedisSpendingCaps, storeSentToday } from './stores/spending-caps.js';
import { instrumentSpending } from './metrics/spending.js';
import type { SentToday, SpendKind, SpendLimits, SpendingCaps } from '../src/spending/caps.js';
import { storeKeys } from '../src/ports/keys.js';
import { withDeadline } from '../src/core/deadline.js';
import {
  createBroadcastSenders,
  createFollowUpModule,
  createFollowUpStore,
  type FollowUpModule,
} from './broadcast/compose.js';
import type { ChannelSender } from './broadcast/gateway-senders.js';
import { anyOptOut, channelBroadcastSender } from './broadcast/senders.js';
import { createOptOutRegistry } from './stores/optout.js';
import { createFollowUpSnapshot, type FollowUpSnapshot } from '../src/followup/snapshot.js';
import type { FollowUpDeps } from '../src/followup/turn.js';
import type { SubscriptionChannel } from '../src/subscriptions/model.js';
import type { BroadcastWorker } from './broadcast/broadcaster.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadGlossary, type Glossary } from '../src/content/glossary.js';
import { loadLangState, pathsOf, type LangState } from '../src/content/lang-state.js';
import { referenceMessages } from '../src/content/translations.js';
import { createLiveTranslations, type LiveTranslations } from '../src/translations/live.js';
import { languages, REFERENCE_LANG } from '../src/i18n/index.js';
import { FileTranslationStore } from './translations/file-store.js';
import { RedisTranslationStore } from './translations/redis-store.js';

export interface Service {
  /** The express app behind the gateways' fast lanes (adapters/gateway/lane.ts). */
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
   * Per-person budget (RATE_LIMIT_PER_MINUTE) the channels share, keyed by `personKey(...)`
   * of adapters/gateway/rate-limit.ts: through Redis when configured, else this process's memory.
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
  /** Mounts a gateway webhook router behind the secret, the gateway limits and the person limit. */
  mountGateway: MountGateway;
  /** Daily caps on SMS segments and calls (shared through the store), and "sent to you today". */
  spending: { caps: SpendingCaps; sentToday: SentToday };
  /** Listens on config.PORT (0 picks a free port) and resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), closes stores. */
  close(): Promise<void>;
}

/** Failed sign-ins allowed per 15 minutes per client address (console and studio: one login). */
export const CONSOLE_LOGIN_ATTEMPTS = 10;
/**
 * Failed sign-ins allowed per 15 minutes per account name, from all addresses together: above
 * what one address may try, so nobody locks an operator out from one place; a guess spread over
 * many addresses still stops here (audited as `login.locked`).
 */
export const CONSOLE_ACCOUNT_ATTEMPTS = 50;
/** Views of the login page per 15 minutes per address (each stores a 15-minute anonymous session). */
export const CONSOLE_LOGIN_PAGE_VIEWS = 100;

function createRateLimiters(
  config: Config,
  logger: Logger,
  metrics: Metrics,
): { person: RateLimiter; reading: RateLimiter; api: RateLimiter; redis?: RedisConnection } {
  const redisConfigured = config.REDIS_URL || config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES;
  if (!redisConfigured) {
    return {
      person: new MemoryRateLimiter(config.RATE_LIMIT_PER_MINUTE),
      reading: new MemoryRateLimiter(config.TELEGRAM_READING_PER_MINUTE),
      api: new MemoryRateLimiter(config.API_RATE_LIMIT_PER_MINUTE),
    };
  }
  // A request-path client of their own (fail fast), shared by both budgets.
  const redis = createRedisConnection(config, { logger });
  const options = { prefix: config.REDIS_KEY_PREFIX, logger, metrics };
  return {
    person: new RedisRateLimiter(redis, config.RATE_LIMIT_PER_MINUTE, options),
    reading: new RedisRateLimiter(redis, config.TELEGRAM_READING_PER_MINUTE, options),
    api: new RedisRateLimiter(redis, config.API_RATE_LIMIT_PER_MINUTE, options),
    redis,
  };
}

/** The spending caps of the configuration (per UTC day). */
function spendLimits(config: Config): Record<SpendKind, SpendLimits> {
  return {
    sms: { person: config.SMS_SEGMENTS_PERSON_PER_DAY, service: config.SMS_SEGMENTS_SERVICE_PER_DAY },
    // Each person's call backs are counted by the call backs themselves (VOICE_CALLBACK_PER_DAY).
    call: { service: config.VOICE_CALLBACK_SERVICE_PER_DAY },
  };
}

function createStore(config: Config, logger: Logger): SessionStore {
  const redisConfigured = config.REDIS_URL || config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES;
  if (!redisConfigured) return new MemorySessionStore();
  return new RedisSessionStore(createRedisConnection(config, { logger }), config.REDIS_KEY_PREFIX);
}

/**
 * A USSD hop's reads and writes: one script on the session store's Redis connection (with the
 * person's budget counted in it), or the same steps over the session store and the limiter.
 */
function createUssdHops(
  backing: SessionStore,
  store: SessionStore,
  limiter: RateLimiter,
  deadlineMs: number,
): UssdHopStore {
  if (backing instanceof RedisSessionStore && limiter instanceof RedisRateLimiter)
    return new RedisUssdHops(backing, limiter, deadlineMs);
  return storeUssdHops(store, limiter, deadlineMs);
}

/** The composition root: every dependency is built here from the configuration, once. */
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
  // The languages first: a broken catalog stops start-up with one line, like a broken corpus.
  installCatalogs(config.CATALOG_DIR);
  const corpus = overrides.corpus ?? loadCorpus(config.CONTENT_FILE);
  // Our translations next, checked against the corpus; a broken file stops start-up in one line.
  installTranslations(config.TRANSLATIONS_DIR, corpus, config.serveDraftTranslations);
  logger.info(
    { serveDrafts: config.serveDraftTranslations, drafts: draftCounts() },
    'translations loaded (drafts per language)',
  );
  const redisConfigured = Boolean(config.REDIS_URL || config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES);
  // Follow-ups before the engine (it shows them under a recommendation, read from memory);
  // a patient client of their own: editors' writes and broadcast bookkeeping may wait for Redis.
  const newsRedis = redisConfigured ? createRedisConnection(config, { patient: true, logger }) : undefined;
  const followUps = createFollowUpStore(config, newsRedis);
  const followUpSnapshot = createFollowUpSnapshot(followUps, {
    clock: overrides.clock ?? systemClock,
    onError: (error) =>
      logger.warn(
        { err: { message: (error as Error).message } },
        'follow-up: reload failed, last snapshot kept',
      ),
  });
  // Translations published from the console on top of the files: every language with both a
  // catalog and a translation file, versions in Redis (or DATA_DIR), polled every 5 s.
  const langPaths = { catalogDir: config.CATALOG_DIR, translationsDir: config.TRANSLATIONS_DIR };
  const reviewable = languages().filter((l) => {
    const files = pathsOf(l.code, langPaths);
    return l.code !== REFERENCE_LANG && existsSync(files.catalog) && existsSync(files.content);
  });
  const baseStates: LangState[] = reviewable.map((l) => loadLangState(l.code, langPaths));
  const liveTranslations = createLiveTranslations(
    newsRedis
      ? new RedisTranslationStore(newsRedis, config.REDIS_KEY_PREFIX)
      : new FileTranslationStore(config.DATA_DIR),
    baseStates,
    {
      onError: (error) =>
        logger.warn(
          { err: { message: (error as Error).message } },
          'translations: reload of published versions failed, last one kept',
        ),
    },
  );
  const glossaries = new Map<string, Glossary>();
  for (const l of reviewable) {
    const glossary = loadGlossary(l.code, join(config.CATALOG_DIR, 'glossary'));
    if (glossary) glossaries.set(l.code, glossary);
  }
  const engine = createEngine(corpus, createSearcher(corpus, loadLexicon(config.LEXICON_FILE)), {
    followUp: followUpSnapshot.lookup,
  });
  const prometheus = createPrometheusMetrics({
    production: config.production,
    token: config.METRICS_TOKEN,
    secrets: [
      config.WEBHOOK_TOKEN,
      config.TELEGRAM_WEBHOOK_SECRET,
      config.METRICS_TOKEN,
      config.WHATSAPP_VERIFY_TOKEN,
    ],
  });
  const backingStore = overrides.store ?? createStore(config, logger);
  const clock = overrides.clock ?? systemClock;
  const limiters = createRateLimiters(config, logger, prometheus);
  const consoleOn = config.consoleAccounts.length > 0;
  const onAnalyticsError = (error: unknown) => {
    prometheus.storeError('analytics');
    logger.warn({ err: { message: (error as Error).message } }, 'analytics: an event was not counted');
  };
  const analyticsOptions = {
    retentionDays: config.ANALYTICS_RETENTION_DAYS,
    clock,
    onError: onAnalyticsError,
  };
  // A patient connection of its own (offline queue, retries): counting is off the request path,
  // and an event recorded while the connection is still being made must not be lost.
  const consoleRedis =
    consoleOn && limiters.redis ? createRedisConnection(config, { patient: true, logger }) : undefined;
  // The console's aggregates are kept only when someone can read them; Prometheus always counts.
  const consoleAnalytics: AnalyticsStore | undefined = !consoleOn
    ? undefined
    : consoleRedis
      ? createRedisAnalytics(consoleRedis, { ...analyticsOptions, prefix: config.REDIS_KEY_PREFIX })
      : createMemoryAnalytics(analyticsOptions);
  const analytics = fanOut(
    createPrometheusAnalytics(prometheus.registry),
    ...(consoleAnalytics ? [consoleAnalytics] : []),
  );
  // Channels record their events (replies, searches that missed, SMS segments, screens,
  // reactions) through `analytics`; Prometheus keeps counting replies through `metrics`.
  const metrics: Metrics = prometheus;
  // Every failed store operation is counted (dim_store_errors_total) and rethrown unchanged.
  const store: SessionStore = new InstrumentedSessionStore(backingStore, metrics);
  // Outside production a missing key is created once under DATA_DIR: stored opt-outs must outlive a restart.
  const phoneHashKey = resolvePhoneHashKey(config);
  const pseudonymize = createPseudonymizer(phoneHashKey);
  // Instances on one store must share its keys (and a single process its keys of yesterday,
  // whose pseudonyms its journals hold): a mismatch keeps it out of rotation.
  const fingerprintStore = redisConfigured
    ? store
    : config.SINGLE_PROCESS === 'on'
      ? fileFingerprints(config.DATA_DIR)
      : undefined;
  const keyFingerprints = fingerprintStore
    ? createKeyFingerprints(
        fingerprintStore,
        { PHONE_HASH_KEY: phoneHashKey, SUBSCRIBERS_KEY: config.SUBSCRIBERS_KEY },
        logger,
      )
    : undefined;
  const mountGateway = createGatewayMounter({
    config,
    logger,
    metrics,
    pseudonymize,
    limiter: limiters.person,
    observe: prometheus.observeHttp,
  });
  const hashAddress = createAddressHasher(config.PHONE_HASH_KEY);
  // STOP lists built here, not in the channels: broadcasts check them too, at send time.
  const smsOptOuts = overrides.optOuts ?? createOptOutRegistry(config, logger, clock, 'sms');
  // The simulator's WhatsApp chat (outside production, WHATSAPP_* unset): the real channel with
  // secrets of this process only, its Graph API a memory sink (GET /dev/whatsapp), as SMS has
  // its outbox. With WHATSAPP_* set, replies would go to Meta: the chat is off.
  const graphSink: GraphSink | undefined =
    !config.production && config.simulatorEnabled && !config.whatsappEnabled
      ? createGraphSink(pseudonymize, clock)
      : undefined;
  const devWhatsApp = graphSink ? devWhatsAppSettings() : undefined;
  const whatsappConfig = devWhatsApp ? { ...config, ...devWhatsApp } : config;
  const whatsappOptOuts =
    config.whatsappEnabled || graphSink ? createOptOutRegistry(config, logger, clock, 'whatsapp') : undefined;
  // Filled once the channels exist: a broadcast job asks for its channel's sender when it runs.
  const broadcastSenders: Partial<Record<SubscriptionChannel, ChannelSender>> = {};
  const followUp = createFollowUpModule(config, {
    ...(newsRedis ? { redis: newsRedis } : {}),
    followUps,
    optOut: smsOptOuts,
    broadcastOptOut: anyOptOut(
      (['sms', ...(whatsappOptOuts ? ['whatsapp' as const] : [])] as const).map((channel) =>
        // The worker has no webhook deadline: it reads the same SETs with a patient 10 s check,
        // so a loaded Redis does not silently skip subscribers as "opted out" (the channels' 500 ms).
        newsRedis && !(channel === 'sms' && overrides.optOuts)
          ? new RedisOptOutRegistry(
              newsRedis,
              logger,
              `${config.REDIS_KEY_PREFIX}${storeKeys.optOuts(channel)}`,
              2000,
              10_000,
            )
          : channel === 'sms'
            ? smsOptOuts
            : whatsappOptOuts!,
      ),
    ),
    sender: channelBroadcastSender(broadcastSenders),
    themeCount: corpus.themes.length,
    logger,
  });
  const followUpDeps: FollowUpDeps = {
    followUps,
    ...(followUp.subscriptions ? { subscriptions: followUp.subscriptions } : {}),
    themeCount: corpus.themes.length,
    recommendationCount: (theme) => {
      const count = engine.recommendationsOf(theme).length;
      return count > 0 ? count : undefined;
    },
  };
  const api = createApi({ engine, corpus });
  const apiRouter = Router();
  apiRouter.use(apiRateLimit({ limiter: limiters.api, hashAddress, metrics }), api.router);
  // Daily caps on what the service pays for (SMS segments, calls), shared through the store.
  const spending = instrumentSpending(
    prometheus.registry,
    limiters.redis
      ? new RedisSpendingCaps(limiters.redis, spendLimits(config), {
          prefix: config.REDIS_KEY_PREFIX,
          clock,
          logger,
          metrics,
        })
      : new MemorySpendingCaps(spendLimits(config), clock),
    storeSentToday(store, clock),
  );
  const callBacks = createCallBacks({
    ...{ config, store, pseudonymize, clock, logger },
    caps: spending.caps,
    registry: prometheus.registry,
    ...(overrides.callbackDelayMs !== undefined ? { missedCallDelayMs: overrides.callbackDelayMs } : {}),
  });
  const sms = createSmsChannel({
    ...{ config, engine, store, pseudonymize, logger, metrics, analytics, clock },
    callbacks: callBacks.callbacks,
    optOuts: smsOptOuts,
    followUp: followUpDeps,
    spending,
  });
  const telegram = createTelegramChannel(config, {
    ...{ engine, store, logger, metrics, analytics, pseudonymize },
    limiter: limiters.person,
    readingLimiter: limiters.reading,
    ...(config.VOICE_PHONE_NUMBER ? { voicePhoneNumber: config.VOICE_PHONE_NUMBER } : {}),
    ...(config.publicPageBase ? { publicPageBase: config.publicPageBase } : {}),
    followUp: followUpDeps,
  });
  const whatsapp = createWhatsAppChannel({
    ...{ config: whatsappConfig, engine, store, pseudonymize, logger, metrics, clock, analytics },
    ...(graphSink ? { fetch: graphSink.fetch } : {}),
    whatsappMetrics: config.whatsappEnabled ? createWhatsAppMetrics(prometheus.registry) : undefined,
    limiter: limiters.person,
    ...(whatsappOptOuts ? { optOuts: whatsappOptOuts } : {}),
    followUp: followUpDeps,
  });
  Object.assign(
    broadcastSenders,
    createBroadcastSenders(config, {
      sms: sms.sender,
      telegram: Boolean(telegram),
      ...(whatsapp
        ? { whatsappNotify: (waId, text) => whatsapp.notify(waId, [{ type: 'text', text: { body: text } }]) }
        : {}),
    }),
  );
  const simulatorWhatsApp =
    graphSink && devWhatsApp && whatsapp
      ? {
          appSecret: devWhatsApp.WHATSAPP_APP_SECRET,
          phoneNumberId: devWhatsApp.WHATSAPP_PHONE_NUMBER_ID,
          flush: () => whatsapp.flush(),
          mark: () => graphSink.count(),
          sentSince: (waId: string, mark: number) => graphSink.since(waId, mark),
        }
      : undefined;
  let broadcastWorker: BroadcastWorker | undefined;
  const consoleRecords: ConsoleRecords | undefined = !consoleOn
    ? undefined
    : consoleRedis
      ? new RedisConsoleRecords(consoleRedis, {
          prefix: config.REDIS_KEY_PREFIX,
          auditRetentionDays: config.CONSOLE_AUDIT_RETENTION_DAYS,
          toFixRetentionDays: config.ANALYTICS_RETENTION_DAYS,
          clock,
        })
      : new MemoryConsoleRecords({
          auditRetentionDays: config.CONSOLE_AUDIT_RETENTION_DAYS,
          toFixRetentionDays: config.ANALYTICS_RETENTION_DAYS,
          clock,
        });
  const consoleLimiter = (limit: number): RateLimiter =>
    limiters.redis
      ? new RedisRateLimiter(limiters.redis, limit, {
          windowMs: 15 * 60_000,
          prefix: config.REDIS_KEY_PREFIX,
          logger,
          metrics,
        })
      : new MemoryRateLimiter(limit, 15 * 60_000, clock);
  // One login system for the console and the studio: accounts, session, limits, audit.
  const consoleAuth = consoleRecords
    ? createConsoleAuth({
        accounts: config.consoleAccounts,
        sessionSecret: config.CONSOLE_SESSION_SECRET,
        sessions: store,
        loginLimiter: consoleLimiter(CONSOLE_LOGIN_ATTEMPTS),
        accountLimiter: consoleLimiter(CONSOLE_ACCOUNT_ATTEMPTS),
        loginPageLimiter: consoleLimiter(CONSOLE_LOGIN_PAGE_VIEWS),
        hashAddress,
        records: consoleRecords,
        logger,
      })
    : undefined;
  const voice = createVoiceChannel({
    ...{ config, corpus, engine, store, pseudonymize, logger, mountGateway },
    sendRecommendationBySms: (phone, id, lang) => sms.sendRecommendationBySms(phone, id, lang),
    callbacks: callBacks.callbacks,
    registry: prometheus.registry,
    ...(overrides.synthesizer ? { synthesizer: overrides.synthesizer } : {}),
    ...(consoleAuth && consoleRecords
      ? {
          studio: {
            guard: [consoleAuth.session, consoleAuth.requireUser, consoleAuth.requireCapability('record')],
            csrf: consoleAuth.csrf,
            csrfToken: (req) => consoleAuth.csrfToken(req),
            isCsrfError: (error) => consoleAuth.isCsrfError(error),
            user: (req) => consoleAuth.user(req)?.name,
            audit: (req, action, detail) =>
              consoleRecords.audit({ who: consoleAuth.user(req)?.name ?? '', action, detail }),
          },
        }
      : {}),
  });
  const consoleRouter = (reports: AnalyticsStore) =>
    createConsoleRouter({
      auth: consoleAuth,
      spending: async () => {
        const today = await spending.caps.today();
        const { sms, call } = spending.caps.limits;
        return {
          sms: { spent: today.sms, cap: sms.service, ...(sms.person ? { personCap: sms.person } : {}) },
          calls: { spent: today.call, cap: call.service },
        };
      },
      accounts: config.consoleAccounts,
      sessionSecret: config.CONSOLE_SESSION_SECRET,
      retentionDays: config.ANALYTICS_RETENTION_DAYS,
      segmentCost: config.SMS_SEGMENT_COST,
      currency: config.SMS_COST_CURRENCY,
      analytics: reports,
      records: consoleRecords!,
      sessions: store,
      // Login attempts: CONSOLE_LOGIN_ATTEMPTS per 15 minutes per address and per account name.
      loginLimiter: consoleLimiter(CONSOLE_LOGIN_ATTEMPTS),
      loginPageLimiter: consoleLimiter(CONSOLE_LOGIN_PAGE_VIEWS),
      hashAddress,
      clock,
      logger,
      news: {
        followUps,
        // This instance's channels show a new status at once; others within the snapshot's age.
        onPublished: () => followUpSnapshot.refresh(),
        recommendation: (id) => {
          const rec = recommendationsById.get(id);
          const theme = rec && corpus.themes.find((t) => t.number === rec.theme);
          return rec && theme
            ? { id, themeShort: theme.short, label: rec.label, text: rec.text, items: rec.items ?? [] }
            : undefined;
        },
        themes: corpus.themes.map((t) => t.number),
        ...(followUp.broadcaster ? { broadcaster: followUp.broadcaster } : {}),
        ...(followUp.broadcastsDisabled ? { broadcastsDisabled: followUp.broadcastsDisabled } : {}),
        countSegments,
        currency: config.SMS_COST_CURRENCY,
      },
      translations: {
        live: liveTranslations,
        languages: reviewable.map((l) => ({
          code: l.code,
          name: l.name,
          withSummaries: l.summaries === true,
        })),
        reference: referenceMessages(join(config.CATALOG_DIR, `${REFERENCE_LANG}.json`)),
        corpus,
        glossaries,
        today: () => new Date(clock.now()).toISOString().slice(0, 10),
      },
    });
  const recommendationsById = new Map(corpus.recommendations.map((rec) => [rec.id, rec]));
  const ussd = createUssdChannel({
    ...{ engine, corpus, store, pseudonymize, clock, config, logger, metrics, analytics },
    hops: createUssdHops(backingStore, store, limiters.person, config.REDIS_COMMAND_TIMEOUT_MS),
    sendRecommendationBySms: (phone, id, lang) => sms.sendRecommendationBySms(phone, id, lang),
  });
  // The public site (PUBLIC_SITE, on by default): its pages before the simulator, so `/` is the site's.
  const site = config.publicSiteEnabled ? createSite({ engine, config }) : undefined;
  // Gateway webhooks first: every request is matched against each mount in turn, and they
  // are most of the traffic.
  const routes: Array<{ path: string; router: Router; machine?: boolean; lane?: RawLane }> = [
    // Gateway webhooks: behind the secret, the gateway limits and the per-person budget.
    mountGateway('sms', sms.router, smsGatewayOptions({ store, conversation: sms, incoming: sms.incoming })),
    mountGateway('ussd', ussd.router, {
      ...ussdGatewayOptions({
        store,
        alphabet: config.USSD_ALPHABET,
        storeDeadlineMs: config.REDIS_COMMAND_TIMEOUT_MS,
      }),
      lane: ussd.lane,
    }),
    { path: '/metrics', router: prometheus.router },
    { path: '/api', router: apiRouter },
    ...voice.routes,
    ...(sms.outboxRouter ? [{ path: '/dev/outbox', router: sms.outboxRouter }] : []),
    ...(callBacks.outboxRouter ? [{ path: '/dev/calls', router: callBacks.outboxRouter }] : []),
    ...(graphSink ? [{ path: '/dev/whatsapp', router: graphSink.router }] : []),
    ...(telegram?.routes ?? []),
    // Signed by Meta (X-Hub-Signature-256), so outside the gateway guard's path token.
    ...(whatsapp?.routes ?? []),
    ...(consoleOn && consoleAnalytics ? [{ path: '/admin', router: consoleRouter(consoleAnalytics) }] : []),
    ...(site ? [{ path: '/', router: site.router }] : []),
    // Last: the phone simulator at /simulator (and at GET / when the site is off; only when config.simulatorEnabled).
    ...(config.simulatorEnabled
      ? [{ path: '/', router: createSimulatorRouter({ config, whatsapp: simulatorWhatsApp }) }]
      : []),
  ];
  const app = createApp({
    config,
    logger,
    corpus,
    store,
    // Metrics first (they must see every request), then the limits every route shares.
    middleware: [prometheus.httpMiddleware, urlLimits, requestTimeout(config.REQUEST_TIMEOUT_MS)],
    routes,
    readiness: keyFingerprints ? [{ name: 'keys', check: () => keyFingerprints.check() }] : [],
    ...(site ? { notFound: site.notFound } : {}),
  });
  // A gateway's common request takes its mount's fast lane (adapters/gateway/lane.ts) before
  // express, and so does a search of the API (adapters/http/api-lane.ts).
  const searchLane = createSearchLane({
    trust: app.get('trust proxy fn') as (address: string, hop: number) => boolean,
    search: api.search,
    budget: apiBudget({ limiter: limiters.api, hashAddress, metrics }),
    browserHeaders: (req, res) => securityHeaders(req as never, res as never, () => {}),
    timeoutMs: config.REQUEST_TIMEOUT_MS,
    logger,
    observe: prometheus.observeHttp,
  });
  const lanes = [...routes.flatMap((route) => (route.lane ? [route.lane] : [])), searchLane];
  const server = createServer({ requestTimeout: config.REQUEST_TIMEOUT_MS }, lanesFirst(lanes, app));
  server.keepAliveTimeout = 5000;

  return {
    server,
    app,
    corpus,
    engine,
    store,
    pseudonymize,
    clock,
    metrics,
    prometheus,
    analytics,
    consoleAnalytics,
    consoleRecords,
    sms,
    voice,
    callBacks,
    telegram,
    whatsapp,
    rateLimiter: limiters.person,
    followUp,
    followUpSnapshot,
    liveTranslations,
    mountGateway,
    spending,
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
      // Each instance runs a broadcast worker.
      if (followUp.broadcaster && !broadcastWorker) broadcastWorker = followUp.broadcaster.createWorker();
      if (backingStore instanceof RedisSessionStore && !(await backingStore.waitUntilReady(1500))) {
        logger.warn({}, 'Redis not reachable at start-up: serving degraded until it is');
      }
      // A key that differs from the other instances' is logged now (and /readyz says so).
      await keyFingerprints?.check().catch(() => {});
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          // Telegram starts once HTTP is up (its webhook route must answer); it never delays listening.
          telegram?.start().catch((error: unknown) => logger.error({ err: error }, 'telegram: start failed'));
          // The voice line's prompts are made in the background (language menu and home first).
          voice
            .warmUp()
            .catch((error: unknown) =>
              logger.warn({ err: { message: (error as Error).message } }, 'voice: prompts not synthesised'),
            );
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close: async () => {
      liveTranslations.stop();
      await telegram?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      forced.unref();
      await closed;
      clearTimeout(forced);
      await callBacks.callbacks.flush();
      await sms.close();
      await broadcastWorker?.close();
      await followUp.broadcaster?.close();
      await whatsapp?.close();
      await whatsappOptOuts?.close(); // built here, so closed here (the channel closes only its own)
      await voice.close();
      await consoleAnalytics?.close();
      newsRedis?.disconnect();
      consoleRedis?.disconnect();
      await store.close();
      limiters.redis?.disconnect();
      releaseDataDir?.();
    },
  };
}
