import { LANGS, type Lang } from '../core/types.js';
import type { MessageKey } from '../i18n/index.js';

/**
 * The languages a menu offers, in order. The one place that reads the list of supported
 * languages for menus: when languages become data (catalog files), only this changes.
 */
export function menuLanguages(): readonly Lang[] {
  return LANGS;
}

/** A stored language code, if it is one we serve; anything else is undefined (the default applies). */
export function knownLanguage(value: unknown): Lang | undefined {
  return menuLanguages().find((lang) => lang === value);
}

/** The catalog key of a language's own name ("Français", "English"), as language menus show it. */
export function languageNameKey(lang: Lang): MessageKey {
  return `ussd.lang.${lang}`;
}
