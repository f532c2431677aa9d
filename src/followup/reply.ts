import type { FollowUpVersion } from './model.js';
import type { FollowUpStore } from './store.js';

/**
 * The channel-neutral follow-up answer the engine returns for `SUIVI 2.10` (and that every
 * channel shows under a recommendation). `entry: null` is the honest "no official information
 * to date": never a guess, never a default status dressed as news.
 */
export type FollowUpReply =
  | { kind: 'followUp'; recommendationId: string; entry: FollowUpVersion | null }
  /** "Où en est l'application ?" without a number: what we do and how many entries exist. */
  | { kind: 'followUpGeneral'; published: number };

export async function followUpReply(
  store: FollowUpStore,
  recommendationId: string | null,
): Promise<FollowUpReply> {
  if (recommendationId === null) {
    const published = (await store.all()).filter((entry) => entry.status !== 'none').length;
    return { kind: 'followUpGeneral', published };
  }
  return { kind: 'followUp', recommendationId, entry: (await store.latest(recommendationId)) ?? null };
}
