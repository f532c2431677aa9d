import { isGatewayPhone } from '../../src/privacy/phone.js';
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Clock } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { OutgoingMessage } from './limits.js';

interface GraphSinkEntry {
  /** The recipient's pseudonym: even a dev page shows no number. */
  to: string;
  message: OutgoingMessage;
  at: string;
  messageId: string;
}

/**
 * The development stand-in for Meta's Graph API, as the SMS outbox is for Africa's Talking:
 * the channel's real Graph client (limits, envelope, retries) posts to it through an injected
 * `fetch`, and it keeps the last `capacity` messages in memory, answered the way Meta answers.
 * Built only outside production and only when WHATSAPP_* are unset (adapters/service.ts).
 */
export interface GraphSink {
  fetch: typeof fetch;
  /** Newest last; one recipient's (by number, pseudonymised here) when `waId` is given. */
  list(waId?: string): GraphSinkEntry[];
  /** How many messages were ever captured: a mark to read "what came after". */
  count(): number;
  /** Messages to `waId` captured after `mark` (a value of `count()`). */
  since(waId: string, mark: number): OutgoingMessage[];
  /** GET / (mounted at /dev/whatsapp): the sink as JSON, `?to=<number>` for one phone. */
  router: Router;
}

/**
 * The channel's settings for the simulator: an app secret, verify token and token of this
 * process only (nothing outside can sign a notification), and a phone number id of our own.
 */
export function devWhatsAppSettings(): {
  WHATSAPP_TOKEN: string;
  WHATSAPP_APP_SECRET: string;
  WHATSAPP_VERIFY_TOKEN: string;
  WHATSAPP_PHONE_NUMBER_ID: string;
} {
  return {
    WHATSAPP_TOKEN: `dev-${randomBytes(24).toString('hex')}`,
    WHATSAPP_APP_SECRET: randomBytes(32).toString('hex'),
    WHATSAPP_VERIFY_TOKEN: randomBytes(24).toString('hex'),
    WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
  };
}

export function createGraphSink(pseudonymize: Pseudonymizer, clock: Clock, capacity = 500): GraphSink {
  const entries: Array<GraphSinkEntry & { seq: number }> = [];
  let total = 0;

  const sinkFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    let payload: { to?: unknown; messaging_product?: unknown; recipient_type?: unknown } = {};
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      payload = {};
    }
    const { to, messaging_product: _product, recipient_type: _type, ...message } = payload;
    if (typeof to !== 'string' || typeof (message as { type?: unknown }).type !== 'string') {
      return Response.json({ error: { code: 100, message: 'Invalid parameter' } }, { status: 400 });
    }
    const messageId = `wamid.dev${++total}`;
    entries.push({
      seq: total,
      to: pseudonymize(to),
      message: message as OutgoingMessage,
      at: new Date(clock.now()).toISOString(),
      messageId,
    });
    if (entries.length > capacity) entries.splice(0, entries.length - capacity);
    return Response.json({
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id: messageId }],
    });
  }) as typeof fetch;

  const strip = ({ seq: _seq, ...entry }: GraphSinkEntry & { seq: number }): GraphSinkEntry => entry;
  const list = (waId?: string) => {
    if (waId === undefined) return entries.map(strip);
    const pseudonym = pseudonymize(waId);
    return entries.filter((entry) => entry.to === pseudonym).map(strip);
  };

  const router = Router();
  router.get('/', (req, res) => {
    const to = req.query.to;
    if (to === undefined) return void res.json(list());
    if (!isGatewayPhone(to)) {
      return void res.status(400).json({ error: 'bad_request', message: 'to must be one phone number' });
    }
    res.json(list(to.replace(/^\+/, '')));
  });

  return {
    fetch: sinkFetch,
    list,
    count: () => total,
    since(waId, mark) {
      const pseudonym = pseudonymize(waId);
      return entries.filter((entry) => entry.seq > mark && entry.to === pseudonym).map((e) => e.message);
    },
    router,
  };
}
