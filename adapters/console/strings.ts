import type { Request } from 'express';
// Type only (erased): French's console section names the keys, so a key French lacks does not compile.
import type reference from '../../content/i18n/fr.json';
import {
  consoleLanguages,
  consoleText,
  languages,
  REFERENCE_LANG,
  type Language,
} from '../../src/i18n/index.js';

/**
 * The console's own words (operators' interface) are the `console` section of the language
 * catalogs (content/i18n/<code>.json): no citizen reads them, so they stay out of `messages` and
 * out of the translators' review. The console is offered in every language whose catalog has
 * that section; a page's language is `?lang=<code>`, French without it.
 */
export type ConsoleKey = keyof (typeof reference)['console'];
export type ConsoleLang = string;

export function tr(lang: ConsoleLang, key: ConsoleKey, params: Record<string, string | number> = {}): string {
  return consoleText(lang, key, params);
}

/** The page's language: `?lang=` when the console is offered in it, else French. */
export const langOf = (req: Request): ConsoleLang => {
  const asked = req.query.lang;
  return typeof asked === 'string' && consoleLanguages().some((l) => l.code === asked)
    ? asked
    : REFERENCE_LANG;
};

/** The query parameter that keeps a page's language across links and forms (none for French). */
export const langParams = (lang: ConsoleLang): Record<string, string> =>
  lang === REFERENCE_LANG ? {} : { lang };

/** `?lang=xx` (or `&lang=xx` after other parameters), empty for French. */
export const langSuffix = (lang: ConsoleLang, separator: '?' | '&' = '?'): string =>
  lang === REFERENCE_LANG ? '' : `${separator}lang=${lang}`;

/** The other languages the console is offered in, for the page's language links. */
export const otherConsoleLanguages = (lang: ConsoleLang): readonly Language[] =>
  consoleLanguages().filter((l) => l.code !== lang);

/** A language's name in the reader's language (CLDR's, through Intl), else its own name. */
export function languageName(code: string, reader: ConsoleLang): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([reader], { type: 'language', fallback: 'none' }).of(code);
  } catch {
    name = undefined;
  }
  return name ?? languages().find((l) => l.code === code)?.name ?? code;
}
