import type { BroadcastSender, SendOutcome } from '../../src/broadcast/model.js';
import type { OptOutRegistry, SmsSender } from '../../src/ports/index.js';
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

/**
 * Telegram as a broadcast sender: the subscriber's address is the chat id. A refusal by the
 * Bot API (blocked bot, deleted chat) is final; the grammY error's description is the detail.
 */
export function telegramBroadcastSender(
  sendMessage: (chatId: string, text: string) => Promise<unknown>,
): SmsSender {
  return {
    async send({ to, text }) {
      try {
        await sendMessage(to, text);
        return { status: 'sent' };
      } catch (error) {
        return { status: 'refused', detail: (error as Error).message };
      }
    },
  };
}

/**
 * WhatsApp as a broadcast sender: `notify` sends free-form inside the person's 24-hour window,
 * the approved template outside it, or skips (no template configured): anything but a send is
 * reported refused with its reason, so the tally counts it as not delivered.
 */
export function whatsappBroadcastSender(notify: (waId: string, text: string) => Promise<string>): SmsSender {
  return {
    async send({ to, text }) {
      const outcome = await notify(to, text);
      return outcome === 'sent' || outcome === 'template'
        ? { status: 'sent' }
        : { status: 'refused', detail: `whatsapp: ${outcome}` };
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
