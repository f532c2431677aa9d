import AfricasTalking from 'africastalking';
import type { OutgoingSms, SmsSender, SmsSendResult } from '../../../src/ports/index.js';

/** A failure worth trying again: the network, AT's servers or its throttling. */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** Recipient status codes (AT docs): 100 Processed, 101 Sent, 102 Queued. */
const ACCEPTED = new Set([100, 101, 102]);
/** 500 InternalServerError and 501 GatewayError are AT's own trouble; every other code is a refusal. */
const TRANSIENT = new Set([500, 501]);

interface AxiosLikeError {
  isAxiosError?: boolean;
  response?: { status: number };
  code?: string;
  message?: string;
}

/**
 * Africa's Talking through its official SDK (`SMS.send`, which posts a form to
 * api.africastalking.com/version1/messaging and resolves only on HTTP 201). This sender does
 * one attempt and classifies the outcome: `sent`, `refused` (no retry can help: invalid number,
 * blacklisted, bad sender id, 4xx) or a thrown RetryableSendError (network, 5xx, 429,
 * AT's 500/501 recipient codes). Retrying is the policy wrapper's business.
 */
export function createAfricasTalkingSender(options: {
  username: string;
  apiKey: string;
  from?: string;
}): SmsSender {
  const sms = AfricasTalking({ username: options.username, apiKey: options.apiKey }).SMS;
  return {
    async send({ to, text }: OutgoingSms): Promise<SmsSendResult> {
      let response;
      try {
        response = await sms.send({ to, message: text, ...(options.from ? { from: options.from } : {}) });
      } catch (error) {
        return classifyFailure(error);
      }
      const recipient = response?.SMSMessageData?.Recipients?.[0];
      if (!recipient)
        return { status: 'refused', detail: response?.SMSMessageData?.Message ?? 'no recipient' };
      if (ACCEPTED.has(recipient.statusCode)) return { status: 'sent', messageId: recipient.messageId };
      if (TRANSIENT.has(recipient.statusCode))
        throw new RetryableSendError(`recipient status ${recipient.statusCode} ${recipient.status}`);
      return { status: 'refused', detail: `${recipient.statusCode} ${recipient.status}` };
    },
  };
}

function classifyFailure(error: unknown): SmsSendResult {
  const e = (error ?? {}) as AxiosLikeError;
  if (e.isAxiosError) {
    const status = e.response?.status;
    if (status === undefined) throw new RetryableSendError(`network: ${e.code ?? e.message ?? 'error'}`);
    if (status === 429 || status >= 500) throw new RetryableSendError(`HTTP ${status}`, status);
    return { status: 'refused', detail: `HTTP ${status}` };
  }
  // A Joi validation error (invalid number) or a non-201 success body: retrying cannot help.
  const detail = error instanceof Error ? error.message : 'unexpected response';
  return { status: 'refused', detail: detail.slice(0, 200) };
}
