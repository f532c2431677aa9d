import { FINAL_STATES, type FinalState } from '../../src/broadcast/model.js';
import type { RedisConnection } from '../stores/redis-client.js';
import { scripted } from '../stores/scripts.js';

type Args = Array<string | number>;
interface LedgerScripts {
  dimLedgerClaim(...args: Args): Promise<string[]>;
  dimLedgerFinalize(...args: Args): Promise<unknown>;
  dimLedgerRelease(...args: Args): Promise<unknown>;
}

/**
 * The per-recipient record of one broadcast: the hash `bc:{<id>}:state` (pseudonym → `sending:<token>`
 * while a job holds it, then a final state) and the tally `bc:{<id>}:tally`, moved together by
 * scripts so that a recipient is claimed by one job at a time and counted once. Each call is one
 * round trip for a whole batch.
 */

/**
 * Claims each pseudonym not yet claimed nor final for `token`; returns, per pseudonym, '' when
 * claimed now (or already by this token: a command re-sent after a reconnection) or the state found.
 */
const CLAIM = `
local found = {}
for i, p in ipairs(ARGV) do
  if i > 1 then
    local current = redis.call('HGET', KEYS[1], p)
    if not current then
      redis.call('HSET', KEYS[1], p, ARGV[1])
      found[#found + 1] = ''
    elseif current == ARGV[1] then
      found[#found + 1] = ''
    else
      found[#found + 1] = current
    end
  end
end
return found
`;

/**
 * Pairs (pseudonym, state): final only from nothing or a claim (`sending` alone is a claim of the
 * release before batches); counted when this call made it final.
 */
const FINALIZE = `
local counted = 0
for i = 1, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if (not current) or current == 'sending' or string.sub(current, 1, 8) == 'sending:' then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    redis.call('HINCRBY', KEYS[2], ARGV[i + 1], 1)
    counted = counted + 1
  end
end
return counted
`;

/** Gives back this token's claims (nothing went out to them): the next attempt claims them again. */
const RELEASE = `
local released = 0
for i, p in ipairs(ARGV) do
  if i > 1 and redis.call('HGET', KEYS[1], p) == ARGV[1] then
    redis.call('HDEL', KEYS[1], p)
    released = released + 1
  end
end
return released
`;

export const isFinal = (state: string): state is FinalState =>
  (FINAL_STATES as readonly string[]).includes(state);

export function createLedger(redis: RedisConnection, key: (id: string, name: string) => string) {
  // By SHA1: a national broadcast claims and settles a batch thousands of times.
  const scripts = () =>
    scripted<LedgerScripts>(redis, {
      dimLedgerClaim: { lua: CLAIM, numberOfKeys: 1 },
      dimLedgerFinalize: { lua: FINALIZE, numberOfKeys: 2 },
      dimLedgerRelease: { lua: RELEASE, numberOfKeys: 1 },
    });
  return {
    /** '' where this token now holds the recipient, else the state found (a final state or another claim). */
    async claim(id: string, token: string, pseudonyms: string[]): Promise<string[]> {
      if (pseudonyms.length === 0) return [];
      return await scripts().dimLedgerClaim(key(id, 'state'), `sending:${token}`, ...pseudonyms);
    },
    async finalize(id: string, outcomes: Array<[pseudonym: string, state: FinalState]>): Promise<void> {
      if (outcomes.length === 0) return;
      await scripts().dimLedgerFinalize(key(id, 'state'), key(id, 'tally'), ...outcomes.flat());
    },
    async release(id: string, token: string, pseudonyms: string[]): Promise<void> {
      if (pseudonyms.length === 0) return;
      await scripts().dimLedgerRelease(key(id, 'state'), `sending:${token}`, ...pseudonyms);
    },
  };
}
