import { z } from 'zod';

/**
 * The Cloud API's `messages` webhook (Meta's "messages webhook reference"): an envelope
 * `{ object: 'whatsapp_business_account', entry: [{ changes: [{ field, value }] }] }` whose
 * value carries `messages` from people and `statuses` of what we sent. Only the fields the bot
 * uses are read; anything else is ignored, so a field Meta adds tomorrow changes nothing.
 */
const Text = z.object({ body: z.string() });
const Media = z.object({ caption: z.string().optional() }).passthrough();
const Choice = z.object({ id: z.string(), title: z.string().optional() });

const Message = z
  .object({
    from: z.string().regex(/^\d{5,20}$/),
    id: z.string().min(1).max(512),
    timestamp: z.coerce.number().int().nonnegative(),
    type: z.string(),
    text: Text.optional(),
    image: Media.optional(),
    video: Media.optional(),
    document: Media.optional(),
    interactive: z
      .object({
        type: z.string(),
        list_reply: Choice.optional(),
        button_reply: Choice.optional(),
      })
      .optional(),
    button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  })
  .passthrough();

const Status = z
  .object({
    id: z.string(),
    status: z.string(),
    recipient_id: z.string().optional(),
    errors: z.array(z.object({ code: z.coerce.number() }).passthrough()).optional(),
  })
  .passthrough();

const Change = z.object({
  field: z.string(),
  value: z
    .object({
      metadata: z.object({ phone_number_id: z.string() }).passthrough().optional(),
      messages: z.array(z.unknown()).optional(),
      statuses: z.array(z.unknown()).optional(),
    })
    .passthrough(),
});

const NotificationSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ changes: z.array(Change).max(100) }).passthrough()).max(100),
});

/** What a person sent, whatever WhatsApp kind it came as. */
export type WhatsAppInput =
  /** A typed text, a quick-reply template button's text, or a photo/video/document's caption. */
  | { kind: 'text'; text: string }
  /** A row of one of our lists or one of our reply buttons: the id we encoded (ids.ts). */
  | { kind: 'choice'; id: string }
  /** Something the bot cannot read: answered with a one-line pointer to what it can. */
  | {
      kind: 'unsupported';
      what: 'audio' | 'media' | 'sticker' | 'location' | 'contacts' | 'reaction' | 'other';
    };

export interface InboundMessage {
  /** The sender's WhatsApp id (their number's digits): only for replying and pseudonymising. */
  waId: string;
  /** Meta's `wamid.…`: base64 that carries the sender's number, so hashed before it is stored and never logged. */
  messageId: string;
  /** Seconds since the epoch, when the person sent it: the 24-hour window runs from here. */
  timestamp: number;
  input: WhatsAppInput;
}

const STATUS_KINDS = ['sent', 'delivered', 'read', 'failed'] as const;
type StatusKind = (typeof STATUS_KINDS)[number] | 'other';

export interface StatusEvent {
  status: StatusKind;
  /** The person's WhatsApp id: to close their window on 131047, never logged. */
  recipientId?: string;
  errorCodes: number[];
}

export interface ParsedNotification {
  messages: InboundMessage[];
  statuses: StatusEvent[];
  /** Entries skipped: another phone number of the same app, another field, or a malformed item. */
  ignored: number;
}

function inputOf(message: z.infer<typeof Message>): WhatsAppInput {
  switch (message.type) {
    case 'text':
      return message.text
        ? { kind: 'text', text: message.text.body }
        : { kind: 'unsupported', what: 'other' };
    case 'interactive': {
      const choice = message.interactive?.list_reply ?? message.interactive?.button_reply;
      return choice ? { kind: 'choice', id: choice.id } : { kind: 'unsupported', what: 'other' };
    }
    case 'button': // a quick-reply button of a template: its text is what the person "said"
      return message.button?.text
        ? { kind: 'text', text: message.button.text }
        : { kind: 'unsupported', what: 'other' };
    case 'image':
    case 'video':
    case 'document': {
      const caption = message[message.type]?.caption?.trim();
      return caption ? { kind: 'text', text: caption } : { kind: 'unsupported', what: 'media' };
    }
    case 'audio':
    case 'voice':
      return { kind: 'unsupported', what: 'audio' };
    case 'sticker':
    case 'location':
    case 'contacts':
    case 'reaction':
      return { kind: 'unsupported', what: message.type };
    default:
      return { kind: 'unsupported', what: 'other' };
  }
}

/**
 * The messages and statuses of one notification for our phone number id, in order. Throws a
 * ZodError when the envelope is not a WhatsApp notification (the webhook answers 400); one
 * malformed message inside a good envelope is skipped and counted, never fails the rest.
 */
export function parseNotification(body: unknown, phoneNumberId: string): ParsedNotification {
  const envelope = NotificationSchema.parse(body);
  const result: ParsedNotification = { messages: [], statuses: [], ignored: 0 };
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      if (change.field !== 'messages' || value.metadata?.phone_number_id !== phoneNumberId) {
        result.ignored++;
        continue;
      }
      for (const raw of value.messages ?? []) {
        const message = Message.safeParse(raw);
        if (!message.success) {
          result.ignored++;
          continue;
        }
        result.messages.push({
          waId: message.data.from,
          messageId: message.data.id,
          timestamp: message.data.timestamp,
          input: inputOf(message.data),
        });
      }
      for (const raw of value.statuses ?? []) {
        const status = Status.safeParse(raw);
        if (!status.success) {
          result.ignored++;
          continue;
        }
        const kind = STATUS_KINDS.find((s) => s === status.data.status) ?? 'other';
        result.statuses.push({
          status: kind,
          recipientId: status.data.recipient_id,
          errorCodes: (status.data.errors ?? []).map((e) => e.code),
        });
      }
    }
  }
  return result;
}
