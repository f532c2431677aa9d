import { inject } from 'vitest';
import { describeWhen } from './describe-when.js';

/** `describe` for suites that need a real Redis (the one global-setup spawned, or REDIS_URL). */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  const url = inject('redisUrl');
  describeWhen(Boolean(url), 'Redis (REDIS_URL unset and redis-server)', name, () => body(url ?? ''));
}
