import type { BroadcastSender, SendOutcome } from '../../src/broadcast/model.js';
import type { ChannelSender } from './gateway-senders.js';
import type { OptOutRegistry, SmsSender } from '../../src/ports/index.js';
import type { SubscriptionChannel } from '../../src/subscriptions/model.js';

/**
 * The BroadcastSender over each channel's gateway sender (gateway-senders.ts). No gateway here
 * takes an idempotency key, so this sender is not idempotent: a send cut by a crash is counted
 * `uncertain`, never repeated.
 */
export function channelBroadcastSender(
  senders: Partial<Record<SubscriptionChannel, ChannelSender>>,
): BroadcastSender {
  const none = (channel: SubscriptionChannel): SendOutcome => ({
    status: 'failed',
    retry: false,
    detail: `no sender for ${channel}`,
  });
  return {
    idempotent: false,
    async send(to, text, channel, key, pseudonym): Promise<SendOutcome> {
      const sender = senders[channel];
      if (!sender) return none(channel);
      return sender.send({ to, key, pseudonym: pseudonym ?? '' }, text);
    },
    async sendMany(recipients, text, channel): Promise<SendOutcome[]> {
      const sender = senders[channel];
      if (!sender) return recipients.map(() => none(channel));
      if (sender.sendMany) return sender.sendMany(recipients, text);
      return Promise.all(recipients.map((r) => sender.send(r, text)));
    },
  };
}

/** A one-number SMS sender (the dev outbox, AT without bulk) as a channel sender: a refusal is final. */
export function smsChannelSender(sms: SmsSender): ChannelSender {
  return {
    async send({ to }, text) {
      const result = await sms.send({ to, text });
      return result.status === 'sent'
        ? { status: 'sent' }
        : { status: 'failed', retry: false, detail: result.detail };
    },
  };
}

/**
 * The opt-out check of a broadcast: opted out on ANY text channel counts. A number that sent
 * STOP by SMS gets no news on WhatsApp either (its pseudonym is the same): on this subject the
 * stricter reading is the safe one. Read-only: STOP is written by each channel's own registry.
 */
export function anyOptOut(registries: OptOutRegistry[]): OptOutRegistry {
  const readOnly = () => Promise.reject(new Error('anyOptOut is read-only: write to a channel registry'));
  return {
    async has(pseudonym) {
      const answers = await Promise.all(registries.map((registry) => registry.has(pseudonym)));
      return answers.some(Boolean);
    },
    add: readOnly,
    remove: readOnly,
    close: async () => {},
  };
}
