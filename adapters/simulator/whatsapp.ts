import { isGatewayPhone } from '../../src/privacy/phone.js';
import { createHmac, randomBytes } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { z } from 'zod';

/**
 * What the simulator needs of the WhatsApp channel, given by adapters/service.ts (a channel
 * folder never imports another): the secret to sign with, the phone number id notifications
 * are addressed to, and the dev Graph sink the channel's replies land in.
 */
export interface SimulatorWhatsApp {
  appSecret: string;
  phoneNumberId: string;
  /** Resolves when the channel has answered every notification received so far. */
  flush(): Promise<void>;
  /** A mark in the sink: how many messages it ever captured. */
  mark(): number;
  /** What the channel sent to `waId` after `mark`, as the Graph API received it (no `to`). */
  sentSince(waId: string, mark: number): unknown[];
}

/** Meta's limits on what a person's reply carries: a text (4096), a row or button id (200/256). */
const Body = z
  .object({
    phoneNumber: z.string().refine(isGatewayPhone),
    text: z.string().min(1).max(4096).optional(),
    reply: z
      .object({
        type: z.enum(['list_reply', 'button_reply']),
        id: z.string().min(1).max(256),
        title: z.string().max(72).default(''),
        description: z.string().max(72).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.reply === undefined), {
    message: 'exactly one of text and reply',
  });

type SimulatedMessage = z.infer<typeof Body>;

/** A Cloud API `messages` notification, as Meta would post it for this person's message. */
function simulatedNotification(body: SimulatedMessage, phoneNumberId: string, nowSeconds: number): unknown {
  const waId = body.phoneNumber.replace(/^\+/, '');
  // A real wamid carries the sender's number; ours is random bytes, so it carries nothing.
  const id = `wamid.${randomBytes(24).toString('base64')}`;
  const content = body.reply
    ? {
        type: 'interactive',
        interactive: {
          type: body.reply.type,
          [body.reply.type]: {
            id: body.reply.id,
            title: body.reply.title,
            ...(body.reply.description ? { description: body.reply.description } : {}),
          },
        },
      }
    : { type: 'text', text: { body: body.text } };
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000000',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '22300000000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Simulator' }, wa_id: waId }],
              messages: [{ from: waId, id, timestamp: String(nowSeconds), ...content }],
            },
          },
        ],
      },
    ],
  };
}

/** The address this request reached us on: the webhook is called there, over real HTTP. */
function selfUrl(req: Request, path: string): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address.split('%')[0]}]` : address;
  return `http://${host}:${req.socket.localPort}${path}`;
}

/**
 * POST /simulator/whatsapp: the page's WhatsApp chat. The person's message (a text, or the
 * row or button they tapped) becomes a genuine Cloud API notification, signed with the app
 * secret (X-Hub-Signature-256) and posted over HTTP to this server's own /whatsapp webhook,
 * the route Meta calls. Once the channel has answered, the messages it sent to the Graph API
 * (the dev sink) are the response. Never logs the (fake) number or the text.
 */
export function createSimulatorWhatsAppRouter(
  whatsapp: SimulatorWhatsApp,
  clock: () => number = Date.now,
): Router {
  const router = Router();
  router.post('/', express.json({ limit: '16kb' }), async (req, res) => {
    const parsed = Body.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'bad_request' });
    const raw = JSON.stringify(
      simulatedNotification(parsed.data, whatsapp.phoneNumberId, Math.floor(clock() / 1000)),
    );
    const signature = `sha256=${createHmac('sha256', whatsapp.appSecret).update(raw).digest('hex')}`;
    const mark = whatsapp.mark();
    let status: number;
    try {
      const response = await fetch(selfUrl(req, '/whatsapp'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body: raw,
        signal: AbortSignal.timeout(5_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      return void res.status(502).json({ error: 'webhook_unreachable' });
    }
    if (status !== 200) return void res.status(502).json({ error: 'webhook_refused', status });
    await whatsapp.flush();
    res.set('Cache-Control', 'no-store');
    res.json({ messages: whatsapp.sentSince(parsed.data.phoneNumber.replace(/^\+/, ''), mark) });
  });
  return router;
}
