import { REFERENCE_LANG } from '../i18n/index.js';
import type { Lang } from '../core/types.js';

/**
 * The public site's address of a recommendation (adapters/site/): `/r/2.15`, with `?lang=` for
 * any language but the reference one. Stable: it is printed on posters (QR codes) and shared
 * from Telegram and WhatsApp, which build it here rather than knowing the site.
 */
function recommendationPath(id: string, lang: Lang): string {
  return `/r/${id}${lang === REFERENCE_LANG ? '' : `?lang=${encodeURIComponent(lang)}`}`;
}

/** The page of a recommendation under the site's public base URL (PUBLIC_BASE_URL). */
export function recommendationUrl(base: string, id: string, lang: Lang): string {
  return `${base}${recommendationPath(id, lang)}`;
}
