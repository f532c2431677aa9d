import type { RequestHandler, Router } from 'express';
import type { Corpus } from '../src/content/schema.js';
import type { Config } from '../src/config.js';
import type { Engine } from '../src/core/types.js';
import type { FollowUpDeps } from '../src/followup/turn.js';
import type { Analytics, Clock, Logger, Metrics, RateLimiter, SessionStore } from '../src/ports/index.js';
import type { Pseudonymizer } from '../src/privacy/pseudonym.js';
import type { SentToday, SpendingCaps } from '../src/spending/caps.js';
import type { SubscriptionChannel } from '../src/subscriptions/model.js';
import type { ChannelSender } from './broadcast/gateway-senders.js';
import type { GatewayHandler } from './gateway/contract.js';
import type { RawLane } from './gateway/runner.js';
import type { PrometheusMetrics } from './metrics/prometheus.js';
import type { Connections } from './stores/connections.js';

/**
 * The one shape of a module of the service (a channel, an operator's tool): `create(ctx)`
 * returns what the service plugs in, and nothing else is wired by hand. A new channel is its
 * folder and one line in `adapters/service.ts`.
 */
export interface ServiceModule {
  /** Express routes, mounted in the order of the module list. */
  routes: Array<{ path: string; router: Router }>;
  /** Tried before the app's JSON 404 (the public site's HTML 404 page for browsers); may pass it on. */
  notFound?: RequestHandler;
  /** A gateway webhook, served by the gateway runner before express (adapters/gateway/). */
  gateway?: GatewayHandler;
  /** A request handler tried before express (the search's lane). */
  lane?: RawLane;
  /** How a broadcast reaches a subscriber of this channel. */
  sender?: { channel: SubscriptionChannel; send: ChannelSender };
  /** Once the server listens (Telegram's webhook or polling, the voice line's prompts). */
  start?(): Promise<void>;
  /** Stops it; the service closes modules in the reverse order of the list. */
  close?(): Promise<void>;
}

/** What every module may use: built once from the configuration (adapters/platform.ts). */
export interface ModuleContext {
  config: Config;
  logger: Logger;
  corpus: Corpus;
  engine: Engine;
  /** The instrumented session store (every failure counted). */
  store: SessionStore;
  clock: Clock;
  pseudonymize: Pseudonymizer;
  metrics: Metrics;
  prometheus: PrometheusMetrics;
  analytics: Analytics;
  redis: Connections;
  limiters: { person: RateLimiter; reading: RateLimiter; api: RateLimiter };
  hashAddress: (address: string) => string;
  spending: { caps: SpendingCaps; sentToday: SentToday };
  /** SUIVI, ABONNE, DESABONNE in the text channels. */
  followUp: FollowUpDeps;
  /** Which proxies to believe (express's compiled `trust proxy`). */
  trust: (address: string, hop: number) => boolean;
}
