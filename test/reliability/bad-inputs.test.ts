import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import type { RunningService } from '../support/service.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';
import { textMessage } from '../support/telegram.js';

/**
 * Every class of bad input on every route a gateway or a browser can reach, under the
 * production-like secret path (WEBHOOK_TOKEN). Nothing may answer 5xx, nothing may crash,
 * and the service must still answer a good request afterwards.
 */
const h = new Harness();
let s: RunningService;
let api: FakeBotApi;
const token = SECRETS.WEBHOOK_TOKEN;
const HOOK_PATH = '/tg/bad-input-hook';

interface PostRoute {
  name: string;
  path: string;
  type: 'form' | 'json';
  valid: () => Record<string, string>;
  /** A field whose absence makes the request invalid. */
  required: string;
}

const routes: PostRoute[] = [
  {
    name: 'USSD (Africa’s Talking)',
    path: `/ussd/${token}`,
    type: 'form',
    required: 'phoneNumber',
    valid: () => ({
      sessionId: `ATUid_${Math.random().toString(36).slice(2)}`,
      serviceCode: '*384*12#',
      phoneNumber: h.phone(1),
      networkCode: '99999',
      text: '',
    }),
  },
  {
    name: 'USSD end-of-session events',
    path: `/ussd/${token}/events`,
    type: 'form',
    required: 'sessionId',
    valid: () => ({
      sessionId: `ATUid_${Math.random().toString(36).slice(2)}`,
      serviceCode: '*384*12#',
      phoneNumber: h.phone(2),
      networkCode: '99999',
      status: 'Success',
      durationInMillis: '1200',
      hopsCount: '2',
      input: '1',
      lastAppResponse: 'END',
    }),
  },
  {
    name: 'USSD (latest-input dialect, JSON)',
    path: `/ussd/${token}/hubtel`,
    type: 'json',
    required: 'Mobile',
    valid: () => ({
      Type: 'Initiation',
      SessionId: `hub${Math.random().toString(36).slice(2)}`,
      Mobile: h.phone(3).slice(1),
      ServiceCode: '713',
      Message: '*713#',
      Operator: 'orange',
      Sequence: '1',
    }),
  },
  {
    name: 'SMS incoming',
    path: `/sms/${token}`,
    type: 'form',
    required: 'from',
    valid: () => ({
      from: h.phone(4),
      to: '36000',
      text: h.text('route kidal sécurité'),
      id: `m-${Math.random().toString(36).slice(2)}`,
      date: '2026-11-28T10:00:00Z',
      linkId: '03090445075804249226',
    }),
  },
  {
    name: 'SMS delivery report',
    path: `/sms/${token}/delivery`,
    type: 'form',
    required: 'id',
    valid: () => ({ id: 'ATXid_1', status: 'Success', phoneNumber: h.phone(5), networkCode: '99999' }),
  },
  {
    name: 'SMS opt-out',
    path: `/sms/${token}/optout`,
    type: 'form',
    required: 'phoneNumber',
    valid: () => ({ senderId: '36000', phoneNumber: h.phone(6) }),
  },
];

const encode = (route: PostRoute, fields: Record<string, string>) =>
  route.type === 'json' ? JSON.stringify(fields) : form(fields);
const contentType = (route: PostRoute) =>
  route.type === 'json' ? { 'content-type': 'application/json' } : FORM;

async function post(route: PostRoute, body: string | Buffer, headers: Record<string, string>) {
  const response = await h.fetch(`${s.baseUrl}${route.path}`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

/** Every bad class for one route: what is sent, and the statuses accepted as a clean refusal. */
function badInputs(
  route: PostRoute,
): Array<{ label: string; body: string | Buffer; headers: Record<string, string> }> {
  const valid = route.valid();
  const { [route.required]: _dropped, ...missing } = valid;
  const many: Record<string, string> = { ...valid };
  for (let i = 0; i < 40; i++) many[`extra${i}`] = String(i);
  const big = { ...valid, text: 'a'.repeat(20_000), Message: 'a'.repeat(20_000) };
  const ct = contentType(route);
  const raw = encode(route, valid);
  // Percent-encoding and repeated fields are form matters (JSON has neither).
  const formOnly =
    route.type === 'json'
      ? []
      : [
          { label: 'invalid percent-encoding', body: `${form(valid)}&note=%E0%A4%A`, headers: ct },
          {
            label: 'invalid percent-encoding (bad UTF-8 escape)',
            body: `${form(valid)}&note=%C3%28`,
            headers: ct,
          },
          {
            label: 'repeated field',
            body: `${form(valid)}&${route.required}=${encodeURIComponent(valid[route.required] ?? 'x')}`,
            headers: ct,
          },
        ];
  return [
    ...formOnly,
    { label: 'missing field', body: encode(route, missing), headers: ct },
    { label: 'empty body', body: '', headers: ct },
    { label: 'empty body, no content type', body: '', headers: {} },
    { label: 'oversize body (20 kB)', body: encode(route, big), headers: ct },
    { label: 'oversize body (1 MB)', body: 'x='.concat('a'.repeat(1_000_000)), headers: ct },
    { label: 'too many parameters (40 extra)', body: encode(route, many), headers: ct },
    { label: 'wrong content type (text/plain)', body: raw, headers: { 'content-type': 'text/plain' } },
    {
      label: 'wrong content type (multipart)',
      body: raw,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    },
    { label: 'wrong content type (xml)', body: '<a/>', headers: { 'content-type': 'application/xml' } },
    {
      label: 'invalid UTF-8 bytes',
      body: Buffer.concat([
        Buffer.from(raw.slice(0, -1)),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from(raw.slice(-1)),
      ]),
      headers: ct,
    },
    { label: 'malformed body', body: route.type === 'json' ? '{"SessionId": ' : '%%%&&&===', headers: ct },
    { label: 'gzip-encoded body', body: raw, headers: { ...ct, 'content-encoding': 'gzip' } },
  ];
}

beforeAll(async () => {
  api = await startFakeBotApi();
  s = await h.start({
    ...telegramWebhookEnv(HOOK_PATH, api.url),
    WEBHOOK_TOKEN: token,
    PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
    RATE_LIMIT_PER_MINUTE: '100000',
  });
});

afterAll(async () => {
  await api?.close();
  const leaks = await h.finish('bad-inputs');
  expect(leaks).toEqual([]);
});

describe('bad input on every gateway route', () => {
  for (const route of routes) {
    it(`when ${route.name} gets a valid request, then it answers 200`, async () => {
      const { status } = await post(route, encode(route, route.valid()), contentType(route));
      expect(status).toBe(200);
    });

    it(`when ${route.name} gets each bad input class, then every answer is a 4xx (never 5xx) and the route still works`, async () => {
      const outcomes: string[] = [];
      for (const bad of badInputs(route)) {
        const { status, body } = await post(route, bad.body, bad.headers);
        outcomes.push(`${bad.label}: ${status}`);
        expect(status, `${bad.label} → ${status} ${body.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
        expect(status, `${bad.label} → ${status} ${body.slice(0, 80)}`).toBeLessThan(500);
      }
      const { status } = await post(route, encode(route, route.valid()), contentType(route));
      expect(status, outcomes.join('\n')).toBe(200);
    });
  }

  it('when an oversize body or too many fields arrive, then the answer says so (413) rather than a generic 400', async () => {
    const route = routes[3]!;
    const big = await post(route, form({ ...route.valid(), text: 'a'.repeat(20_000) }), FORM);
    expect(big.status).toBe(413);
    const many: Record<string, string> = route.valid();
    for (let i = 0; i < 40; i++) many[`f${i}`] = '1';
    expect((await post(route, form(many), FORM)).status).toBe(413);
  });

  it('when a gateway route gets a wrong content type, then it answers 415', async () => {
    const route = routes[3]!;
    expect((await post(route, form(route.valid()), { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('when a form carries invalid percent-encoding or invalid UTF-8, then the gateway gets a 400', async () => {
    const route = routes[3]!;
    const valid = route.valid();
    expect((await post(route, `${form(valid).replace(/text=[^&]*/, 'text=%E0%A4%A')}`, FORM)).status).toBe(
      400,
    );
    expect((await post(route, `${form(valid).replace(/text=[^&]*/, 'text=%C3%28')}`, FORM)).status).toBe(400);
  });
});

describe('bad input on the Telegram webhook (with the right secret)', () => {
  const post = (body: string | Buffer, contentType = 'application/json') =>
    h.fetch(`${s.baseUrl}${HOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET,
      },
      body,
    });
  const update = (id: number) => ({ update_id: id, ...textMessage('/reco 2.15', { id: 5551234 }) });
  const cases: Array<[string, string | Buffer, string, number[]]> = [
    ['an empty body', '', 'application/json', [400]],
    ['no update_id', JSON.stringify(textMessage('/start')), 'application/json', [400]],
    ['a string update_id', JSON.stringify({ ...update(1), update_id: '1' }), 'application/json', [400]],
    ['malformed JSON', '{"update_id": 1,', 'application/json', [400]],
    ['a JSON array', '[1,2,3]', 'application/json', [400]],
    ['a form body', form({ update_id: '5' }), FORM[`content-type`], [400, 415]],
    ['text/plain', JSON.stringify(update(2)), 'text/plain', [400, 415]],
    [
      'an oversize body (1 MB)',
      JSON.stringify({ ...update(3), pad: 'a'.repeat(1_000_000) }),
      'application/json',
      [413],
    ],
    [
      'invalid UTF-8 in a message',
      Buffer.concat([
        Buffer.from(JSON.stringify(update(4)).slice(0, -2)),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
      'application/json',
      [200, 400],
    ],
    [
      'an update of an unknown kind',
      JSON.stringify({ update_id: 5, poll: { id: 'x' } }),
      'application/json',
      [200],
    ],
    [
      'a message without text',
      JSON.stringify({
        update_id: 6,
        message: { message_id: 1, date: 0, chat: { id: 5551234, type: 'private' } },
      }),
      'application/json',
      [200],
    ],
  ];
  for (const [label, body, type, expected] of cases) {
    it(`when the Telegram webhook gets ${label}, then it answers ${expected.join(' or ')}`, async () => {
      expect(expected).toContain((await post(body, type)).status);
    });
  }
  it('when all of that is over, then a good update is still answered', async () => {
    expect((await post(JSON.stringify(update(99)))).status).toBe(200);
  });
});

describe('bad input on the API and the pages', () => {
  const gets: Array<[string, string, number[]]> = [
    ['invalid percent-encoding in the query', '/api/search?q=%E0%A4%A', [200, 400]],
    ['invalid percent-encoding in the path', '/api/recommendations/%E0%A4%A', [400, 404]],
    ['repeated query parameter', '/api/search?q=eau&q=route', [400]],
    [
      'too many query parameters',
      `/api/search?q=eau&${Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&')}`,
      [400],
    ],
    ['URL of 5000 characters', `/api/search?q=${'a'.repeat(5000)}`, [400, 414]],
    ['missing query', '/api/search', [400]],
    ['empty query', '/api/search?q=', [400]],
    ['unknown recommendation', '/api/recommendations/9.99', [404]],
    ['nonsense recommendation id', '/api/recommendations/..%2F..%2Fetc%2Fpasswd', [400, 404]],
    ['control characters', '/api/search?q=%00%01%1B', [200, 400]],
    ['simulator with a traversal', '/simulator/..%2F..%2Fpackage.json', [404]],
    ['unknown page', '/nothing-here', [404]],
  ];
  for (const [label, path, expected] of gets) {
    it(`when the API or a page gets ${label}, then it answers ${expected.join(' or ')}`, async () => {
      const response = await h.fetch(`${s.baseUrl}${path}`);
      expect(expected).toContain(response.status);
    });
  }

  it('when a POST with a body reaches the read-only API, then it is refused without a 5xx', async () => {
    const response = await h.fetch(`${s.baseUrl}/api/search?q=eau`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q":"eau"}',
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('when the web pages are served, then they carry the security headers', async () => {
    for (const path of ['/', '/api/about', '/nothing-here']) {
      const response = await h.fetch(`${s.baseUrl}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('when all the bad input is over, then the service is still healthy', async () => {
    expect((await h.fetch(`${s.baseUrl}/healthz`)).status).toBe(200);
    expect((await h.fetch(`${s.baseUrl}/readyz`)).status).toBe(200);
    expect(h.tally.failed).toBe(0);
  });
});
