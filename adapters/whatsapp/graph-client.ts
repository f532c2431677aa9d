import type { Logger } from '../../src/ports/index.js';
import type { GraphAnswer } from '../broadcast/gateway-senders.js';
import { violations, type OutgoingMessage } from './limits.js';

/**
 * A thin client of the one Graph API call the bot makes: POST {root}/{version}/{phone id}/messages.
 * (whatsapp-api-js was considered: its builders check the same limits but throw instead of
 * fitting, its sender has no retry policy, and its webhook helper would need the raw body we
 * already verify; one fetch is simpler than adapting three parts of it. See docs/whatsapp.md.)
 *
 * Retries (bounded, exponential backoff with jitter, Retry-After honoured up to the cap) only
 * when the request certainly did not deliver anything: HTTP 429 and 5xx, Graph throttling codes,
 * and connections refused before a byte was sent. A timeout or a connection cut after the
 * request went out may have delivered the message: never retried, so nobody gets it twice.
 *
 * A broadcast asks for one attempt (`{ retries: false }`, through `broadcastPost`): a throttled
 * or failed send comes back at once with its status, code and Retry-After, so the broadcast
 * queue pauses every worker on every instance as long as Meta asked (adapters/broadcast/
 * gateway-senders.ts `whatsappSender`) instead of one job sleeping on it while the others go on.
 */
export interface GraphPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt is abandoned after this long; its outcome is unknown, so it is not retried. */
  attemptTimeoutMs: number;
}

const DEFAULT_GRAPH_POLICY: GraphPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  attemptTimeoutMs: 10_000,
};

/** Graph error codes that mean "slow down, nothing was sent" (Meta's error code reference). */
const THROTTLED = new Set([4, 80007, 130429, 131056]);
/** Free-form message outside the 24-hour customer-service window. */
export const REENGAGEMENT_REQUIRED = 131047;

/** What one send came to (the channel counts it, a broadcast reads it: `broadcastPost`). */
export type GraphSendOutcome = SendOutcome;
type SendOutcome =
  | { status: 'sent'; messageId?: string }
  /** Final: Meta refused it (a 4xx), or we did (`limits`); `code` is Graph's error code. */
  | { status: 'refused'; code?: number; httpStatus?: number; reason: string }
  /**
   * Gave up: retries exhausted, or an attempt whose fate is unknown (`unknown`: not retried).
   * An answer that said "not now" carries its HTTP status, Graph code and Retry-After.
   */
  | {
      status: 'failed';
      reason: string;
      unknown: boolean;
      httpStatus?: number;
      code?: number;
      retryAfter?: string | null;
    };

export interface GraphClient {
  /** `retries: false`: one attempt, whatever it answers (a broadcast: its queue waits instead). */
  send(to: string, message: OutgoingMessage, options?: { retries?: boolean }): Promise<SendOutcome>;
}

export interface GraphClientOptions {
  apiRoot: string;
  version: string;
  phoneNumberId: string;
  token: string;
  logger: Logger;
  policy?: Partial<GraphPolicy>;
  random?: () => number;
  fetch?: typeof fetch;
}

/** Connection failures that happen before the request is sent: safe to try again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const policy = { ...DEFAULT_GRAPH_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? fetch;
  const url = `${options.apiRoot}/${options.version}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  // Built once; never logged (the logger's redaction is the second line of defence).
  const authorization = `Bearer ${options.token}`;
  const logger = options.logger;

  const delayFor = (attempt: number, retryAfter: string | null) => {
    const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const asked = retryAfter && /^\d{1,4}$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    return Math.min(policy.maxDelayMs, Math.max(asked, Math.round(exponential * (0.5 + random() / 2))));
  };

  return {
    async send(to, message, options) {
      const attempts = options?.retries === false ? 1 : policy.attempts;
      const problems = violations(message);
      if (problems.length > 0) {
        // A bug of ours: Meta would refuse it anyway, and a half-sent conversation is worse.
        logger.error({ problems, type: message.type }, 'whatsapp message breaks the limits: not sent');
        return { status: 'refused', reason: `limits: ${problems.join('; ')}` };
      }
      const payload = JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        ...message,
      });
      for (let attempt = 1; ; attempt++) {
        let response: Response;
        try {
          response = await doFetch(url, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json' },
            body: payload,
            signal: AbortSignal.timeout(policy.attemptTimeoutMs),
          });
        } catch (error) {
          const code = causeCode(error);
          const name = (error as Error).name;
          if (code && NOT_SENT.has(code) && attempt < attempts) {
            const delay = delayFor(attempt, null);
            logger.warn({ attempt, code, retryInMs: delay }, 'whatsapp send: no connection, retrying');
            await new Promise((resolve) => setTimeout(resolve, delay));
            continue;
          }
          const unknown = !(code && NOT_SENT.has(code));
          logger.error({ attempt, code, errorName: name, unknown }, 'whatsapp send failed');
          return { status: 'failed', reason: code ?? name, unknown };
        }
        const raw = await response.text().catch(() => '');
        let parsed: { messages?: Array<{ id?: string }>; error?: { code?: number } } = {};
        try {
          parsed = raw ? (JSON.parse(raw) as typeof parsed) : {};
        } catch {
          parsed = {};
        }
        if (response.ok) return { status: 'sent', messageId: parsed.messages?.[0]?.id };
        const graphCode = typeof parsed.error?.code === 'number' ? parsed.error.code : undefined;
        const retryable =
          response.status === 429 ||
          response.status >= 500 ||
          (graphCode !== undefined && THROTTLED.has(graphCode));
        if (retryable && attempt < attempts) {
          const delay = delayFor(attempt, response.headers.get('retry-after'));
          logger.warn(
            { attempt, httpStatus: response.status, graphCode, retryInMs: delay },
            'whatsapp send refused for now: retrying',
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        logger.warn({ attempt, httpStatus: response.status, graphCode }, 'whatsapp send refused');
        if (retryable)
          return {
            status: 'failed',
            reason: `http ${response.status}`,
            unknown: false,
            httpStatus: response.status,
            ...(graphCode !== undefined ? { code: graphCode } : {}),
            retryAfter: response.headers.get('retry-after'),
          };
        return {
          status: 'refused',
          code: graphCode,
          httpStatus: response.status,
          reason: `http ${response.status}`,
        };
      }
    },
  };
}

/** A broadcast message as gateway-senders.ts names it: a text, or the approved template. */
type BroadcastMessage = { kind: 'text'; text: string } | { kind: 'template'; name: string };

/**
 * The `post` of a WhatsApp broadcast (gateway-senders.ts `whatsappSender`) over this client: one
 * attempt, its answer as Graph gave it. A connection refused sent nothing: a 503 (retried with
 * the queue's backoff); an attempt whose fate is unknown (a timeout, a cut) throws, and the
 * broadcaster counts it `uncertain` rather than risk a second copy. `observe` sees every outcome
 * (the channel's metrics, its window closed on 131047).
 */
export function broadcastPost(
  graph: GraphClient,
  templateLang: string,
  observe?: (outcome: SendOutcome, to: string) => Promise<void>,
) {
  return async (to: string, message: BroadcastMessage): Promise<GraphAnswer> => {
    const outgoing: OutgoingMessage =
      message.kind === 'text'
        ? { type: 'text', text: { body: message.text } }
        : { type: 'template', template: { name: message.name, language: { code: templateLang } } };
    const outcome = await graph.send(to, outgoing, { retries: false });
    await observe?.(outcome, to);
    if (outcome.status === 'sent') return { status: 200 };
    if (outcome.status === 'refused')
      return {
        status: outcome.httpStatus ?? 400,
        ...(outcome.code !== undefined ? { code: outcome.code } : {}),
      };
    if (outcome.unknown) throw new Error(`whatsapp broadcast: ${outcome.reason}, fate unknown`);
    return {
      status: outcome.httpStatus ?? 503,
      ...(outcome.code !== undefined ? { code: outcome.code } : {}),
      retryAfter: outcome.retryAfter ?? null,
    };
  };
}
