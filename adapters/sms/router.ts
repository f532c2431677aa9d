import type { Config } from '../../src/config.js';
import type { Logger, Metrics, OptOutRegistry, RateDecision, SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import {
  field,
  jsonRefusal,
  JSON_TIMEOUT,
  pseudonymOf,
  type GatewayAnswer,
  type GatewayHandler,
  type GatewayRequest,
} from '../gateway/contract.js';
import type { SmsConversation } from './conversation.js';

import { isGatewayPhone, toE164 } from '../../src/privacy/phone.js';

const MESSAGE_ID = /^[\w.:-]{1,128}$/;
const SHORT_FIELD_MAX = 128;

export interface SmsRouterDeps {
  config: Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH'>;
  conversation: SmsConversation;
  optOuts: OptOutRegistry;
  /** Where "told to try again later" is marked, once per window. */
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics?: Pick<Metrics, 'rateLimited'>;
  gateway?: string;
  /**
   * Who counts the person's budget: the turn, in its one read script (`channel`: the runner hands
   * the key over), or the runner before it (`runner`).
   */
  budget?: 'channel' | 'runner';
}

/** Marks that this person was told "try again later" in this window (the window's length is the TTL). */
const noticeKey = (pseudonym: string) => storeKeys.limitedNotice('sms', pseudonym);

type Fields = Record<string, string>;
class BadRequest extends Error {}

/** The named fields as single strings; a repeated field, a missing required one or an oversized short one is a 400. */
function fields(body: unknown, required: string[], optional: string[]): Fields {
  if (!body || typeof body !== 'object') throw new BadRequest('form body expected');
  const out: Fields = {};
  for (const name of [...required, ...optional]) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined) {
      if (required.includes(name)) throw new BadRequest(`${name} missing`);
      continue;
    }
    if (typeof value !== 'string') throw new BadRequest(`${name} repeated or malformed`);
    if (name !== 'text' && value.length > SHORT_FIELD_MAX) throw new BadRequest(`${name} too long`);
    out[name] = value;
  }
  return out;
}

function phone(value: string | undefined): string {
  if (!isGatewayPhone(value)) throw new BadRequest('malformed phone number');
  const compact = value.replace(/[\s()-]/g, '');
  // Replies go to the number in E.164 (0022376…, 76… are +22376…); other forms kept as they came.
  return toE164(compact) ?? (compact.startsWith('+') ? compact : `+${compact}`);
}

/**
 * Africa's Talking's SMS dialect as a gateway webhook (adapters/gateway/contract.ts): incoming
 * messages (POST /), delivery reports (POST /delivery), bulk opt-outs (POST /optout). Bad input
 * is a 400 naming the problem; a store that cannot answer is a 503 (the gateway may deliver
 * again; the message id dedupes it), never a 500. Over RATE_LIMIT_PER_MINUTE (counted in the
 * turn's one read script, or by the runner when the channel has no way to) a person gets one SMS "try again in a minute" per window, never more (a flood of
 * messages must not become a flood of replies we pay for), and the gateway a 200 so it does not
 * deliver the message again. Delivery reports and opt-outs are the gateway's: never limited.
 */
export function createSmsGateway(deps: SmsRouterDeps): GatewayHandler {
  const { conversation, optOuts, pseudonymize, logger } = deps;
  const gateway = deps.gateway ?? 'at';

  /** Bad input is a 400 naming the problem; anything else a 503 the gateway may retry. */
  const guarded =
    (work: (request: GatewayRequest) => Promise<GatewayAnswer>) =>
    async (request: GatewayRequest): Promise<GatewayAnswer> => {
      try {
        return await work(request);
      } catch (error) {
        if (error instanceof BadRequest)
          return { status: 400, body: { error: 'bad_request', detail: error.message } };
        logger.error({ err: { message: (error as Error).message } }, 'sms webhook could not be processed');
        return { status: 503, body: { error: 'unavailable' } };
      }
    };

  /** Over the budget: one "try again later" per window (the notice's mark is its TTL), a 200. */
  async function rateLimited(request: GatewayRequest, decision: RateDecision): Promise<GatewayAnswer> {
    deps.metrics?.rateLimited('sms');
    const ttlSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    const pseudonym = request.person?.pseudonym ?? '';
    // When the store cannot say, stay silent: one missing notice is better than many.
    const first = await deps.store.setIfAbsent(noticeKey(pseudonym), 1, ttlSeconds).catch(() => false);
    const from = field(request.fields, 'from');
    if (first && from)
      void conversation.sendNotice(from.startsWith('+') ? from : `+${from}`, 'error.rateLimited');
    return { status: 200, body: { status: 'rateLimited', notified: first } };
  }

  const incoming = guarded(async (request) => {
    const f = fields(request.fields, ['from', 'text', 'id'], ['to', 'date', 'linkId', 'networkCode', 'cost']);
    const from = phone(f.from);
    const messageId = f.id ?? '';
    if (!MESSAGE_ID.test(messageId)) throw new BadRequest('malformed id');
    const pseudonym = pseudonymOf(request.person, from);
    const outcome = await conversation.handleIncomingSms({
      ...{ from, text: f.text ?? '', messageId, gateway, pseudonym },
      // The budget key is the person's: handed over only when the pseudonym is theirs too.
      ...(pseudonym && request.person?.budget ? { budget: request.person.budget } : {}),
    });
    if (outcome.status === 'rateLimited') return rateLimited(request, outcome.decision);
    return { status: 200, body: outcome };
  });

  const delivery = guarded(async (request) => {
    const f = fields(
      request.fields,
      ['id', 'status'],
      ['phoneNumber', 'networkCode', 'failureReason', 'retryCount'],
    );
    const pseudonym = f.phoneNumber ? pseudonymize(phone(f.phoneNumber)) : undefined;
    const report = { messageId: f.id, status: f.status, failureReason: f.failureReason, pseudonym };
    if (/^(Success|Sent|Submitted|Buffered)$/.test(f.status ?? ''))
      logger.info(report, 'sms delivery report');
    else logger.warn(report, 'sms delivery report');
    return { status: 200, body: { status: 'ok' } };
  });

  const optOut = guarded(async (request) => {
    const f = fields(request.fields, ['phoneNumber'], ['senderId']);
    const pseudonym = pseudonymize(phone(f.phoneNumber));
    await optOuts.add(pseudonym); // durable before the gateway hears OK
    logger.info({ pseudonym }, 'sms opt-out from the gateway');
    return { status: 200, body: { status: 'ok' } };
  });

  const both = ['form', 'json'] as const;
  return {
    channel: 'sms',
    budget: deps.budget ?? 'runner',
    routes: [
      { path: '/', accepts: both, phone: (f) => field(f, 'from'), handle: incoming },
      { path: '/delivery', accepts: both, handle: delivery },
      { path: '/optout', accepts: both, handle: optOut },
    ],
    refusal: (refusal) => jsonRefusal(refusal),
    apology: () => JSON_TIMEOUT,
    rateLimited,
  };
}
