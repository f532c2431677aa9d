import type { Clock, Logger, Metrics, SessionStore } from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import {
  utcDay,
  type Reservation,
  type SentToday,
  type SpendKind,
  type SpendLimits,
  type SpendingCaps,
} from '../../src/spending/caps.js';
import { CoolDown } from './cool-down.js';
import type { RedisConnection } from './redis-client.js';
import { scripted } from './scripts.js';

type Limits = Record<SpendKind, SpendLimits>;
const KINDS: readonly SpendKind[] = ['sms', 'call'];

/** One process's counters (embedded mode, and a Redis-backed instance while Redis is away). */
export class MemorySpendingCaps implements SpendingCaps {
  private readonly counts = new Map<string, number>();
  private day = '';

  constructor(
    readonly limits: Limits,
    private readonly clock: Clock = systemClock,
  ) {}

  private key(kind: SpendKind, who: string): string {
    const { day } = utcDay(this.clock.now());
    if (day !== this.day) {
      this.counts.clear();
      this.day = day;
    }
    return `${kind}|${who}`;
  }

  async reserve(kind: SpendKind, pseudonym: string, units: number): Promise<Reservation> {
    const person = this.key(kind, pseudonym);
    const service = this.key(kind, '*');
    const limit = this.limits[kind];
    const mine = this.counts.get(person) ?? 0;
    if (limit.person !== undefined && mine + units > limit.person) return { ok: false, cap: 'person' };
    const all = this.counts.get(service) ?? 0;
    if (all + units > limit.service) return { ok: false, cap: 'service' };
    this.counts.set(person, mine + units);
    this.counts.set(service, all + units);
    return { ok: true };
  }

  async release(kind: SpendKind, pseudonym: string, units: number): Promise<void> {
    for (const key of [this.key(kind, pseudonym), this.key(kind, '*')])
      this.counts.set(key, Math.max(0, (this.counts.get(key) ?? 0) - units));
  }

  async today(): Promise<Record<SpendKind, number>> {
    return {
      sms: this.counts.get(this.key('sms', '*')) ?? 0,
      call: this.counts.get(this.key('call', '*')) ?? 0,
    };
  }
}

/**
 * Adds `units` to a counter unless that passes `limit` (then -1, nothing added); the counter
 * lives until the day's end. One key per call, so a person's key (their hash tag) and the
 * service's key may sit on different Cluster nodes.
 */
const RESERVE = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local units = tonumber(ARGV[1])
if n + units > tonumber(ARGV[2]) then return -1 end
n = redis.call('INCRBY', KEYS[1], units)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return n`;
const RELEASE = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n <= 0 then return 0 end
return redis.call('DECRBY', KEYS[1], math.min(n, tonumber(ARGV[1])))`;

interface CapScripts {
  dimSpendReserve(key: string, units: number, limit: number, ttlMs: number): Promise<number>;
  dimSpendRelease(key: string, units: number): Promise<number>;
}

/**
 * The caps in Redis, shared by every instance: the person's counter and the service's, both
 * asked at once (the one that said yes given back when the other refuses). When Redis fails, this instance counts
 * in its memory for a cool-down (like the rate limiter), logged once: the service keeps
 * answering, with caps per instance until Redis is back.
 */
export class RedisSpendingCaps implements SpendingCaps {
  private readonly fallback: MemorySpendingCaps;
  private readonly coolDown: CoolDown;

  constructor(
    private readonly redis: RedisConnection,
    readonly limits: Limits,
    private readonly options: {
      prefix: string;
      clock?: Clock;
      logger?: Logger;
      metrics?: Metrics;
      coolDownMs?: number;
    },
  ) {
    this.fallback = new MemorySpendingCaps(limits, options.clock);
    this.coolDown = new CoolDown({
      ...options,
      label: 'spending_caps',
      message: 'spending caps count in memory until Redis answers',
    });
  }

  /** By SHA1: a reply reserves twice per SMS, and the script's text need not travel each time. */
  private get scripts(): CapScripts {
    return scripted<CapScripts>(this.redis, {
      dimSpendReserve: { lua: RESERVE, numberOfKeys: 1 },
      dimSpendRelease: { lua: RELEASE, numberOfKeys: 1 },
    });
  }

  private keys(kind: SpendKind, pseudonym: string) {
    const { day, msLeft } = utcDay((this.options.clock ?? systemClock).now());
    return {
      person: `${this.options.prefix}${storeKeys.spend(kind, pseudonym, day)}`,
      service: `${this.options.prefix}${storeKeys.serviceSpend(kind, day)}`,
      ttlMs: msLeft + 3_600_000,
    };
  }

  async reserve(kind: SpendKind, pseudonym: string, units: number): Promise<Reservation> {
    if (this.coolDown.active) return this.fallback.reserve(kind, pseudonym, units);
    const keys = this.keys(kind, pseudonym);
    const limit = this.limits[kind];
    try {
      // Both counters at once: one Redis round trip (and one fsync) per SMS, not two. A refusal
      // by either gives the units back to the other, so the counts end as if checked in turn.
      const [mine, all] = (
        await Promise.all([
          limit.person === undefined
            ? 0
            : this.scripts.dimSpendReserve(keys.person, units, limit.person, keys.ttlMs),
          this.scripts.dimSpendReserve(keys.service, units, limit.service, keys.ttlMs),
        ])
      ).map(Number) as [number, number];
      if (mine < 0 || all < 0) {
        if (all >= 0) await this.scripts.dimSpendRelease(keys.service, units);
        if (mine >= 0 && limit.person !== undefined) await this.scripts.dimSpendRelease(keys.person, units);
        return { ok: false, cap: mine < 0 ? 'person' : 'service' };
      }
      this.coolDown.recovered();
      return { ok: true };
    } catch (error) {
      this.coolDown.failed(error);
      return this.fallback.reserve(kind, pseudonym, units);
    }
  }

  async release(kind: SpendKind, pseudonym: string, units: number): Promise<void> {
    const keys = this.keys(kind, pseudonym);
    try {
      for (const key of this.limits[kind].person !== undefined ? [keys.person, keys.service] : [keys.service])
        await this.scripts.dimSpendRelease(key, units);
    } catch (error) {
      this.coolDown.failed(error);
      await this.fallback.release(kind, pseudonym, units);
    }
  }

  async today(): Promise<Record<SpendKind, number>> {
    const { day } = utcDay((this.options.clock ?? systemClock).now());
    const values = await Promise.all(
      KINDS.map((kind) => this.redis.get(`${this.options.prefix}${storeKeys.serviceSpend(kind, day)}`)),
    );
    return { sms: Number(values[0] ?? 0), call: Number(values[1] ?? 0) };
  }
}

/** "Sent to you today" over the session store (SET NX until the end of the UTC day). */
export function storeSentToday(store: SessionStore, clock: Clock = systemClock): SentToday {
  return {
    async claim(pseudonym, item) {
      const { day, msLeft } = utcDay(clock.now());
      return store.setIfAbsent(storeKeys.sentToday(pseudonym, day, item), 1, Math.ceil(msLeft / 1000));
    },
    async forget(pseudonym, item) {
      const { day } = utcDay(clock.now());
      await store.delete(storeKeys.sentToday(pseudonym, day, item));
    },
  };
}
