import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { secretEquals } from '../gateway/security.js';

/**
 * Meta posts notifications of a few kB (a batch of messages and statuses). Anything bigger is
 * not Meta: refused with 413 before it is hashed or parsed.
 */
const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

export interface WebhookDeps<T> {
  verifyToken: string;
  appSecret: string;
  /** Reads a signed JSON body; throws when it is not a notification (answered 400). */
  parse(json: unknown): T;
  /**
   * Takes the parsed notification and resolves once what it carries is done or durably kept
   * (true: answered 200) or could not be (false: answered 503, and Meta delivers it again).
   * Must not reject (the channel catches and logs); work it goes on with after answering (the
   * replies) is the channel's to track and flush.
   */
  onNotification(notification: T): Promise<boolean>;
  /** Counted refusals (bad signature, malformed JSON), for metrics; never the body. */
  onRefused?(reason: 'signature' | 'json' | 'payload'): void;
}

/** `sha256=<hex>` of the raw bytes with the app secret, compared in constant time. */
function signatureMatches(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(Buffer.from(header.slice(7), 'hex'), expected);
}

/**
 * `GET /whatsapp`: Meta's verification handshake (hub.mode=subscribe, hub.verify_token compared
 * in constant time, hub.challenge echoed; 403 otherwise). `POST /whatsapp`: the signature is
 * checked on the raw bytes before any JSON parsing (401 when missing or wrong), then the JSON
 * and its envelope (400 when malformed); then the channel takes the notification, and only what
 * it decided and kept is acknowledged: 200, or 503 when the store failed under it (Meta delivers
 * again what did not get a 2xx, so nothing is lost, a STOP least of all). The replies are sent
 * after the answer.
 */
export function createWhatsAppWebhook<T>(deps: WebhookDeps<T>): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    const ok =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      secretEquals(token, deps.verifyToken) &&
      typeof challenge === 'string' &&
      /^[\w.-]{1,128}$/.test(challenge);
    if (!ok) {
      res.status(403).json({ error: 'forbidden' });
      return;
    }
    res.status(200).type('text/plain').send(challenge);
  });

  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT_BYTES, inflate: false });
  router.post(
    '/',
    (req, res, next) => {
      // No signature: refused before the body is even read.
      if (typeof req.headers['x-hub-signature-256'] !== 'string') {
        deps.onRefused?.('signature');
        res.status(401).json({ error: 'signature_missing' });
        return;
      }
      next();
    },
    raw,
    async (req, res) => {
      const body: unknown = req.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      if (!signatureMatches(bytes, req.headers['x-hub-signature-256'] as string, deps.appSecret)) {
        deps.onRefused?.('signature');
        res.status(401).json({ error: 'signature_invalid' });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        deps.onRefused?.('json');
        res.status(400).json({ error: 'json_invalid' });
        return;
      }
      let notification: T;
      try {
        notification = deps.parse(parsed);
      } catch {
        deps.onRefused?.('payload');
        res.status(400).json({ error: 'payload_invalid' });
        return;
      }
      if (await deps.onNotification(notification)) {
        res.status(200).type('text/plain').send('EVENT_RECEIVED');
        return;
      }
      res.status(503).set('Retry-After', '5').json({ error: 'try_again' });
    },
  );
  return router;
}
