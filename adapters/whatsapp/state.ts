import { createHash } from 'node:crypto';
import { LANGS, type Lang } from '../../src/core/types.js';
import type { Clock, SessionStore } from '../../src/ports/index.js';
import { personKey } from '../stores/key-slot.js';

/**
 * What the WhatsApp channel keeps, always under the pseudonym in a hash tag (one Redis Cluster
 * slot per person) and always with a TTL.
 */
/** Meta retries an unacknowledged notification for days; a redelivery within a week is recognised. */
export const DEDUPE_TTL_SECONDS = 7 * 24 * 3600;
export const WINDOW_SECONDS = 24 * 3600;
export const CURSOR_TTL_SECONDS = 24 * 3600;
/** Long, not forever: every key about a person expires (see the SessionStore port). */
export const OPT_OUT_TTL_SECONDS = 2 * 365 * 24 * 3600;
/** The language key every channel that knows a phone shares (SMS, USSD): a person keeps their language. */
export const LANG_PREF_TTL_SECONDS = 180 * 24 * 3600;

/**
 * Always hashed: a WhatsApp message id (`wamid.HBgL…`) is base64 that carries the sender's
 * number, so it never reaches a store key or a log line as it is.
 */
export const dedupeKey = (messageId: string) =>
  `wa:msg:${createHash('sha256').update(messageId).digest('base64url').slice(0, 32)}`;
export const windowKey = (pseudonym: string) => personKey('wa', pseudonym, 'window');
export const optOutKey = (pseudonym: string) => personKey('wa', pseudonym, 'optout');
export const cursorKey = (pseudonym: string) => personKey('wa', pseudonym, 'cursor');
export const langKey = (pseudonym: string) => personKey('pref', pseudonym, 'lang');

/** Where "next" goes: the next page of a theme's list, or the recommendation after the last one read. */
export type Cursor = { kind: 'theme'; theme: number; page: number } | { kind: 'recommendation'; id: string };

export async function preferredLang(store: SessionStore, pseudonym: string): Promise<Lang> {
  const stored = await store.get<string>(langKey(pseudonym));
  return LANGS.find((lang) => lang === stored) ?? 'fr';
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
  return {
    async refresh(pseudonym, sentAtSeconds) {
      const closesAt = sentAtSeconds * 1000 + WINDOW_SECONDS * 1000;
      const now = clock.now();
      if (closesAt <= now) return;
      const known = await store.get<number>(windowKey(pseudonym));
      if (typeof known === 'number' && known >= closesAt) return;
      await store.set(windowKey(pseudonym), closesAt, Math.max(1, Math.ceil((closesAt - now) / 1000)));
    },
    async isOpen(pseudonym) {
      const closesAt = await store.get<number>(windowKey(pseudonym));
      return typeof closesAt === 'number' && closesAt > clock.now();
    },
    close: (pseudonym) => store.delete(windowKey(pseudonym)),
  };
}
