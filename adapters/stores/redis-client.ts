import { Redis, Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/ports/index.js';

export type RedisConnection = Redis | Cluster;

/** The topology settings are optional: a caller may pass only `{ REDIS_URL, REDIS_COMMAND_TIMEOUT_MS }`. */
export type RedisSettings = Partial<
  Pick<Config, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_CLUSTER_NODES'>
> &
  Pick<Config, 'REDIS_COMMAND_TIMEOUT_MS'>;

export interface HostPort {
  host: string;
  port: number;
}

/** Which topology the configuration asks for; Cluster wins over Sentinel, Sentinel over a URL. */
export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; auth: UrlAuth }
  | { kind: 'cluster'; nodes: HostPort[]; auth: UrlAuth };

/** Credentials and TLS carried by REDIS_URL, reused for the data nodes in Sentinel and Cluster modes. */
interface UrlAuth {
  username?: string;
  password?: string;
  db?: number;
  tls: boolean;
}

export class RedisConfigError extends Error {}

/**
 * `host:port,host:port` (also `[::1]:port` and `redis://host:port`). A missing port takes the
 * default; a malformed entry is refused at start-up rather than dialled as port NaN.
 */
export function parseHostPorts(list: string, defaultPort: number, variable: string): HostPort[] {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new RedisConfigError(`${variable}: no host given`);
  return entries.map((raw) => {
    const entry = raw.replace(/^rediss?:\/\//, '').split('/')[0]!;
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(entry);
    const host = match?.[1] ?? match?.[2];
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new RedisConfigError(`${variable}: "${raw}" is not host:port`);
    }
    return { host, port };
  });
}

function urlAuth(url: string | undefined): UrlAuth {
  if (!url) return { tls: false };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisConfigError('REDIS_URL: not a URL (redis://[user:password@]host:port[/db])');
  }
  const db = parsed.pathname.replace(/^\//, '');
  return {
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: db === '' ? undefined : Number(db),
    tls: parsed.protocol === 'rediss:',
  };
}

export function redisTopology(config: RedisSettings): RedisTopology {
  if (config.REDIS_CLUSTER_NODES) {
    return {
      kind: 'cluster',
      nodes: parseHostPorts(config.REDIS_CLUSTER_NODES, 6379, 'REDIS_CLUSTER_NODES'),
      auth: urlAuth(config.REDIS_URL),
    };
  }
  if (config.REDIS_SENTINELS) {
    if (!config.REDIS_SENTINEL_NAME)
      throw new RedisConfigError('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
    return {
      kind: 'sentinel',
      sentinels: parseHostPorts(config.REDIS_SENTINELS, 26379, 'REDIS_SENTINELS'),
      name: config.REDIS_SENTINEL_NAME,
      auth: urlAuth(config.REDIS_URL),
    };
  }
  if (!config.REDIS_URL)
    throw new RedisConfigError('no Redis configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES)');
  urlAuth(config.REDIS_URL);
  return { kind: 'single', url: config.REDIS_URL };
}

/** Reconnect quickly at first, then every 2 s at most: never give up while the service runs. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

/**
 * A client for the request path: a command fails fast (no offline queue, one retry, a command
 * timeout) instead of waiting through ioredis's default minute of reconnects, far past a USSD
 * gateway's deadline. `patient` builds the client for background work (opt-out writes) that
 * may wait for Redis to come back.
 *
 * Topologies, from the configuration:
 * - single: `REDIS_URL` (`redis://[user:pass@]host:port[/db]`, `rediss://` for TLS);
 * - Sentinel: `REDIS_SENTINELS=host:port,...` + `REDIS_SENTINEL_NAME` (the master group name);
 *   ioredis asks the sentinels for the current master and follows fail-overs. REDIS_URL, when
 *   also set, only lends its credentials/db/TLS to the master connection;
 * - Cluster: `REDIS_CLUSTER_NODES=host:port,...` (a few seed nodes are enough; ioredis discovers
 *   the rest). Keys of one person share a hash tag (`ussd:{p_abc}:last`), so they live in one slot.
 */
export function createRedisConnection(
  config: RedisSettings,
  options: { patient?: boolean; logger?: Logger } = {},
): RedisConnection {
  const client = connect(config, options.patient ?? false);
  // Without a listener ioredis prints every failed reconnect to stderr. Commands still reject
  // (and are counted by the instrumented store); the log gets one line per outage.
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < 30_000) return;
    lastLogged = now;
    options.logger?.warn({ err: { message: error.message } }, 'Redis connection error');
  });
  client.on('ready', () => {
    if (lastLogged !== 0) options.logger?.info({}, 'Redis connection ready again');
    lastLogged = 0;
  });
  return client;
}

function connect(config: RedisSettings, patient: boolean): RedisConnection {
  const topology = redisTopology(config);
  const failFast = !patient;
  // autoResendUnfulfilledCommands off on the request path: ioredis would otherwise send again,
  // after a reconnect, a command whose caller was already told it failed (commandTimeout only
  // rejects the promise), e.g. a dedupe SET NX landing after its mark was taken back.
  const perRequest: RedisOptions = failFast
    ? {
        maxRetriesPerRequest: 1,
        commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
        autoResendUnfulfilledCommands: false,
      }
    : { maxRetriesPerRequest: 20 };
  // No auto-pipelining: ioredis wraps every command in a pipeline object (queue, result array,
  // promises) flushed on setImmediate, and holds a tick's commands while the previous batch is
  // unanswered. Measured on the USSD hop (bench/notes.md, 2026-12-02): without it, ~20 % less
  // CPU per hop at saturation and the p99 at 500 hops/s from ~13 ms to ~4 ms (the pipelines
  // outlived their request and were promoted, feeding major GCs). A hop's writes are one
  // command anyway (adapters/stores/ussd-hops.ts).
  const connection: RedisOptions = { connectTimeout: 2000, lazyConnect: false };

  if (topology.kind === 'cluster') {
    const { auth } = topology;
    const clusterOptions: ClusterOptions = {
      // Node connections ignore retryStrategy and enableOfflineQueue in redisOptions: the
      // cluster-level options below are the ones that decide.
      enableOfflineQueue: !failFast,
      clusterRetryStrategy: reconnectDelay,
      // Lets a node that restarts in place (same slots) be reconnected without a MOVED first.
      clusterNodeRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: 1000,
      redisOptions: {
        ...connection,
        ...perRequest,
        username: auth.username,
        password: auth.password,
        ...(auth.tls ? { tls: {} } : {}),
      },
    };
    return new Cluster(topology.nodes, clusterOptions);
  }

  const common: RedisOptions = {
    ...connection,
    ...perRequest,
    enableOfflineQueue: !failFast,
    retryStrategy: reconnectDelay,
  };
  if (topology.kind === 'sentinel') {
    const { auth } = topology;
    return new Redis({
      ...common,
      sentinels: topology.sentinels,
      name: topology.name,
      role: 'master',
      username: auth.username,
      password: auth.password,
      db: auth.db,
      ...(auth.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    });
  }
  return new Redis(topology.url, common);
}
