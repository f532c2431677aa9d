import { describe, inject } from 'vitest';
import { redisServerAvailable } from './redis-server.js';

/**
 * `describe` for suites that need a real Redis. Without one they are skipped with a loud
 * warning, except under CI=true where a missing Redis fails the run.
 */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  const url = inject('redisUrl');
  if (url) {
    describe(name, () => body(url));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error('CI=true but no Redis is available (REDIS_URL unset and redis-server missing)');
    });
    return;
  }
  process.stderr.write(`\n*** SKIPPED (no Redis): ${name} ***\n`);
  describe.skip(name, () => body(''));
}

export { redisServerAvailable };
