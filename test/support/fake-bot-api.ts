import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_INFO } from './telegram.js';

export interface RecordedCall {
  token: string;
  method: string;
  payload: Record<string, unknown>;
}

/** What to answer to one call; undefined means the normal success. 'drop' closes the socket (a network failure). */
type Script = (call: RecordedCall) => { status: number; body: unknown } | 'drop' | undefined;

export interface FakeBotApi {
  /** apiRoot for grammY: no trailing slash. */
  url: string;
  calls: RecordedCall[];
  script: Script | undefined;
  /** Updates the next getUpdates returns (then forgets). */
  updates: unknown[];
  waitFor(method: string, timeoutMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

/**
 * A Bot API server on a free local port that records every call and answers like Telegram
 * (POST /bot<token>/<method> with a JSON body), so grammY's real HTTP client is exercised.
 */
export async function startFakeBotApi(): Promise<FakeBotApi> {
  const calls: RecordedCall[] = [];
  let messageId = 1000;
  const fake: FakeBotApi = {
    url: '',
    calls,
    script: undefined,
    updates: [],
    waitFor: async (method, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find((c) => c.method === method);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${method} call within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const raw = await readBody(req);
    const call: RecordedCall = {
      token: match?.[1] ?? '',
      method: match?.[2] ?? '',
      payload: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    };
    calls.push(call);
    const scripted = fake.script?.(call);
    if (scripted === 'drop') {
      req.socket.destroy();
      return;
    }
    if (!scripted && call.method === 'getUpdates') {
      // A short wait when there is nothing, like a (very short) long poll: no hot loop.
      if (fake.updates.length === 0) await new Promise((r) => setTimeout(r, 50));
      const result = fake.updates.splice(0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
      return;
    }
    const { status, body } = scripted ?? {
      status: 200,
      body: { ok: true, result: resultOf(call, ++messageId) },
    };
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function resultOf(call: RecordedCall, messageId: number): unknown {
  if (call.method === 'getMe') return BOT_INFO;
  if (call.method === 'sendMessage') {
    return {
      message_id: messageId,
      date: 0,
      chat: { id: call.payload.chat_id, type: 'private', first_name: 'U' },
      text: call.payload.text,
    };
  }
  return true;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
