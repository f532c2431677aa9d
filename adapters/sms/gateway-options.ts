import type { SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import { bodyField, type GatewayOptions } from '../gateway/mount.js';
import type { SmsConversation } from './conversation.js';

/** Marks that this person was told "try again later" in this window (the window's length is the TTL). */
export const noticeKey = (pseudonym: string) => storeKeys.limitedNotice('sms', pseudonym);

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
}): GatewayOptions {
  return {
    personLimit: {
      phone: (req) => (req.path === '/' ? bodyField(req, 'from') : undefined),
      refuse: async (req, res, decision, pseudonym) => {
        const ttlSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        // When the store cannot say, stay silent: one missing notice is better than many.
        const first = await deps.store.setIfAbsent(noticeKey(pseudonym), 1, ttlSeconds).catch(() => false);
        const from = bodyField(req, 'from');
        if (first && from)
          void deps.conversation.sendNotice(from.startsWith('+') ? from : `+${from}`, 'error.rateLimited');
        res.status(200).json({ status: 'rateLimited', notified: first });
      },
    },
  };
}
