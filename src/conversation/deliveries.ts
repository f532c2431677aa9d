import type { SessionStore } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';

/**
 * "Seen" marks for incoming messages (a gateway may deliver one message twice), with the rule
 * that closes the acknowledged-but-never-answered hole: a mark is first written as *pending*
 * with a short TTL and only becomes *answered* (long TTL) once the answer is decided and its
 * state saved. Every failure path takes the pending mark back at once (retried every second
 * while the store is down); and should even that fail, the pending mark expires
 * by itself, so the gateway's redelivery of the message is answered instead of being dropped
 * as a duplicate.
 */
export const DELIVERY_PENDING_TTL_SECONDS = 120;
export const DELIVERY_ANSWERED_TTL_SECONDS = 48 * 3600;
/**
 * The take-back is retried every second for as long as the pending mark lives: once the store
 * is back it is gone within a second, and if the store stays down longer the mark has expired.
 * (A duplicate of a pending mark is answered 200 "duplicate", like any duplicate: concurrent
 * deliveries of one message must not make the gateway retry.)
 */
const FORGET_RETRIES = DELIVERY_PENDING_TTL_SECONDS;

export interface Deliveries {
  /** true: first delivery (now marked pending); false: seen before. Throws when the store does. */
  claim(channel: string, gateway: string, messageId: string): Promise<boolean>;
  /** The answer is decided and saved: the mark is kept for the redelivery window. */
  answered(channel: string, gateway: string, messageId: string): Promise<void>;
  /** Something failed before the answer: takes the mark back (best effort, retried). */
  release(channel: string, gateway: string, messageId: string): void;
}

export function storeDeliveries(store: SessionStore): Deliveries {
  const forget = (key: string, attempt = 0): void => {
    store.delete(key).catch(() => {
      // Every second: soon after the store is back, before the gateway delivers again.
      if (attempt < FORGET_RETRIES) setTimeout(() => forget(key, attempt + 1), 1000).unref();
    });
  };
  return {
    async claim(channel, gateway, messageId) {
      const key = storeKeys.delivery(channel, gateway, messageId);
      try {
        return await store.setIfAbsent(key, 'pending', DELIVERY_PENDING_TTL_SECONDS);
      } catch (error) {
        // A SET NX that timed out on a frozen store still runs when it wakes up, and one whose
        // reply was lost may have landed: take it back too.
        forget(key);
        throw error;
      }
    },
    answered: (channel, gateway, messageId) =>
      store.set(storeKeys.delivery(channel, gateway, messageId), 'answered', DELIVERY_ANSWERED_TTL_SECONDS),
    release: (channel, gateway, messageId) => forget(storeKeys.delivery(channel, gateway, messageId)),
  };
}
