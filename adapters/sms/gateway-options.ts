import type { RateDecision, SessionStore } from '../../src/ports/index.js';
import type { KnownPerson } from '../gateway/context.js';
import { JSON_TIMEOUT } from '../gateway/limits.js';
import { storeKeys } from '../../src/ports/keys.js';
import { bodyField, formField, type GatewayOptions } from '../gateway/mount.js';
import type { SmsConversation } from './conversation.js';
import type { SmsAnswer } from './router.js';

/** Marks that this person was told "try again later" in this window (the window's length is the TTL). */
const noticeKey = (pseudonym: string) => storeKeys.limitedNotice('sms', pseudonym);

/**
 * How the SMS routes meet the gateway mounter (adapters/gateway/mount.ts): over
 * RATE_LIMIT_PER_MINUTE a person gets one SMS "try again in a minute" per window, never more
 * (a flood of messages must not become a flood of replies we pay for), and the gateway a 200
 * so it does not deliver the message again. Delivery reports and bulk opt-outs are the
 * gateway's, not a person's: never limited.
 */
export function smsGatewayOptions(deps: {
  store: SessionStore;
  conversation: Pick<SmsConversation, 'sendNotice'>;
  /** The answer to an incoming message (router.ts): given, the webhook's `/` gets a fast lane. */
  incoming?: (body: unknown, person: KnownPerson | undefined) => Promise<SmsAnswer>;
}): GatewayOptions {
  const overBudget = async (body: unknown, decision: RateDecision, pseudonym: string): Promise<SmsAnswer> => {
    const ttlSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    // When the store cannot say, stay silent: one missing notice is better than many.
    const first = await deps.store.setIfAbsent(noticeKey(pseudonym), 1, ttlSeconds).catch(() => false);
    const from = formField(body, 'from');
    if (first && from)
      void deps.conversation.sendNotice(from.startsWith('+') ? from : `+${from}`, 'error.rateLimited');
    return { status: 200, body: { status: 'rateLimited', notified: first } };
  };
  const { incoming } = deps;
  return {
    personLimit: {
      phone: (req) => (req.path === '/' ? bodyField(req, 'from') : undefined),
      refuse: async (req, res, decision, pseudonym) => {
        const answer = await overBudget(req.body, decision, pseudonym);
        res.status(answer.status).json(answer.body);
      },
    },
    ...(incoming
      ? {
          lane: {
            phone: (body) => formField(body, 'from'),
            answer: (body, person) => incoming(body, person),
            // As the express road answers them: the app's JSON error, the deadline's 503.
            refusal: (status, type) => ({ status, body: { error: type } }),
            apology: () => JSON_TIMEOUT,
            rateLimited: overBudget,
          },
        }
      : {}),
  };
}
