import { Api } from 'grammy';
import { createBroadcaster } from '../../adapters/broadcast/broadcaster.js';
import { bullConnection } from '../../adapters/broadcast/connection.js';
import {
  africasTalkingBulkSender,
  telegramSender,
  whatsappSender,
} from '../../adapters/broadcast/gateway-senders.js';
import type { GatewayLimits } from '../../adapters/broadcast/limits.js';
import { channelBroadcastSender } from '../../adapters/broadcast/senders.js';
import { countSegments } from '../../adapters/sms/segments.js';
import { RedisOptOutRegistry } from '../../adapters/stores/optout-redis.js';
import { createRedisConnection } from '../../adapters/stores/redis-client.js';
import { RedisSessionStore } from '../../adapters/stores/redis-store.js';
import { RedisSubscriptionStore } from '../../adapters/subscriptions/redis-store.js';
import { createServiceWindow } from '../../adapters/whatsapp/state.js';
import { createAddressCipher } from '../../src/privacy/address-cipher.js';
import { broadcastPost, createGraphClient } from '../../adapters/whatsapp/graph-client.js';
import { atFetchTransport } from './fake-gateways.js';

/** Where a broadcaster's three gateways are (fake ones) and how it runs; what a worker process gets. */
export interface GatewaySetup {
  redisUrl: string;
  prefix: string;
  subscribersKey: string;
  atUrl: string;
  telegramUrl: string;
  whatsappUrl: string;
  whatsappTemplate?: string;
  limits: GatewayLimits;
  attempts?: number;
  backoffMs?: number;
}

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/**
 * A broadcaster wired as production wires it (per-gateway queues and limits, the gateway
 * senders, the opt-out SET with a patient check, the WhatsApp window from the channel's keys),
 * its gateways being the fakes of fake-gateways.ts; Telegram through grammY's own client,
 * WhatsApp through the channel's Graph client.
 */
export function gatewayBroadcaster(setup: GatewaySetup) {
  const settings = { REDIS_URL: setup.redisUrl, REDIS_COMMAND_TIMEOUT_MS: 2000 };
  const patient = () => createRedisConnection(settings, { patient: true });
  const window = createServiceWindow(new RedisSessionStore(patient(), setup.prefix, 10_000), {
    now: Date.now,
  });
  const api = new Api('123:fake', { apiRoot: setup.telegramUrl });
  const sender = channelBroadcastSender({
    sms: africasTalkingBulkSender(atFetchTransport(setup.atUrl)),
    telegram: telegramSender((chat, text) => api.sendMessage(chat, text)),
    whatsapp: whatsappSender({
      windowOpen: (pseudonym) => window.isOpen(pseudonym),
      ...(setup.whatsappTemplate ? { template: setup.whatsappTemplate } : {}),
      // The channel's own Graph client, one attempt a send, as production posts (whatsapp/module.ts).
      post: broadcastPost(
        createGraphClient({
          apiRoot: setup.whatsappUrl,
          version: 'v21.0',
          phoneNumberId: '100200300',
          token: 'test',
          logger: silent,
        }),
        'fr',
      ),
    }),
  });
  return createBroadcaster({
    redis: patient(),
    connection: bullConnection(setup.redisUrl),
    keyPrefix: setup.prefix,
    subscriptions: new RedisSubscriptionStore(patient(), setup.prefix),
    optOut: new RedisOptOutRegistry(patient(), silent, `${setup.prefix}sms:optout`, 2000, 10_000),
    cipher: createAddressCipher(setup.subscribersKey),
    sender,
    countSegments,
    costPerSegment: 0,
    limits: setup.limits,
    attempts: setup.attempts ?? 8,
    backoffMs: setup.backoffMs ?? 200,
    logger: silent,
  });
}
