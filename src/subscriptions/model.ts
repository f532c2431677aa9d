import type { Lang } from '../core/refs.js';

/**
 * Who asked for news, by pseudonym. A subscription is personal data: it holds the sealed
 * delivery address (see src/privacy/address-cipher.ts), the language (any of the catalogs')
 * and channel to answer in, and what the person asked for (everything, or some themes). It lasts
 * SUBSCRIPTION_TTL_DAYS after the last ABONNE, then lapses; DESABONNE or STOP removes it.
 */
export const SUBSCRIPTION_CHANNELS = ['sms', 'telegram', 'whatsapp'] as const;
export type SubscriptionChannel = (typeof SUBSCRIPTION_CHANNELS)[number];

export interface Subscription {
  pseudonym: string;
  /** true: all news; otherwise only these themes (never empty). */
  all: boolean;
  themes: number[];
  lang: Lang;
  channel: SubscriptionChannel;
  /** The delivery address, sealed (AES-256-GCM); only the broadcast worker opens it. */
  sealedAddress: string;
  /** Last ABONNE (ISO 8601). */
  since: string;
}

export type Audience =
  | { kind: 'all' }
  /** Subscribers to everything and subscribers to this theme. */
  | { kind: 'theme'; theme: number }
  | { kind: 'lang'; lang: Lang };

export function inAudience(subscription: Subscription, audience: Audience): boolean {
  switch (audience.kind) {
    case 'all':
      return true;
    case 'theme':
      return subscription.all || subscription.themes.includes(audience.theme);
    case 'lang':
      return subscription.lang === audience.lang;
  }
}

/** Subscribing to a theme adds it; to everything replaces the theme list. */
export function mergeSubscription(previous: Subscription | undefined, next: Subscription): Subscription {
  if (next.all || previous === undefined || previous.all) {
    return previous?.all && !next.all ? { ...next, all: true, themes: [] } : next;
  }
  const themes = [...new Set([...previous.themes, ...next.themes])].sort((a, b) => a - b);
  return { ...next, themes };
}

/**
 * Unsubscribing from one theme removes it (from "all", all the other themes stay); the last
 * one gone, or DESABONNE without a theme, the subscription goes (undefined).
 */
export function withoutTheme(
  subscription: Subscription,
  theme: number | null,
  themeCount: number,
): Subscription | undefined {
  if (theme === null) return undefined;
  const current = subscription.all
    ? Array.from({ length: themeCount }, (_, i) => i + 1)
    : subscription.themes;
  const themes = current.filter((t) => t !== theme);
  return themes.length === 0 ? undefined : { ...subscription, all: false, themes };
}
