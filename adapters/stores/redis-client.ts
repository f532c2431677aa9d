import { Redis, Cluster, type RedisOptions } from 'ioredis';
import type { Config } from '../../src/config.js';

export type RedisConnection = Redis | Cluster;

/**
 * A client for the request path: a command fails fast instead of waiting through ioredis's
 * default minute of reconnects, far past a USSD gateway's deadline. `patient` builds the
 * client for background work (opt-out writes) that may wait for Redis to come back.
 */
export function createRedisConnection(
  config: Pick<
    Config,
    | 'REDIS_URL'
    | 'REDIS_SENTINELS'
    | 'REDIS_SENTINEL_NAME'
    | 'REDIS_CLUSTER_NODES'
    | 'REDIS_COMMAND_TIMEOUT_MS'
  >,
  options: { patient?: boolean } = {},
): RedisConnection {
  const requestPath: RedisOptions = options.patient
    ? { maxRetriesPerRequest: 20, enableOfflineQueue: true }
    : { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS };
  const common: RedisOptions = {
    ...requestPath,
    connectTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  };
  if (config.REDIS_CLUSTER_NODES) {
    const nodes = config.REDIS_CLUSTER_NODES.split(',').map((hostPort) => {
      const [host, port] = hostPort.trim().split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
    });
    return new Cluster(nodes, {
      redisOptions: common,
      enableOfflineQueue: common.enableOfflineQueue ?? true,
    });
  }
  if (config.REDIS_SENTINELS && config.REDIS_SENTINEL_NAME) {
    const sentinels = config.REDIS_SENTINELS.split(',').map((hostPort) => {
      const [host, port] = hostPort.trim().split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 26379) };
    });
    return new Redis({ ...common, sentinels, name: config.REDIS_SENTINEL_NAME });
  }
  return new Redis(config.REDIS_URL ?? 'redis://127.0.0.1:6379', common);
}
