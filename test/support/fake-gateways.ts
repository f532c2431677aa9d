import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AtAnswer } from '../../adapters/broadcast/gateway-senders.js';

/**
 * Fake gateways over real HTTP that enforce their documented limits (adapters/broadcast/limits.ts):
 * Africa's Talking's bulk SMS (`to` = several numbers, answered per number), the Telegram Bot API
 * (`sendMessage`; 429 with `parameters.retry_after`; one message a second per chat) and the
 * WhatsApp Cloud API (`/messages`; error 130429 past the throughput, 131047 for a text outside
 * the 24-hour window). Each meters requests with a token bucket (`perSecond`, a second's worth
 * of burst) shared by every caller, answers past it as the real one does, fails `failShare` of
 * the rest at random (a 5xx: nothing delivered), and counts what it delivered per address.
 * Used by the tests (small numbers) and by `npm run bench:broadcast`.
 */
export interface FakeGatewayOptions {
  perSecond: number;
  /** Share of requests answered 5xx at random (seeded). */
  failShare?: number;
  seed?: number;
  /** Delay before each answer (the network and the gateway's own work). */
  latencyMs?: number;
  /** A 429's `retry_after` / `Retry-After`, seconds (default: until the next token, at least 1). */
  retryAfterSeconds?: number;
}

interface FakeGatewayStats {
  requests: number;
  delivered: number;
  throttled: number;
  failed: number;
  /** Requests that came while a 429's wait was running (after 500 ms of grace for those in flight). */
  duringWait: number;
  /** Most deliveries in one calendar second. */
  peakPerSecond: number;
  firstAt: number;
  lastAt: number;
}

export interface FakeGateway {
  url: string;
  /** Deliveries per address (a count above 1 is a duplicate). */
  received: Map<string, number>;
  /** What each address got (the last text, or `template:<name>`). */
  texts: Map<string, string>;
  stats(): FakeGatewayStats;
  close(): Promise<void>;
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Verdict = { kind: 'ok' } | { kind: 'throttled'; retryAfter: number } | { kind: 'fail' };

/** The meter every fake shares: token bucket, random failures, counts. */
function createMeter(options: FakeGatewayOptions) {
  const random = mulberry32(options.seed ?? 1);
  const capacity = Math.max(1, options.perSecond);
  let tokens = capacity;
  let refilledAt = Date.now();
  let waitFrom = 0;
  let waitUntil = 0;
  const perSecond = new Map<number, number>();
  const stats: FakeGatewayStats = {
    requests: 0,
    delivered: 0,
    throttled: 0,
    failed: 0,
    duringWait: 0,
    peakPerSecond: 0,
    firstAt: 0,
    lastAt: 0,
  };
  return {
    stats,
    admit(): Verdict {
      const now = Date.now();
      stats.requests++;
      if (now > waitFrom + 500 && now < waitUntil) stats.duringWait++;
      tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * options.perSecond);
      refilledAt = now;
      if (tokens < 1) {
        stats.throttled++;
        const retryAfter =
          options.retryAfterSeconds ?? Math.max(1, Math.ceil((1 - tokens) / options.perSecond));
        if (now >= waitUntil) {
          waitFrom = now;
          waitUntil = now + retryAfter * 1000;
        }
        return { kind: 'throttled', retryAfter };
      }
      tokens -= 1;
      if (random() < (options.failShare ?? 0)) {
        stats.failed++;
        return { kind: 'fail' };
      }
      return { kind: 'ok' };
    },
    delivered(count: number) {
      const now = Date.now();
      if (stats.firstAt === 0) stats.firstAt = now;
      stats.lastAt = now;
      stats.delivered += count;
      const second = Math.floor(now / 1000);
      const n = (perSecond.get(second) ?? 0) + count;
      perSecond.set(second, n);
      stats.peakPerSecond = Math.max(stats.peakPerSecond, n);
      if (perSecond.size > 120) perSecond.delete(perSecond.keys().next().value!);
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += (chunk as Buffer).toString('utf8');
  return body;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
  latencyMs: number,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const run = () =>
      handler(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(400).end();
      });
    if (latencyMs > 0) setTimeout(run, latencyMs);
    else void run();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function gateway(
  server: Server,
  url: string,
  meter: ReturnType<typeof createMeter>,
  received: Map<string, number>,
  texts: Map<string, string>,
): FakeGateway {
  return {
    url,
    received,
    texts,
    stats: () => ({ ...meter.stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const record = (received: Map<string, number>, texts: Map<string, string>, to: string, text: string) => {
  received.set(to, (received.get(to) ?? 0) + 1);
  texts.set(to, text);
};

/**
 * Africa's Talking: POST /version1/messaging, form `username`, `to` (comma-separated), `message`,
 * `bulkSMSMode`; 201 with `SMSMessageData.Recipients` per number. `maxRecipients` per request
 * (more: 400); `transientNumbers` get status 500 once (AT's own trouble for that number).
 */
export async function startFakeAfricasTalking(
  options: FakeGatewayOptions & { maxRecipients?: number; transientNumbers?: Set<string> },
): Promise<FakeGateway> {
  const meter = createMeter(options);
  const received = new Map<string, number>();
  const texts = new Map<string, string>();
  const transient = new Set(options.transientNumbers ?? []);
  let nextId = 1;
  const { server, url } = await listen(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    const to = (form.get('to') ?? '').split(',').filter(Boolean);
    const message = form.get('message') ?? '';
    if (req.url !== '/version1/messaging' || to.length === 0 || !message) {
      res.writeHead(400).end('bad request');
      return;
    }
    if (to.length > (options.maxRecipients ?? 100)) {
      res.writeHead(400).end('too many recipients');
      return;
    }
    const verdict = meter.admit();
    if (verdict.kind === 'throttled') {
      res.writeHead(429, { 'retry-after': String(verdict.retryAfter) }).end('Too Many Requests');
      return;
    }
    if (verdict.kind === 'fail') {
      res.writeHead(503).end('Service Unavailable');
      return;
    }
    const recipients = to.map((number) => {
      if (transient.delete(number))
        return { number, statusCode: 500, status: 'InternalServerError', cost: '0', messageId: 'None' };
      if (!/^\+\d{8,15}$/.test(number))
        return { number, statusCode: 403, status: 'InvalidPhoneNumber', cost: '0', messageId: 'None' };
      record(received, texts, number, message);
      return { number, statusCode: 101, status: 'Success', cost: 'XOF 20', messageId: `ATXid_${nextId++}` };
    });
    meter.delivered(recipients.filter((r) => r.statusCode === 101).length);
    res.writeHead(201, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        SMSMessageData: { Message: `Sent to ${recipients.length}`, Recipients: recipients },
      }),
    );
  }, options.latencyMs ?? 0);
  return gateway(server, url, meter, received, texts);
}

/** The form the official SDK posts (lib/sms.js), sent with fetch to a fake: the benchmark's and tests' AT transport. */
export function atFetchTransport(baseUrl: string) {
  return async (to: string[], text: string): Promise<AtAnswer> => {
    const response = await fetch(`${baseUrl}/version1/messaging`, {
      method: 'POST',
      headers: {
        apikey: 'test',
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        username: 'test',
        to: to.join(),
        message: text,
        bulkSMSMode: '1',
        enqueue: '1',
      }),
    });
    const raw = await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: response.status === 201 ? (JSON.parse(raw) as unknown) : undefined,
    };
  };
}

/**
 * Telegram Bot API: POST /bot<token>/sendMessage (JSON, as grammY sends it). Past the overall
 * rate, or a second message to one chat within a second: 429 with `parameters.retry_after`.
 */
export async function startFakeTelegram(options: FakeGatewayOptions): Promise<FakeGateway> {
  const meter = createMeter(options);
  const received = new Map<string, number>();
  const texts = new Map<string, string>();
  const lastInChat = new Map<string, number>();
  let nextId = 1;
  const answer = (res: ServerResponse, status: number, body: object) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const { server, url } = await listen(async (req, res) => {
    if (!/^\/bot[^/]+\/sendMessage$/.test(req.url ?? ''))
      return answer(res, 404, { ok: false, error_code: 404 });
    const payload = JSON.parse(await readBody(req)) as { chat_id?: string | number; text?: string };
    const chat = String(payload.chat_id ?? '');
    if (!chat || !payload.text)
      return answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request' });
    const now = Date.now();
    const verdict = meter.admit();
    const tooSoon = now - (lastInChat.get(chat) ?? 0) < 1000;
    if (verdict.kind === 'throttled' || tooSoon) {
      const retryAfter = verdict.kind === 'throttled' ? verdict.retryAfter : 1;
      if (tooSoon && verdict.kind !== 'throttled') meter.stats.throttled++;
      return answer(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    if (verdict.kind === 'fail')
      return answer(res, 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    lastInChat.set(chat, now);
    record(received, texts, chat, payload.text);
    meter.delivered(1);
    return answer(res, 200, {
      ok: true,
      result: {
        message_id: nextId++,
        date: Math.floor(now / 1000),
        chat: { id: Number(chat), type: 'private' },
        text: payload.text,
      },
    });
  }, options.latencyMs ?? 0);
  return gateway(server, url, meter, received, texts);
}

/**
 * WhatsApp Cloud API: POST /<version>/<phone number id>/messages. Past the throughput: 400 with
 * error 130429 (with `retryAfterSeconds`: 429, the same code and Retry-After); a text to someone whose 24-hour window is not open (`openWindows`): 400 with
 * 131047; a template is always allowed.
 */
export async function startFakeWhatsApp(
  options: FakeGatewayOptions & { openWindows: Set<string> },
): Promise<FakeGateway> {
  const meter = createMeter(options);
  const received = new Map<string, number>();
  const texts = new Map<string, string>();
  let nextId = 1;
  const error = (res: ServerResponse, status: number, code: number, message: string) =>
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message, type: 'OAuthException', code } }));
  const { server, url } = await listen(async (req, res) => {
    if (!/^\/v\d+\.\d+\/[^/]+\/messages$/.test(req.url ?? '')) return error(res, 404, 100, 'Unknown path');
    const payload = JSON.parse(await readBody(req)) as {
      to?: string;
      type?: string;
      text?: { body?: string };
      template?: { name?: string };
    };
    const to = payload.to ?? '';
    if (!to || (payload.type !== 'text' && payload.type !== 'template'))
      return error(res, 400, 100, 'Invalid parameter');
    const verdict = meter.admit();
    if (verdict.kind === 'throttled') {
      // Told how long (`retryAfterSeconds`): a 429 with Retry-After; else Meta's usual 400 130429.
      if (options.retryAfterSeconds === undefined) return error(res, 400, 130429, 'Rate limit hit');
      res.setHeader('retry-after', String(verdict.retryAfter));
      return error(res, 429, 130429, 'Rate limit hit');
    }
    if (verdict.kind === 'fail') return error(res, 503, 131000, 'Something went wrong');
    if (payload.type === 'text' && !options.openWindows.has(to))
      return error(res, 400, 131047, 'Re-engagement message');
    record(
      received,
      texts,
      to,
      payload.type === 'text' ? (payload.text?.body ?? '') : `template:${payload.template?.name}`,
    );
    meter.delivered(1);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ wa_id: to }],
        messages: [{ id: `wamid.${nextId++}` }],
      }),
    );
  }, options.latencyMs ?? 0);
  return gateway(server, url, meter, received, texts);
}
