import { createHash } from 'node:crypto';
import { LANGS, type Lang } from '../../src/core/types.js';
import type { SessionStore } from '../../src/ports/index.js';

/**
 * What the SMS channel keeps per person, always under the pseudonym in a hash tag (one Redis
 * Cluster slot per person) and always with a TTL.
 */
export const PAGES_TTL_SECONDS = 24 * 3600;
export const DEDUPE_TTL_SECONDS = 48 * 3600;
/** Shared with the other channels that remember a language by phone (USSD). */
export const LANG_PREF_TTL_SECONDS = 180 * 24 * 3600;

export const pagesKey = (pseudonym: string) => `sms:{${pseudonym}}:pages`;
/** A STOP confirmation went out this minute: two STOPs at once (or on two instances) confirm once. */
export const stopConfirmedKey = (pseudonym: string) => `sms:{${pseudonym}}:stopped`;
export const STOP_CONFIRMED_TTL_SECONDS = 60;
export const langKey = (pseudonym: string) => `pref:{${pseudonym}}:lang`;

/** A gateway's message id as a key part: kept when tame, hashed otherwise. */
export function dedupeKey(gateway: string, messageId: string): string {
  const id = /^[\w.:-]{1,128}$/.test(messageId)
    ? messageId
    : createHash('sha256').update(messageId).digest('base64url');
  return `sms:msg:${gateway}:${id}`;
}

export interface PageState {
  pages: string[];
  /** The page last sent. */
  index: number;
}

export async function preferredLang(store: SessionStore, pseudonym: string): Promise<Lang> {
  const stored = await store.get<string>(langKey(pseudonym));
  return LANGS.find((lang) => lang === stored) ?? 'fr';
}

export function rememberLang(store: SessionStore, pseudonym: string, lang: Lang): Promise<void> {
  return store.set(langKey(pseudonym), lang, LANG_PREF_TTL_SECONDS);
}

/** A new answer replaces the pages of the last one; a one-page answer leaves nothing to page. */
export async function savePages(store: SessionStore, pseudonym: string, pages: string[]): Promise<void> {
  if (pages.length > 1)
    await store.set<PageState>(pagesKey(pseudonym), { pages, index: 0 }, PAGES_TTL_SECONDS);
  else await store.delete(pagesKey(pseudonym));
}

/** The next (or previous) page of the last answer, moving the cursor; undefined at either end. */
export async function turnPage(
  store: SessionStore,
  pseudonym: string,
  direction: 'next' | 'previous',
): Promise<string | undefined> {
  const state = await store.get<PageState>(pagesKey(pseudonym));
  if (!state || !Array.isArray(state.pages)) return undefined;
  const index = state.index + (direction === 'next' ? 1 : -1);
  const page = state.pages[index];
  if (index < 0 || page === undefined) return undefined;
  await store.set<PageState>(pagesKey(pseudonym), { pages: state.pages, index }, PAGES_TTL_SECONDS);
  return page;
}
