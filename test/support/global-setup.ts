import type { TestProject } from 'vitest/node';
import { redisServerAvailable, startRedisServer, type RedisServer } from './redis-server.js';

let server: RedisServer | undefined;

/** Gives the tests that need Redis a URL: REDIS_URL when set, else a throwaway redis-server. */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.REDIS_URL ?? '';
  if (!url && redisServerAvailable()) {
    server = await startRedisServer();
    url = server.url;
  }
  if (!url) {
    const message =
      '\n\n*** NO REDIS: redis-server is not installed and REDIS_URL is not set. ***\n' +
      '*** The tests that need a real Redis will be SKIPPED (and FAIL under CI=true). ***\n' +
      '*** Install it with: apt-get install redis-server ***\n\n';
    process.stderr.write(message);
  }
  project.provide('redisUrl', url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
