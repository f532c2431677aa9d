import type { SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';

/**
 * The one state the SMS channel keeps of its own: the marks that a STOP was confirmed (the rest
 * goes through src/conversation: seen-marks, pages, language). Keys come from
 * src/ports/keys.ts, always with a TTL.
 */

/** A STOP confirmation went out this minute: two STOPs at once (or on two instances) confirm once. */
const STOP_CONFIRMED_TTL_SECONDS = 60;

export function firstStopConfirmation(store: SessionStore, pseudonym: string): Promise<boolean> {
  return store.setIfAbsent(storeKeys.stopConfirmed('sms', pseudonym), 1, STOP_CONFIRMED_TTL_SECONDS);
}

export function forgetStopConfirmation(store: SessionStore, pseudonym: string): Promise<void> {
  return store.delete(storeKeys.stopConfirmed('sms', pseudonym));
}
