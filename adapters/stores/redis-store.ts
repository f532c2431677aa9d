import type { BudgetWindow, SessionStore, StoreWrite } from '../../src/ports/index.js';
import { countBudget } from './rate-limiter.js';
import { encodeValue, ttlMilliseconds } from './encode.js';
import type { RedisConnection } from './redis-client.js';
import { scripted } from './scripts.js';

/** ioredis statuses of a first (or renewed) connection attempt still in progress. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * Session state shared by every instance of the service. Values are JSON with a TTL (PX, so
 * a TTL means the same as in the memory store).
 *
 * The request-path client has no offline queue, so a command sent while the connection is
 * still being made would fail at once, e.g. the first requests after start-up. Commands
 * therefore wait for a connection in progress, at most `readyTimeoutMs`; when Redis is down
 * (reconnecting, closed) they go straight through and fail fast.
 */
/**
 * KEYS[1] the budget's counter (ARGV[1] limit, 0: none; ARGV[2] its TTL ms: rate-limiter.ts),
 * KEYS[2] the claim (ARGV[3] value, ARGV[4] ms; no claim: 0), KEYS[3..] the reads. Replies
 * {n, -1} over the budget (nothing claimed or read), {n, 0} when the claim was held, else
 * {n, 1, values...}; `n` the budget's count (0 when none was counted).
 */
const CLAIM_AND_READ = `${countBudget('{n, -1}')}
if tonumber(ARGV[4]) > 0 then
  if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return {n, 0} end
end
local values = {n, 1}
for i = 3, #KEYS do values[i] = redis.call('GET', KEYS[i]) end
return values
`;

/** KEYS: the keys; ARGV: value and ms per key, ms 0 for a delete. */
const WRITE_MANY = `
for i = 1, #KEYS do
  local ms = tonumber(ARGV[2 * i])
  if ms > 0 then redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ms) else redis.call('DEL', KEYS[i]) end
end
return #KEYS
`;

/** The turn scripts' sources (tests recognise them by their SHA1, as EVALSHA sends them). */
export const TURN_SCRIPTS = { claimAndRead: CLAIM_AND_READ, writeMany: WRITE_MANY } as const;

interface TurnScripts {
  dimClaimAndRead(keyCount: number, ...args: Array<string | number>): Promise<Array<number | string | null>>;
  dimWriteMany(keyCount: number, ...args: Array<string | number>): Promise<number>;
}

/** A stored JSON text as a value; absent or not JSON reads as undefined (as `get`). */
function decoded(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export class RedisSessionStore implements SessionStore {
  private readyWait: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'dim:',
    private readonly readyTimeoutMs = 500,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    await this.ready();
    const raw = await this.redis.get(this.prefix + key);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      // A value that is not JSON (a manual edit, another program) is as good as absent: thrown,
      // it would fail every request of that person until the key expires (180 days for a language).
      return undefined;
    }
  }

  /** One MGET: the keys of one person share its hash tag, so a Cluster answers from one slot. */
  async getMany(keys: string[]): Promise<unknown[]> {
    await this.ready();
    const raws = await this.redis.mget(...keys.map((key) => this.prefix + key));
    return raws.map((raw) => {
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return undefined; // as get(): a value that is not JSON reads as absent
      }
    });
  }

  /**
   * One script (src/ports SessionStore.claimAndRead): the budget's INCR when given, SET NX the
   * claim, then GET the reads; every key under the person's hash tag (one Cluster slot).
   */
  async claimAndRead(claim: StoreWrite | undefined, reads: string[], budget?: BudgetWindow) {
    const claimKey = this.prefix + (claim ? claim.key : (reads[0] ?? 'none'));
    const keys = [budget ? budget.redisKey : claimKey, claimKey, ...reads.map((key) => this.prefix + key)];
    const args: Array<string | number> = [
      ...(budget ? [budget.limit, budget.ttlMs] : [0, 0]),
      ...(claim ? [encodeValue(claim.value), ttlMilliseconds(claim.ttlSeconds!)] : ['', 0]),
    ];
    await this.ready();
    const [count, state, ...raws] = await this.scripts().dimClaimAndRead(keys.length, ...keys, ...args);
    const counted = budget ? { count: Number(count) } : {};
    if (Number(state) !== 1) return { claimed: false, values: [], ...counted };
    return {
      claimed: true,
      values: raws.map((raw) => decoded(raw === null ? null : String(raw))),
      ...counted,
    };
  }

  /** One script: SET PX or DEL each key (src/ports SessionStore.writeMany). */
  async writeMany(writes: StoreWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const args: Array<string | number> = [];
    for (const w of writes) args.push(this.prefix + w.key);
    for (const w of writes)
      if (w.value === undefined) args.push('', 0);
      else args.push(encodeValue(w.value), ttlMilliseconds(w.ttlSeconds!));
    // Sent in this tick when connected (as `run`): the write reaches Redis before what follows.
    await this.run(() => this.scripts().dimWriteMany(writes.length, ...args));
  }

  private scripts(): TurnScripts {
    return scripted<TurnScripts>(this.redis, {
      dimClaimAndRead: { lua: CLAIM_AND_READ },
      dimWriteMany: { lua: WRITE_MANY },
    });
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    const ttlMs = ttlMilliseconds(ttlSeconds);
    const json = encodeValue(value);
    await this.ready();
    await this.redis.set(this.prefix + key, json, 'PX', ttlMs);
  }

  async setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    const ttlMs = ttlMilliseconds(ttlSeconds);
    const json = encodeValue(value);
    await this.ready();
    const result = await this.redis.set(this.prefix + key, json, 'PX', ttlMs, 'NX');
    return result === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.ready();
    await this.redis.del(this.prefix + key);
  }

  /** Resolves when connected or after timeoutMs; start-up waits so the first requests find Redis. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.redis.once('ready', onReady);
    });
  }

  async ping(): Promise<void> {
    await this.ready();
    await this.redis.ping();
  }

  /**
   * Runs `command` on the connection, for work that is more than one key (the USSD hop's script,
   * adapters/stores/ussd-hops.ts), with the same wait for a connection in progress. When no
   * connection is in progress the command is sent at once, in this tick: a write issued before a
   * hop answers reaches Redis before anything sent after that answer.
   */
  run<T>(command: (redis: RedisConnection, prefix: string) => Promise<T>): Promise<T> {
    if (!CONNECTING.has(this.redis.status)) return command(this.redis, this.prefix);
    return this.ready().then(() => command(this.redis, this.prefix));
  }

  /** Resolves when a connection in progress is ready, fails, or takes longer than allowed. */
  private ready(): Promise<void> {
    if (!CONNECTING.has(this.redis.status)) return Promise.resolve();
    this.readyWait ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const event of ['ready', 'close', 'end', 'error']) this.redis.off(event, done);
        this.readyWait = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.readyTimeoutMs);
      for (const event of ['ready', 'close', 'end', 'error']) this.redis.once(event, done);
    });
    return this.readyWait;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
