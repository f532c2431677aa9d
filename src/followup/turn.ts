import type { Lang, RecRef } from '../core/refs.js';
import type { SubscriptionChannel } from '../subscriptions/model.js';
import type { SubscribeOutcome, Subscriptions, UnsubscribeOutcome } from '../subscriptions/service.js';
import { followUpReply, type FollowUpReply } from './reply.js';
import type { FollowUpStore } from './store.js';

/**
 * The one call a text channel makes for a FollowUpIntent (the seam for SMS, Telegram and
 * WhatsApp; USSD and voice use `followUpReply` under a recommendation): it answers SUIVI,
 * ABONNE and DESABONNE and returns channel-neutral data (worded by src/reply/followup.ts).
 */
export type FollowUpAnswer =
  | FollowUpReply
  | { kind: 'outOfRange'; theme: number; number?: number; themeCount: number; count?: number }
  | { kind: 'subscribe'; result: SubscribeOutcome }
  | { kind: 'unsubscribe'; result: UnsubscribeOutcome }
  /** No SUBSCRIBERS_KEY, or a channel that cannot receive broadcasts (USSD, voice, API). */
  | { kind: 'subscriptionsUnavailable' };

/** What the conversation asks of the follow-up module, read by the parser (src/core/intents.ts). */
export type FollowUpRequest =
  | { kind: 'subscribe'; theme: number | null }
  | { kind: 'unsubscribe'; theme: number | null }
  /** `recommendation` null: the general follow-up answer. */
  | { kind: 'followUp'; recommendation: RecRef | null };

export interface FollowUpDeps {
  followUps: FollowUpStore;
  /** Undefined when subscriptions are off (no SUBSCRIBERS_KEY). */
  subscriptions?: Subscriptions;
  themeCount: number;
  /** How many recommendations a theme has (undefined: no such theme). */
  recommendationCount(theme: number): number | undefined;
}

export interface Person {
  pseudonym: string;
  /** The address in clear as the channel received it (sealed before it is stored). */
  address: string;
  /** Undefined for channels that cannot be broadcast to. */
  channel?: SubscriptionChannel;
  lang: Lang;
}

export async function answerFollowUp(
  intent: FollowUpRequest,
  deps: FollowUpDeps,
  person: Person,
): Promise<FollowUpAnswer> {
  if (intent.kind === 'followUp') {
    const ref = intent.recommendation;
    if (ref === null) return followUpReply(deps.followUps, null);
    const count = deps.recommendationCount(ref.theme);
    if (count === undefined) return { kind: 'outOfRange', theme: ref.theme, themeCount: deps.themeCount };
    if (ref.number < 1 || ref.number > count)
      return { kind: 'outOfRange', theme: ref.theme, number: ref.number, themeCount: deps.themeCount, count };
    return followUpReply(deps.followUps, `${ref.theme}.${ref.number}`);
  }
  if (!deps.subscriptions || !person.channel) return { kind: 'subscriptionsUnavailable' };
  if (intent.kind === 'subscribe') {
    const result = await deps.subscriptions.subscribe({
      pseudonym: person.pseudonym,
      address: person.address,
      channel: person.channel,
      lang: person.lang,
      theme: intent.theme,
    });
    return { kind: 'subscribe', result };
  }
  return {
    kind: 'unsubscribe',
    result: await deps.subscriptions.unsubscribe(person.pseudonym, intent.theme),
  };
}
