import AfricasTalking from 'africastalking';
import { Api } from 'grammy';
import type { Config } from '../../src/config.js';
import type { SmsSender } from '../../src/ports/index.js';
import type { BroadcastSender } from '../../src/broadcast/model.js';
import type { FollowUpStore } from '../../src/followup/store.js';
import type { Logger, OptOutRegistry } from '../../src/ports/index.js';
import { createAddressCipher } from '../../src/privacy/address-cipher.js';
import { createSubscriptions, type Subscriptions } from '../../src/subscriptions/service.js';
import type { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FileFollowUpStore } from '../followup/file-store.js';
import { RedisFollowUpStore } from '../followup/redis-store.js';
import { countSegments } from '../sms/segments.js';
import type { RedisConnection } from '../stores/redis-client.js';
import { FileSubscriptionStore } from '../subscriptions/file-store.js';
import { RedisSubscriptionStore } from '../subscriptions/redis-store.js';
import { createBroadcaster, type Broadcaster } from './broadcaster.js';
import { bullConnection } from './connection.js';
import { gatewayLimits, type GatewayLimitSettings } from './limits.js';
import {
  africasTalkingBulkSender,
  atSdkTransport,
  telegramSender,
  type ChannelSender,
} from './gateway-senders.js';
import { smsChannelSender } from './senders.js';

export type FollowUpConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'REDIS_URL'
  | 'REDIS_KEY_PREFIX'
  | 'SUBSCRIBERS_KEY'
  | 'SUBSCRIPTION_TTL_DAYS'
  | keyof GatewayLimitSettings
  | 'SMS_SEGMENT_COST'
>;

export interface FollowUpModule {
  followUps: FollowUpStore;
  /** Undefined without SUBSCRIBERS_KEY: ABONNE answers that subscriptions are unavailable. */
  subscriptions?: Subscriptions;
  subscriptionStore?: SubscriptionStore;
  /** Undefined without Redis: BullMQ needs it. */
  broadcaster?: Broadcaster;
  /** Why broadcasts are off, for the console and the start-up log. */
  broadcastsDisabled?: string;
}

/** Follow-up entries: in Redis when there is one (shared by instances), else a file under DATA_DIR. */
export function createFollowUpStore(
  config: Pick<Config, 'DATA_DIR' | 'REDIS_KEY_PREFIX'>,
  redis?: RedisConnection,
): FollowUpStore {
  return redis
    ? new RedisFollowUpStore(redis, config.REDIS_KEY_PREFIX)
    : new FileFollowUpStore(config.DATA_DIR);
}

/**
 * Builds the follow-up store, subscriptions and broadcaster from the configuration, for the
 * composition root:
 * - with Redis (`redis`: a patient client, and REDIS_URL): Redis stores and the BullMQ
 *   broadcaster (the caller starts a worker per instance with `broadcaster.createWorker()`);
 * - embedded (no Redis): follow-ups and subscriptions in files under DATA_DIR, and broadcasts
 *   disabled with a clear reason. There is no home-made queue: a broadcast to hundreds of
 *   people must survive a restart and run on several instances, which is BullMQ's job.
 * The opt-out registry given here is the one the SMS channel writes on STOP; give the
 * broadcast worker the same list with a long check deadline (`broadcastOptOut`).
 */
export function createFollowUpModule(
  config: FollowUpConfig,
  deps: {
    redis?: RedisConnection;
    optOut: OptOutRegistry;
    /**
     * The registry the broadcast worker checks before each send: the same list, with a long
     * check deadline (a slow answer from the request path's registry counts as "opted out").
     */
    broadcastOptOut?: OptOutRegistry;
    sender?: BroadcastSender;
    /** The follow-up store, when the caller built it first (the engine reads it). */
    followUps?: FollowUpStore;
    themeCount: number;
    logger: Logger;
  },
): FollowUpModule {
  const prefix = config.REDIS_KEY_PREFIX;
  const ttlSeconds = config.SUBSCRIPTION_TTL_DAYS * 24 * 3600;
  const followUps = deps.followUps ?? createFollowUpStore(config, deps.redis);
  if (!config.SUBSCRIBERS_KEY) {
    return { followUps, broadcastsDisabled: 'SUBSCRIBERS_KEY is not set: no subscriptions, no broadcasts' };
  }
  const cipher = createAddressCipher(config.SUBSCRIBERS_KEY);
  const subscriptionStore: SubscriptionStore = deps.redis
    ? new RedisSubscriptionStore(deps.redis, prefix, ttlSeconds)
    : new FileSubscriptionStore(config.DATA_DIR, Date.now(), ttlSeconds);
  const subscriptions = createSubscriptions({
    store: subscriptionStore,
    optOut: deps.optOut,
    cipher,
    clock: { now: Date.now },
    themeCount: deps.themeCount,
  });
  if (!deps.redis || !config.REDIS_URL) {
    return {
      followUps,
      subscriptions,
      subscriptionStore,
      broadcastsDisabled: 'broadcasts need Redis (REDIS_URL): disabled in the embedded mode',
    };
  }
  if (!deps.sender)
    return { followUps, subscriptions, subscriptionStore, broadcastsDisabled: 'no sender configured' };
  const broadcaster = createBroadcaster({
    redis: deps.redis,
    connection: bullConnection(config.REDIS_URL),
    keyPrefix: prefix,
    subscriptions: subscriptionStore,
    optOut: deps.broadcastOptOut ?? deps.optOut,
    cipher,
    sender: deps.sender,
    countSegments,
    costPerSegment: config.SMS_SEGMENT_COST,
    limits: gatewayLimits(config),
    logger: deps.logger,
  });
  return { followUps, subscriptions, subscriptionStore, broadcaster };
}

/**
 * SMS's broadcast sender (the SMS module registers it): in bulk through Africa's Talking's SDK
 * when AT is configured, else the channel's own one-number sender (the dev outbox).
 */
export function smsBroadcastSender(
  config: Pick<Config, 'AT_USERNAME' | 'AT_API_KEY' | 'AT_SHORTCODE'>,
  sms: SmsSender,
): ChannelSender {
  return config.AT_USERNAME && config.AT_API_KEY
    ? africasTalkingBulkSender(
        atSdkTransport(
          AfricasTalking({ username: config.AT_USERNAME, apiKey: config.AT_API_KEY }).SMS,
          config.AT_SHORTCODE,
        ),
      )
    : smsChannelSender(sms);
}

/**
 * Telegram's broadcast sender (the Telegram module registers it): a Bot API client of its own,
 * without auto-retry, so that a 429's retry_after is obeyed by every worker through the queue,
 * not slept on inside one request.
 */
export function telegramBroadcastSender(
  config: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT'> & { TELEGRAM_BOT_TOKEN: string },
): ChannelSender {
  const apiRoot = config.TELEGRAM_API_ROOT?.replace(/(?<!\/)\/+$/, '');
  const api = new Api(config.TELEGRAM_BOT_TOKEN, apiRoot ? { apiRoot } : undefined);
  return telegramSender((chat, text) => api.sendMessage(chat, text));
}
