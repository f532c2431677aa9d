import { z } from 'zod';
import { StartupError } from './errors.js';
import { REFERENCE_LANG } from './i18n/catalog.js';

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
/** An empty value (`NAME=` in an env file) counts as unset, so the default applies. */
const emptyAsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);
/** `https://host/` → `https://host`: links are built as base + `/path`. */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
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
    /**
     * Address to bind. Unset: loopback outside production (development mode serves open
     * webhooks, the simulator and everyone's replies at /dev/outbox: this machine only), every
     * interface in production (a container's port is published by its runtime).
     */
    HOST: optionalString,
    /**
     * Production without Redis, on one machine: one process keeps sessions and limits in memory
     * and opt-outs, follow-ups and subscriptions in fsynced files under DATA_DIR, with every
     * production guard on (secrets required, simulator and dev outboxes off, /metrics closed).
     * Exactly one process per DATA_DIR (a lock file says so); broadcasts need Redis.
     */
    SINGLE_PROCESS: onOff.default('off'),
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
    /** The language catalogs, one <code>.json per supported language (src/i18n/catalog.ts). */
    CATALOG_DIR: z.string().default('content/i18n'),
    /** Our translated theme names, labels and summaries, one <lang>.json each (src/content/localized.ts). */
    TRANSLATIONS_DIR: z.string().default('content/translations'),
    /**
     * Serve translations still marked `draft` (not reviewed by a native speaker): on by default
     * outside production, off in production unless the operator turns it on. Off: French instead.
     */
    SERVE_DRAFT_TRANSLATIONS: onOff.optional(),
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
    /** The public site (adapters/site/): a page per recommendation, feeds, open data; on unless off. */
    PUBLIC_SITE: onOff.default('on'),
    /**
     * The site's public address (https://dialogue.example.ml): its links, share buttons, QR codes
     * and feeds use it. Unset: pages name themselves after the request's host; channels share no link.
     */
    PUBLIC_BASE_URL: emptyAsUnset(
      z
        .url({ protocol: /^https?$/ })
        .refine((v) => !v.includes('?') && !v.includes('#'), 'must have no query or fragment')
        .transform(withoutTrailingSlashes)
        .optional(),
    ),
    /** The USSD code people dial (*384*12#), shown on the site with a dial link; unset: not shown. */
    USSD_SERVICE_CODE: emptyAsUnset(
      z
        .string()
        .regex(/^\*\d{1,4}(\*\d{1,4}){0,3}#$/, 'must look like *384*12#')
        .optional(),
    ),
    /** The Telegram bot's username (without @), for t.me deep links on the site; unset: not shown. */
    TELEGRAM_BOT_USERNAME: emptyAsUnset(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram username (5-32 letters, digits, _)')
        .optional(),
    ),
    /** The WhatsApp business number people write to (+223…), for wa.me links; not WHATSAPP_PHONE_NUMBER_ID. */
    WHATSAPP_NUMBER: emptyAsUnset(
      z
        .string()
        .regex(/^\+\d{6,15}$/, 'must be a number in international format (+223…)')
        .optional(),
    ),
    // Below 100 the main menu (5 choices and quit) no longer fits with its navigation line.
    USSD_MAX_CHARS: int(160, 100, 182),
    USSD_ALPHABET: z.enum(['gsm', 'ascii']).default('gsm'),
    USSD_KEY_BACK: ussdKey('0'),
    USSD_KEY_HOME: ussdKey('00'),
    USSD_KEY_MORE: ussdKey('98'),
    USSD_SESSION_TTL_SECONDS: int(300, 30, 3600),
    USSD_RESUME_WINDOW_SECONDS: int(300, 0, 3600),
    SMS_MAX_SEGMENTS: int(2, 1, 10),
    /**
     * Spending caps (docs/operations.md, "Spending caps"), per UTC day and shared by every
     * instance through the store: SMS segments one number may cause (replies and "send by SMS"),
     * SMS segments the whole service may send (broadcasts not included: they have their dry run).
     */
    SMS_SEGMENTS_PERSON_PER_DAY: int(60, 1, 100_000),
    SMS_SEGMENTS_SERVICE_PER_DAY: int(20_000, 1, 100_000_000),
    /**
     * The languages whose SMS keep their own letters (catalog `meta.letters`: Bambara's ɛ ɔ ɲ ŋ)
     * in UCS-2, 70 characters a part; unset: every SMS is GSM-7, 160 characters a part, the
     * letters in their older spelling (è ò ny ng). Comma-separated codes ("bm").
     */
    SMS_UCS2_LANGS: emptyAsUnset(
      z
        .string()
        .regex(/^[a-z]{2,3}(,[a-z]{2,3})*$/, 'must be a comma-separated list of language codes')
        .optional(),
    ),
    /** Deprecated: SMS_BAMBARA_ENCODING=ucs2 is SMS_UCS2_LANGS=bm (gsm7, the default, adds nothing). */
    SMS_BAMBARA_ENCODING: z.enum(['gsm7', 'ucs2']).default('gsm7'),
    // Follow-up, subscriptions and broadcasts (docs/operations.md, section 10).
    // Without SUBSCRIBERS_KEY nobody can subscribe: a number is never stored unsealed.
    SUBSCRIBERS_KEY: optionalString,
    SUBSCRIPTION_TTL_DAYS: int(365, 1, 3650),
    /**
     * Each gateway's broadcast rate, shared by all instances (adapters/broadcast/limits.ts has
     * the sources): Africa's Talking publishes none (ours: 5 requests of 100 numbers a second),
     * Telegram about 30 messages a second, the WhatsApp Cloud API 80 a second per number.
     */
    BROADCAST_SMS_REQUESTS_PER_SECOND: int(5, 1, 1000),
    BROADCAST_SMS_RECIPIENTS_PER_REQUEST: int(100, 1, 1000),
    BROADCAST_TELEGRAM_PER_SECOND: int(30, 1, 1000),
    BROADCAST_WHATSAPP_PER_SECOND: int(80, 1, 1000),
    AT_USERNAME: optionalString,
    AT_API_KEY: optionalString,
    AT_SHORTCODE: optionalString,
    TELEGRAM_BOT_TOKEN: optionalString,
    TELEGRAM_WEBHOOK_URL: optionalString,
    TELEGRAM_WEBHOOK_SECRET: optionalString,
    TELEGRAM_API_ROOT: optionalString,
    // WhatsApp Cloud API: the channel is on when the token, app secret, verify token and phone
    // number id are all set (see docs/operations.md for registering them with Meta).
    WHATSAPP_TOKEN: optionalString,
    WHATSAPP_APP_SECRET: optionalString,
    WHATSAPP_VERIFY_TOKEN: optionalString,
    WHATSAPP_PHONE_NUMBER_ID: optionalString,
    WHATSAPP_API_ROOT: emptyAsUnset(
      z
        .url({ protocol: /^https?$/ })
        .default('https://graph.facebook.com')
        .transform((v) => v.replace(/(?<!\/)\/+$/, '')),
    ),
    WHATSAPP_API_VERSION: emptyAsUnset(
      z
        .string()
        .regex(/^v\d{1,3}\.\d$/, 'must look like v23.0')
        .default('v23.0'),
    ),
    /** An approved template for messages outside the 24-hour window; unset: those are skipped and counted. */
    WHATSAPP_TEMPLATE_NAME: optionalString,
    /** The template's language as approved; unset: the reference catalog's code (REFERENCE_LANG). */
    WHATSAPP_TEMPLATE_LANG: emptyAsUnset(
      z
        .string()
        .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp language code such as fr or en_US')
        .default(REFERENCE_LANG),
    ),
    /** Voice line: where audio lives (recordings, synthesis cache; a shared volume for several instances). */
    AUDIO_DIR: z.string().default('./data/audio'),
    /**
     * Voice line: the languages offered, in this order (at most 4; one without audio is
     * skipped); unset: every language of the catalogs, in menu order. Checked against the
     * catalogs when the line starts.
     */
    VOICE_LANGS: emptyAsUnset(
      z
        .string()
        .regex(/^[a-z]{2,3}(,[a-z]{2,3}){0,3}$/, 'must be a comma-separated list of up to 4 language codes')
        .optional(),
    ),
    /** Voice line: the public https base URL the gateway fetches audio from (default: the request's host). */
    VOICE_PUBLIC_URL: optionalString,
    VOICE_SESSION_TTL_SECONDS: int(3600, 60, 24 * 3600),
    /** Voice line: French and English speech made by the line itself (eSpeak NG from npm); off: recordings and the AUDIO_DIR cache only. */
    VOICE_SYNTHESIS: onOff.default('on'),
    /** Voice line: audio worker processes (synthesis, studio conversions) running at once. */
    VOICE_SYNTH_PROCESSES: int(1, 1, 8),
    /**
     * Voice line: the longest a caller's request waits for speech being made (then "in a
     * moment"); never more than REQUEST_TIMEOUT_MS less one second.
     */
    VOICE_SYNTH_WAIT_MS: int(2500, 0, 30_000),
    /** Voice line: "call me back" (a missed call or an SMS APPEL gets a call from the line); off by default. */
    VOICE_CALLBACK: onOff.default('off'),
    /** Voice line: the Africa's Talking virtual number call backs are placed from (E.164, +223…). */
    VOICE_CALLBACK_FROM: optionalString,
    /** Voice line: call backs per person per day (UTC, Mali's time), at most. */
    VOICE_CALLBACK_PER_DAY: int(2, 1, 10),
    /** Voice line: call backs the whole service may place per day (UTC), all instances together. */
    VOICE_CALLBACK_SERVICE_PER_DAY: int(300, 1, 1_000_000),
    /**
     * Replaced by console accounts with the role `recorder` (one login system): set, start-up is
     * refused with the way to move them.
     */
    STUDIO_USERS: optionalString,
    RATE_LIMIT_PER_MINUTE: int(30, 1, 100_000),
    API_RATE_LIMIT_PER_MINUTE: int(120, 1, 1_000_000),
    TELEGRAM_READING_PER_MINUTE: int(120, 1, 100_000),
    VOICE_PHONE_NUMBER: optionalString,
    REQUEST_TIMEOUT_MS: int(5000, 100, 60_000),
    SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 120_000),
    /**
     * The operators' console at /admin (and the studio at /studio) is off unless accounts are
     * given: comma-separated `name:role:hash`, a role of ROLE_CAPABILITIES, hash from
     * `npm run console:hash-password`.
     */
    CONSOLE_USERS: optionalString,
    /** Signs the console's session cookie; required in production when the console is on. */
    CONSOLE_SESSION_SECRET: optionalString,
    /** Days the console's aggregates are kept, then dropped (Redis TTL, or memory expiry). */
    ANALYTICS_RETENTION_DAYS: int(90, 1, 730),
    /** Days the console's audit log (who changed what) is kept. */
    CONSOLE_AUDIT_RETENTION_DAYS: int(365, 1, 3650),
    /** Price of one SMS segment, for the console's cost estimate (0: no estimate shown). */
    SMS_SEGMENT_COST: z.coerce.number().min(0).max(10_000).default(0),
    SMS_COST_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code')
      .default('XOF'),
  })
  .superRefine((env, ctx) => {
    const redisSet = Boolean(env.REDIS_URL || env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES);
    if (env.SINGLE_PROCESS === 'on' && redisSet) {
      ctx.addIssue({
        code: 'custom',
        path: ['SINGLE_PROCESS'],
        message:
          'keeps everything in this process and DATA_DIR: unset REDIS_URL/REDIS_SENTINELS/REDIS_CLUSTER_NODES',
      });
    }
    if (env.NODE_ENV === 'production') {
      for (const name of ['REDIS_URL', 'WEBHOOK_TOKEN', 'PHONE_HASH_KEY'] as const) {
        const redisAlternative =
          name === 'REDIS_URL' &&
          (env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES || env.SINGLE_PROCESS === 'on');
        if (!env[name] && !redisAlternative) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message:
              name === 'REDIS_URL'
                ? 'is required in production (NODE_ENV=production), or SINGLE_PROCESS=on for one process without Redis'
                : 'is required in production (NODE_ENV=production)',
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
        ? new URL(env.TELEGRAM_WEBHOOK_URL).pathname.replace(/(?<!\/)\/+$/, '')
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
    const whatsapp = [
      'WHATSAPP_TOKEN',
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
      'WHATSAPP_PHONE_NUMBER_ID',
    ] as const;
    // All or nothing: a channel with three of its four secrets would either refuse every
    // notification (no app secret) or accept them and never answer (no token).
    if (whatsapp.some((name) => env[name]) && !whatsapp.every((name) => env[name])) {
      for (const name of whatsapp.filter((n) => !env[n])) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required when any WHATSAPP_* secret is set',
        });
      }
    }
    if (env.WHATSAPP_VERIFY_TOKEN && env.WHATSAPP_VERIFY_TOKEN.length < 16) {
      ctx.addIssue({
        code: 'custom',
        path: ['WHATSAPP_VERIFY_TOKEN'],
        message: 'must be at least 16 characters (unguessable)',
      });
    }
    if (env.WHATSAPP_PHONE_NUMBER_ID && !/^\d{5,20}$/.test(env.WHATSAPP_PHONE_NUMBER_ID)) {
      ctx.addIssue({ code: 'custom', path: ['WHATSAPP_PHONE_NUMBER_ID'], message: 'must be digits' });
    }
    if (
      env.NODE_ENV === 'production' &&
      env.WHATSAPP_TOKEN &&
      !env.WHATSAPP_API_ROOT.startsWith('https://')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['WHATSAPP_API_ROOT'],
        message: 'must be https in production (the token travels in every request)',
      });
    }
    if (env.VOICE_PUBLIC_URL && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(env.VOICE_PUBLIC_URL)) {
      ctx.addIssue({ code: 'custom', path: ['VOICE_PUBLIC_URL'], message: 'must be an http(s) URL' });
    }
    if (env.STUDIO_USERS) {
      ctx.addIssue({
        code: 'custom',
        path: ['STUDIO_USERS'],
        message:
          'is replaced by console accounts with the role recorder: CONSOLE_USERS=name:recorder:<hash> (npm run console:hash-password)',
      });
    }
    if (env.VOICE_CALLBACK_FROM && !/^\+\d{6,15}$/.test(env.VOICE_CALLBACK_FROM)) {
      ctx.addIssue({
        code: 'custom',
        path: ['VOICE_CALLBACK_FROM'],
        message: 'must be a number in international format (+223…)',
      });
    }
    // Call backs go through Africa's Talking when its credentials are set (else a dev outbox):
    // without the number to call from, every call back would be refused.
    if (env.VOICE_CALLBACK === 'on' && (env.AT_USERNAME || env.NODE_ENV === 'production')) {
      if (!env.VOICE_CALLBACK_FROM) {
        ctx.addIssue({
          code: 'custom',
          path: ['VOICE_CALLBACK_FROM'],
          message: 'is required with VOICE_CALLBACK=on (the virtual number to call from)',
        });
      }
      if (!env.AT_USERNAME) {
        ctx.addIssue({
          code: 'custom',
          path: ['AT_USERNAME'],
          message:
            'is required with VOICE_CALLBACK=on in production (call backs go through Africa’s Talking)',
        });
      }
    }
    if (env.AT_USERNAME && !env.AT_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AT_API_KEY'], message: 'is required with AT_USERNAME' });
    }
    const accounts = env.CONSOLE_USERS ? parseConsoleUsers(env.CONSOLE_USERS) : [];
    if (typeof accounts === 'string') {
      ctx.addIssue({ code: 'custom', path: ['CONSOLE_USERS'], message: accounts });
    }
    if (env.CONSOLE_USERS && env.NODE_ENV === 'production' && !env.CONSOLE_SESSION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONSOLE_SESSION_SECRET'],
        message: 'is required in production when CONSOLE_USERS is set',
      });
    }
    if (env.CONSOLE_SESSION_SECRET && env.CONSOLE_SESSION_SECRET.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONSOLE_SESSION_SECRET'],
        message: 'must be at least 32 characters (unguessable)',
      });
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

type Env = z.infer<typeof EnvSchema>;

/**
 * The console's roles, one line each: what a role may do beyond reading (every role reads the
 * dashboard, the audit log and the exports). A new role is one line here and its capability's
 * check where the action is; the accounts' validation, the pages and the studio read this table.
 */
const ROLE_CAPABILITIES = {
  viewer: [],
  editor: ['editToFix', 'editFollowUp'],
  broadcaster: ['broadcast'],
  /** Records the voice line's prompts and readings in the studio (/studio). */
  recorder: ['record'],
  /** Reviews and publishes translations (issue 31). */
  translator: ['translate'],
} as const satisfies Record<string, readonly string[]>;
export type ConsoleRole = keyof typeof ROLE_CAPABILITIES;
export type Capability = (typeof ROLE_CAPABILITIES)[ConsoleRole][number];
const CONSOLE_ROLES = Object.keys(ROLE_CAPABILITIES) as ConsoleRole[];
export const roleMay = (role: ConsoleRole, capability: Capability): boolean =>
  (ROLE_CAPABILITIES[role] as readonly Capability[]).includes(capability);
export interface ConsoleAccount {
  name: string;
  role: ConsoleRole;
  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (adapters/console/password.ts). */
  hash: string;
}

/** `name:role:hash,...` → accounts, or what is wrong with it (never echoing a hash). */
export function parseConsoleUsers(value: string): ConsoleAccount[] | string {
  const accounts: ConsoleAccount[] = [];
  for (const [index, entry] of value.split(',').entries()) {
    const [name = '', role = '', hash = '', ...rest] = entry.trim().split(':');
    if (rest.length > 0 || !/^[A-Za-z0-9._-]{1,32}$/.test(name)) {
      return `entry ${index + 1} must be name:role:hash with a name of 1-32 letters, digits, . _ -`;
    }
    if (!Object.hasOwn(ROLE_CAPABILITIES, role)) {
      return `${name}: role must be one of ${CONSOLE_ROLES.join(', ')}`;
    }
    if (!/^scrypt\$\d{2}\$\d{1,2}\$\d{1,2}\$[A-Za-z0-9_-]{22,}\$[A-Za-z0-9_-]{43,}$/.test(hash)) {
      return `${name}: the hash is not one printed by npm run console:hash-password`;
    }
    if (accounts.some((account) => account.name === name)) return `${name}: named twice`;
    accounts.push({ name, role: role as ConsoleRole, hash });
  }
  return accounts;
}

export interface Config extends Omit<Env, 'HOST'> {
  /** The address bound: HOST, else loopback outside production and every interface in production. */
  HOST: string;
  production: boolean;
  /** No Redis configured: sessions and limits in memory, durable lists in files under DATA_DIR. */
  embedded: boolean;
  simulatorEnabled: boolean;
  /** The public site is served (PUBLIC_SITE, on by default). */
  publicSiteEnabled: boolean;
  /** Where channels point people to a recommendation's page: PUBLIC_BASE_URL while the site is on. */
  publicPageBase?: string;
  /** WHATSAPP_TOKEN, _APP_SECRET, _VERIFY_TOKEN and _PHONE_NUMBER_ID are all set. */
  whatsappEnabled: boolean;
  /** The console's accounts; empty when the console is off. */
  consoleAccounts: ConsoleAccount[];
  serveDraftTranslations: boolean;
  /** SMS_UCS2_LANGS, with `bm` when the deprecated SMS_BAMBARA_ENCODING=ucs2 is set. */
  smsUcs2Langs: string[];
}

export class ConfigError extends StartupError {
  constructor(public readonly problems: string[]) {
    super('configuration', `Invalid configuration:\n  ${problems.join('\n  ')}`);
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
  const accounts = env.CONSOLE_USERS ? parseConsoleUsers(env.CONSOLE_USERS) : [];
  return {
    ...env,
    HOST: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    production,
    embedded: !(env.REDIS_URL || env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES),
    simulatorEnabled: env.SIMULATOR ? env.SIMULATOR === 'on' : !production,
    publicSiteEnabled: env.PUBLIC_SITE === 'on',
    ...(env.PUBLIC_SITE === 'on' && env.PUBLIC_BASE_URL ? { publicPageBase: env.PUBLIC_BASE_URL } : {}),
    whatsappEnabled: Boolean(
      env.WHATSAPP_TOKEN &&
      env.WHATSAPP_APP_SECRET &&
      env.WHATSAPP_VERIFY_TOKEN &&
      env.WHATSAPP_PHONE_NUMBER_ID,
    ),
    consoleAccounts: typeof accounts === 'string' ? [] : accounts,
    serveDraftTranslations: env.SERVE_DRAFT_TRANSLATIONS
      ? env.SERVE_DRAFT_TRANSLATIONS === 'on'
      : !production,
    smsUcs2Langs: [
      ...new Set([
        ...(env.SMS_UCS2_LANGS?.split(',') ?? []),
        ...(env.SMS_BAMBARA_ENCODING === 'ucs2' ? ['bm'] : []),
      ]),
    ],
  };
}
