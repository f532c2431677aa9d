import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import type { Corpus } from '../src/content/schema.js';
import {
  noMetrics,
  systemClock,
  type Clock,
  type Logger,
  type Metrics,
  type SessionStore,
} from '../src/ports/index.js';
import { createPseudonymizer, type Pseudonymizer } from '../src/privacy/pseudonym.js';
import { createApp } from './http/app.js';
import { MemorySessionStore } from './stores/memory-store.js';
import { createRedisConnection } from './stores/redis-client.js';
import { RedisSessionStore } from './stores/redis-store.js';

export interface Service {
  server: Server;
  corpus: Corpus;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  metrics: Metrics;
  /** Listens on config.PORT (0 picks a free port) and resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), closes stores. */
  close(): Promise<void>;
}

function createStore(config: Config): SessionStore {
  const redisConfigured = config.REDIS_URL || config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES;
  if (!redisConfigured) return new MemorySessionStore();
  return new RedisSessionStore(createRedisConnection(config), config.REDIS_KEY_PREFIX);
}

/** The composition root: every dependency is built here from the configuration, once. */
export function createService(
  config: Config,
  logger: Logger,
  overrides: { corpus?: Corpus; store?: SessionStore; clock?: Clock } = {},
): Service {
  const corpus = overrides.corpus ?? loadCorpus(config.CONTENT_FILE);
  const store = overrides.store ?? createStore(config);
  const clock = overrides.clock ?? systemClock;
  // Outside production a missing key gets a random one per process: pseudonyms then only hold for this run.
  const pseudonymize = createPseudonymizer(config.PHONE_HASH_KEY);
  const metrics: Metrics = noMetrics;
  const app = createApp({ config, logger, corpus, store });
  const server = createServer({ requestTimeout: config.REQUEST_TIMEOUT_MS }, app);
  server.keepAliveTimeout = 5000;

  return {
    server,
    corpus,
    store,
    pseudonymize,
    clock,
    metrics,
    listen: async () => {
      if (store instanceof RedisSessionStore && !(await store.waitUntilReady(1500))) {
        logger.warn({}, 'Redis not reachable at start-up: serving degraded until it is');
      }
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve((server.address() as AddressInfo).port));
      });
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      forced.unref();
      await closed;
      clearTimeout(forced);
      await store.close();
    },
  };
}
