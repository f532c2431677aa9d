import { withDeadline } from '../../src/core/deadline.js';
import type {
  RateDecision,
  RateLimiter,
  ScriptBudget,
  SessionStore,
  UssdHopOpened,
  UssdHopRead,
  UssdHopStore,
  UssdHopUnreachable,
  UssdHopWrite,
} from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import { encodeValue, ttlMilliseconds } from './encode.js';
import { countBudget } from './rate-limiter.js';
import type { RedisConnection } from './redis-client.js';
import { scripted } from './scripts.js';
import type { RedisSessionStore } from './redis-store.js';

/**
 * The USSD hop's reads and writes (port: src/ports/ussd-hops.ts).
 *
 * Redis: one script (EVALSHA) counts the hop against the person's budget and reads the session,
 * and, on a session's first hop, where the last session was and the language: four keys under
 * the person's hash tag, one Cluster slot, one round trip the hop waits on. The writes (session,
 * last, a chosen language) go in one more script on the same slot that the hop does not wait on. Off
 * the common path: a continuing hop whose session is not under the person's key reads the id's
 * owner key (another slot), where the first layout kept whole sessions.
 */

// The budget first (rate-limiter.ts); over it, only the language is read (for the notice).
const OPEN = `${countBudget("{n, false, false, redis.call('GET', KEYS[4])}")}local session = redis.call('GET', KEYS[2])
if session and ARGV[3] == '1' then return {n, session} end
return {n, session, redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4])}
`;

/** The hop's writes on the person's slot (session, last, a chosen language): one command. */
const SAVE = `
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ARGV[2 * i])
end
return #KEYS
`;

/** The two scripts' sources (tests recognise a hop's commands by their SHA1, as EVALSHA sends them). */
export const USSD_HOP_SCRIPTS = { open: OPEN, save: SAVE } as const;

type OpenReply = [number, string | null, (string | null)?, (string | null)?];

interface HopCommands {
  dimUssdHopOpen(...args: Array<string | number>): Promise<OpenReply>;
  dimUssdHopSave(keyCount: number, ...args: Array<string | number>): Promise<number>;
}

/** JSON text as stored, or undefined (absent, or not JSON: as the session store reads it). */
function parsed(raw: string | null | undefined): unknown {
  if (raw === null || raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function keysOf(read: { pseudonym: string; sessionId: string }) {
  return {
    session: storeKeys.ussdSession(read.pseudonym, read.sessionId),
    owner: storeKeys.ussdSessionOwner(read.sessionId),
    last: storeKeys.ussdLast(read.pseudonym),
    lang: storeKeys.languagePreference(read.pseudonym),
  };
}

export class RedisUssdHops implements UssdHopStore {
  constructor(
    private readonly store: RedisSessionStore,
    private readonly budget: ScriptBudget,
    private readonly deadlineMs: number,
  ) {}

  async open(read: UssdHopRead): Promise<UssdHopOpened | UssdHopUnreachable> {
    const keys = keysOf(read);
    const window = read.budget ? this.budget.window(read.budget) : undefined;
    try {
      const reply = await withDeadline(
        this.store.run((redis, prefix) =>
          this.commands(redis).dimUssdHopOpen(
            // Without a budget the first key is the session's: every key of the call on one slot.
            window?.redisKey ?? prefix + keys.session,
            prefix + keys.session,
            prefix + keys.last,
            prefix + keys.lang,
            window?.limit ?? 0,
            window?.ttlMs ?? 0,
            read.continuing ? '1' : '0',
          ),
        ),
        this.deadlineMs,
      );
      const [count, session, last, lang] = reply;
      const budget = window?.decide(Number(count));
      const personRead = reply.length > 2;
      if (session === null && read.continuing && !(budget && !budget.allowed)) {
        // Off the common path (a session of the first layout, another phone's id, or none).
        const owner = await withDeadline(
          this.store.run((redis, prefix) => redis.get(prefix + keys.owner)),
          this.deadlineMs,
        );
        return opened(budget, parsed(owner), true, personRead, parsed(last), parsed(lang));
      }
      return opened(budget, parsed(session), false, personRead, parsed(last), parsed(lang));
    } catch (error) {
      if (!read.budget) return { reached: false };
      return { reached: false, budget: await this.budget.hitInMemory(read.budget, error) };
    }
  }

  async save(write: UssdHopWrite): Promise<void> {
    const keys = keysOf(write);
    const entries: Array<[string, string, number]> = [];
    const entry = (key: string, stored: { value: unknown; ttlSeconds: number }) =>
      entries.push([key, encodeValue(stored.value), ttlMilliseconds(stored.ttlSeconds)]);
    entry(keys.session, write.session);
    if (write.last) entry(keys.last, write.last);
    if (write.lang) entry(keys.lang, write.lang);
    const owner = write.owner;
    // Sent in this tick (run does not wait when connected): see RedisSessionStore.run. One
    // script rather than a pipeline of SETs: one command object and one reply to parse, where
    // an ioredis pipeline allocates a queue, a result array and a promise per command.
    await this.store.run(async (redis, prefix) => {
      const args: Array<string | number> = [];
      for (const [key] of entries) args.push(prefix + key);
      for (const [, json, ttlMs] of entries) args.push(json, ttlMs);
      await Promise.all([
        this.commands(redis).dimUssdHopSave(entries.length, ...args),
        owner
          ? redis.set(prefix + keys.owner, encodeValue(owner.value), 'PX', ttlMilliseconds(owner.ttlSeconds))
          : undefined,
      ]);
    });
  }

  private commands(redis: RedisConnection): HopCommands {
    return scripted<HopCommands>(redis, {
      dimUssdHopOpen: { numberOfKeys: 4, lua: OPEN },
      // Its key count varies (session; last; a chosen language): given first on each call.
      dimUssdHopSave: { lua: SAVE },
    });
  }
}

function opened(
  budget: RateDecision | undefined,
  session: unknown,
  fromOwnerKey: boolean,
  personRead: boolean,
  last: unknown,
  lang: unknown,
): UssdHopOpened {
  return { reached: true, ...(budget ? { budget } : {}), session, fromOwnerKey, personRead, last, lang };
}

/**
 * The same steps over any session store (the memory store, or one a test injects), the budget
 * through the person limiter: no network, so nothing to batch.
 */
export function storeUssdHops(
  store: SessionStore,
  limiter: RateLimiter | undefined,
  deadlineMs: number,
): UssdHopStore {
  const timed = <T>(promise: Promise<T>) => withDeadline(promise, deadlineMs);
  return {
    async open(read) {
      const budget = read.budget && limiter ? await limiter.hit(read.budget) : undefined;
      const keys = keysOf(read);
      try {
        if (budget && !budget.allowed)
          return opened(budget, undefined, false, false, undefined, await timed(store.get(keys.lang)));
        let session = await timed(store.get<unknown>(keys.session));
        if (session !== undefined && read.continuing)
          return opened(budget, session, false, false, undefined, undefined);
        const [last, lang] = await Promise.all([
          timed(store.get<unknown>(keys.last)),
          timed(store.get<unknown>(keys.lang)),
        ]);
        const fromOwnerKey = session === undefined && read.continuing;
        if (fromOwnerKey) session = await timed(store.get<unknown>(keys.owner));
        return opened(budget, session, fromOwnerKey, true, last, lang);
      } catch {
        return { reached: false, ...(budget ? { budget } : {}) };
      }
    },
    async save(write) {
      const keys = keysOf(write);
      await Promise.all([
        store.set(keys.session, write.session.value, write.session.ttlSeconds),
        write.last && store.set(keys.last, write.last.value, write.last.ttlSeconds),
        write.lang && store.set(keys.lang, write.lang.value, write.lang.ttlSeconds),
        write.owner && store.set(keys.owner, write.owner.value, write.owner.ttlSeconds),
      ]);
    },
  };
}
