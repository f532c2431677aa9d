import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/ports/index.js';
import { createRedisConnection, type RedisConnection, type RedisSettings } from './redis-client.js';

/**
 * Every Redis client of the service, built here and nowhere else; "is Redis configured" is
 * decided once (`config.embedded`, src/config.ts). Each role has its own client, made on first
 * use and shared by whatever asks for the same role:
 * - `sessions`, `limits`: the request path (fail fast: a command times out after
 *   REDIS_COMMAND_TIMEOUT_MS and is not sent again); the session store on one, the budgets,
 *   spending caps and login limits on the other, so a burst of one never queues the other;
 * - `news`, `console`, `optouts:<channel>`: patient (an offline queue, retries): editors' writes,
 *   broadcast bookkeeping, published translations; the console's counts and records; the STOP
 *   lists, whose writes must wait for Redis rather than be lost.
 * Embedded (no Redis configured): every role is undefined and the callers use memory or files.
 */
type FastRole = 'sessions' | 'limits';
type PatientRole = 'news' | 'console' | `optouts:${'sms' | 'whatsapp'}`;

export interface Connections {
  /** True when REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES is set. */
  readonly redis: boolean;
  client(role: FastRole | PatientRole): RedisConnection | undefined;
  /** Disconnects every client made (a caller that closes its own need not). */
  close(): void;
}

const PATIENT = new Set<string>(['news', 'console', 'optouts:sms', 'optouts:whatsapp']);

export function connections(config: RedisSettings & Pick<Config, 'embedded'>, logger?: Logger): Connections {
  const made = new Map<string, RedisConnection>();
  return {
    redis: !config.embedded,
    client(role) {
      if (config.embedded) return undefined;
      let client = made.get(role);
      if (!client) {
        client = createRedisConnection(config, { patient: PATIENT.has(role), ...(logger ? { logger } : {}) });
        made.set(role, client);
      }
      return client;
    },
    close() {
      for (const client of made.values()) client.disconnect();
      made.clear();
    },
  };
}
