import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { loadGlossary, type Glossary } from '../src/content/glossary.js';
import { loadLangState, pathsOf, type LangState } from '../src/content/lang-state.js';
import { draftCounts, installTranslations } from '../src/content/localized.js';
import type { Corpus } from '../src/content/schema.js';
import { createEngine } from '../src/core/engine.js';
import { createFollowUpSnapshot, type FollowUpSnapshot } from '../src/followup/snapshot.js';
import type { FollowUpStore } from '../src/followup/store.js';
import { installCatalogs, languages, REFERENCE_LANG } from '../src/i18n/index.js';
import {
  fanOut,
  systemClock,
  type Clock,
  type Logger,
  type Metrics,
  type OptOutRegistry,
  type RateLimiter,
  type SessionStore,
  type UssdHopStore,
} from '../src/ports/index.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import type { SpendKind, SpendLimits } from '../src/spending/caps.js';
import { createLiveTranslations, type LiveTranslations } from '../src/translations/live.js';
import { createMemoryAnalytics } from './analytics/memory.js';
import { createPrometheusAnalytics } from './analytics/prometheus.js';
import { createRedisAnalytics } from './analytics/redis.js';
import type { AnalyticsStore } from './analytics/tally.js';
import { createFollowUpStore } from './broadcast/compose.js';
import { MemoryConsoleRecords, RedisConsoleRecords, type ConsoleRecords } from './console/records.js';
import { createAddressHasher } from './gateway/rate-limit.js';
import { trustProxySetting } from './http/app.js';
import { createPrometheusMetrics } from './metrics/prometheus.js';
import { instrumentSpending } from './metrics/spending.js';
import type { ModuleContext } from './module.js';
import { resolvePhoneHashKey } from './phone-hash-key.js';
import { connections } from './stores/connections.js';
import { InstrumentedSessionStore } from './stores/instrumented-store.js';
import { createKeyFingerprints, type KeyFingerprints } from './stores/key-fingerprints.js';
import { MemorySessionStore } from './stores/memory-store.js';
import { createOptOutRegistry } from './stores/optout.js';
import { MemoryRateLimiter, RedisRateLimiter } from './stores/rate-limiter.js';
import { RedisSessionStore } from './stores/redis-store.js';
import { fileFingerprints } from './stores/single-process.js';
import { MemorySpendingCaps, RedisSpendingCaps, storeSentToday } from './stores/spending-caps.js';
import { RedisUssdHops, storeUssdHops } from './stores/ussd-hops.js';
import type { TurnBudget } from '../src/conversation/turn-state.js';
import { FileTranslationStore } from './translations/file-store.js';
import { RedisTranslationStore } from './translations/redis-store.js';

/**
 * What every module shares, built once from the configuration: the content and the engine,
 * the stores and their Redis clients, the metrics and analytics, the budgets and caps, the
 * follow-ups and translations the console edits. The modules (service.ts) are built on it.
 */
export interface Platform extends Omit<ModuleContext, 'followUp'> {
  /** The store under the instrumentation (a USSD hop's script needs the Redis one). */
  backingStore: SessionStore;
  consoleAnalytics?: AnalyticsStore;
  consoleRecords?: ConsoleRecords;
  keyFingerprints?: KeyFingerprints;
  followUps: FollowUpStore;
  followUpSnapshot: FollowUpSnapshot;
  liveTranslations: LiveTranslations;
  /** Languages the console reviews (a catalog and a translation file), and their glossaries. */
  reviewable: ReturnType<typeof languages>;
  glossaries: Map<string, Glossary>;
  /** STOP lists, built here: broadcasts check them too, at send time. */
  optOuts: { sms: OptOutRegistry; whatsapp?: OptOutRegistry };
  /** Login and other 15-minute budgets of the operators' tools. */
  quarterLimiter(limit: number): RateLimiter;
  /** A USSD hop's reads and writes in one round trip each. */
  ussdHops: UssdHopStore;
  /** How an SMS turn counts the person's budget in its one read (src/conversation/turn-state.ts). */
  smsBudget: TurnBudget;
}

export interface PlatformOverrides {
  corpus?: Corpus;
  store?: SessionStore;
  clock?: Clock;
  optOuts?: OptOutRegistry;
}

export function createPlatform(config: Config, logger: Logger, overrides: PlatformOverrides = {}): Platform {
  // The languages first: a broken catalog stops start-up with one line, like a broken corpus.
  installCatalogs(config.CATALOG_DIR);
  const corpus = overrides.corpus ?? loadCorpus(config.CONTENT_FILE);
  // Our translations next, checked against the corpus; a broken file stops start-up in one line.
  installTranslations(config.TRANSLATIONS_DIR, corpus, config.serveDraftTranslations);
  logger.info(
    { serveDrafts: config.serveDraftTranslations, drafts: draftCounts() },
    'translations loaded (drafts per language)',
  );
  const clock = overrides.clock ?? systemClock;
  // Every Redis client, by role (adapters/stores/connections.ts); none when embedded.
  const redis = connections(config, logger);
  // Follow-ups before the engine (it shows them under a recommendation, read from memory);
  // a patient client: editors' writes and broadcast bookkeeping may wait for Redis.
  const newsRedis = redis.client('news');
  const followUps = createFollowUpStore(config, newsRedis);
  const followUpSnapshot = createFollowUpSnapshot(followUps, {
    clock,
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
  const metrics: Metrics = prometheus;
  const sessionsRedis = redis.client('sessions');
  const backingStore =
    overrides.store ??
    (sessionsRedis
      ? new RedisSessionStore(sessionsRedis, config.REDIS_KEY_PREFIX)
      : new MemorySessionStore());
  // Every failed store operation is counted (dim_store_errors_total) and rethrown unchanged.
  const store: SessionStore = new InstrumentedSessionStore(backingStore, metrics);
  const limitsRedis = redis.client('limits');
  const limiter = (limit: number, windowMs = 60_000): RateLimiter =>
    limitsRedis
      ? new RedisRateLimiter(limitsRedis, limit, {
          windowMs,
          prefix: config.REDIS_KEY_PREFIX,
          logger,
          metrics,
        })
      : new MemoryRateLimiter(limit, windowMs, windowMs === 60_000 ? systemClock : clock);
  const limiters = {
    person: limiter(config.RATE_LIMIT_PER_MINUTE),
    reading: limiter(config.TELEGRAM_READING_PER_MINUTE),
    api: limiter(config.API_RATE_LIMIT_PER_MINUTE),
  };
  const consoleOn = config.consoleAccounts.length > 0;
  const analyticsOptions = {
    retentionDays: config.ANALYTICS_RETENTION_DAYS,
    clock,
    onError: (error: unknown) => {
      prometheus.storeError('analytics');
      logger.warn({ err: { message: (error as Error).message } }, 'analytics: an event was not counted');
    },
  };
  // A patient connection (offline queue, retries): counting is off the request path, and an
  // event recorded while the connection is still being made must not be lost.
  const consoleRedis = consoleOn ? redis.client('console') : undefined;
  // The console's aggregates are kept only when someone can read them; Prometheus always counts.
  const consoleAnalytics: AnalyticsStore | undefined = !consoleOn
    ? undefined
    : consoleRedis
      ? createRedisAnalytics(consoleRedis, { ...analyticsOptions, prefix: config.REDIS_KEY_PREFIX })
      : createMemoryAnalytics(analyticsOptions);
  const retention = {
    auditRetentionDays: config.CONSOLE_AUDIT_RETENTION_DAYS,
    toFixRetentionDays: config.ANALYTICS_RETENTION_DAYS,
    clock,
  };
  const consoleRecords: ConsoleRecords | undefined = !consoleOn
    ? undefined
    : consoleRedis
      ? new RedisConsoleRecords(consoleRedis, { prefix: config.REDIS_KEY_PREFIX, ...retention })
      : new MemoryConsoleRecords(retention);
  // Channels record their events (replies, searches that missed, SMS segments, screens,
  // reactions) through `analytics`; Prometheus keeps counting replies through `metrics`.
  const analytics = fanOut(
    createPrometheusAnalytics(prometheus.registry),
    ...(consoleAnalytics ? [consoleAnalytics] : []),
  );
  // Outside production a missing key is created once under DATA_DIR: stored opt-outs must outlive a restart.
  const phoneHashKey = resolvePhoneHashKey(config);
  const pseudonymize = createPseudonymizer(phoneHashKey);
  // Instances on one store must share its keys (and a single process its keys of yesterday,
  // whose pseudonyms its journals hold): a mismatch keeps it out of rotation.
  const fingerprintStore = redis.redis
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
  // Daily caps on what the service pays for (SMS segments, calls), shared through the store.
  const spending = instrumentSpending(
    prometheus.registry,
    limitsRedis
      ? new RedisSpendingCaps(limitsRedis, spendLimits(config), {
          prefix: config.REDIS_KEY_PREFIX,
          clock,
          logger,
          metrics,
        })
      : new MemorySpendingCaps(spendLimits(config), clock),
    storeSentToday(store, clock),
  );
  const whatsappOn = config.whatsappEnabled || devWhatsAppOn(config);
  return {
    ...{ config, logger, corpus, engine, store, backingStore, clock, pseudonymize, metrics, prometheus },
    ...{ analytics, redis, limiters, spending, consoleAnalytics, consoleRecords, keyFingerprints },
    ...{ followUps, followUpSnapshot, liveTranslations, reviewable, glossaries },
    hashAddress: createAddressHasher(config.PHONE_HASH_KEY),
    trust: trustProxySetting(config),
    optOuts: {
      sms: overrides.optOuts ?? createOptOutRegistry(config, redis, logger, clock, 'sms'),
      ...(whatsappOn ? { whatsapp: createOptOutRegistry(config, redis, logger, clock, 'whatsapp') } : {}),
    },
    quarterLimiter: (limit) => limiter(limit, 15 * 60_000),
    ussdHops:
      backingStore instanceof RedisSessionStore && limiters.person instanceof RedisRateLimiter
        ? new RedisUssdHops(backingStore, limiters.person, config.REDIS_COMMAND_TIMEOUT_MS)
        : storeUssdHops(store, limiters.person, config.REDIS_COMMAND_TIMEOUT_MS),
    // As the hop: in the read script where the store and the limiter are Redis, else the limiter first.
    smsBudget:
      backingStore instanceof RedisSessionStore && limiters.person instanceof RedisRateLimiter
        ? { script: limiters.person }
        : { limiter: limiters.person },
  };
}

/**
 * The simulator's WhatsApp chat (outside production, WHATSAPP_* unset): the real channel with
 * secrets of this process only, its Graph API a memory sink, as SMS has its outbox.
 */
export function devWhatsAppOn(config: Config): boolean {
  return !config.production && config.simulatorEnabled && !config.whatsappEnabled;
}

/** The spending caps of the configuration (per UTC day). */
function spendLimits(config: Config): Record<SpendKind, SpendLimits> {
  return {
    sms: { person: config.SMS_SEGMENTS_PERSON_PER_DAY, service: config.SMS_SEGMENTS_SERVICE_PER_DAY },
    // Each person's call backs are counted by the call backs themselves (VOICE_CALLBACK_PER_DAY).
    call: { service: config.VOICE_CALLBACK_SERVICE_PER_DAY },
  };
}
