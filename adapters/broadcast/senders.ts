import type { BroadcastSender, SendOutcome } from '../../src/broadcast/model.js';
import type { SmsSender } from '../../src/ports/index.js';
import type { SubscriptionChannel } from '../../src/subscriptions/model.js';

/**
 * A BroadcastSender over the channels' own senders. The SMS sender (Africa's Talking or the
 * outbox) takes no idempotency key, so this sender is not idempotent: a send cut by a crash
 * is counted `uncertain`, never repeated. A refusal is final (the gateway said no); a thrown
 * error is ambiguous (the request may have reached the gateway) and handled as such.
 */
export function channelBroadcastSender(
  senders: Partial<Record<SubscriptionChannel, SmsSender>>,
): BroadcastSender {
  return {
    idempotent: false,
    async send(to, text, channel): Promise<SendOutcome> {
      const sender = senders[channel];
      if (!sender) return { status: 'failed', retry: false, detail: `no sender for ${channel}` };
      const result = await sender.send({ to, text });
      return result.status === 'sent'
        ? { status: 'sent' }
        : { status: 'failed', retry: false, detail: result.detail };
    },
  };
}
