import { z } from 'zod';

/**
 * All configuration comes from the environment and is validated once at start-up. Every
 * setting has a safe default so `npm start` runs with nothing installed but Node; production
 * mode demands the three secrets without which the service would be unsafe.
 */
const onOff = z.enum(['on', 'off']);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const ussdKey = (def: string) =>
  z
    .string()
    .regex(/^\d{1,3}$/, 'must be 1 to 3 digits')
    .default(def);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(3000, 0, 65535),
    HOST: z.string().default('0.0.0.0'),
    /**
     * Which proxies' X-Forwarded-For to believe (express `trust proxy`): presets `loopback`,
     * `linklocal`, `uniquelocal`, addresses or CIDRs, comma-separated, or a hop count. Behind the
     * compose file's nginx, `uniquelocal`; otherwise every API client looks like the proxy.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(\d{1,2}|[A-Za-z0-9.:/_, -]+)$/, 'must be a hop count or addresses/CIDRs/presets')
      .default('loopback'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CONTENT_FILE: z.string().default('content/recommendations.json'),
    LEXICON_FILE: z.string().default('content/lexicon.json'),
    DATA_DIR: z.string().default('./data'),
    REDIS_URL: optionalString,
    REDIS_SENTINELS: optionalString,
    REDIS_SENTINEL_NAME: optionalString,
    REDIS_CLUSTER_NODES: optionalString,
    REDIS_KEY_PREFIX: z.string().default('dim:'),
    REDIS_COMMAND_TIMEOUT_MS: int(300, 20, 10_000),
    PHONE_HASH_KEY: optionalString,
    WEBHOOK_TOKEN: optionalString,
    WEBHOOK_BASIC_AUTH: optionalString,
    METRICS_TOKEN: optionalString,
    SIMULATOR: onOff.optional(),
    // Below 100 the main menu (5 choices and quit) no longer fits with its navigation line.
    USSD_MAX_CHARS: int(160, 100, 182),
    USSD_ALPHABET: z.enum(['gsm', 'ascii']).default('gsm'),
    USSD_KEY_BACK: ussdKey('0'),
    USSD_KEY_HOME: ussdKey('00'),
    USSD_KEY_MORE: ussdKey('98'),
    USSD_SESSION_TTL_SECONDS: int(300, 30, 3600),
    USSD_RESUME_WINDOW_SECONDS: int(300, 0, 3600),
    SMS_MAX_SEGMENTS: int(2, 1, 10),
    // Follow-up, subscriptions and broadcasts (docs/operations.md, "Subscriptions and broadcasts").
    // Without SUBSCRIBERS_KEY nobody can subscribe: a number is never stored unsealed.
    SUBSCRIBERS_KEY: optionalString,
    SUBSCRIPTION_TTL_DAYS: int(365, 1, 3650),
    BROADCAST_RATE_PER_SECOND: int(10, 1, 1000),
    /** Price of one SMS segment, in the operator's currency unit, for the dry-run's estimate. */
    SMS_SEGMENT_COST: z.coerce.number().min(0).max(1_000_000).default(0),
    AT_USERNAME: optionalString,
    AT_API_KEY: optionalString,
    AT_SHORTCODE: optionalString,
    TELEGRAM_BOT_TOKEN: optionalString,
    TELEGRAM_WEBHOOK_URL: optionalString,
    TELEGRAM_WEBHOOK_SECRET: optionalString,
    TELEGRAM_API_ROOT: optionalString,
    RATE_LIMIT_PER_MINUTE: int(30, 1, 100_000),
    API_RATE_LIMIT_PER_MINUTE: int(120, 1, 1_000_000),
    REQUEST_TIMEOUT_MS: int(5000, 100, 60_000),
    SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 120_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      for (const name of ['REDIS_URL', 'WEBHOOK_TOKEN', 'PHONE_HASH_KEY'] as const) {
        const redisAlternative = name === 'REDIS_URL' && (env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES);
        if (!env[name] && !redisAlternative) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required in production (NODE_ENV=production)',
          });
        }
      }
    }
    if (env.WEBHOOK_TOKEN && env.WEBHOOK_TOKEN.length < 16) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_TOKEN'],
        message: 'must be at least 16 characters (unguessable)',
      });
    }
    if (env.PHONE_HASH_KEY && env.PHONE_HASH_KEY.length < 16) {
      ctx.addIssue({ code: 'custom', path: ['PHONE_HASH_KEY'], message: 'must be at least 16 characters' });
    }
    if (env.SUBSCRIBERS_KEY && env.SUBSCRIBERS_KEY.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['SUBSCRIBERS_KEY'], message: 'must be at least 32 characters' });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_NAME'],
        message: 'is required with REDIS_SENTINELS',
      });
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_URL'], message: 'needs TELEGRAM_BOT_TOKEN' });
    }
    if (env.TELEGRAM_WEBHOOK_URL) {
      // The webhook route is mounted at the URL's path; without a secret anyone could post updates.
      const path = URL.canParse(env.TELEGRAM_WEBHOOK_URL)
        ? new URL(env.TELEGRAM_WEBHOOK_URL).pathname.replace(/\/+$/, '')
        : '';
      if (!path) {
        ctx.addIssue({
          code: 'custom',
          path: ['TELEGRAM_WEBHOOK_URL'],
          message: 'must be a URL with a path (https://host/tg/<something>)',
        });
      }
      if (!env.TELEGRAM_WEBHOOK_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['TELEGRAM_WEBHOOK_SECRET'],
          message: 'is required with TELEGRAM_WEBHOOK_URL',
        });
      }
    }
    if (env.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{1,256}$/.test(env.TELEGRAM_WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'must be 1-256 characters of A-Z a-z 0-9 _ -',
      });
    }
    if (env.AT_USERNAME && !env.AT_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AT_API_KEY'], message: 'is required with AT_USERNAME' });
    }
    const keys = [env.USSD_KEY_BACK, env.USSD_KEY_HOME, env.USSD_KEY_MORE];
    if (new Set(keys).size !== keys.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['USSD_KEY_BACK'],
        message: 'USSD_KEY_BACK, USSD_KEY_HOME and USSD_KEY_MORE must differ',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Env {
  production: boolean;
  simulatorEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const result = EnvSchema.safeParse(environment);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const env = result.data;
  const production = env.NODE_ENV === 'production';
  return { ...env, production, simulatorEnabled: env.SIMULATOR ? env.SIMULATOR === 'on' : !production };
}
