import { Router, type Request, type Response } from 'express';
import type { Config } from '../../src/config.js';
import { existingContext, pseudonymOf, type KnownPerson } from '../gateway/context.js';
import type { Logger, OptOutRegistry } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { SmsConversation } from './conversation.js';

import { toE164 } from '../../src/privacy/phone.js';

/** A phone number as gateways send it: E.164 digits, "+" optional, spaces tolerated. */
const PHONE = /^\+?\d{6,15}$/;
const MESSAGE_ID = /^[\w.:-]{1,128}$/;
const SHORT_FIELD_MAX = 128;

export interface SmsRouterDeps {
  config: Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH'>;
  conversation: SmsConversation;
  optOuts: OptOutRegistry;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  gateway?: string;
}

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
  const compact = (value ?? '').replace(/[\s-]/g, '');
  if (!PHONE.test(compact)) throw new BadRequest('malformed phone number');
  // Replies go to the number in E.164 (0022376…, 76… are +22376…); other forms kept as they came.
  return toE164(compact) ?? (compact.startsWith('+') ? compact : `+${compact}`);
}

/**
 * Africa's Talking's SMS dialect: incoming messages (POST /), delivery reports
 * (POST /delivery), bulk opt-outs (POST /optout). Forms only, small: 16 kB, 30 fields.
 * Bad input is a 400 naming the problem; a store that cannot answer is a 503 (the gateway may
 * deliver again; the message id dedupes it), never a 500.
 */
/** A webhook answer: its status and JSON body. */
export interface SmsAnswer {
  status: number;
  body: object;
}

/**
 * The webhook's routes, and `incoming`: the answer to an incoming message (the `/` route), which
 * the gateway's fast lane also calls (adapters/gateway/lane.ts, wired in gateway-options.ts).
 */
export function createSmsWebhook(deps: SmsRouterDeps): {
  router: Router;
  incoming(body: unknown, person: KnownPerson | undefined): Promise<SmsAnswer>;
} {
  const { conversation, optOuts, pseudonymize, logger } = deps;
  const gateway = deps.gateway ?? 'at';
  // Mounted through mountGateway (adapters/gateway/mount.ts), which already checks the
  // secret and parses the form within the gateway limits (16 kB, 30 fields, strict encoding):
  // a second guard and parser here cost two hashes and a layer per message for nothing.
  const router = Router();

  /** Bad input is a 400 naming the problem; anything else a 503 the gateway may retry. */
  const guarded = async (work: () => Promise<SmsAnswer>): Promise<SmsAnswer> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof BadRequest)
        return { status: 400, body: { error: 'bad_request', detail: error.message } };
      logger.error({ err: { message: (error as Error).message } }, 'sms webhook could not be processed');
      return { status: 503, body: { error: 'unavailable' } };
    }
  };
  const route =
    (work: (req: Request, res: Response) => Promise<SmsAnswer>) =>
    async (req: Request, res: Response): Promise<void> => {
      const answer = await guarded(() => work(req, res));
      if (!res.headersSent) res.status(answer.status).json(answer.body);
    };

  const incoming = (body: unknown, person: KnownPerson | undefined) =>
    guarded(async () => {
      const f = fields(body, ['from', 'text', 'id'], ['to', 'date', 'linkId', 'networkCode', 'cost']);
      const from = phone(f.from);
      const messageId = f.id ?? '';
      if (!MESSAGE_ID.test(messageId)) throw new BadRequest('malformed id');
      const outcome = await conversation.handleIncomingSms({
        ...{ from, text: f.text ?? '', messageId, gateway },
        pseudonym: pseudonymOf(person, from),
      });
      return { status: 200, body: outcome };
    });

  router.post(
    '/',
    route((req, res) => incoming(req.body, existingContext(res)?.person)),
  );

  router.post(
    '/delivery',
    route(async (req) => {
      const f = fields(
        req.body,
        ['id', 'status'],
        ['phoneNumber', 'networkCode', 'failureReason', 'retryCount'],
      );
      const pseudonym = f.phoneNumber ? pseudonymize(phone(f.phoneNumber)) : undefined;
      const report = { messageId: f.id, status: f.status, failureReason: f.failureReason, pseudonym };
      if (/^(Success|Sent|Submitted|Buffered)$/.test(f.status ?? ''))
        logger.info(report, 'sms delivery report');
      else logger.warn(report, 'sms delivery report');
      return { status: 200, body: { status: 'ok' } };
    }),
  );

  router.post(
    '/optout',
    route(async (req) => {
      const f = fields(req.body, ['phoneNumber'], ['senderId']);
      const pseudonym = pseudonymize(phone(f.phoneNumber));
      await optOuts.add(pseudonym); // durable before the gateway hears OK
      logger.info({ pseudonym }, 'sms opt-out from the gateway');
      return { status: 200, body: { status: 'ok' } };
    }),
  );

  return { router, incoming };
}
