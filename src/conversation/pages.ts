import type { SessionStore } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';

/**
 * The pages of a person's last answer on a channel that pages by a typed word (SMS: SUITE),
 * kept already rendered with the cursor on the page last sent.
 */
export const PAGES_TTL_SECONDS = 24 * 3600;

export interface PageState {
  pages: string[];
  /** The page last sent. */
  index: number;
}

export interface PageStore {
  /** A new answer replaces the pages of the last one; a one-page answer leaves nothing to page. */
  save(channel: string, pseudonym: string, pages: string[]): Promise<void>;
  /** The next (or previous) page, moving the cursor; undefined at either end or when none. */
  turn(channel: string, pseudonym: string, direction: 'next' | 'previous'): Promise<string | undefined>;
}

export function storePages(store: SessionStore): PageStore {
  return {
    async save(channel, pseudonym, pages) {
      const key = storeKeys.pages(channel, pseudonym);
      if (pages.length > 1) await store.set<PageState>(key, { pages, index: 0 }, PAGES_TTL_SECONDS);
      else await store.delete(key);
    },
    async turn(channel, pseudonym, direction) {
      const key = storeKeys.pages(channel, pseudonym);
      const state = await store.get<PageState>(key);
      if (!state || !Array.isArray(state.pages)) return undefined;
      const index = state.index + (direction === 'next' ? 1 : -1);
      const page = state.pages[index];
      if (index < 0 || typeof page !== 'string') return undefined;
      await store.set<PageState>(key, { pages: state.pages, index }, PAGES_TTL_SECONDS);
      return page;
    },
  };
}
