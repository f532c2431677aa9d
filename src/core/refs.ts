/**
 * The two names every layer uses: a language and a recommendation. Kept apart from the core's
 * vocabulary (types.ts), which re-exports them, so the modules that types.ts itself names (the
 * follow-up answer, the ports) can use them without an import circle (test/import-cycles.test.ts).
 */

/**
 * A supported language's code ("fr", "en"): the list is data (content/i18n, see src/i18n), so
 * the type is a string; values from outside are checked with `isLang`/`toLang` from src/i18n.
 */
export type Lang = string;

/** A recommendation named by its theme and number ("2.15" → { theme: 2, number: 15 }). */
export interface RecRef {
  theme: number;
  number: number;
}
