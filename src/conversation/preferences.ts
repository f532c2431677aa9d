import type { Lang } from '../core/types.js';
import { toLang } from '../i18n/index.js';
import type { LanguagePreferences, SessionStore } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';

/**
 * The one place that reads and writes a person's language choice, whatever the channel (USSD,
 * SMS, any text channel by phone): one key (`pref:{<p>}:lang`), one TTL. A stored code that is
 * no longer a supported language reads as French.
 */
export const LANGUAGE_PREFERENCE_TTL_SECONDS = 180 * 24 * 3600;

/** The stored choice, validated (French when none or unknown). Throws when the store does. */
async function readLanguage(store: SessionStore, pseudonym: string): Promise<Lang> {
  return toLang(await store.get<string>(storeKeys.languagePreference(pseudonym)));
}

function writeLanguage(store: SessionStore, pseudonym: string, lang: Lang): Promise<void> {
  return store.set(storeKeys.languagePreference(pseudonym), lang, LANGUAGE_PREFERENCE_TTL_SECONDS);
}

/** The port over the session store. */
export function storeLanguagePreferences(store: SessionStore): LanguagePreferences {
  return {
    get: (pseudonym) => readLanguage(store, pseudonym),
    set: (pseudonym, lang) => writeLanguage(store, pseudonym, lang),
  };
}
