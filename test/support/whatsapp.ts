import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadConfig, type Config } from '../../src/config.js';
import type { Clock, SessionStore } from '../../src/ports/index.js';
import { MemorySessionStore } from '../../adapters/stores/memory-store.js';
import { createLogger } from '../../adapters/logging.js';
import { createService, type Service } from '../../adapters/service.js';
import { LogCapture } from './service.js';

export const WA = {
  token: 'EAAG-test-token-0123456789-secret',
  appSecret: 'app-secret-0123456789abcdef',
  verifyToken: 'verify-token-0123456789',
  phoneNumberId: '106540352242922',
} as const;

export interface GraphCall {
  path: string;
  authorization: string | undefined;
  payload: Record<string, unknown> & { to?: string; type?: string };
}

/** What to answer one call; undefined: success. 'hang' never answers (a timeout after the send). */
type GraphScript = (
  call: GraphCall,
  index: number,
) => { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'drop' | undefined;

export interface FakeGraphApi {
  url: string;
  calls: GraphCall[];
  script: GraphScript | undefined;
  /** Waits until at least `count` calls were recorded. */
  waitForCalls(count: number, timeoutMs?: number): Promise<GraphCall[]>;
  close(): Promise<void>;
}

/**
 * A Graph API on a free local port: records every POST /{version}/{phone id}/messages and
 * answers like Meta ({ messages: [{ id }] }), or as the test's script says (429, 500, Graph
 * error codes, no answer at all).
 */
export async function startFakeGraphApi(): Promise<FakeGraphApi> {
  const calls: GraphCall[] = [];
  let id = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const call: GraphCall = {
      path: req.url ?? '',
      authorization: req.headers.authorization,
      payload: raw ? (JSON.parse(raw) as GraphCall['payload']) : {},
    };
    calls.push(call);
    const scripted = fake.script?.(call, calls.length - 1);
    if (scripted === 'hang') return;
    if (scripted === 'drop') {
      req.socket.destroy();
      return;
    }
    const answer = scripted ?? {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: call.payload.to, wa_id: call.payload.to }],
        messages: [{ id: `wamid.out${++id}` }],
      },
    };
    res
      .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      .end(JSON.stringify(answer.body ?? {}));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const fake: FakeGraphApi = {
    url: '',
    calls,
    script: undefined,
    waitForCalls: async (count, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < count) {
        if (Date.now() > deadline) throw new Error(`${calls.length} Graph calls, expected ${count}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return calls;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A clock the test moves. */
class TestClock implements Clock {
  constructor(public ms: number = Date.UTC(2026, 0, 15, 12)) {}
  now(): number {
    return this.ms;
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

/** The embedded store, recording every key written (to check that none carries a number). */
class RecordingStore implements SessionStore {
  readonly keys = new Set<string>();
  private readonly inner = new MemorySessionStore();
  get<T>(key: string) {
    return this.inner.get<T>(key);
  }
  set<T>(key: string, value: T, ttlSeconds: number) {
    this.keys.add(key);
    return this.inner.set(key, value, ttlSeconds);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  setIfAbsent<T>(key: string, value: T, ttlSeconds: number) {
    this.keys.add(key);
    return this.inner.setIfAbsent(key, value, ttlSeconds);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

export interface WhatsAppHarness {
  service: Service;
  store: RecordingStore;
  config: Config;
  baseUrl: string;
  logs: LogCapture;
  graph: FakeGraphApi;
  clock: TestClock;
  /** Posts a notification signed with the app secret (or with `signature` when given). */
  post(body: unknown, options?: { signature?: string | null; raw?: string }): Promise<Response>;
  /** Posts, then waits until the channel has answered everything. */
  deliver(body: unknown): Promise<Response>;
  close(): Promise<void>;
}

export function sign(raw: string | Buffer, secret: string = WA.appSecret): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** The real service in-process, WhatsApp on, talking to a fake Graph API. */
export async function startWhatsAppService(
  env: Record<string, string> = {},
  options: { configuredStore?: boolean } = {},
): Promise<WhatsAppHarness> {
  const graph = await startFakeGraphApi();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    RATE_LIMIT_PER_MINUTE: '100000',
    PHONE_HASH_KEY: 'test-phone-hash-key-0123456789',
    WHATSAPP_TOKEN: WA.token,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_API_ROOT: graph.url,
    // A fresh directory: the opt-out journals (SMS, WhatsApp) must not leak from one test to the next.
    DATA_DIR: mkdtempSync(join(tmpdir(), 'dim-wa-')),
    ...env,
  });
  const logs = new LogCapture();
  const clock = new TestClock();
  const store = new RecordingStore();
  // configuredStore: the store REDIS_URL names (shared between instances), not the recording one.
  const service = createService(
    config,
    createLogger(config.LOG_LEVEL, logs),
    options.configuredStore ? { clock } : { clock, store },
  );
  const port = await service.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const post: WhatsAppHarness['post'] = (body, options = {}) => {
    const raw = options.raw ?? JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const signature = options.signature === undefined ? sign(raw) : options.signature;
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    return fetch(`${baseUrl}/whatsapp`, { method: 'POST', headers, body: raw });
  };
  return {
    service,
    store,
    config,
    baseUrl,
    logs,
    graph,
    clock,
    post,
    deliver: async (body) => {
      const response = await post(body);
      await service.whatsapp?.flush();
      return response;
    },
    close: async () => {
      await service.close();
      await graph.close();
    },
  };
}

let sequence = 0;

/** A message id shaped like Meta's: base64 of a protobuf-like blob that carries the sender's number. */
export function wamid(from: string): string {
  const inner = `\x1c\x18\x0b${from}\x15\x02\x00\x12\x18\x14${(++sequence).toString(16).padStart(20, '0')}\x00`;
  return `wamid.${Buffer.from(inner, 'latin1').toString('base64')}`;
}

/** One notification from Meta with these messages, for our phone number id. */
export function notification(
  messages: unknown[],
  statuses: unknown[] = [],
  phoneNumberId: string = WA.phoneNumberId,
) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...(messages.length > 0
                ? {
                    contacts: [{ profile: { name: 'Awa' }, wa_id: (messages[0] as { from: string }).from }],
                    messages,
                  }
                : {}),
              ...(statuses.length > 0 ? { statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

export interface MessageOptions {
  from?: string;
  id?: string;
  timestamp?: number;
}

/** A message of any kind: `content` is the kind's own object (text, interactive, image...). */
export function message(type: string, content: unknown, options: MessageOptions = {}) {
  return {
    from: options.from ?? '22370000001',
    id: options.id ?? wamid(options.from ?? '22370000001'),
    timestamp: String(options.timestamp ?? Math.floor(Date.UTC(2026, 0, 15, 12) / 1000)),
    type,
    ...(content === undefined ? {} : { [type]: content }),
  };
}

export const text = (body: string, options?: MessageOptions) => message('text', { body }, options);
export const listReply = (id: string, options?: MessageOptions) =>
  message('interactive', { type: 'list_reply', list_reply: { id, title: 'x' } }, options);
export const buttonReply = (id: string, options?: MessageOptions) =>
  message('interactive', { type: 'button_reply', button_reply: { id, title: 'x' } }, options);
