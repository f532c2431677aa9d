import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';
import { textMessage } from '../support/telegram.js';

/**
 * Wrong and missing secrets on every protected route, in production mode over a real Redis:
 * a 404 (path token) or 401 (basic auth, Telegram header), and nothing written — no key in
 * Redis, no opt-out, no reply, no Telegram call.
 */
const h = new Harness();
const token = SECRETS.WEBHOOK_TOKEN;
const HOOK_PATH = '/tg/hook-reliability';

const gatewayBodies = () => ({
  '/ussd': form({
    sessionId: 'ATUid_secret',
    serviceCode: '*384*12#',
    phoneNumber: h.phone(500),
    networkCode: '99999',
    text: '',
  }),
  '/ussd/events': form({ sessionId: 'ATUid_secret', phoneNumber: h.phone(500), status: 'Success' }),
  '/sms': form({ from: h.phone(501), to: '36000', text: 'STOP', id: 'secret-1', date: '2026-11-28' }),
  '/sms/delivery': form({ id: 'ATXid_1', status: 'Success', phoneNumber: h.phone(501) }),
  '/sms/optout': form({ senderId: '36000', phoneNumber: h.phone(502) }),
});

function wrongPaths(route: string): string[] {
  const [, channel, rest] = /^\/(\w+)(.*)$/.exec(route)!;
  const almost = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
  return [
    `/${channel}${rest}`, // no token at all
    `/${channel}/${almost}${rest}`, // one character off, same length
    `/${channel}/${token.toUpperCase()}${rest}`, // case changed
    `/${channel}/${token}x${rest}`, // longer
    `/${channel}/${token.slice(0, 8)}${rest}`, // a prefix
    `/${channel}/${encodeURIComponent(`${token}/..`)}${rest}`,
    `/${channel}${rest}?token=${token}`, // in the query instead of the path
  ];
}

describeWithRedis('secrets in production mode', (redisUrl) => {
  let s: RunningService;
  let api: FakeBotApi;
  let redis: Redis;
  const prefix = `sec${Date.now()}:`;
  const keys = async () => (await redis.keys(`${prefix}*`)).sort();

  beforeAll(async () => {
    api = await startFakeBotApi();
    redis = new Redis(redisUrl);
    s = await h.start({
      NODE_ENV: 'production',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
      METRICS_TOKEN: SECRETS.METRICS_TOKEN,
      ...telegramWebhookEnv(HOOK_PATH, api.url),
    });
    await api.waitFor('setWebhook');
  });

  afterAll(async () => {
    redis?.disconnect();
    await api?.close();
  });

  it('when a gateway route is called with a missing or wrong token, then it is a 404 and nothing is stored or sent', async () => {
    const before = await keys();
    const outcomes: string[] = [];
    for (const [route, body] of Object.entries(gatewayBodies())) {
      for (const path of wrongPaths(route)) {
        const response = await h.fetch(`${s.baseUrl}${path}`, { method: 'POST', headers: FORM, body });
        outcomes.push(`${path.replace(token, '<token>')}: ${response.status}`);
        expect(response.status, path).toBe(404);
      }
    }
    expect(await keys()).toEqual(before);
    expect(await s.service.sms.optOuts.has(s.service.pseudonymize(h.phone(501)))).toBe(false);
    expect(await s.service.sms.optOuts.has(s.service.pseudonymize(h.phone(502)))).toBe(false);
    expect(await redis.exists(`${prefix}sms:optout`)).toBe(0);
    expect(outcomes.length).toBeGreaterThan(30);
  });

  it('when the same routes are called with the token, then they work (the refusals were the secret, not the body)', async () => {
    for (const [route, body] of Object.entries(gatewayBodies())) {
      const path = route.replace(/^\/(\w+)/, `/$1/${token}`);
      const response = await h.fetch(`${s.baseUrl}${path}`, { method: 'POST', headers: FORM, body });
      expect(response.status, path).toBe(200);
    }
    expect(await s.service.sms.optOuts.has(s.service.pseudonymize(h.phone(502)))).toBe(true);
  });

  it('when the Telegram webhook gets no secret header or a wrong one, then 401 and the bot calls nothing', async () => {
    const calls = api.calls.length;
    const post = (headers: Record<string, string>, id: number) =>
      h.fetch(`${s.baseUrl}${HOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ update_id: id, ...textMessage('/reco 2.15') }),
      });
    expect((await post({}, 900)).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' }, 901)).status).toBe(401);
    expect(
      (await post({ 'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET.toLowerCase() }, 902))
        .status,
    ).toBe(401);
    expect(
      (await post({ 'x-telegram-bot-api-secret-token': `${SECRETS.TELEGRAM_WEBHOOK_SECRET}x` }, 903)).status,
    ).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.calls.length).toBe(calls);
    expect(
      (await post({ 'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET }, 904)).status,
    ).toBe(200);
  });

  it('when /metrics is asked without its token or with a wrong one, then it is not found; with the token it answers', async () => {
    expect((await h.fetch(`${s.baseUrl}/metrics`)).status).toBe(404);
    const wrong = await h.fetch(`${s.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(404);
    const right = await h.fetch(`${s.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).not.toContain(token);
  });

  it('when production mode runs, then the simulator and the outbox do not exist', async () => {
    expect((await h.fetch(`${s.baseUrl}/simulator`)).status).toBe(404);
    expect((await h.fetch(`${s.baseUrl}/dev/outbox`)).status).toBe(404);
    expect((await h.fetch(`${s.baseUrl}/simulator/config.json`)).status).toBe(404);
  });
});

describe('basic auth on the gateway routes', () => {
  let s: RunningService;
  const credentials = 'gateway:Basic_Secret_4c5d6e7f';
  const auth = (value: string) => ({ authorization: `Basic ${Buffer.from(value).toString('base64')}` });

  beforeAll(async () => {
    s = await h.start({ WEBHOOK_BASIC_AUTH: credentials, PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY });
  });

  it('when credentials are missing, wrong or malformed, then 401 with a challenge and nothing is sent', async () => {
    const bodies = gatewayBodies();
    const attempts: Array<Record<string, string>> = [
      {},
      auth('gateway:wrong'),
      auth('other:Basic_Secret_4c5d6e7f'),
      auth(`${credentials}x`),
      auth('gateway'),
      { authorization: 'Basic !!!not-base64' },
      { authorization: `Bearer ${credentials}` },
    ];
    for (const [route, body] of Object.entries(bodies)) {
      for (const headers of attempts) {
        const response = await h.fetch(`${s.baseUrl}${route}`, {
          method: 'POST',
          headers: { ...FORM, ...headers },
          body,
        });
        expect(response.status, `${route} ${JSON.stringify(headers)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      }
    }
    await s.service.sms.flush();
    expect(s.service.sms.outbox!.list()).toEqual([]);
    expect(await s.service.sms.optOuts.has(s.service.pseudonymize(h.phone(501)))).toBe(false);
  });

  it('when the credentials are right, then the gateway is served', async () => {
    const response = await h.fetch(`${s.baseUrl}/ussd`, {
      method: 'POST',
      headers: { ...FORM, ...auth(credentials) },
      body: gatewayBodies()['/ussd'],
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^CON /);
  });
});

describe('production configuration', () => {
  it('when a production start lacks REDIS_URL, WEBHOOK_TOKEN or PHONE_HASH_KEY, then it refuses and names each', () => {
    const full = {
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
    };
    expect(() => loadConfig(full)).not.toThrow();
    for (const missing of ['REDIS_URL', 'WEBHOOK_TOKEN', 'PHONE_HASH_KEY'] as const) {
      const env: Record<string, string> = { ...full };
      delete env[missing];
      let error: unknown;
      try {
        loadConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toContain(missing);
      // The message names what is missing, never a secret's value.
      expect((error as ConfigError).message).not.toContain(SECRETS.PHONE_HASH_KEY);
    }
    expect(() => loadConfig({ ...full, WEBHOOK_TOKEN: 'short' })).toThrow(ConfigError);
  });
});

afterAll(async () => {
  const leaks = await h.finish('secrets');
  expect(leaks).toEqual([]);
});
