import type { BroadcastRecipient, SendOutcome } from '../../src/broadcast/model.js';

/**
 * What each gateway's answer means for a broadcast, one function per gateway, each behind a
 * transport (the production client or, in tests and the benchmark, fetch to a fake gateway):
 * `sent`; `failed` with `retry` when nothing went out (throttled, the gateway's own trouble),
 * with `retryAfterMs` when the gateway said how long to wait; `failed` final otherwise. A
 * transport that throws (no answer: the request may have arrived) is an ambiguous send, which
 * the broadcaster counts `uncertain` rather than risk a duplicate.
 */
export interface ChannelSender {
  send(recipient: BroadcastRecipient, text: string): Promise<SendOutcome>;
  /** Several recipients of one text in one request, where the gateway takes it. */
  sendMany?(recipients: BroadcastRecipient[], text: string): Promise<SendOutcome[]>;
}

/** `Retry-After` in seconds (the only form gateways use here); undefined when absent or odd. */
function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header || !/^\d{1,5}$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

const temporary = (status: number) => status === 429 || status >= 500;

// ---------------------------------------------------------------- Africa's Talking (bulk SMS)

/** What an AT bulk call came back with: HTTP status, `Retry-After`, and the parsed body. */
export interface AtAnswer {
  status: number;
  retryAfter?: string | null;
  body?: unknown;
}

/** Recipient status codes (AT SMS docs): 100 Processed, 101 Sent, 102 Queued; 500/501 are AT's own trouble. */
const AT_ACCEPTED = new Set([100, 101, 102]);
const AT_TRANSIENT = new Set([500, 501]);

interface AtRecipient {
  number?: string;
  statusCode?: number;
  status?: string;
}

/** One outcome per recipient of an AT bulk request (`to` = several numbers, answered per number). */
export function readAtAnswer(recipients: BroadcastRecipient[], answer: AtAnswer): SendOutcome[] {
  if (answer.status !== 201) {
    const retry = temporary(answer.status);
    // A 429 without a delay: a second, the unit of AT's and every gateway's rate.
    const wait = retry
      ? (retryAfterMs(answer.retryAfter) ?? (answer.status === 429 ? 1000 : undefined))
      : undefined;
    return recipients.map(() => ({
      status: 'failed',
      retry,
      ...(wait ? { retryAfterMs: wait } : {}),
      detail: `HTTP ${answer.status}`,
    }));
  }
  const listed = (answer.body as { SMSMessageData?: { Recipients?: AtRecipient[] } } | undefined)
    ?.SMSMessageData?.Recipients;
  const byNumber = new Map((listed ?? []).map((r) => [r.number, r]));
  return recipients.map((recipient): SendOutcome => {
    const entry = byNumber.get(recipient.to);
    // AT lists every number it took; one it left out was not taken (an invalid number).
    if (!entry || typeof entry.statusCode !== 'number')
      return { status: 'failed', retry: false, detail: 'not in the answer' };
    if (AT_ACCEPTED.has(entry.statusCode)) return { status: 'sent' };
    return {
      status: 'failed',
      retry: AT_TRANSIENT.has(entry.statusCode),
      detail: `${entry.statusCode} ${entry.status ?? ''}`.trim(),
    };
  });
}

/** AT's SMS as a channel sender: one request per batch (`to` joined by commas, `bulkSMSMode=1`). */
export function africasTalkingBulkSender(
  post: (to: string[], text: string) => Promise<AtAnswer>,
): ChannelSender {
  const sendMany = async (recipients: BroadcastRecipient[], text: string) =>
    readAtAnswer(
      recipients,
      await post(
        recipients.map((r) => r.to),
        text,
      ),
    );
  return {
    sendMany,
    send: async (recipient, text) => (await sendMany([recipient], text))[0]!,
  };
}

interface AxiosLikeError {
  isAxiosError?: boolean;
  response?: { status: number; headers?: Record<string, string | undefined>; data?: unknown };
}

/**
 * The transport over the official SDK (`SMS.send({ to: [...], message, enqueue: true })`, which
 * joins the numbers and posts the bulk form; it resolves only on 201). A rejected validation (a
 * number the SDK refuses) is a 400; no response at all is thrown on (ambiguous).
 */
export function atSdkTransport(
  sms: {
    send(options: { to: string[]; message: string; from?: string; enqueue?: boolean }): Promise<unknown>;
  },
  from?: string,
) {
  return async (to: string[], text: string): Promise<AtAnswer> => {
    try {
      const body = await sms.send({ to, message: text, enqueue: true, ...(from ? { from } : {}) });
      return { status: 201, body };
    } catch (error) {
      const e = (error ?? {}) as AxiosLikeError;
      if (e.isAxiosError && e.response)
        return { status: e.response.status, retryAfter: e.response.headers?.['retry-after'] ?? null };
      if (e.isAxiosError) throw error;
      return { status: 400 };
    }
  };
}

// ---------------------------------------------------------------- Telegram Bot API

/** The fields of a Bot API error we read (grammY's GrammyError carries them). */
interface BotApiError {
  error_code?: number;
  parameters?: { retry_after?: number };
  description?: string;
}

/**
 * Telegram: one `sendMessage` per recipient. 429 carries `parameters.retry_after` (seconds):
 * wait that long (all workers); 5xx: retry with backoff; any other error (blocked bot, chat
 * gone) is final. A network failure is thrown on: the message may have gone.
 */
export function telegramSender(
  sendMessage: (chatId: string, text: string) => Promise<unknown>,
): ChannelSender {
  return {
    async send({ to }, text) {
      try {
        await sendMessage(to, text);
        return { status: 'sent' };
      } catch (error) {
        const e = error as BotApiError;
        if (typeof e.error_code !== 'number') throw error;
        const retry = temporary(e.error_code);
        const wait = e.parameters?.retry_after;
        return {
          status: 'failed',
          retry,
          ...(retry && typeof wait === 'number' && wait > 0 ? { retryAfterMs: wait * 1000 } : {}),
          detail: `telegram ${e.error_code}`,
        };
      }
    },
  };
}

// ---------------------------------------------------------------- WhatsApp Cloud API

/**
 * Graph error codes that mean "not now, nothing was sent", with how long every worker waits when
 * Meta gives no Retry-After (error codes: developers.facebook.com/documentation/business-messaging/
 * whatsapp/support/error-codes; throughput: .../whatsapp/throughput):
 * - 130429 throughput ("until you are within your allowed level again", counted per second),
 *   4 and 80007 the app's and the account's rate limits: a second, and again if still too fast;
 * - 131056 pair rate (too many messages to one number in a short time; Meta: one message every
 *   6 seconds to the same user): 6 s;
 * - 131048 spam rate limit (the number is restricted for the quality of what it sent; Meta names
 *   no duration): a minute, so a restricted number is not hammered (the pause uses no attempt).
 */
const GRAPH_THROTTLED = new Map([
  [4, 1000],
  [80007, 1000],
  [130429, 1000],
  [131056, 6000],
  [131048, 60_000],
]);

export interface GraphAnswer {
  status: number;
  retryAfter?: string | null;
  /** `error.code` of a Graph error body. */
  code?: number;
}

/**
 * WhatsApp: inside the person's 24-hour window a text, outside it the approved template (Meta's
 * rule; `windowOpen` reads what the channel knows, adapters/whatsapp/state.ts); no template
 * configured: not sent (final). Throttling codes and 5xx are retried, with `Retry-After` when given.
 * Production posts through the channel's Graph client, one attempt a job (adapters/whatsapp/
 * graph-client.ts `broadcastPost`): the queue's shared pause does the waiting, as for SMS and
 * Telegram, not a retry loop inside one job.
 */
export function whatsappSender(options: {
  windowOpen: (pseudonym: string) => Promise<boolean>;
  template?: string;
  post: (
    to: string,
    message: { kind: 'text'; text: string } | { kind: 'template'; name: string },
  ) => Promise<GraphAnswer>;
}): ChannelSender {
  return {
    async send({ to, pseudonym }, text) {
      const open = await options.windowOpen(pseudonym);
      if (!open && !options.template)
        return { status: 'failed', retry: false, detail: 'outside the 24-hour window, no template' };
      const answer = await options.post(
        to,
        open ? { kind: 'text', text } : { kind: 'template', name: options.template! },
      );
      if (answer.status >= 200 && answer.status < 300) return { status: 'sent' };
      // Throttled (429, a code above): every worker waits, as long as Retry-After says, else the
      // code's default. A 5xx waits only when told how long; else the queue's backoff retries it.
      const byCode = GRAPH_THROTTLED.get(answer.code ?? -1);
      const throttled = answer.status === 429 || byCode !== undefined;
      const retry = throttled || temporary(answer.status);
      const wait = retry
        ? (retryAfterMs(answer.retryAfter) ?? (throttled ? (byCode ?? 1000) : undefined))
        : undefined;
      return {
        status: 'failed',
        retry,
        ...(wait ? { retryAfterMs: wait } : {}),
        detail: `whatsapp ${answer.status}${answer.code ? ` ${answer.code}` : ''}`,
      };
    },
  };
}
