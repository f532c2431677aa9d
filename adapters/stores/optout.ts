import type { Config } from '../../src/config.js';
import type { Clock, Logger, OptOutRegistry } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import { FileOptOutRegistry, OPT_OUT_FILE } from './optout-file.js';
import { createRedisConnection, type RedisSettings } from './redis-client.js';
import { RedisOptOutRegistry } from './optout-redis.js';

/**
 * The durable opt-out list of one text channel: a Redis SET when Redis is configured, else an
 * fsynced journal under DATA_DIR. One list per channel (SMS keeps its historical names), since
 * STOP on one channel says nothing about another.
 */
export type OptOutSettings = RedisSettings & Pick<Config, 'REDIS_KEY_PREFIX' | 'DATA_DIR'>;

export function createOptOutRegistry(
  config: OptOutSettings,
  logger: Logger,
  clock: Clock,
  channel: 'sms' | 'whatsapp',
): OptOutRegistry {
  if (config.REDIS_URL || config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES) {
    // A patient client of its own: an opt-out write waits for Redis to come back.
    const redis = createRedisConnection(config, { patient: true });
    return new RedisOptOutRegistry(redis, logger, `${config.REDIS_KEY_PREFIX}${storeKeys.optOuts(channel)}`);
  }
  return new FileOptOutRegistry(
    config.DATA_DIR,
    clock,
    channel === 'sms' ? OPT_OUT_FILE : `${channel}-optout.log`,
  );
}
