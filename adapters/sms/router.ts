import { Router, type Request, type Response } from 'express';
import type { Config } from '../../src/config.js';
import { knownPseudonym } from '../gateway/mount.js';
import type { Logger, OptOutRegistry } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { SmsConversation } from './conversation.js';

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
function fields(req: Request, required: string[], optional: string[]): Fields {
  const body: unknown = req.body;
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
  return compact.startsWith('+') ? compact : `+${compact}`;
}

/**
 * Africa's Talking's SMS dialect: incoming messages (POST /), delivery reports
 * (POST /delivery), bulk opt-outs (POST /optout). Forms only, small: 16 kB, 30 fields.
 * Bad input is a 400 naming the problem; a store that cannot answer is a 503 (the gateway may
 * deliver again; the message id dedupes it), never a 500.
 */
export function createSmsRouter(deps: SmsRouterDeps): Router {
  const { conversation, optOuts, pseudonymize, logger } = deps;
  const gateway = deps.gateway ?? 'at';
  // Mounted through mountGateway (adapters/gateway/mount.ts), which already checks the
  // secret and parses the form within the gateway limits (16 kB, 30 fields, strict encoding):
  // a second guard and parser here cost two hashes and a layer per message for nothing.
  const router = Router();

  const handle =
    (work: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await work(req, res);
      } catch (error) {
        if (error instanceof BadRequest) {
          res.status(400).json({ error: 'bad_request', detail: error.message });
          return;
        }
        logger.error({ err: { message: (error as Error).message } }, 'sms webhook could not be processed');
        res.status(503).json({ error: 'unavailable' });
      }
    };

  router.post(
    '/',
    handle(async (req, res) => {
      const f = fields(req, ['from', 'text', 'id'], ['to', 'date', 'linkId', 'networkCode', 'cost']);
      const from = phone(f.from);
      const messageId = f.id ?? '';
      if (!MESSAGE_ID.test(messageId)) throw new BadRequest('malformed id');
      const outcome = await conversation.handleIncomingSms({
        ...{ from, text: f.text ?? '', messageId, gateway },
        pseudonym: knownPseudonym(res, from),
      });
      res.status(200).json(outcome);
    }),
  );

  router.post(
    '/delivery',
    handle(async (req, res) => {
      const f = fields(req, ['id', 'status'], ['phoneNumber', 'networkCode', 'failureReason', 'retryCount']);
      const pseudonym = f.phoneNumber ? pseudonymize(phone(f.phoneNumber)) : undefined;
      const report = { messageId: f.id, status: f.status, failureReason: f.failureReason, pseudonym };
      if (/^(Success|Sent|Submitted|Buffered)$/.test(f.status ?? ''))
        logger.info(report, 'sms delivery report');
      else logger.warn(report, 'sms delivery report');
      res.status(200).json({ status: 'ok' });
    }),
  );

  router.post(
    '/optout',
    handle(async (req, res) => {
      const f = fields(req, ['phoneNumber'], ['senderId']);
      const pseudonym = pseudonymize(phone(f.phoneNumber));
      await optOuts.add(pseudonym); // durable before the gateway hears OK
      logger.info({ pseudonym }, 'sms opt-out from the gateway');
      res.status(200).json({ status: 'ok' });
    }),
  );

  return router;
}
