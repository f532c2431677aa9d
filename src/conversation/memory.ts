import type { Lang } from '../core/types.js';
import { isLang, toLang } from '../i18n/index.js';
import type { LanguagePreferences, SessionStore } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';
import { readState, type ConversationState } from './context.js';

/**
 * Where a text conversation keeps what was just said (src/conversation/context.ts): one key per
 * person (`talk:{p}:state`), under the person's hash tag beside the language they chose
 * (`pref:{p}:lang`), so both are read in one round trip (MGET) before a turn; the one
 * script of the SMS turn (src/conversation/turn-state.ts) reads them with the rest.
 */
export const CONVERSATION_TTL_SECONDS = 24 * 3600;

export interface ConversationMemory {
  /**
   * The language the person chose (French when none; `chosen` false then) and the state, read
   * together. Throws when the store does.
   */
  read(pseudonym: string): Promise<{ lang: Lang; chosen: boolean; state: ConversationState | undefined }>;
  save(pseudonym: string, state: ConversationState): Promise<void>;
}

/** Several keys of one person: one round trip where the store allows it, else one read each. */
function readMany(store: SessionStore, keys: string[]): Promise<unknown[]> {
  return store.getMany ? store.getMany(keys) : Promise.all(keys.map((key) => store.get<unknown>(key)));
}

/**
 * The memory over the session store. `language` replaces the stored choice where a channel keeps
 * it elsewhere (Telegram: the chat's session or the app's language); it is then read beside the state.
 */
export function storeConversationMemory(
  store: SessionStore,
  language?: LanguagePreferences,
): ConversationMemory {
  const key = storeKeys.conversation;
  return {
    async read(pseudonym) {
      if (language) {
        const [lang, state] = await Promise.all([
          language.get(pseudonym),
          store.get<unknown>(key(pseudonym)),
        ]);
        // The channel knows a language of its own (Telegram: the chat's choice, else the app's).
        return { lang, chosen: true, state: readState(state) };
      }
      const [lang, state] = await readMany(store, [storeKeys.languagePreference(pseudonym), key(pseudonym)]);
      return { lang: toLang(lang), chosen: isLang(lang), state: readState(state) };
    },
    save: (pseudonym, state) => store.set(key(pseudonym), state, CONVERSATION_TTL_SECONDS),
  };
}
