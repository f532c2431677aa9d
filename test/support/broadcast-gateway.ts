import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BroadcastSender, SendOutcome } from '../../src/broadcast/model.js';

interface Delivery {
  to: string;
  text: string;
  channel: string;
  key: string;
}

/**
 * A fake delivery gateway over real HTTP: records each message once per idempotency key (a
 * repeated key is acknowledged and dropped, as an idempotent gateway does), answers 503 once
 * to the numbers in `failOnce` and 400 to those in `refuse`, and takes `delayMs` per request
 * so a killed worker leaves sends in flight.
 */
export async function startFakeGateway(
  options: { failOnce?: Set<string>; refuse?: Set<string>; delayMs?: number } = {},
) {
  const deliveries: Delivery[] = [];
  const keys = new Set<string>();
  const failed = new Set<string>();
  let requests = 0;
  let repeatedKeys = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests++;
      const message = JSON.parse(body) as Delivery;
      setTimeout(() => {
        if (options.refuse?.has(message.to)) {
          res.writeHead(400).end('refused');
          return;
        }
        if (options.failOnce?.has(message.to) && !failed.has(message.to)) {
          failed.add(message.to);
          res.writeHead(503).end('busy');
          return;
        }
        if (keys.has(message.key)) repeatedKeys++;
        else {
          keys.add(message.key);
          deliveries.push(message);
        }
        res.writeHead(200).end('ok');
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  return {
    url,
    deliveries,
    stats: () => ({ requests, repeatedKeys, failedOnce: failed.size }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sender the workers use against the fake gateway: idempotent (the key goes along). */
export function httpBroadcastSender(url: string): BroadcastSender {
  return {
    idempotent: true,
    async send(to, text, channel, key): Promise<SendOutcome> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, text, channel, key }),
      });
      await response.text();
      if (response.ok) return { status: 'sent' };
      const retry = response.status >= 500 || response.status === 429;
      return { status: 'failed', retry, detail: String(response.status) };
    },
  };
}
