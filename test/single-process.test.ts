import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { loadConfig } from '../src/config.js';
import { startService, type RunningService } from './support/service.js';

/**
 * Issue 33, point 7: "one Node process with nothing else installed" was development mode (open
 * webhooks, the simulator, /dev/outbox listing everyone's replies, open /metrics) on 0.0.0.0.
 * Development now binds to loopback unless HOST says otherwise, and SINGLE_PROCESS=on is a real
 * production mode without Redis: embedded store, file journals, every production guard on.
 */
describe('development mode binds to this machine only', () => {
  it.each([
    [{}, '127.0.0.1'],
    [{ HOST: '0.0.0.0' }, '0.0.0.0'],
    [
      {
        NODE_ENV: 'production',
        REDIS_URL: 'redis://r:6379',
        WEBHOOK_TOKEN: 'w'.repeat(20),
        PHONE_HASH_KEY: 'k'.repeat(20),
      },
      '0.0.0.0',
    ],
  ])('when the environment is %j, then the service binds %s', (env, host) => {
    expect(loadConfig(env).HOST).toBe(host);
  });

  it('when `npm start` runs with no HOST, then the listening socket is on loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-bind-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const service = createService(config, createLogger('silent'));
    try {
      await service.listen();
      expect((service.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const TOKEN = 'single-process-webhook-token-0123';
const KEY = 'single-process-phone-hash-key-0123';
const METRICS = 'single-process-metrics-token-0123';

describe('SINGLE_PROCESS=on: production on one machine without Redis', () => {
  let dir: string;
  const started: RunningService[] = [];
  const env = (extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    SINGLE_PROCESS: 'on',
    DATA_DIR: dir,
    WEBHOOK_TOKEN: TOKEN,
    PHONE_HASH_KEY: KEY,
    METRICS_TOKEN: METRICS,
    LOG_LEVEL: 'silent',
    ...extra,
  });
  const start = async (extra: Record<string, string> = {}) => {
    const s = await startService(env(extra));
    started.push(s);
    return s;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dim-single-'));
  });
  afterEach(async () => {
    for (const s of started.splice(0)) await s.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when production has no Redis and no SINGLE_PROCESS, then start-up is refused naming both ways', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_TOKEN: TOKEN, PHONE_HASH_KEY: KEY })).toThrow(
      /REDIS_URL.*SINGLE_PROCESS=on/,
    );
    expect(() => loadConfig({ ...env(), REDIS_URL: 'redis://r:6379' })).toThrow(/SINGLE_PROCESS/);
  });

  it('when it runs, then it is ready and every development door is shut', async () => {
    const s = await start();
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${s.baseUrl}${path}`, { headers }).then((r) => r.status);
    expect(await get('/readyz')).toBe(200);
    expect(await get('/simulator')).toBe(404); // the simulator
    expect(await get('/')).toBe(200); // the public site's home (PUBLIC_SITE, on by default)
    expect(await get('/dev/outbox')).toBe(404);
    expect(await get('/metrics')).toBe(404);
    expect(await get('/metrics', { authorization: `Bearer ${METRICS}` })).toBe(200);
    // The gateway routes exist only behind the token.
    const hop = (path: string) =>
      fetch(`${s.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          sessionId: 's1',
          phoneNumber: '+22376000001',
          serviceCode: '*1#',
          text: '',
        }),
      }).then((r) => r.status);
    expect(await hop('/ussd')).toBe(404);
    expect(await hop(`/ussd/${TOKEN}`)).toBe(200);
  });

  it('when a STOP was taken and the process restarts, then the STOP still holds (journal under DATA_DIR)', async () => {
    const first = await start();
    const sms = (s: RunningService, text: string, id: string) =>
      fetch(`${s.baseUrl}/sms/${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ from: '+22376000003', to: '36000', text, id }),
      }).then((r) => r.status);
    expect(await sms(first, 'STOP', 'single-1')).toBe(200);
    await first.service.sms.flush();
    await first.close();
    started.splice(0);
    const second = await start();
    expect(await second.service.sms.optOuts.has(second.service.pseudonymize('+22376000003'))).toBe(true);
  });

  it('when a second process starts on the same DATA_DIR, then it is refused', async () => {
    await start();
    await expect(startService(env())).rejects.toThrow(/one process per DATA_DIR/);
  });

  it('when the process restarts with another PHONE_HASH_KEY, then it is not ready (its STOPs would mean nobody)', async () => {
    const first = await start();
    expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200);
    await first.close();
    started.splice(0);
    const other = await start({ PHONE_HASH_KEY: 'another-phone-hash-key-0123456789' });
    const answer = await fetch(`${other.baseUrl}/readyz`);
    expect(answer.status).toBe(503);
    expect(await answer.text()).toContain('PHONE_HASH_KEY');
  });
});
