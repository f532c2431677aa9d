import type { Lang } from '../../src/core/types.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';

/**
 * The site's addresses. A page is one path in every language: French (the reference, the
 * report's language) without a parameter, the others with `?lang=`. `/r/2.15` is the stable
 * address printed and shared (src/content/public-links.ts builds the same one for the channels).
 */
export const PATHS = {
  home: '/',
  about: '/about',
  search: '/search',
  theme: (n: number) => `/t/${n}`,
  recommendation: (id: string) => `/r/${id}`,
  feed: '/feed.atom',
  csv: '/data/recommendations.csv',
  json: '/data/recommendations.json',
} as const;

/** A path with its query (`params` in the order given, then the language). */
export function href(path: string, lang: Lang, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
  if (lang !== REFERENCE_LANG) query.set('lang', lang);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Where a page is, in the language it is shown in, for links to itself and its translations. */
export interface Place {
  path: string;
  params?: Record<string, string | undefined>;
}

export const placeHref = (place: Place, lang: Lang): string => href(place.path, lang, place.params);
