import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { createSimulatorRouter } from '../adapters/simulator/router.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { loadConfig } from '../src/config.js';
import { messageKeys, REFERENCE_LANG, t } from '../src/i18n/index.js';
import { gsm7Length, isGsm7 } from '../src/text/gsm7.js';
import { startService, type RunningService } from './support/service.js';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  // Nothing listens there: constructing the service must not need it (the store is overridden).
  REDIS_URL: 'redis://127.0.0.1:1',
  WEBHOOK_TOKEN: 'simulator-test-token-0123456789',
  PHONE_HASH_KEY: 'simulator-test-hash-key-0123456789',
};

async function serve(router: express.Router): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the simulator page, development defaults', () => {
  let running: RunningService;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dim-sim-'));
    running = await startService({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when GET /simulator is asked outside production, then it answers 200 text/html with the page filled in French', async () => {
    const res = await fetch(`${running.baseUrl}/simulator`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(`<h1 data-i18n="web.title">${t('fr', 'web.title')}</h1>`);
    expect(html).not.toMatch(/\{\{[\w.]+\}\}/);
  });

  it('when GET /simulator?lang=en is asked, then the page is filled in English', async () => {
    const html = await (await fetch(`${running.baseUrl}/simulator?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<h1 data-i18n="web.title">${t('en', 'web.title')}</h1>`);
  });

  it('when the page is served, then its headers allow only its own origin and no framing', async () => {
    const res = await fetch(`${running.baseUrl}/simulator`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('when the page is served, then every asset it names is served by the app itself', async () => {
    const html = await (await fetch(`${running.baseUrl}/simulator`)).text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith('/simulator/'), asset).toBe(true);
      const res = await fetch(`${running.baseUrl}${asset}`);
      expect(res.status, asset).toBe(200);
    }
    const js = await fetch(`${running.baseUrl}/simulator/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('when the page asks for its configuration, then it gets the catalog section, the language of the report, the limits and the GSM-7 alphabet of src/text/gsm7.ts', async () => {
    const res = await fetch(`${running.baseUrl}/simulator/config.json`);
    const body = (await res.json()) as {
      strings: Record<string, { fr: string; en: string }>;
      limits: { ussdScreen: number; ussdHard: number };
      gsm7: { basic: string; extension: string };
      gatewaysGuarded: boolean;
      reportLang: string;
    };
    expect(body.reportLang).toBe(REFERENCE_LANG);
    expect(body.strings['web.phone.call']).toEqual({
      bm: t('bm', 'web.phone.call'),
      fr: t('fr', 'web.phone.call'),
      en: t('en', 'web.phone.call'),
    });
    expect(Object.keys(body.strings)).toEqual(expect.arrayContaining(messageKeys('web.')));
    expect(body.limits).toEqual({ ussdScreen: running.config.USSD_MAX_CHARS, ussdHard: 182 });
    expect(body.gatewaysGuarded).toBe(false);
    for (const ch of body.gsm7.basic) expect(isGsm7(ch) && gsm7Length(ch) === 1, ch).toBe(true);
    for (const ch of body.gsm7.extension) expect(gsm7Length(ch), ch).toBe(2);
    expect(body.gsm7.basic).toContain('é');
    expect(body.gsm7.basic).not.toContain('ç');
    expect(body.gsm7.extension).toContain('€');
  });

  it('when the raw template is asked for, then it is not served unfilled', async () => {
    const res = await fetch(`${running.baseUrl}/simulator/index.html`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/simulator');
  });

  it('when the public site is off, then the simulator still answers GET / as before', async () => {
    const off = await startService({ PUBLIC_SITE: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    try {
      const html = await (await fetch(`${off.baseUrl}/`)).text();
      expect(html).toContain(`<h1 data-i18n="web.title">${t('fr', 'web.title')}</h1>`);
    } finally {
      await off.close();
    }
  });
});

describe('the simulator page in production', () => {
  it('when NODE_ENV=production without SIMULATOR=on, then GET /simulator is a 404 from the whole service', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-sim-'));
    const config = loadConfig({ ...PRODUCTION_ENV, DATA_DIR: dataDir });
    expect(config.simulatorEnabled).toBe(false);
    const service = createService(config, createLogger('silent'), { store: new MemorySessionStore() });
    const port = await service.listen();
    try {
      for (const path of ['/simulator', '/simulator/app.js', '/simulator/config.json']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(res.status, path).toBe(404);
      }
    } finally {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when the router itself is built with the simulator off, then it serves nothing; with SIMULATOR=on, the page, told the gateways are guarded', async () => {
    const off = await serve(createSimulatorRouter({ config: loadConfig(PRODUCTION_ENV) }));
    const on = await serve(
      createSimulatorRouter({ config: loadConfig({ ...PRODUCTION_ENV, SIMULATOR: 'on' }) }),
    );
    try {
      expect((await fetch(`${off.url}/`)).status).toBe(404);
      expect((await fetch(`${off.url}/simulator/style.css`)).status).toBe(404);
      const res = await fetch(`${on.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      // The gateway routes sit behind WEBHOOK_TOKEN there: the page is told, and given no secret.
      const page = await (await fetch(`${on.url}/simulator/config.json`)).text();
      expect(JSON.parse(page)).toMatchObject({ gatewaysGuarded: true });
      expect(page).not.toContain(PRODUCTION_ENV.WEBHOOK_TOKEN);
    } finally {
      off.server.close();
      on.server.close();
    }
  });
});
