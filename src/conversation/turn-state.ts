import type { RateDecision, RateLimiter, ScriptBudget, SessionStore, StoreWrite } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';
import { DELIVERY_ANSWERED_TTL_SECONDS, DELIVERY_PENDING_TTL_SECONDS } from './deliveries.js';

/**
 * A text turn's stored state in one round trip that the turn waits on, and one that nothing
 * waits on (issue 36; the USSD hop's way, src/ports/ussd-hops.ts):
 *
 * - `open`: the delivery's seen-mark claimed *pending* (SET NX) and, when it was free, the
 *   language, what was just said and the paging state read, all keys under the person's hash tag
 *   (one script on one Cluster slot where the store has `claimAndRead`);
 * - `write`: the turn's writes (what was just said, the pages, the last search, the mark
 *   *answered*) in one command after the answer is decided, not waited on: a write lost to a
 *   failure costs the next message its context or its SUITE, never an answer. What must be
 *   durable before the gateway hears 200 (a STOP) is awaited by the caller (text-conversation.ts).
 *
 * The delivery mark lives under the person's tag (`sms:{p}:msg:<gateway>:<id>`), not the key
 * Deliveries uses, so the claim joins the reads. Failure before the answer: `release`, as
 * Deliveries does (retried every second while the pending mark lives).
 *
 * The person's budget (RATE_LIMIT_PER_MINUTE), when the channel counts it (SMS: the gateway runner
 * leaves it to the turn), is counted first in the same round trip, as the USSD hop does: by the
 * read script itself on Redis (`script`: the person limiter's window, same key and decision as its
 * `hit`), else by the limiter before the reads (`limiter`: the memory backend). Over the budget
 * nothing is claimed or read: a redelivery of a refused message is counted again, as every
 * request was when the runner counted. Redis failing: the limiter's memory decides, as its `hit`
 * would, and a turn within the budget fails as its reads did.
 */
export type TurnBudget = { script: ScriptBudget } | { limiter: RateLimiter };
interface TurnDelivery {
  gateway: string;
  messageId: string;
}

interface TurnOpened {
  /** The budget's decision, when one was counted; not allowed: nothing was claimed or read. */
  budget?: RateDecision;
  /** False: the mark was there (a duplicate delivery), or the budget refused; nothing was read. */
  claimed: boolean;
  lang: unknown;
  state: unknown;
  pages: unknown;
}

export interface TurnState {
  /** `budget`: the person's budget key, counted first (needs a `TurnBudget`: throws without one). */
  open(
    channel: string,
    pseudonym: string,
    delivery: TurnDelivery | undefined,
    budget?: string,
  ): Promise<TurnOpened>;
  /** The writes of a decided turn, the mark `answered` with them; rejects when the store does. */
  write(
    channel: string,
    pseudonym: string,
    delivery: TurnDelivery | undefined,
    writes: StoreWrite[],
  ): Promise<void>;
  release(channel: string, pseudonym: string, delivery: TurnDelivery): void;
}

const FORGET_RETRIES = DELIVERY_PENDING_TTL_SECONDS;

export function storeTurnState(store: SessionStore, budgets?: TurnBudget): TurnState {
  const script = budgets && 'script' in budgets && store.claimAndRead ? budgets.script : undefined;
  const limiter = budgets && 'limiter' in budgets ? budgets.limiter : undefined;
  const mark = (channel: string, pseudonym: string, d: TurnDelivery) =>
    storeKeys.personDelivery(channel, pseudonym, d.gateway, d.messageId);
  const forget = (key: string, attempt = 0): void => {
    store.delete(key).catch(() => {
      if (attempt < FORGET_RETRIES) setTimeout(() => forget(key, attempt + 1), 1000).unref();
    });
  };
  return {
    async open(channel, pseudonym, delivery, budgetKey) {
      const reads = [
        storeKeys.languagePreference(pseudonym),
        storeKeys.conversation(pseudonym),
        storeKeys.pages(channel, pseudonym),
      ];
      const claim = delivery
        ? {
            key: mark(channel, pseudonym, delivery),
            value: 'pending',
            ttlSeconds: DELIVERY_PENDING_TTL_SECONDS,
          }
        : undefined;
      if (budgetKey && !script && !limiter) throw new Error(`${channel}: a budget needs a TurnBudget`);
      const window = budgetKey && script ? script.window(budgetKey) : undefined;
      let budget = budgetKey && limiter ? await limiter.hit(budgetKey) : undefined;
      if (budget && !budget.allowed)
        return { budget, claimed: false, lang: undefined, state: undefined, pages: undefined };
      let opened: { claimed: boolean; values: unknown[]; count?: number };
      try {
        opened = store.claimAndRead
          ? await store.claimAndRead(claim, reads, window)
          : await (async () => {
              const claimed = claim
                ? await store.setIfAbsent(claim.key, claim.value, claim.ttlSeconds)
                : true;
              return {
                claimed,
                values: claimed ? await Promise.all(reads.map((key) => store.get<unknown>(key))) : [],
              };
            })();
      } catch (error) {
        // A SET NX whose reply was lost may have landed: take it back too.
        if (claim) forget(claim.key);
        // The budget the script did not count: this instance's memory decides (as a limiter's hit).
        if (budgetKey && script) {
          budget = await script.hitInMemory(budgetKey, error);
          if (!budget.allowed)
            return { budget, claimed: false, lang: undefined, state: undefined, pages: undefined };
        }
        throw error;
      }
      if (window) budget = window.decide(opened.count ?? 0);
      const [lang, state, pages] = opened.values;
      return { ...(budget ? { budget } : {}), claimed: opened.claimed, lang, state, pages };
    },
    async write(channel, pseudonym, delivery, writes) {
      const all = delivery
        ? [
            ...writes,
            {
              key: mark(channel, pseudonym, delivery),
              value: 'answered',
              ttlSeconds: DELIVERY_ANSWERED_TTL_SECONDS,
            },
          ]
        : writes;
      if (all.length === 0) return;
      if (store.writeMany) return store.writeMany(all);
      await Promise.all(
        all.map((w) =>
          w.value === undefined ? store.delete(w.key) : store.set(w.key, w.value, w.ttlSeconds!),
        ),
      );
    },
    release: (channel, pseudonym, delivery) => forget(mark(channel, pseudonym, delivery)),
  };
}
