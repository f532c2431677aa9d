import type { AddressCipher } from '../privacy/address-cipher.js';
import type { Clock, OptOutRegistry } from '../ports/index.js';
import type { Lang } from '../core/refs.js';
import { mergeSubscription, withoutTheme, type SubscriptionChannel } from './model.js';
import type { SubscriptionStore } from './store.js';

export type SubscribeOutcome =
  | { outcome: 'subscribed'; theme: number | null }
  /** STOP wins: a person who said STOP is not subscribed until START. */
  | { outcome: 'optedOut' }
  | { outcome: 'badTheme'; theme: number; themeCount: number };

export type UnsubscribeOutcome =
  { outcome: 'unsubscribed'; theme: number | null } | { outcome: 'notSubscribed' };

export interface SubscriptionRequest {
  pseudonym: string;
  /** The address in clear, as the channel received it; sealed before it is stored. */
  address: string;
  channel: SubscriptionChannel;
  lang: Lang;
  theme: number | null;
}

/**
 * ABONNE and DESABONNE, channel-neutral. The channel hands over what it knows (pseudonym,
 * address, channel, language); this seals the address, checks the opt-out list and stores.
 */
export function createSubscriptions(deps: {
  store: SubscriptionStore;
  optOut: OptOutRegistry;
  cipher: AddressCipher;
  clock: Clock;
  themeCount: number;
}) {
  const { store, optOut, cipher, clock, themeCount } = deps;
  return {
    async subscribe(request: SubscriptionRequest): Promise<SubscribeOutcome> {
      const { theme } = request;
      if (theme !== null && (theme < 1 || theme > themeCount))
        return { outcome: 'badTheme', theme, themeCount };
      if (await optOut.has(request.pseudonym)) return { outcome: 'optedOut' };
      const previous = await store.get(request.pseudonym);
      await store.put(
        mergeSubscription(previous, {
          pseudonym: request.pseudonym,
          all: theme === null,
          themes: theme === null ? [] : [theme],
          lang: request.lang,
          channel: request.channel,
          sealedAddress: cipher.seal(request.address, request.pseudonym),
          since: new Date(clock.now()).toISOString(),
        }),
      );
      return { outcome: 'subscribed', theme };
    },

    async unsubscribe(pseudonym: string, theme: number | null): Promise<UnsubscribeOutcome> {
      const previous = await store.get(pseudonym);
      if (!previous) return { outcome: 'notSubscribed' };
      const next = withoutTheme(previous, theme, themeCount);
      if (next === undefined) await store.delete(pseudonym);
      else await store.put(next);
      return { outcome: 'unsubscribed', theme: next === undefined ? null : theme };
    },

    /**
     * On STOP: the subscription and its sealed number go at once (the send-time check stays).
     * Resolves true when there was one, so STOP can say that the news ended.
     */
    async forget(pseudonym: string): Promise<boolean> {
      return store.delete(pseudonym);
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
