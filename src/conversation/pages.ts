import type { Lang, Reply } from '../core/types.js';
import type { SessionStore, StoreWrite } from '../ports/index.js';
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
  /** What `save` writes, as one write of a turn's batch (turn-state.ts). */
  entry(
    channel: string,
    pseudonym: string,
    pages: string[],
    answer: { reply: Reply; lang: Lang },
  ): StoreWrite;
  /** `turn` on a state already read (`raw`): the page and the cursor's write. */
  turnFrom(
    channel: string,
    pseudonym: string,
    raw: unknown,
    direction: 'next' | 'previous',
  ): { page: string; write: StoreWrite } | undefined;
}

const isState = (value: unknown): value is PageState =>
  typeof value === 'object' &&
  value !== null &&
  (value as PageState).v === 2 &&
  typeof (value as PageState).ref?.kind === 'string' &&
  typeof (value as PageState).lang === 'string' &&
  Number.isInteger((value as PageState).index);

export function storePages(store: SessionStore, renderer: PageRenderer): PageStore {
  const entry: PageStore['entry'] = (channel, pseudonym, pages, { reply, lang }) => {
    const key = storeKeys.pages(channel, pseudonym);
    const ref = pages.length > 1 ? renderer.describe(reply, lang) : undefined;
    return ref
      ? { key, value: { v: 2, ref, lang, index: 0 } satisfies PageState, ttlSeconds: PAGES_TTL_SECONDS }
      : { key };
  };
  const turnFrom: PageStore['turnFrom'] = (channel, pseudonym, state, direction) => {
    // The first layout kept the pages' text: read as nothing to page (it expires by itself).
    if (!isState(state)) return undefined;
    const index = state.index + (direction === 'next' ? 1 : -1);
    const page = index < 0 ? undefined : renderer.render(state.ref, state.lang)?.[index];
    if (typeof page !== 'string') return undefined;
    const value: PageState = { ...state, index };
    return {
      page,
      write: { key: storeKeys.pages(channel, pseudonym), value, ttlSeconds: PAGES_TTL_SECONDS },
    };
  };
  return {
    entry,
    turnFrom,
    async save(channel, pseudonym, pages, answer) {
      const write = entry(channel, pseudonym, pages, answer);
      if (write.value === undefined) await store.delete(write.key);
      else await store.set(write.key, write.value, write.ttlSeconds!);
    },
    async turn(channel, pseudonym, direction) {
      const turned = turnFrom(
        channel,
        pseudonym,
        await store.get<unknown>(storeKeys.pages(channel, pseudonym)),
        direction,
      );
      if (!turned) return undefined;
      await store.set(turned.write.key, turned.write.value, turned.write.ttlSeconds!);
      return turned.page;
    },
  };
}
