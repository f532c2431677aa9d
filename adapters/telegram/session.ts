import type { StorageAdapter } from 'grammy';
import type { SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';

/** Thirty days: long enough to keep a language choice, short enough to forget idle users. */
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** grammY sessions in the project's own store, so Redis holds them in production with a TTL. */
export function storeSessionAdapter<T>(
  store: SessionStore,
  ttlSeconds = SESSION_TTL_SECONDS,
): StorageAdapter<T> {
  return {
    read: (key) => store.get<T>(key),
    write: (key, value) => store.set(key, value, ttlSeconds),
    delete: (key) => store.delete(key),
  };
}

/** The hash tag keeps one chat's keys in one Redis Cluster slot. */
export function sessionKey(chatPseudonym: string): string {
  return storeKeys.telegramSession(chatPseudonym);
}
