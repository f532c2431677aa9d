import type { SubscriptionChannel } from '../../src/subscriptions/model.js';

/**
 * How fast each gateway lets a broadcast go, and where that figure comes from. A broadcast runs
 * one BullMQ queue per gateway, whose limiter (`{ max: requestsPerSecond, duration: 1000 }`,
 * kept in Redis) is shared by every worker on every instance; a job is one request to the
 * gateway, carrying `recipientsPerRequest` recipients at most.
 *
 * Sources (checked December 2026):
 * - Africa's Talking SMS: `to` takes several numbers, comma-separated (the official SDK,
 *   npm `africastalking` 0.8, lib/sms.js: an array is `join()`ed, the bulk call adds
 *   `bulkSMSMode=1` and `enqueue`, "used for sending bulk messages ... large volumes"). AT
 *   publishes no request rate and no maximum of recipients per request (their throughput is the
 *   carriers' and the account's: ask the account manager). Ours: 100 numbers a request (what
 *   wrappers of the same endpoint cap it at) and 5 requests a second, both settings.
 * - Telegram Bot API: "If you're sending bulk notifications to multiple users, the API will not
 *   allow more than 30 messages per second or so", and about one message a second in one chat
 *   (core.telegram.org/bots/faq, "My bot is hitting limits"; grammY's "Scaling Up IV: Flood
 *   Limits" quotes it and adds that the limits are not fixed). Past it: HTTP 429 with
 *   `parameters.retry_after` (seconds), which we obey. One message per request.
 * - WhatsApp Cloud API: "For each registered business phone number, Cloud API supports up to
 *   80 messages per second (mps) by default, and up to 1,000 mps by automatic upgrade";
 *   beyond it error 130429 (developers.facebook.com/documentation/business-messaging/whatsapp/
 *   throughput). Outside the person's 24-hour window only an approved template may be sent
 *   (error 131047 otherwise). One message per request.
 */
interface GatewayLimit {
  /** Requests per second to this gateway, all instances together. */
  requestsPerSecond: number;
  /** Recipients one request may carry (1: one message a request). */
  recipientsPerRequest: number;
}

export type GatewayLimits = Record<SubscriptionChannel, GatewayLimit>;

export const DOCUMENTED_LIMITS: GatewayLimits = {
  sms: { requestsPerSecond: 5, recipientsPerRequest: 100 },
  telegram: { requestsPerSecond: 30, recipientsPerRequest: 1 },
  whatsapp: { requestsPerSecond: 80, recipientsPerRequest: 1 },
};

export interface GatewayLimitSettings {
  BROADCAST_SMS_REQUESTS_PER_SECOND: number;
  BROADCAST_SMS_RECIPIENTS_PER_REQUEST: number;
  BROADCAST_TELEGRAM_PER_SECOND: number;
  BROADCAST_WHATSAPP_PER_SECOND: number;
}

export function gatewayLimits(config: GatewayLimitSettings): GatewayLimits {
  return {
    sms: {
      requestsPerSecond: config.BROADCAST_SMS_REQUESTS_PER_SECOND,
      recipientsPerRequest: config.BROADCAST_SMS_RECIPIENTS_PER_REQUEST,
    },
    telegram: { requestsPerSecond: config.BROADCAST_TELEGRAM_PER_SECOND, recipientsPerRequest: 1 },
    whatsapp: { requestsPerSecond: config.BROADCAST_WHATSAPP_PER_SECOND, recipientsPerRequest: 1 },
  };
}

/** The shortest a broadcast can take within these limits: the slowest gateway's share (gateways run side by side). */
export function limitBoundSeconds(
  recipients: Record<SubscriptionChannel, number>,
  limits: GatewayLimits,
): number {
  let longest = 0;
  for (const channel of Object.keys(limits) as SubscriptionChannel[]) {
    const { requestsPerSecond, recipientsPerRequest } = limits[channel];
    const requests = Math.ceil((recipients[channel] ?? 0) / recipientsPerRequest);
    longest = Math.max(longest, requests / requestsPerSecond);
  }
  return longest;
}
