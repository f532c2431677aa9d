import { createHmac } from 'node:crypto';
import type { Logger, SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';

/**
 * Instances that share a store must share its keys: with another PHONE_HASH_KEY an instance
 * makes other pseudonyms (a STOP sent to it is unknown to the others), with another
 * SUBSCRIBERS_KEY its seals open nowhere else. Each instance writes a fingerprint of each key it
 * holds to the shared store the first time (SET NX) and compares afterwards; a mismatch makes
 * the instance not ready (/readyz 503, the key named) and is logged once, so the orchestrator
 * keeps it out of rotation instead of letting it answer with the wrong keys.
 *
 * A fingerprint is an HMAC of a fixed label under the key: it says whether two keys are the same
 * and nothing else (the keys are random 32-byte secrets, not guessable from it). To replace a key
 * on purpose, delete its fingerprint (docs/operations.md, "Secrets").
 */
export type FingerprintedKey = 'PHONE_HASH_KEY' | 'SUBSCRIBERS_KEY';

/** Kept long and refreshed by every instance that checks it: it outlives any deploy. */
const FINGERPRINT_TTL_SECONDS = 400 * 86_400;
const REFRESH_MS = 10 * 60_000;

function keyFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('dim key fingerprint v1').digest('base64url').slice(0, 22);
}

class KeyMismatchError extends Error {
  constructor(readonly keys: FingerprintedKey[]) {
    super(`${keys.join(', ')} differ(s) from the one(s) the other instances on this store use`);
  }
}

export interface KeyFingerprints {
  /** Resolves when every key matches the store's fingerprint; throws KeyMismatchError otherwise. */
  check(): Promise<void>;
}

export function createKeyFingerprints(
  /** The shared store (Redis), or DATA_DIR's file in SINGLE_PROCESS mode (adapters/stores/single-process.ts). */
  store: Pick<SessionStore, 'get' | 'set' | 'setIfAbsent'>,
  keys: Partial<Record<FingerprintedKey, string>>,
  logger: Logger,
  now: () => number = Date.now,
): KeyFingerprints {
  const mine = Object.entries(keys)
    .filter((entry): entry is [FingerprintedKey, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([name, secret]) => ({ name, print: keyFingerprint(secret) }));
  let refreshedAt = 0;
  let reported = '';
  return {
    async check() {
      const refresh = now() - refreshedAt > REFRESH_MS;
      const mismatched: FingerprintedKey[] = [];
      for (const { name, print } of mine) {
        const key = storeKeys.keyFingerprint(name);
        if (await store.setIfAbsent(key, print, FINGERPRINT_TTL_SECONDS)) continue;
        const stored = await store.get<string>(key);
        if (stored !== undefined && stored !== print) mismatched.push(name);
        else if (refresh) await store.set(key, print, FINGERPRINT_TTL_SECONDS);
      }
      if (mismatched.length === 0) {
        if (refresh) refreshedAt = now();
        reported = '';
        return;
      }
      const error = new KeyMismatchError(mismatched);
      if (reported !== error.message) {
        reported = error.message;
        logger.error({ keys: mismatched }, 'key mismatch: this instance is not ready');
      }
      throw error;
    },
  };
}
