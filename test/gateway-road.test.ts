import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayHandler, GatewayRequest, KnownPerson } from '../adapters/gateway/contract.js';
import { storeKeys } from '../src/ports/keys.js';
import { createGatewayRunner, frameworks, type RunnerDeps } from '../adapters/gateway/runner.js';
import { createLogger } from '../adapters/logging.js';
import { noMetrics, type RateLimiter } from '../src/ports/index.js';
import { LogCapture, startService, type RunningService } from './support/service.js';

/**
 * The one road of the gateway webhooks (adapters/gateway/runner.ts): a handler of the contract
 * (contract.ts) served on Node's request, whatever the request looks like; express only gets
 * what is not under a gateway's mount.
 */

const TOKEN = 'road_token_0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded';
/** A type the media-type parser reads (not the one spelling Africa's Talking sends). */
const QUOTED = 'application/x-www-form-urlencoded; charset="utf-8"';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the runner on its own (a fake channel behind it, a fake express after it)', () => {
  const seen: Array<{ fields: Record<string, unknown>; person: KnownPerson | undefined; route: string }> = [];
  const observed: Array<{ labels: Record<string, string>; seconds: number }> = [];
  const logs = new LogCapture();
  let toExpress = 0;
  let hang = false;
  let fail = false;
  const answer = async (request: GatewayRequest) => {
    seen.push({ fields: request.fields, person: request.person, route: request.route });
    if (hang) return new Promise<never>(() => {});
    if (fail) throw new Error('the store fell over');
    return { status: 200, body: `CON ${request.route} ${String(request.fields.text)}` };
  };
  const channel: GatewayHandler = {
    channel: 'ussd',
    budget: 'channel',
    routes: [
      {
        path: '/',
        accepts: ['form'],
        phone: (fields) => (typeof fields.phoneNumber === 'string' ? fields.phoneNumber : undefined),
        handle: answer,
      },
      { path: '/hubtel', accepts: ['json'], handle: answer },
    ],
    refusal: (refusal, request) => ({
      status: refusal.status,
      body: `END refused ${refusal.type} at ${request.route}`,
    }),
    apology: () => ({ status: 200, body: 'END sorry' }),
  };
  const limiter = (allowed: () => boolean, hits: string[] = []): RateLimiter => ({
    hit: async (key) => {
      hits.push(key);
      const yes = allowed();
      return { allowed: yes, remaining: yes ? 1 : 0, retryAfterMs: yes ? 0 : 30_000 };
    },
  });
  const deps = (overrides: Partial<RunnerDeps> = {}): RunnerDeps => ({
    config: { WEBHOOK_TOKEN: TOKEN, REQUEST_TIMEOUT_MS: 150 },
    pseudonymize: (phone) => `p_${phone.replace(/\D/g, '')}`,
    logger: createLogger('info', logs),
    observe: (labels, seconds) => observed.push({ labels, seconds }),
    limiter: limiter(() => true),
    ...overrides,
  });
  const servers: Server[] = [];
  const start = async (runner: RunnerDeps, handler: GatewayHandler = channel) => {
    const server = createServer(
      frameworks.node([createGatewayRunner(runner)(handler)], (_req, res) => {
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
  const read = async (res: Response) => [res.status, await res.text()];

  it('when a plain form comes to the mount with its token, then the channel answers with the gateway’s headers and the person is named once', async () => {
    const res = await post(`/ussd/${TOKEN}`, 'sessionId=s1&phoneNumber=%2B22370000001&text=1*2');
    expect(await read(res)).toEqual([200, 'CON / 1*2']);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(seen.at(-1)!.person).toEqual({
      phone: '+22370000001',
      pseudonym: 'p_22370000001',
      budget: storeKeys.personBudget('phone', 'p_22370000001'),
    });
    expect(observed.at(-1)!.labels).toEqual({
      channel: 'ussd',
      route: '/ussd/:token',
      method: 'POST',
      status: '200',
    });
    expect(toExpress).toBe(0);
  });

  it.each([
    [
      'a charset as fetch sends it',
      () => post(`/ussd/${TOKEN}`, 'text=2', { 'content-type': `${FORM};charset=UTF-8` }),
    ],
    ['a quoted charset', () => post(`/ussd/${TOKEN}`, 'text=2', { 'content-type': QUOTED })],
    ['a query string', () => post(`/ussd/${TOKEN}?x=1`, 'text=2')],
    ['a trailing slash', () => post(`/ussd/${TOKEN}/`, 'text=2')],
    ['an escaped token', () => post(`/ussd/%${TOKEN.charCodeAt(0).toString(16)}${TOKEN.slice(1)}`, 'text=2')],
    [
      'a body without a length (chunked)',
      () =>
        fetch(`${base}/ussd/${TOKEN}`, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: new Blob(['text=2']).stream(),
          duplex: 'half',
        } as RequestInit),
    ],
  ])('when the request has %s, then it takes the same road and gets the same answer', async (_what, send) => {
    expect(await read(await send())).toEqual([200, 'CON / 2']);
    expect(toExpress).toBe(0);
  });

  it('when a dialect posts JSON under the mount, then its route answers on the same road', async () => {
    const res = await fetch(`${base}/ussd/${TOKEN}/hubtel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(await read(res)).toEqual([200, 'CON /hubtel hi']);
    expect(observed.at(-1)!.labels.route).toBe('/ussd/:token/hubtel');
  });

  it.each([
    [
      'a body its route does not take',
      () => post(`/ussd/${TOKEN}/hubtel`, 'text=1'),
      [400, 'END refused bad_request at /hubtel'],
    ],
    [
      'a compressed body',
      () => post(`/ussd/${TOKEN}`, 'text=1', { 'content-encoding': 'gzip' }),
      [415, 'END refused encoding.unsupported at /'],
    ],
    [
      'a broken escape',
      () => post(`/ussd/${TOKEN}`, 'text=%E0%A4%A&phoneNumber=1'),
      [400, 'END refused encoding.invalid at /'],
    ],
    [
      '31 fields',
      () => post(`/ussd/${TOKEN}`, Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&')),
      [413, 'END refused parameters.too.many at /'],
    ],
    [
      'a type no gateway sends',
      () => post(`/ussd/${TOKEN}`, 'x', { 'content-type': 'text/plain' }),
      [415, 'END refused content_type.unsupported at /'],
    ],
  ])(
    'when the request carries %s, then the channel’s refusal answers and the channel never runs',
    async (_what, send, want) => {
      const before = seen.length;
      expect(await read(await send())).toEqual(want);
      expect(seen.length).toBe(before);
    },
  );

  it.each([
    ['another method', () => fetch(`${base}/ussd/${TOKEN}`), 404, { error: 'not_found' }],
    [
      'a route the channel does not have',
      () => post(`/ussd/${TOKEN}/nowhere`, 'text=1'),
      404,
      { error: 'not_found' },
    ],
    ['a wrong token', () => post('/ussd/wrong_token_0123456789abcd', 'text=1'), 404, { error: 'not_found' }],
    ['no token', () => post('/ussd', 'text=1'), 404, { error: 'not_found' }],
    [
      'a URL over the limit',
      () => post(`/ussd/${TOKEN}?${'a'.repeat(2100)}`, 'text=1'),
      414,
      { error: 'uri.too.long' },
    ],
  ])(
    'when the request has %s, then the runner answers the app’s JSON error before reading the body',
    async (_what, send, status, body) => {
      const before = seen.length;
      const res = await send();
      expect([res.status, await res.json()]).toEqual([status, body]);
      expect(seen.length).toBe(before);
      expect(toExpress).toBe(0);
    },
  );

  it('when a path is not under a gateway’s mount, then express gets it untouched', async () => {
    expect(await read(await post('/ussdx', 'text=1'))).toEqual([299, 'express']);
    expect(await read(await post('/api/search', 'text=1'))).toEqual([299, 'express']);
    expect(toExpress).toBe(2);
    toExpress = 0;
  });

  it('when the channel fails, then the gateway gets the apology and the failure is logged without the request', async () => {
    fail = true;
    try {
      const res = await post(`/ussd/${TOKEN}`, 'text=secret+words&phoneNumber=%2B22370000002');
      expect(await read(res)).toEqual([200, 'END sorry']);
    } finally {
      fail = false;
    }
    expect(logs.text).toContain('the store fell over');
    expect(logs.text).not.toContain('secret');
    expect(logs.text).not.toContain('22370000002');
  });

  it('when the channel does not answer within REQUEST_TIMEOUT_MS, then the apology goes out at the deadline and the runner keeps serving', async () => {
    hang = true;
    const started = performance.now();
    try {
      const res = await post(`/ussd/${TOKEN}`, 'text=1&phoneNumber=%2B22370000003');
      expect(await read(res)).toEqual([200, 'END sorry']);
    } finally {
      hang = false;
    }
    // The apology itself proves the deadline fired (the handler never answers); it is never
    // sent before REQUEST_TIMEOUT_MS (150 ms). How late after it depends on the machine's load,
    // which a test cannot bound: no upper limit here.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await read(await post(`/ussd/${TOKEN}`, 'text=3'))).toEqual([200, 'CON / 3']);
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
    expect(await read(await post(`/ussd/${TOKEN}`, 'text=4'))).toEqual([200, 'CON / 4']);
  });

  it('when no per-person budget is configured, then the person is named without a budget to count', async () => {
    const { limiter: _none, ...without } = deps();
    const own = await start(without);
    await fetch(`${own}/ussd/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'text=1&phoneNumber=%2B22370000005',
    });
    expect(seen.at(-1)!.person).toEqual({ phone: '+22370000005', pseudonym: 'p_22370000005' });
  });

  it('when the runner counts the budget, then it asks the limiter first and answers a person over it with the channel’s notice', async () => {
    const hits: string[] = [];
    const limited: string[] = [];
    let allowed = true;
    const own = await start(
      deps({
        limiter: limiter(() => allowed, hits),
        metrics: { ...noMetrics, rateLimited: (name) => limited.push(name) },
      }),
      {
        ...channel,
        budget: 'runner',
        rateLimited: async (request, decision) => ({
          status: 200,
          body: {
            status: 'rateLimited',
            pseudonym: request.person?.pseudonym,
            retryAfterMs: decision.retryAfterMs,
          },
          headers: { 'Retry-After': '30' },
        }),
      },
    );
    const send = () =>
      fetch(`${own}/ussd/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: 'text=7&phoneNumber=%2B22370000006',
      });
    const before = seen.length;
    expect(await read(await send())).toEqual([200, 'CON / 7']);
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
    expect(hits).toEqual([
      storeKeys.personBudget('phone', 'p_22370000006'),
      storeKeys.personBudget('phone', 'p_22370000006'),
    ]);
    expect(limited).toEqual(['ussd']);
  });

  it('when the runner counts the budget but the channel has no over-budget answer, then the handler is refused at start', () => {
    expect(() => createGatewayRunner(deps())({ ...channel, budget: 'runner' })).toThrow(/rateLimited/);
  });

  it('when the channel throws while naming the person, then the gateway gets the apology and the process goes on', async () => {
    const own = await start(deps(), {
      ...channel,
      routes: [
        {
          ...channel.routes[0]!,
          phone: () => {
            throw new Error('phone field exploded');
          },
        },
      ],
    });
    const res = await fetch(`${own}/ussd/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'text=1',
    });
    expect(await read(res)).toEqual([200, 'END sorry']);
    expect(logs.text).toContain('phone field exploded');
  });

  it('when a runner fails before taking a request, then the next handler answers it', async () => {
    const server = createServer(
      frameworks.node(
        [
          () => {
            throw new Error('runner bug');
          },
        ],
        (_req, res) => void res.writeHead(299).end('express'),
      ),
    );
    servers.push(server);
    const own = await listen(server);
    const res = await fetch(`${own}/ussd/${TOKEN}`, { method: 'POST', body: 'text=1' });
    expect(await read(res)).toEqual([299, 'express']);
  });

  it('when basic auth is configured, then only a request carrying it reaches the channel', async () => {
    const own = await start(
      deps({ config: { WEBHOOK_BASIC_AUTH: 'gw:pass_0123456789', REQUEST_TIMEOUT_MS: 150 } }),
    );
    const send = (authorization?: string) =>
      fetch(`${own}/ussd`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...(authorization ? { authorization } : {}) },
        body: 'text=9',
      });
    const missing = await send();
    expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="gateway"']);
    expect((await send(`Basic ${Buffer.from('gw:wrong').toString('base64')}`)).status).toBe(401);
    expect(await read(await send(`Basic ${Buffer.from('gw:pass_0123456789').toString('base64')}`))).toEqual([
      200,
      'CON / 9',
    ]);
  });
});

/** Counts the requests the express app itself handles (express 5 calls `app.handle` for each). */
function spyOnExpress(running: RunningService) {
  const app = running.service.app as unknown as { handle: (...args: unknown[]) => void };
  return vi.spyOn(app, 'handle');
}

describe('USSD on the one road in the real service', () => {
  let running: RunningService;
  let expressHandled: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    running = await startService({ WEBHOOK_TOKEN: TOKEN });
    expressHandled = spyOnExpress(running);
  });
  afterAll(() => running.close());

  const hop = async (type: string, fields: Record<string, string>, base = running.baseUrl) => {
    const res = await fetch(`${base}/ussd/${TOKEN}`, {
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

  it('when Africa’s Talking walks the menus, whatever the spelling of its type, then express never runs and both walks read the same', async () => {
    const path = ['', '1', '1*3', '1*3*98', '1*3*98*2', '1*3*98*2*0', '1*3*98*2*0*00', '3', '3*215'];
    const before = expressHandled.mock.calls.length;
    for (const text of path) {
      const session = (who: string) => ({
        sessionId: `ATUid_road_${who}`,
        serviceCode: '*384*12#',
        phoneNumber: who === 'plain' ? '+22370001001' : '+22370001002',
        networkCode: '61001',
        text,
      });
      const plain = await hop(FORM, session('plain'));
      expect(plain, `hop "${text}"`).toEqual(await hop(QUOTED, session('quoted')));
      expect(plain.status).toBe(200);
      expect(plain.body).toMatch(/^(CON|END) /);
      expect(plain.headers['content-security-policy']).toBeNull();
    }
    expect(expressHandled.mock.calls.length).toBe(before);
  });

  it.each([
    ['a broken escape', 'sessionId=ATUid_x&phoneNumber=%2B22370001003&text=%E0%A4%A', 400],
    ['bytes that are not UTF-8', 'sessionId=ATUid_x&phoneNumber=%2B22370001003&text=%C3%28', 400],
    ['31 fields', Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&'), 413],
    ['no session id', 'phoneNumber=%2B22370001003&text=1', 400],
    ['a history too long', `sessionId=ATUid_y&phoneNumber=%2B22370001003&text=${'1*'.repeat(120)}1`, 200],
  ])(
    'when a hop carries %s, then the gateway gets an END screen, never a 500',
    async (_what, body, status) => {
      const res = await fetch(`${running.baseUrl}/ussd/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body,
      });
      expect(res.status).toBe(status);
      expect(await res.text()).toMatch(/^END /);
    },
  );

  it('when the latest-input dialect posts JSON, then it takes the same road as Africa’s Talking', async () => {
    const before = expressHandled.mock.calls.length;
    const res = await fetch(`${running.baseUrl}/ussd/${TOKEN}/hubtel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Type: 'Initiation',
        SessionId: 'h-road-1',
        Mobile: '+22370001009',
        ServiceCode: '384',
        Message: '*384#',
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ SessionId: 'h-road-1', Type: 'response' });
    expect(expressHandled.mock.calls.length).toBe(before);
  });

  it('when hops were served, then the HTTP metrics count them under the route’s pattern, never the token', async () => {
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

  it('when the express app alone serves (the frameworks table’s express entry), then a hop gets the same answer', async () => {
    const server = createServer(running.service.app);
    const base = await listen(server);
    try {
      const fields = { sessionId: 'ATUid_app', serviceCode: '*1#', phoneNumber: '+22370001005', text: '' };
      const viaApp = await hop(FORM, fields, base);
      expect(viaApp).toEqual(await hop(FORM, { ...fields, sessionId: 'ATUid_app2' }));
      expect(viaApp.body).toMatch(/^CON /);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('SMS on the one road in the real service', () => {
  let running: RunningService;
  let expressHandled: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    running = await startService({ WEBHOOK_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '3' });
    expressHandled = spyOnExpress(running);
  });
  afterAll(() => running.close());

  let messageId = 0;
  const sms = async (type: string, from: string, text: string) => {
    const res = await fetch(`${running.baseUrl}/sms/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new URLSearchParams({ from, to: '36000', text, id: `road-${++messageId}` }).toString(),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
      csp: res.headers.get('content-security-policy'),
      body: (await res.json()) as unknown,
    };
  };

  it('when Africa’s Talking delivers messages, whatever the spelling of its type, then express never runs and the same replies go out', async () => {
    const outbox = running.service.sms.outbox!;
    const before = expressHandled.mock.calls.length;
    for (const text of ['eau', '2.10', 'SUITE']) {
      const plain = await sms(FORM, '+22370002001', text);
      expect(plain, `"${text}"`).toEqual(await sms(QUOTED, '+22370002002', text));
      expect(plain).toMatchObject({
        status: 200,
        type: 'application/json; charset=utf-8',
        nosniff: 'nosniff',
        csp: null,
      });
    }
    expect(expressHandled.mock.calls.length).toBe(before);
    await running.service.sms.flush();
    const sentTo = (phone: string) =>
      outbox.list().filter((m) => m.to === running.service.pseudonymize(phone));
    expect(sentTo('+22370002001').length).toBeGreaterThan(0);
    expect(sentTo('+22370002001').map((m) => m.text)).toEqual(sentTo('+22370002002').map((m) => m.text));
  });

  it('when a person goes over their budget, then one notice per window goes out and the gateway gets a 200', async () => {
    const out: unknown[] = [];
    for (let i = 0; i < 5; i++) out.push((await sms(FORM, '+22370002003', `eau ${i}`)).body);
    expect(out.slice(3)).toEqual([
      { status: 'rateLimited', notified: true },
      { status: 'rateLimited', notified: false },
    ]);
  });

  it.each([
    ['no message id', 'from=%2B22370002005&text=eau', 400],
    ['a malformed number', 'from=12&text=eau&id=x1', 400],
    ['a broken escape', 'from=%2B22370002005&text=%E0%A4%A&id=x2', 400],
    ['31 fields', Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&'), 413],
  ])('when a message carries %s, then the gateway gets a JSON 4xx', async (_what, body, status) => {
    const res = await fetch(`${running.baseUrl}/sms/${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body,
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toHaveProperty('error');
  });
});
