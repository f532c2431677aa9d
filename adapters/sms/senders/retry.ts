import type { Logger, OutgoingSms, SmsSender, SmsSendResult } from '../../../src/ports/index.js';
import { withDeadline } from '../../../src/core/deadline.js';
import type { Pseudonymizer } from '../../../src/privacy/pseudonym.js';
import { RetryableSendError } from './africastalking.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt is abandoned after this long; its outcome is unknown, so it is not retried. */
  attemptTimeoutMs: number;
}

const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2000,
  attemptTimeoutMs: 15_000,
};

/**
 * Bounded exponential backoff with jitter around a sender: retried when the sender throws a
 * RetryableSendError (network, 5xx, throttling); a refusal is final at once; any other throw
 * is a bug and is not retried. A timed-out attempt may have reached AT, so it is not retried
 * either: a person must never get the same SMS twice. Failures are logged with the pseudonym.
 */
export function withRetry(
  inner: SmsSender,
  deps: { logger: Logger; pseudonymize: Pseudonymizer; policy?: Partial<RetryPolicy>; random?: () => number },
): SmsSender {
  const policy = { ...DEFAULT_RETRY, ...deps.policy };
  const random = deps.random ?? Math.random;
  return {
    async send(message: OutgoingSms): Promise<SmsSendResult> {
      const pseudonym = deps.pseudonymize(message.to);
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await withDeadline(inner.send(message), policy.attemptTimeoutMs);
          if (result.status === 'refused')
            deps.logger.warn({ pseudonym, attempt, detail: result.detail }, 'sms refused by the gateway');
          return result;
        } catch (error) {
          const retryable = error instanceof RetryableSendError;
          const reason = (error as Error).message;
          if (!retryable || attempt >= policy.attempts) {
            deps.logger.error({ pseudonym, attempt, reason }, 'sms send failed');
            return { status: 'refused', detail: reason };
          }
          const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
          const delay = Math.round(exponential * (0.5 + random() / 2));
          deps.logger.warn({ pseudonym, attempt, reason, retryInMs: delay }, 'sms send failed: retrying');
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
  };
}
