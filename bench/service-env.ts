import { readFileSync } from 'node:fs';

/**
 * How the benchmarks start the service (bench/run.ts's real targets, bench/alone.mjs): the
 * image's heap bounds, production mode, and budgets raised for a generator with few phones.
 */
export const BENCH_TOKEN = 'bench-webhook-token-0123456789abcdef';
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** The heap bounds the image sets (Dockerfile `ENV NODE_OPTIONS`): measure what is deployed. */
export const IMAGE_NODE_OPTIONS =
  /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(
    readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'),
  )?.[1] ?? '';

export function serviceEnv(redisUrl: string, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? IMAGE_NODE_OPTIONS,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    REDIS_URL: redisUrl,
    WEBHOOK_TOKEN: BENCH_TOKEN,
    PHONE_HASH_KEY: 'bench-phone-hash-key-0123456789abcdef',
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    LOG_LEVEL: 'info',
    // The per-person and per-address budgets would refuse the generator's few phones and its
    // single address: raised, not removed (the limiters still count every request in Redis).
    RATE_LIMIT_PER_MINUTE: '100000',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    // The daily SMS caps likewise: at their defaults (60 a person, 20,000 the service) a run
    // spends them in seconds and then measures refusals; raised, each reply still reserves.
    SMS_SEGMENTS_PERSON_PER_DAY: '100000',
    SMS_SEGMENTS_SERVICE_PER_DAY: '100000000',
    // The text channels are measured: no voice prompts synthesised in the background meanwhile.
    VOICE_SYNTHESIS: 'off',
  };
}
