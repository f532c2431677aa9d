import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ's connection options from REDIS_URL (`redis://[user:pass@]host:port[/db]`,
 * `rediss://` for TLS). BullMQ opens and closes its own connections (a worker blocks on one),
 * with `maxRetriesPerRequest: null` as it requires, so they are not the request path's
 * fail-fast client. Sentinel and Cluster: not wired yet (BullMQ supports both; a Cluster
 * needs a hash-tagged queue prefix) — see docs/operations.md.
 */
export function bullConnection(redisUrl: string): () => ConnectionOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.replace(/^\//, '');
  return () => ({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: db === '' ? undefined : Number(db),
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  });
}
