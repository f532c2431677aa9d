import type {
  BudgetWindow,
  Clock,
  Logger,
  Metrics,
  RateDecision,
  RateLimiter,
  ScriptBudget,
} from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';
import { CoolDown } from './cool-down.js';
import type { RedisConnection } from './redis-client.js';
import { scripted } from './scripts.js';

interface LimiterScripts {
  dimRateHit(key: string, ttlMs: number): Promise<number>;
  dimRateRefund(key: string): Promise<number>;
}

/** Fixed windows: cheap, one INCR a request, and good enough to stop a flood from one phone. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly clock: Clock = systemClock,
  ) {}

  async hit(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    const window = Math.floor(now / this.windowMs);
    const entry = this.windows.get(key);
    const count = entry && entry.window === window ? entry.count + 1 : 1;
    this.windows.set(key, { window, count });
    if (this.windows.size > 50_000) this.sweep(window);
    return decide(count, this.limit, (window + 1) * this.windowMs - now);
  }

  async refund(key: string): Promise<void> {
    const window = Math.floor(this.clock.now() / this.windowMs);
    const entry = this.windows.get(key);
    if (entry && entry.window === window && entry.count > 0) entry.count--;
  }

  private sweep(current: number): void {
    for (const [key, entry] of this.windows) if (entry.window !== current) this.windows.delete(key);
  }
}

/**
 * Shared through Redis so a flood is counted across instances; when Redis fails the decision
 * falls back to this instance's memory rather than refusing everyone or letting everyone in.
 * After a failure the limiter stays on memory for `coolDownMs` (default 5 s): a frozen Redis
 * (every command waits for REDIS_COMMAND_TIMEOUT_MS) then costs one timeout per cool-down, not
 * one per request, and a USSD hop keeps its deadline.
 */
export class RedisRateLimiter implements RateLimiter, ScriptBudget {
  private readonly fallback: MemoryRateLimiter;
  private readonly coolDown: CoolDown;

  constructor(
    private readonly redis: RedisConnection,
    private readonly limit: number,
    private readonly options: {
      windowMs?: number;
      prefix?: string;
      clock?: Clock;
      logger?: Logger;
      metrics?: Metrics;
      coolDownMs?: number;
    } = {},
  ) {
    this.fallback = new MemoryRateLimiter(limit, options.windowMs, options.clock);
    this.coolDown = new CoolDown({
      ...options,
      label: 'rate_limit',
      message: 'rate limiter falls back to memory',
    });
  }

  async hit(key: string): Promise<RateDecision> {
    if (this.coolDown.active) return this.fallback.hit(key);
    const window = this.window(key);
    try {
      // One command, atomic (a script): every hit counts (INCR) and (re)sets the TTL, so
      // instances that share Redis count every hit once and the counter never lives without a
      // TTL (SET NX PX then INCR would leave one without TTL when the key expires between the
      // two, e.g. on an instance whose clock lags a second behind).
      const count = Number(await this.scripts().dimRateHit(window.redisKey, window.ttlMs));
      this.coolDown.recovered();
      return window.decide(count);
    } catch (error) {
      return this.hitInMemory(key, error);
    }
  }

  /** By SHA1: every Telegram, WhatsApp and API request counts a hit. */
  private scripts(): LimiterScripts {
    return scripted<LimiterScripts>(this.redis, {
      dimRateHit: { lua: COUNT_HIT, numberOfKeys: 1 },
      dimRateRefund: { lua: REFUND_HIT, numberOfKeys: 1 },
    });
  }

  async refund(key: string): Promise<void> {
    if (this.coolDown.active) return this.fallback.refund(key);
    const window = this.window(key);
    await this.scripts()
      .dimRateRefund(window.redisKey)
      .catch(() => this.fallback.refund(key));
  }

  /**
   * Where a hit of `key` is counted now, for a script that counts it together with other work
   * (`countBudget`: the USSD hop, the SMS turn): same key, same TTL, same decision as `hit`.
   */
  window(key: string): BudgetWindow {
    const windowMs = this.options.windowMs ?? 60_000;
    const now = (this.options.clock ?? systemClock).now();
    const window = Math.floor(now / windowMs);
    const limit = this.limit;
    return {
      redisKey: `${this.options.prefix ?? 'dim:'}rl:${key}:${window}`,
      ttlMs: windowMs + 1000,
      limit,
      decide: (count) => decide(count, limit, (window + 1) * windowMs - now),
    };
  }

  /** Redis failed (here or in such a script): this instance's memory decides for a cool-down. */
  hitInMemory(key: string, error: unknown): Promise<RateDecision> {
    this.coolDown.failed(error);
    return this.fallback.hit(key);
  }
}

/**
 * The budget counted at the top of a store script that also reads the person's state (the USSD
 * hop's, adapters/stores/ussd-hops.ts; the SMS turn's, redis-store.ts), one round trip for both:
 * KEYS[1] the window's counter (`BudgetWindow.redisKey`, under the person's hash tag like the
 * script's other keys), ARGV[1] its limit (0: nothing counted, `n` stays 0), ARGV[2] its TTL in
 * ms. Over the limit the script returns `over` (Lua, may use `n`) and reads nothing more.
 * Inside one script the counter cannot expire between INCR and PEXPIRE, so its TTL is set when
 * the INCR creates it (one command less than COUNT_HIT, which re-sets it always; both leave every
 * counter with a TTL). The caller decides with `BudgetWindow.decide(n)`.
 */
export const countBudget = (over: string) => `
local n = 0
local limit = tonumber(ARGV[1])
if limit > 0 then
  n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  if n > limit then return ${over} end
end
`;

const COUNT_HIT = "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return n";

/** DECR only an existing counter above zero: a refund never creates a key or goes negative. */
const REFUND_HIT =
  "local n = tonumber(redis.call('GET', KEYS[1]) or '0') if n > 0 then return redis.call('DECR', KEYS[1]) end return 0";

function decide(count: number, limit: number, retryAfterMs: number): RateDecision {
  return { allowed: count <= limit, remaining: Math.max(0, limit - count), retryAfterMs };
}
