import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { createAfricasTalkingCallPlacer } from '../adapters/voice/callback/africastalking.js';
import { CallOutbox } from '../adapters/voice/callback/outbox.js';
import { createCallbacks, dayOf, withoutNumbers } from '../src/callback/callbacks.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { CallPlacer, SessionStore } from '../src/ports/index.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { LogCapture, startService } from './support/service.js';

const VOICE_API = 'https://voice.africastalking.com';
const PHONE = '+22376000001';
const pseudonymize = createPseudonymizer('k'.repeat(32));

/** A clock the test moves, shared by the store (expiry) and the call backs (the day). */
function testClock(iso: string) {
  let now = Date.parse(iso);
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** The store, with the TTLs and keys the call backs wrote. */
function recordingStore(store: SessionStore) {
  const writes: Array<{ key: string; ttl: number }> = [];
  const wrapped: SessionStore = Object.create(store) as SessionStore;
  wrapped.setIfAbsent = (key, value, ttl) => {
    writes.push({ key, ttl });
    return store.setIfAbsent(key, value, ttl);
  };
  return { store: wrapped, writes };
}

function setUp(options: { perDay?: number; placer?: CallPlacer; iso?: string; enabled?: boolean } = {}) {
  const clock = testClock(options.iso ?? '2026-03-10T12:00:00Z');
  const memory = new MemorySessionStore(clock);
  const { store, writes } = recordingStore(memory);
  const logs = new LogCapture();
  const outbox = new CallOutbox(pseudonymize, clock);
  const callbacks = createCallbacks({
    enabled: options.enabled ?? true,
    perDay: options.perDay ?? 2,
    store,
    placer: options.placer ?? outbox,
    pseudonymize,
    clock,
    logger: createLogger('info', logs),
    missedCallDelayMs: 0,
  });
  return { callbacks, clock, writes, logs, outbox, close: () => memory.close() };
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('counting call backs per person per day', () => {
  it('when a call back is asked at 23:59:30 UTC, then its key is the pseudonym’s (hash tag, no number) and lives 30 s, and after midnight the count starts again', async () => {
    const { callbacks, clock, writes, outbox, close } = setUp({ perDay: 1, iso: '2026-03-10T23:59:30Z' });
    expect(await callbacks.request(PHONE, 'missedCall')).toBe('queued');
    expect(await callbacks.request(PHONE, 'sms')).toBe('limit');
    const pseudonym = pseudonymize(PHONE);
    expect(writes[0]).toEqual({ key: `cb:{${pseudonym}}:2026-03-10:1`, ttl: 30 });
    for (const { key } of writes) expect(key).not.toMatch(/\d{8}/);
    clock.advance(31_000);
    expect(await callbacks.request(PHONE, 'sms')).toBe('queued');
    await callbacks.flush();
    expect(outbox.list().map((e) => e.to)).toEqual([pseudonym, pseudonym]);
    await close();
  });

  it('when two requests for the last call back of the day arrive at once, then only one is queued', async () => {
    const { callbacks, outbox, close } = setUp({ perDay: 2 });
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => callbacks.request(PHONE, 'missedCall')));
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'limit')).toHaveLength(2);
    await callbacks.flush();
    expect(outbox.list()).toHaveLength(2);
    await close();
  });

  it('when the option is off, then nothing is counted or placed', async () => {
    const { callbacks, writes, outbox, close } = setUp({ enabled: false });
    expect(await callbacks.request(PHONE, 'sms')).toBe('off');
    await callbacks.flush();
    expect(writes).toEqual([]);
    expect(outbox.list()).toEqual([]);
    await close();
  });

  it('when the day is computed, then it is the UTC date (Mali’s time) and the seconds to its end', () => {
    expect(dayOf(Date.parse('2026-12-31T23:59:59.500Z'))).toEqual({ day: '2026-12-31', secondsLeft: 1 });
    expect(dayOf(Date.parse('2026-01-01T00:00:00Z'))).toEqual({ day: '2026-01-01', secondsLeft: 86_400 });
  });
});

describe("the Africa's Talking call placer (the SDK's VOICE.call, nock in front)", () => {
  const placer = () =>
    createAfricasTalkingCallPlacer({ username: 'dimtest', apiKey: 'test-api-key', from: '+22320000000' });

  it('when AT queues the call, then it is placed with the session id AT gives', async () => {
    nock(VOICE_API)
      .post('/call', (body: Record<string, string>) => body.to === PHONE && body.from === '+22320000000')
      .reply(201, {
        entries: [{ phoneNumber: PHONE, status: 'Queued', sessionId: 'ATVId_1' }],
        errorMessage: 'None',
      });
    expect(await placer().call({ to: PHONE })).toEqual({ status: 'queued', callId: 'ATVId_1' });
  });

  it('when AT refuses (no credit, 500) or the number is no Malian one, then the call back is logged as refused or failed, with no number in the log', async () => {
    nock(VOICE_API)
      .post('/call')
      .reply(201, { entries: [{ phoneNumber: PHONE, status: 'InsufficientCredit', sessionId: 'None' }] })
      .post('/call')
      .reply(500, 'oops');
    const { callbacks, logs, close } = setUp({ perDay: 5, placer: placer() });
    await callbacks.request(PHONE, 'sms');
    await callbacks.flush();
    await callbacks.request(PHONE, 'sms');
    await callbacks.flush();
    // Valid in form for the webhook, no Malian number: refused before the gateway is asked.
    const bad = '+22300000000';
    await callbacks.request(bad, 'missedCall');
    await callbacks.flush();
    const refused = logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.pseudonym);
    expect(refused.map((l) => [l.msg, l.detail])).toEqual(
      expect.arrayContaining([
        ['call back refused', 'InsufficientCredit'],
        ['call back refused', 'HTTP 500'],
        ['call back not queued: not a Malian number', undefined],
      ]),
    );
    for (const phone of [PHONE, bad]) expect(logs.text).not.toContain(phone.slice(4));
    expect(nock.isDone()).toBe(true);
    await close();
  });

  it('when a gateway message quotes a number, then the log keeps the words without it', () => {
    expect(withoutNumbers('Invalid phone number: +223 76 00 00 01')).toBe('Invalid phone number: <number>');
    expect(withoutNumbers('InsufficientCredit')).toBe('InsufficientCredit');
  });
});

describe('configuration and the dev outbox', () => {
  it('when nothing is set, then call backs are off, 2 a day', () => {
    const config = loadConfig({});
    expect(config.VOICE_CALLBACK).toBe('off');
    expect(config.VOICE_CALLBACK_PER_DAY).toBe(2);
    expect(config.VOICE_CALLBACK_FROM).toBeUndefined();
  });

  it('when call backs are on with AT credentials but no number to call from, or a malformed one, then start-up names the problem', () => {
    const at = { AT_USERNAME: 'u', AT_API_KEY: 'k', VOICE_CALLBACK: 'on' };
    expect(() => loadConfig(at)).toThrowError(/VOICE_CALLBACK_FROM/);
    expect(() => loadConfig({ ...at, VOICE_CALLBACK_FROM: '20000000' })).toThrowError(ConfigError);
    expect(() =>
      loadConfig({ ...at, VOICE_CALLBACK_PER_DAY: '0', VOICE_CALLBACK_FROM: '+22320000000' }),
    ).toThrowError(/VOICE_CALLBACK_PER_DAY/);
    expect(loadConfig({ ...at, VOICE_CALLBACK_FROM: '+22320000000' }).VOICE_CALLBACK).toBe('on');
  });

  it('when call backs are on in production without Africa’s Talking, then start-up refuses', () => {
    const production = {
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:6379',
      WEBHOOK_TOKEN: 'a'.repeat(32),
      PHONE_HASH_KEY: 'k'.repeat(32),
      VOICE_CALLBACK: 'on',
    };
    expect(() => loadConfig(production)).toThrowError(/AT_USERNAME/);
    expect(() => loadConfig(production)).toThrowError(/VOICE_CALLBACK_FROM/);
  });

  it('when call backs are on without AT credentials (npm start), then a missed call is rejected and the call lands in GET /dev/calls under a pseudonym', async () => {
    const running = await startService(
      { VOICE_CALLBACK: 'on', PHONE_HASH_KEY: 'k'.repeat(32) },
      { callbackDelayMs: 0 },
    );
    try {
      const res = await fetch(`${running.baseUrl}/voice`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          isActive: '1',
          sessionId: 'ATVId_dev_1',
          direction: 'Inbound',
          callerNumber: PHONE,
          destinationNumber: '+22320000000',
        }),
      });
      expect(await res.text()).toContain('<Reject/>');
      await running.service.callBacks.callbacks.flush();
      const calls = (await (await fetch(`${running.baseUrl}/dev/calls`)).json()) as Array<{ to: string }>;
      expect(calls.map((c) => c.to)).toEqual([pseudonymize(PHONE)]);
      expect(JSON.stringify(calls)).not.toContain(PHONE.slice(4));
    } finally {
      await running.close();
    }
  });
});
