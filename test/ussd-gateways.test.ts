import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { dialExtras } from '../adapters/ussd/dialects/latest-input.js';
import { createUssdRouter } from '../adapters/ussd/router.js';
import { t } from '../src/i18n/index.js';
import { noMetrics, systemClock, type SessionStore } from '../src/ports/index.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';
import { AtSession, freshPhone, navLines, newSessionId, recHeader } from './support/ussd.js';

/** The second dialect (latest input only, modelled on Hubtel's Programmable Services) and the seams. */

const fr = (key: Parameters<typeof t>[1]) => toGsm7(t('fr', key));

interface HubtelAnswer {
  status: number;
  body: { SessionId?: string; Type?: string; Message?: string; DataType?: string; error?: string };
}

async function hubtel(base: string, body: unknown, contentType = 'application/json'): Promise<HubtelAnswer> {
  const res = await fetch(`${base}/ussd/hubtel`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as HubtelAnswer['body'] };
}

const request = (sessionId: string, mobile: string, type: string, message: string) => ({
  Type: type,
  Mobile: mobile,
  SessionId: sessionId,
  ServiceCode: '384',
  Message: message,
  Operator: 'orange',
  Sequence: 1,
  ClientState: '',
});

/**
 * The USSD router alone on its own express app, beside a running service whose engine and
 * corpus it borrows: for wirings the full service never builds (no SMS sender, a frozen store).
 */
async function serveBareUssdRouter(overrides: {
  store: SessionStore;
  config: Partial<RunningService['config']>;
}): Promise<{ base: string; close(): Promise<void> }> {
  const running = await startService();
  const app = express();
  app.use(
    '/ussd',
    createUssdRouter({
      engine: running.service.engine,
      corpus: running.service.corpus,
      store: overrides.store,
      pseudonymize: createPseudonymizer('a-test-key-of-enough-length'),
      clock: systemClock,
      config: { ...running.config, ...overrides.config },
      logger: createLogger('silent'),
      metrics: noMetrics,
    }),
  );
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await running.close();
    },
  };
}

describe('USSD latest-input dialect (Hubtel-style JSON at /ussd/hubtel)', () => {
  let running: RunningService;
  let base: string;
  beforeAll(async () => {
    running = await startService();
    base = running.baseUrl;
  });
  afterAll(() => running.close());

  it('when a session starts and inputs arrive one by one, then the menus answer as JSON with continue/end', async () => {
    const id = newSessionId();
    const phone = freshPhone();
    const home = await hubtel(base, request(id, phone, 'Initiation', '*384#'));
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({ SessionId: id, Type: 'response', DataType: 'input' });
    expect(home.body.Message!.split('\n')[0]).toBe(fr('ussd.home.title'));
    const themes = await hubtel(base, request(id, phone, 'Response', '1'));
    expect(themes.body.Message!.split('\n')[0]).toBe(fr('ussd.themes.title'));
    const list = await hubtel(base, request(id, phone, 'Response', '2'));
    expect(list.body.Message).toMatch(/^Politique, institutions \(1\//);
    const rec = await hubtel(base, request(id, phone, 'Response', '15'));
    expect(recHeader(rec.body.Message!.split('\n')[0])?.id).toBe('2.15');
    const back = await hubtel(base, request(id, phone, 'Response', '0'));
    expect(back.body.Message).toBe(list.body.Message);
    await hubtel(base, request(id, phone, 'Response', '00'));
    const bye = await hubtel(base, request(id, phone, 'Response', '0'));
    expect(bye.body).toMatchObject({ Type: 'release', DataType: 'display', Message: fr('ussd.bye') });
  });

  it('when the dial string carries extra parts, then the first screen goes straight there', async () => {
    const answer = await hubtel(base, request(newSessionId(), freshPhone(), 'Initiation', '*384*3*215#'));
    expect(recHeader(answer.body.Message!.split('\n')[0])?.id).toBe('2.15');
    expect(dialExtras('*384*12*3*1#', '*384*12#')).toEqual(['3', '1']);
    expect(dialExtras('*384#', '384')).toEqual([]);
  });

  it('when a timeout is reported and the phone dials again, then resume is offered', async () => {
    const id = newSessionId();
    const phone = freshPhone();
    await hubtel(base, request(id, phone, 'Initiation', '*384*1*4#'));
    const ended = await hubtel(base, request(id, phone, 'Timeout', ''));
    expect(ended.body.Type).toBe('release');
    const again = await hubtel(base, request(newSessionId(), phone, 'Initiation', '*384#'));
    expect(again.body.Message).toContain(`6 ${fr('ussd.home.resume')}`);
  });

  it('when the gateway starts a session again under the same id, then it starts from the main menu', async () => {
    const id = newSessionId();
    const phone = freshPhone();
    await hubtel(base, request(id, phone, 'Initiation', '*384*3*215#'));
    const again = await hubtel(base, request(id, phone, 'Initiation', '*384#'));
    expect(again.body.Message!.split('\n')[0]).toBe(fr('ussd.home.title'));
  });

  it('when a response arrives for an unknown session, then a clean release with an apology', async () => {
    const answer = await hubtel(base, request(newSessionId(), freshPhone(), 'Response', '1'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ Type: 'release', Message: fr('ussd.error.expired') });
  });

  it('when a session id comes from another phone, then a clean release and nothing of that session', async () => {
    const id = newSessionId();
    await hubtel(base, request(id, freshPhone(), 'Initiation', '*384*3*215#'));
    const intruder = await hubtel(base, request(id, freshPhone(), 'Response', '0'));
    expect(intruder.body).toMatchObject({ Type: 'release', Message: fr('ussd.error.session') });
  });

  it('when the body is malformed, of the wrong type, incomplete or too long, then a 4xx or a clean release, never a 500', async () => {
    expect((await hubtel(base, '{"Type": "Initiation",')).status).toBe(400);
    expect((await hubtel(base, 'Type=Initiation', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await hubtel(base, { Type: 'Initiation', SessionId: newSessionId() })).status).toBe(400);
    expect((await hubtel(base, request(newSessionId(), freshPhone(), 'Dance', '1'))).status).toBe(400);
    expect((await hubtel(base, [1, 2, 3])).status).toBe(400);
    const long = await hubtel(
      base,
      request(newSessionId(), freshPhone(), 'Initiation', `*384*${'1'.repeat(300)}#`),
    );
    expect(long.body).toMatchObject({ Type: 'release', Message: fr('ussd.error.tooLong') });
  });
});

describe('USSD without an SMS sender wired', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ base, close } = await serveBareUssdRouter({
      store: new MemorySessionStore(),
      config: { USSD_MAX_CHARS: 182 },
    }));
  });
  afterAll(() => close());

  it('when a recommendation is shown, then "send by SMS" is not offered and 9 is not a choice', async () => {
    const s = new AtSession(base);
    const rec = await s.dial('3', '215');
    expect(recHeader(rec.lines[0])?.id).toBe('2.15');
    expect(rec.lines).not.toContain(navLines('fr').sms);
    expect((await s.type('9')).lines[0]).toBe(navLines('fr').invalid);
  });

  it('when USSD_MAX_CHARS is 182, then screens use the room and stay within it', async () => {
    // A long text of prose (4.80's road names joined by hyphens may only part at their ends).
    const rec = await new AtSession(base).dial('3', '138');
    expect(recHeader(rec.lines[0])?.id).toBe('1.38');
    expect(rec.screen.length).toBeGreaterThan(160);
    expect(rec.screen.length).toBeLessThanOrEqual(182);
  });
});

describe('USSD when the store hangs instead of failing', () => {
  let base: string;
  let close: () => Promise<void>;
  const never = () => new Promise<never>(() => {});
  const frozen: SessionStore = {
    get: never,
    set: never,
    delete: never,
    setIfAbsent: never,
    ping: never,
    close: async () => {},
  };
  beforeAll(async () => {
    ({ base, close } = await serveBareUssdRouter({
      store: frozen,
      config: { REDIS_COMMAND_TIMEOUT_MS: 300 },
    }));
  });
  afterAll(() => close());

  it('when every store call hangs, then an AT hop is answered from its history after the store deadline', async () => {
    const s = new AtSession(base);
    await s.dial('1');
    const answer = await s.type('3');
    expect(answer.status).toBe(200);
    expect(answer.screen).toMatch(/^Économie, développement \(1\//);
    // The theme's screen (not the request deadline's apology) is what proves the store
    // deadline (REDIS_COMMAND_TIMEOUT_MS) cut the frozen calls: nothing else can answer.
  });
});
