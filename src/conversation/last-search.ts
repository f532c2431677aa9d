import type { LastSearch } from '../analytics/events.js';
import type { SessionStore, StoreWrite } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';

/**
 * What a person's last search showed (normalised words and result ids, never the text), so a
 * "wrong answer" report right after it can name it. Short-lived: "right after" is minutes.
 */
const LAST_SEARCH_TTL_SECONDS = 10 * 60;

export interface LastSearches {
  save(channel: string, pseudonym: string, search: LastSearch): Promise<void>;
  /** What `save` writes, as one write of a turn's batch (turn-state.ts). */
  entry(channel: string, pseudonym: string, search: LastSearch): StoreWrite;
  /** Reads and forgets it: one report per search. */
  take(channel: string, pseudonym: string): Promise<LastSearch | undefined>;
}

export function storeLastSearches(store: SessionStore): LastSearches {
  return {
    entry: (channel, pseudonym, search) => ({
      key: storeKeys.lastSearch(channel, pseudonym),
      value: search,
      ttlSeconds: LAST_SEARCH_TTL_SECONDS,
    }),
    save: (channel, pseudonym, search) =>
      store.set(storeKeys.lastSearch(channel, pseudonym), search, LAST_SEARCH_TTL_SECONDS),
    async take(channel, pseudonym) {
      const key = storeKeys.lastSearch(channel, pseudonym);
      const found = await store.get<LastSearch>(key);
      if (found) await store.delete(key);
      return found;
    },
  };
}
