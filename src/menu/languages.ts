import type { Lang } from '../core/types.js';
import { isLang, languages } from '../i18n/index.js';

/**
 * The languages a menu offers, in the catalogs' order (`meta.order`). The one place the menus
 * read the list of supported languages: a new catalog file appears here with no other change.
 */
export function menuLanguages(): readonly Lang[] {
  return languages().map((language) => language.code);
}

/** A stored language code, if it is one we serve; anything else is undefined (the default applies). */
export function knownLanguage(value: unknown): Lang | undefined {
  return isLang(value) ? value : undefined;
}

/** A language's own name ("Français", "English", "Bamanankan"), as language menus show it. */
export function languageName(lang: Lang): string {
  return languages().find((language) => language.code === lang)?.name ?? lang;
}
