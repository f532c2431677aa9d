import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KnownPerson } from '../adapters/gateway/context.js';
import { createLane, lanesFirst, type GatewayLane, type LaneDeps } from '../adapters/gateway/lane.js';
import type { FormBody } from '../adapters/gateway/limits.js';
import { personKey } from '../adapters/gateway/rate-limit.js';
import { createLogger } from '../adapters/logging.js';
import { noMetrics } from '../src/ports/index.js';
import { LogCapture, startService, type RunningService } from './support/service.js';

/**
 * The gateways' fast lane (adapters/gateway/lane.ts): the common request served without
 * express, everything else left to the express road, whose answers stay the reference.
 */

const TOKEN = 'lane_token_0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded';
/** A type only body-parser takes: the same request on the express road. */
const QUOTED = 'application/x-www-form-urlencoded; charset="utf-8"';

interface Seen {
  body: FormBody;
  person: KnownPerson | undefined;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the fast lane on its own (a fake channel behind it, a fake express after it)', () => {
  const seen: Seen[] = [];
  const observed: Array<{ labels: Record<string, string>; seconds: number }> = [];
  const logs = new LogCapture();
  let toExpress = 0;
  let hang = false;
  let fail = false;
  const channel: GatewayLane = {
    phone: (body) => (typeof body.phoneNumber === 'string' ? body.phoneNumber : undefined),
    answer: async (body, person) => {
      seen.push({ body, person });
      if (hang) return new Promise(() => {});
      if (fail) throw new Error('the store fell over');
      return { status: 200, body: `CON lane ${String(body.text)}` };
    },
    refusal: (status, type) => ({ status, body: `END refused ${type}` }),
    apology: () => ({ status: 200, body: 'END sorry' }),
  };
  const deps = (overrides: Partial<LaneDeps> = {}): LaneDeps => ({
    channel: 'ussd',
    route: '/ussd/:token',
    config: { WEBHOOK_TOKEN: TOKEN, REQUEST_TIMEOUT_MS: 150 },
    pseudonymize: (phone) => `p_${phone.replace(/\D/g, '')}`,
    logger: createLogger('info', logs),
    observe: (labels, seconds) => observed.push({ labels, seconds }),
    lane: channel,
    budget: { by: 'channel' },
    ...overrides,
  });
  const servers: Server[] = [];
  const start = async (lane: LaneDeps) => {
    const server = createServer(
      lanesFirst([createLane(lane)], (_req, res) => {
        toExpress++;
        res.writeHead(299).end('express');
      }),
    );
    servers.push(server);
    return listen(server);
  };
  let base = '';
  beforeAll(async () => {
    base = await start(deps());
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });

  it('when a plain form comes to the mount’s path with its token, then the lane answers with the gateway’s headers and names the person once', async () => {
    const before = toExpress;
    const res = await post(`/ussd/${TOKEN}`, 'sessionId=s1&phoneNumber=%2B22370000001&text=1*2');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('CON lane 1*2');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(toExpress).toBe(before);
    expect(seen.at(-1)!.person).toEqual({
      phone: '+22370000001',
      pseudonym: 'p_22370000001',
      budget: personKey('phone', 'p_22370000001'),
    });
    expect(observed.at(-1)!.labels).toEqual({
      channel: 'ussd',
      route: '/ussd/:token',
      method: 'POST',
      status: '200',
    });
    // A charset parameter as fetch and most clients send it is still a plain form.
    const withCharset = await post(`/ussd/${TOKEN}`, 'text=2', { 'content-type': `${FORM};charset=UTF-8` });
    expect(await withCharset.text()).toBe('CON lane 2');
  });

  it.each([
    ['another method', () => fetch(`${base}/ussd/${TOKEN}`)],
    ['a query string', () => post(`/ussd/${TOKEN}?text=1`, 'text=1')],
    ['a path under the mount', () => post(`/ussd/${TOKEN}/events`, 'text=1')],
    ['a wrong token', () => post('/ussd/wrong_token_0123456789abcd', 'text=1')],
    ['an escaped token', () => post(`/ussd/%6${TOKEN.slice(1)}`, 'text=1')],
    ['no token', () => post('/ussd', 'text=1')],
    ['a quoted charset', () => post(`/ussd/${TOKEN}`, 'text=1', { 'content-type': QUOTED })],
    ['JSON', () => post(`/ussd/${TOKEN}`, '{"text":"1"}', { 'content-type': 'application/json' })],
    ['a compressed body', () => post(`/ussd/${TOKEN}`, 'text=1', { 'content-encoding': 'gzip' })],
    [
      'a body without a length (chunked)',
      () =>
        fetch(`${base}/ussd/${TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: new Blob(['text=1']).stream(),
          duplex: 'half',
        } as RequestInit),
    ],
  ])('when the request has %s, then the lane leaves it to express untouched', async (_what, send) => {
    const before = toExpress;
    const res = await send();
    expect(res.status).toBe(299);
    expect(await res.text()).toBe('express');
    expect(toExpress).toBe(before + 1);
  });

  it('when the form breaks the gateway limits, then the lane answers the channel’s refusal, never the channel', async () => {
    const before = seen.length;
    const broken = await post(`/ussd/${TOKEN}`, 'text=%E0%A4%A&phoneNumber=1');
    expect([broken.status, await broken.text()]).toEqual([400, 'END refused encoding.invalid']);
    const fields = Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&');
    const many = await post(`/ussd/${TOKEN}`, fields);
    expect([many.status, await many.text()]).toEqual([413, 'END refused parameters.too.many']);
    expect(seen.length).toBe(before);
  });

  it('when the channel fails, then the gateway gets the apology and the failure is logged without the request', async () => {
    fail = true;
    try {
      const res = await post(`/ussd/${TOKEN}`, 'text=secret+words&phoneNumber=%2B22370000002');
      expect([res.status, await res.text()]).toEqual([200, 'END sorry']);
    } finally {
      fail = false;
    }
    expect(logs.text).toContain('the store fell over');
    expect(logs.text).not.toContain('secret');
    expect(logs.text).not.toContain('22370000002');
  });

  it('when the channel does not answer within REQUEST_TIMEOUT_MS, then the apology goes out at the deadline and the lane keeps serving', async () => {
    hang = true;
    const started = performance.now();
    try {
      const res = await post(`/ussd/${TOKEN}`, 'text=1&phoneNumber=%2B22370000003');
      expect([res.status, await res.text()]).toEqual([200, 'END sorry']);
    } finally {
      hang = false;
    }
    // The apology itself proves the deadline fired (the handler never answers); it is never
    // sent before REQUEST_TIMEOUT_MS (150 ms, swept every 37 ms). How late after it depends on
    // the machine's load, which a test cannot bound: no upper limit here.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const next = await post(`/ussd/${TOKEN}`, 'text=3');
    expect(await next.text()).toBe('CON lane 3');
  });

  it('when the client goes away before its body is complete, then the request is counted as aborted at the deadline and nothing breaks', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /ussd/${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 40\r\n\r\ntext=1`,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    socket.destroy();
    await vi.waitFor(() => expect(observed.at(-1)!.labels.status).toBe('aborted'), { timeout: 2000 });
    const next = await post(`/ussd/${TOKEN}`, 'text=4');
    expect(await next.text()).toBe('CON lane 4');
  });

  it('when no per-person budget is configured, then the lane names the person without a budget to count', async () => {
    const own = await start(deps({ budget: { by: 'none' } }));
    await fetch(`${own}/ussd/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'text=1&phoneNumber=%2B22370000005',
    });
    expect(seen.at(-1)!.person).toEqual({ phone: '+22370000005', pseudonym: 'p_22370000005' });
  });

  it('when the gateway counts the budget, then the lane asks the limiter first and answers a person over it with the channel’s notice', async () => {
    const hits: string[] = [];
    const limited: string[] = [];
    let allowed = true;
    const own = await start(
      deps({
        budget: {
          by: 'gateway',
          limiter: {
            hit: async (key) => {
              hits.push(key);
              return { allowed, remaining: allowed ? 1 : 0, retryAfterMs: allowed ? 0 : 30_000 };
            },
          },
          metrics: { ...noMetrics, rateLimited: (name) => limited.push(name) },
        },
        lane: {
          ...channel,
          rateLimited: async (_body, decision, pseudonym) => ({
            status: 200,
            body: { status: 'rateLimited', pseudonym, retryAfterMs: decision.retryAfterMs },
            headers: { 'Retry-After': '30' },
          }),
        },
      }),
    );
    const send = () =>
      fetch(`${own}/ussd/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: 'text=7&phoneNumber=%2B22370000006',
      });
    const before = seen.length;
    const first = await send();
    expect(await first.text()).toBe('CON lane 7');
    // The channel does not count it again: no budget key goes to it.
    expect(seen.at(-1)!.person).toEqual({ phone: '+22370000006', pseudonym: 'p_22370000006' });
    allowed = false;
    const over = await send();
    expect(over.status).toBe(200);
    expect(over.headers.get('retry-after')).toBe('30');
    expect(over.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await over.json()).toEqual({
      status: 'rateLimited',
      pseudonym: 'p_22370000006',
      retryAfterMs: 30_000,
    });
    expect(seen.length).toBe(before + 1);
    expect(hits).toEqual([personKey('phone', 'p_22370000006'), personKey('phone', 'p_22370000006')]);
    expect(limited).toEqual(['ussd']);
  });

  it('when the gateway counts the budget but the channel has no over-budget answer, then no lane is built', () => {
    expect(() =>
      createLane(
        deps({
          budget: {
            by: 'gateway',
            limiter: { hit: async () => ({ allowed: true, remaining: 1, retryAfterMs: 0 }) },
            metrics: noMetrics,
          },
        }),
      ),
    ).toThrow(/rateLimited/);
  });

  it('when the channel throws while naming the person, then the gateway gets the apology and the process goes on', async () => {
    const own = await start(
      deps({
        lane: {
          ...channel,
          phone: () => {
            throw new Error('phone field exploded');
          },
        },
      }),
    );
    const res = await fetch(`${own}/ussd/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'text=1',
    });
    expect([res.status, await res.text()]).toEqual([200, 'END sorry']);
    expect(logs.text).toContain('phone field exploded');
  });

  it('when a lane fails before taking a request, then express answers it', async () => {
    const server = createServer(
      lanesFirst(
        [
          () => {
            throw new Error('lane bug');
          },
        ],
        (_req, res) => void res.writeHead(299).end('express'),
      ),
    );
    servers.push(server);
    const own = await listen(server);
    const res = await fetch(`${own}/ussd/${TOKEN}`, { method: 'POST', body: 'text=1' });
    expect([res.status, await res.text()]).toEqual([299, 'express']);
  });

  it('when basic auth is configured, then only a request carrying it takes the lane', async () => {
    const own = await start(
      deps({ config: { WEBHOOK_BASIC_AUTH: 'gw:pass_0123456789', REQUEST_TIMEOUT_MS: 150 } }),
    );
    const send = (authorization?: string) =>
      fetch(`${own}/ussd`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...(authorization ? { authorization } : {}) },
        body: 'text=9',
      });
    expect((await send()).status).toBe(299);
    expect((await send(`Basic ${Buffer.from('gw:wrong').toString('base64')}`)).status).toBe(299);
    const ok = await send(`Basic ${Buffer.from('gw:pass_0123456789').toString('base64')}`);
    expect([ok.status, await ok.text()]).toEqual([200, 'CON lane 9']);
  });
});

describe('the USSD channel’s fast lane in the real service', () => {
  let running: RunningService;
  let expressHandled: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    running = await startService({ WEBHOOK_TOKEN: TOKEN });
    // The express app's own entry (express 5 calls `app.handle` for every request it gets).
    const app = running.service.app as unknown as { handle: (...args: unknown[]) => void };
    expressHandled = vi.spyOn(app, 'handle');
  });
  afterAll(() => running.close());

  const hop = async (type: string, fields: Record<string, string>, path = `/ussd/${TOKEN}`) => {
    const res = await fetch(`${running.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new URLSearchParams(fields).toString(),
    });
    const keep = ['content-type', 'x-content-type-options', 'content-security-policy', 'content-length'];
    return {
      status: res.status,
      headers: Object.fromEntries(keep.map((name) => [name, res.headers.get(name)])),
      body: await res.text(),
    };
  };

  it('when Africa’s Talking walks the menus, then every hop takes the lane and answers as the express road does', async () => {
    const path = ['', '1', '1*3', '1*3*98', '1*3*98*2', '1*3*98*2*0', '1*3*98*2*0*00', '3', '3*215'];
    const before = expressHandled.mock.calls.length;
    for (const [i, text] of path.entries()) {
      const session = (road: string) => ({
        sessionId: `ATUid_lane_${road}`,
        serviceCode: '*384*12#',
        phoneNumber: road === 'lane' ? '+22370001001' : '+22370001002',
        networkCode: '61001',
        text,
      });
      const lane = await hop(FORM, session('lane'));
      expect(expressHandled.mock.calls.length, `hop ${i} on the lane`).toBe(before + i);
      const road = await hop(QUOTED, session('express'));
      expect(expressHandled.mock.calls.length, `hop ${i} on the express road`).toBe(before + i + 1);
      expect(lane, `hop "${text}"`).toEqual(road);
      expect(lane.status).toBe(200);
      expect(lane.body).toMatch(/^(CON|END) /);
    }
  });

  it.each([
    ['a broken escape', 'sessionId=ATUid_x&phoneNumber=%2B22370001003&text=%E0%A4%A'],
    ['bytes that are not UTF-8', 'sessionId=ATUid_x&phoneNumber=%2B22370001003&text=%C3%28'],
    ['31 fields', Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&')],
    ['no session id', 'phoneNumber=%2B22370001003&text=1'],
    ['a history too long', `sessionId=ATUid_y&phoneNumber=%2B22370001003&text=${'1*'.repeat(120)}1`],
  ])(
    'when a hop carries %s, then the lane and the express road give the same answer',
    async (_what, body) => {
      const send = async (type: string) => {
        const res = await fetch(`${running.baseUrl}/ussd/${TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
      };
      const lane = await send(FORM);
      expect(lane).toEqual(await send(QUOTED));
      expect(lane.status).not.toBe(500);
      expect(lane.body).toMatch(/^END /);
    },
  );

  it('when hops took the lane, then the HTTP metrics count them under the route’s pattern, never the token', async () => {
    const metrics = async () => (await fetch(`${running.baseUrl}/metrics`)).text();
    const count = (text: string) =>
      Number(
        /dim_http_requests_total\{channel="ussd",route="\/ussd\/:token",method="POST",status="200"\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    const before = count(await metrics());
    await hop(FORM, { sessionId: 'ATUid_m', phoneNumber: '+22370001004', serviceCode: '*1#', text: '' });
    await hop(FORM, { sessionId: 'ATUid_m', phoneNumber: '+22370001004', serviceCode: '*1#', text: '1' });
    const after = await metrics();
    expect(count(after)).toBe(before + 2);
    expect(after).not.toContain(TOKEN);
  });
});

describe('the SMS webhook’s fast lane in the real service', () => {
  let running: RunningService;
  let expressHandled: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    running = await startService({ WEBHOOK_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '3' });
    const app = running.service.app as unknown as { handle: (...args: unknown[]) => void };
    expressHandled = vi.spyOn(app, 'handle');
  });
  afterAll(() => running.close());

  let messageId = 0;
  const sms = async (type: string, from: string, text: string, extra: Record<string, string> = {}) => {
    const res = await fetch(`${running.baseUrl}/sms/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new URLSearchParams({ from, to: '36000', text, id: `lane-${++messageId}`, ...extra }).toString(),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
      csp: res.headers.get('content-security-policy'),
      body: (await res.json()) as unknown,
    };
  };

  it('when Africa’s Talking delivers messages, then each takes the lane and gets the express road’s answer, and the reply goes out', async () => {
    const outbox = running.service.sms.outbox!;
    for (const [i, text] of ['eau', '2.10', 'SUITE', 'T3', 'bonjour'].entries()) {
      const before = expressHandled.mock.calls.length;
      const lane = await sms(FORM, '+22370002001', text);
      expect(expressHandled.mock.calls.length, `"${text}" on the lane`).toBe(before);
      const road = await sms(QUOTED, '+22370002002', text);
      expect(expressHandled.mock.calls.length, `"${text}" on the express road`).toBe(before + 1);
      expect(lane, `message ${i}: "${text}"`).toEqual(road);
      expect(lane.status).toBe(200);
    }
    await running.service.sms.flush();
    const sentTo = (phone: string) =>
      outbox.list().filter((m) => m.to === running.service.pseudonymize(phone));
    expect(sentTo('+22370002001').length).toBeGreaterThan(0);
    expect(sentTo('+22370002001').map((m) => m.text)).toEqual(sentTo('+22370002002').map((m) => m.text));
  });

  it('when a person goes over their budget, then the lane answers as the express road: one notice per window, a 200 to the gateway', async () => {
    const answers = async (type: string, from: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < 5; i++) out.push((await sms(type, from, `eau ${i}`)).body);
      return out;
    };
    const lane = await answers(FORM, '+22370002003');
    expect(lane.slice(3)).toEqual([
      { status: 'rateLimited', notified: true },
      { status: 'rateLimited', notified: false },
    ]);
    expect(await answers(QUOTED, '+22370002004')).toEqual(lane);
  });

  it.each([
    ['no message id', 'from=%2B22370002005&text=eau'],
    ['a malformed number', 'from=12&text=eau&id=x1'],
    ['a broken escape', 'from=%2B22370002005&text=%E0%A4%A&id=x2'],
    ['31 fields', Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&')],
  ])(
    'when a message carries %s, then the lane and the express road give the same 4xx',
    async (_what, body) => {
      const send = async (type: string) => {
        const res = await fetch(`${running.baseUrl}/sms/${TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        return { status: res.status, body: (await res.json()) as unknown };
      };
      const lane = await send(FORM);
      expect(lane).toEqual(await send(QUOTED));
      expect(lane.status).toBeGreaterThanOrEqual(400);
      expect(lane.status).toBeLessThan(500);
    },
  );
});
