import type { Lang, Reply } from '../core/types.js';
import type { SessionStore } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';

/**
 * The pages of a person's last answer on a channel that pages by a typed word (SMS: SUITE).
 *
 * What is kept is never the pages themselves (they quote what the person typed: "Résultats pour
 * « ou est mon fils … »") but what re-renders them: the channel's description of the reply
 * (result ids, a theme or recommendation number, flags and lengths, never text), the language
 * and the page last sent. SUITE renders the answer again from it and sends the next page.
 */
const PAGES_TTL_SECONDS = 24 * 3600;

/** A reply described by ids, numbers and flags only (the channel's `PageRenderer` decides which). */
export type PageRef = { kind: string } & Record<string, unknown>;

/** How a channel describes a reply without its text, and renders the description again. */
export interface PageRenderer {
  /**
   * `reply` as it went out in `lang`; undefined: it cannot be described without text (then no
   * paging state is kept).
   */
  describe(reply: Reply, lang: Lang): PageRef | undefined;
  /** The pages again; undefined when the description no longer renders (an id gone). */
  render(ref: PageRef, lang: Lang): string[] | undefined;
}

interface PageState {
  v: 2;
  ref: PageRef;
  lang: Lang;
  /** The page last sent. */
  index: number;
}

export interface PageStore {
  /** A new answer replaces the pages of the last one; a one-page answer leaves nothing to page. */
  save(
    channel: string,
    pseudonym: string,
    pages: string[],
    answer: { reply: Reply; lang: Lang },
  ): Promise<void>;
  /** The next (or previous) page, moving the cursor; undefined at either end or when none. */
  turn(channel: string, pseudonym: string, direction: 'next' | 'previous'): Promise<string | undefined>;
}

const isState = (value: unknown): value is PageState =>
  typeof value === 'object' &&
  value !== null &&
  (value as PageState).v === 2 &&
  typeof (value as PageState).ref?.kind === 'string' &&
  typeof (value as PageState).lang === 'string' &&
  Number.isInteger((value as PageState).index);

export function storePages(store: SessionStore, renderer: PageRenderer): PageStore {
  return {
    async save(channel, pseudonym, pages, { reply, lang }) {
      const key = storeKeys.pages(channel, pseudonym);
      const ref = pages.length > 1 ? renderer.describe(reply, lang) : undefined;
      if (ref) await store.set<PageState>(key, { v: 2, ref, lang, index: 0 }, PAGES_TTL_SECONDS);
      else await store.delete(key);
    },
    async turn(channel, pseudonym, direction) {
      const key = storeKeys.pages(channel, pseudonym);
      // The first layout kept the pages' text: read as nothing to page (it expires by itself).
      const state = await store.get<unknown>(key);
      if (!isState(state)) return undefined;
      const index = state.index + (direction === 'next' ? 1 : -1);
      const page = index < 0 ? undefined : renderer.render(state.ref, state.lang)?.[index];
      if (typeof page !== 'string') return undefined;
      await store.set<PageState>(key, { ...state, index }, PAGES_TTL_SECONDS);
      return page;
    },
  };
}
