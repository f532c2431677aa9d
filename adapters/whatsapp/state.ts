import { createHash } from 'node:crypto';
import type { Clock, SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';

/**
 * What the WhatsApp channel keeps of its own (seen-marks, language and opt-outs go through
 * src/conversation and the OptOutRegistry). Keys come from src/ports/keys.ts, always with a TTL.
 */
export const WINDOW_SECONDS = 24 * 3600;
const CURSOR_TTL_SECONDS = 24 * 3600;
/** A STOP confirmation went out this minute: two STOPs at once (or on two instances) confirm once. */
const STOP_CONFIRMED_TTL_SECONDS = 60;

/**
 * Always hashed: a WhatsApp message id (`wamid.HBgL…`) is base64 that carries the sender's
 * number, so it never reaches a store key or a log line as it is.
 */
export const messageDigest = (messageId: string) =>
  createHash('sha256').update(messageId).digest('base64url').slice(0, 32);

/** Where a typed "next" goes: the next page of a theme's list, or the recommendation after the last one read. */
export type Cursor = { kind: 'theme'; theme: number; page: number } | { kind: 'recommendation'; id: string };

export function createCursors(store: SessionStore) {
  return {
    get: (pseudonym: string) => store.get<Cursor>(storeKeys.whatsappCursor(pseudonym)),
    set: (pseudonym: string, cursor: Cursor) =>
      store.set<Cursor>(storeKeys.whatsappCursor(pseudonym), cursor, CURSOR_TTL_SECONDS),
  };
}
export type Cursors = ReturnType<typeof createCursors>;

export function firstStopConfirmation(store: SessionStore, pseudonym: string): Promise<boolean> {
  return store.setIfAbsent(storeKeys.stopConfirmed('whatsapp', pseudonym), 1, STOP_CONFIRMED_TTL_SECONDS);
}

export function forgetStopConfirmation(store: SessionStore, pseudonym: string): Promise<void> {
  return store.delete(storeKeys.stopConfirmed('whatsapp', pseudonym));
}

/**
 * The 24-hour customer-service window (Meta: free-form messages only within 24 hours of the
 * person's last message; outside it only approved templates). It runs from the time the person
 * *sent* their message, not from when the notification arrived: a notification Meta delivers
 * late must not be answered after the window closed.
 */
export interface ServiceWindow {
  /** Opens or extends the window to `sentAtSeconds` + 24 h; never shortens it (deliveries arrive out of order). */
  refresh(pseudonym: string, sentAtSeconds: number): Promise<void>;
  isOpen(pseudonym: string): Promise<boolean>;
  /** Meta said 131047: the window is closed whatever we believed. */
  close(pseudonym: string): Promise<void>;
}

export function createServiceWindow(store: SessionStore, clock: Clock): ServiceWindow {
  const key = storeKeys.whatsappWindow;
  return {
    async refresh(pseudonym, sentAtSeconds) {
      const closesAt = sentAtSeconds * 1000 + WINDOW_SECONDS * 1000;
      const now = clock.now();
      if (closesAt <= now) return;
      const known = await store.get<number>(key(pseudonym));
      if (typeof known === 'number' && known >= closesAt) return;
      await store.set(key(pseudonym), closesAt, Math.max(1, Math.ceil((closesAt - now) / 1000)));
    },
    async isOpen(pseudonym) {
      const closesAt = await store.get<number>(key(pseudonym));
      return typeof closesAt === 'number' && closesAt > clock.now();
    },
    close: (pseudonym) => store.delete(key(pseudonym)),
  };
}
