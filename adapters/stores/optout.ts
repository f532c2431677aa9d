import type { Config } from '../../src/config.js';
import type { Clock, Logger, OptOutRegistry } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import { FileOptOutRegistry, OPT_OUT_FILE } from './optout-file.js';
import type { Connections } from './connections.js';
import { RedisOptOutRegistry } from './optout-redis.js';

/**
 * The durable opt-out list of one text channel: a Redis SET when Redis is configured, else an
 * fsynced journal under DATA_DIR. One list per channel (SMS keeps its historical names), since
 * STOP on one channel says nothing about another.
 */
export type OptOutSettings = Pick<Config, 'REDIS_KEY_PREFIX' | 'DATA_DIR'>;

export function createOptOutRegistry(
  config: OptOutSettings,
  redis: Connections,
  logger: Logger,
  clock: Clock,
  channel: 'sms' | 'whatsapp',
): OptOutRegistry {
  // A patient client of its own (closed with the registry): an opt-out write waits for Redis.
  const client = redis.client(`optouts:${channel}`);
  if (client) {
    return new RedisOptOutRegistry(client, logger, `${config.REDIS_KEY_PREFIX}${storeKeys.optOuts(channel)}`);
  }
  return new FileOptOutRegistry(
    config.DATA_DIR,
    clock,
    channel === 'sms' ? OPT_OUT_FILE : `${channel}-optout.log`,
  );
}
