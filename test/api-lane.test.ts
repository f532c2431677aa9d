import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startService } from './support/service.js';

/**
 * The search's fast lane (adapters/http/api-lane.ts): `GET /api/search` served without
 * express. The same search sent as `/api/search/?…` (a trailing slash the express router
 * accepts and the lane leaves to it) goes the express road, whose answers are the reference.
 */

const COMPARED = [
  'content-type',
  'cache-control',
  'content-security-policy',
  'x-frame-options',
  'x-content-type-options',
  'referrer-policy',
  'permissions-policy',
  'retry-after',
];

async function started(env: Record<string, string> = {}) {
  const running = await startService(env);
  const app = running.service.app as unknown as { handle: (...args: unknown[]) => void };
  return { running, expressHandled: vi.spyOn(app, 'handle') };
}

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers });
  return {
    status: res.status,
    headers: Object.fromEntries(COMPARED.map((name) => [name, res.headers.get(name)])),
    remaining: res.headers.get('ratelimit-remaining'),
    body: await res.text(),
  };
}

describe('the search API’s fast lane', () => {
  let s: Awaited<ReturnType<typeof started>>;
  beforeAll(async () => {
    s = await started();
  });
  afterAll(() => s.running.close());

  it.each([
    ['a word', 'q=eau'],
    ['a phrase with accents', 'q=r%C3%A9ouverture+des+%C3%A9coles&limit=3'],
    ['English', 'q=women+in+politics'],
    ['a subject the report does not speak of', 'q=football'],
    ['a typo', 'q=reconsiliation'],
    ['no q', 'limit=3'],
    ['an empty q', 'q=+'],
    ['q twice', 'q=eau&q=sante'],
    ['a bad limit', 'q=eau&limit=0'],
    ['a limit too large', 'q=eau&limit=51'],
    ['a q too long', `q=${'a'.repeat(300)}`],
    ['a broken escape', 'q=%E0%A4%A'],
  ])('when a search has %s, then the lane answers exactly as the express road', async (_what, query) => {
    const before = s.expressHandled.mock.calls.length;
    const lane = await get(s.running.baseUrl, `/api/search?${query}`);
    expect(s.expressHandled.mock.calls.length).toBe(before);
    const road = await get(s.running.baseUrl, `/api/search/?${query}`);
    expect(s.expressHandled.mock.calls.length).toBe(before + 1);
    expect({ ...lane, remaining: undefined }).toEqual({ ...road, remaining: undefined });
    // Both roads count against the same budget of the same address.
    expect(Number(road.remaining)).toBe(Number(lane.remaining) - 1);
    expect(lane.status).not.toBe(500);
    expect(lane.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('when a URL is over the limits or not the search, then express answers it', async () => {
    const before = s.expressHandled.mock.calls.length;
    const many = Array.from({ length: 31 }, (_, i) => `f${i}=1`).join('&');
    expect((await get(s.running.baseUrl, `/api/search?q=eau&${many}`)).status).toBe(400);
    expect((await fetch(`${s.running.baseUrl}/api/search?q=eau`, { method: 'HEAD' })).status).toBe(200);
    expect((await get(s.running.baseUrl, '/api/about')).status).toBe(200);
    expect(s.expressHandled.mock.calls.length).toBe(before + 3);
  });

  it('when searches took the lane, then the HTTP metrics count them under /api/search', async () => {
    const count = (text: string) =>
      Number(
        /dim_http_requests_total\{channel="api",route="\/api\/search",method="GET",status="200"\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    const metrics = async () => (await fetch(`${s.running.baseUrl}/metrics`)).text();
    const before = count(await metrics());
    await get(s.running.baseUrl, '/api/search?q=eau');
    await get(s.running.baseUrl, '/api/search?q=paix');
    expect(count(await metrics())).toBe(before + 2);
  });
});

describe('the search lane and the per-address budget', () => {
  let s: Awaited<ReturnType<typeof started>>;
  beforeAll(async () => {
    s = await started({ API_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => s.running.close());

  it('when an address goes over its budget, then the lane refuses as the express road, and a proxied client has its own budget', async () => {
    const behind = (address: string) => ({ 'x-forwarded-for': address });
    const answers = async (path: string, address: string) => {
      const out = [];
      for (let i = 0; i < 4; i++) out.push(await get(s.running.baseUrl, path, behind(address)));
      return out;
    };
    // Behind the loopback proxy (TRUST_PROXY=loopback), each forwarded address is a client.
    const lane = await answers('/api/search?q=eau', '10.0.0.1');
    const road = await answers('/api/search/?q=eau', '10.0.0.2');
    expect(lane.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    // The seconds left in the window depend on when each refusal is made, not on the road: they
    // are compared as "within the minute", the rest of the answer byte for byte.
    const seconds = (a: (typeof lane)[number]) => Number(a.headers['retry-after']);
    for (const refused of [lane[3]!, road[3]!]) {
      expect(seconds(refused)).toBeGreaterThan(0);
      expect(seconds(refused)).toBeLessThanOrEqual(60);
      expect(JSON.parse(refused.body)).toEqual({
        error: 'rate_limited',
        retryAfterSeconds: seconds(refused),
      });
    }
    const sameSeconds = (a: (typeof lane)[number]) =>
      a.status === 429
        ? { ...a, body: '{"error":"rate_limited"}', headers: { ...a.headers, 'retry-after': 'n' } }
        : a;
    expect(lane.map(sameSeconds)).toEqual(road.map(sameSeconds));
    expect(JSON.parse(lane[3]!.body)).toMatchObject({ error: 'rate_limited' });
    expect(Number(lane[3]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(lane[3]!.remaining).toBe('0');
  });
});
