/**
 * A broadcast worker in its own process, as an instance of the service would run it, so a
 * test can SIGKILL it mid-broadcast. Configured by environment; prints "ready" once listening.
 */
import { createBroadcaster } from '../../adapters/broadcast/broadcaster.js';
import { bullConnection } from '../../adapters/broadcast/connection.js';
import { countSegments } from '../../adapters/sms/segments.js';
import { RedisOptOutRegistry } from '../../adapters/stores/optout-redis.js';
import { createRedisConnection } from '../../adapters/stores/redis-client.js';
import { RedisSubscriptionStore } from '../../adapters/subscriptions/redis-store.js';
import { createAddressCipher } from '../../src/privacy/address-cipher.js';
import { httpBroadcastSender } from './broadcast-gateway.js';

const env = process.env as Record<string, string>;
const settings = { REDIS_URL: env.REDIS_URL!, REDIS_COMMAND_TIMEOUT_MS: 2000 };
const redis = createRedisConnection(settings, { patient: true });
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const broadcaster = createBroadcaster({
  redis,
  connection: bullConnection(env.REDIS_URL!),
  keyPrefix: env.PREFIX,
  subscriptions: new RedisSubscriptionStore(createRedisConnection(settings, { patient: true }), env.PREFIX),
  // A background job has no webhook deadline: wait up to 10 s for the opt-out check rather
  // than count a slow answer as "opted out" (the request path's 500 ms rule).
  optOut: new RedisOptOutRegistry(
    createRedisConnection(settings, { patient: true }),
    silent,
    `${env.PREFIX}sms:optout`,
    2000,
    10_000,
  ),
  cipher: createAddressCipher(env.SUBSCRIBERS_KEY!),
  sender: httpBroadcastSender(env.GATEWAY!),
  countSegments,
  costPerSegment: 0,
  limits: {
    sms: { requestsPerSecond: Number(env.RATE), recipientsPerRequest: 1 },
    telegram: { requestsPerSecond: Number(env.RATE), recipientsPerRequest: 1 },
    whatsapp: { requestsPerSecond: Number(env.RATE), recipientsPerRequest: 1 },
  },
  backoffMs: 100,
  logger: silent,
});
const worker = broadcaster.createWorker({ concurrency: 20, lockDurationMs: 1500, stalledIntervalMs: 500 });
await worker.waitUntilReady();
process.stdout.write('ready\n');
