import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { secretEquals, securityHeaders, webhookGuard, webhookPath } from '../adapters/gateway/security.js';
import { startService } from './support/service.js';

async function serve(config: { WEBHOOK_TOKEN?: string; WEBHOOK_BASIC_AUTH?: string }) {
  const app = express();
  let reached = 0;
  app.post(webhookPath('ussd', config), webhookGuard(config), (_req, res) => {
    reached++;
    res.send('CON ok');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, reached: () => reached, close: () => new Promise((r) => server.close(r)) };
}

describe('webhook secrets', () => {
  it('when secrets are compared, then only the exact secret matches', () => {
    expect(secretEquals('abc', 'abc')).toBe(true);
    expect(secretEquals('abd', 'abc')).toBe(false);
    expect(secretEquals('ab', 'abc')).toBe(false);
    expect(secretEquals('', 'abc')).toBe(false);
  });

  it('when a token is configured, then only its path reaches the handler and others get 404', async () => {
    const token = 'tok_0123456789abcdef';
    const s = await serve({ WEBHOOK_TOKEN: token });
    try {
      expect((await fetch(`${s.base}/ussd/${token}`, { method: 'POST' })).status).toBe(200);
      expect((await fetch(`${s.base}/ussd/wrong_0123456789abc`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${s.base}/ussd`, { method: 'POST' })).status).toBe(404);
      expect(s.reached()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('when basic auth is configured, then a wrong or missing password gets 401', async () => {
    const s = await serve({ WEBHOOK_BASIC_AUTH: 'gateway:s3cret-pass' });
    const auth = (v: string) => ({ Authorization: `Basic ${Buffer.from(v).toString('base64')}` });
    try {
      expect(
        (await fetch(`${s.base}/ussd`, { method: 'POST', headers: auth('gateway:s3cret-pass') })).status,
      ).toBe(200);
      expect((await fetch(`${s.base}/ussd`, { method: 'POST', headers: auth('gateway:nope') })).status).toBe(
        401,
      );
      expect((await fetch(`${s.base}/ussd`, { method: 'POST' })).status).toBe(401);
      expect(s.reached()).toBe(1);
      // The scheme's case is the client's choice (RFC 9110): a gateway writing `basic` gets in.
      const encoded = Buffer.from('gateway:s3cret-pass').toString('base64');
      for (const scheme of ['basic', 'BASIC'])
        expect(
          (
            await fetch(`${s.base}/ussd`, {
              method: 'POST',
              headers: { Authorization: `${scheme} ${encoded}` },
            })
          ).status,
          scheme,
        ).toBe(200);
      expect(s.reached()).toBe(3);
    } finally {
      await s.close();
    }
  });
});

describe('security headers (helmet, configured to our policy)', () => {
  it('when any answer leaves the app, then it carries the strict CSP, DENY framing, nosniff, no referrer and the permissions policy', async () => {
    const app = express();
    app.use(securityHeaders);
    app.get('/x', (_req, res) => {
      res.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()');
      expect(res.headers.get('x-powered-by')).toBeNull();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('which answers carry the browser-facing headers', () => {
  it('when a gateway webhook answers, then it carries nosniff only; the API, the simulator and a 404 keep the whole set', async () => {
    const running = await startService({ LOG_LEVEL: 'warn', WEBHOOK_TOKEN: 'whk_headers_0123456789' });
    try {
      const hop = await fetch(`${running.baseUrl}/ussd/whk_headers_0123456789`, {
        method: 'POST',
        body: new URLSearchParams({
          sessionId: 's1',
          serviceCode: '*384#',
          phoneNumber: '+22370000077',
          text: '',
        }),
      });
      expect(hop.status).toBe(200);
      expect(hop.headers.get('x-content-type-options')).toBe('nosniff');
      expect(hop.headers.get('content-security-policy')).toBeNull();
      expect(hop.headers.get('etag')).toBeNull();
      // A wrong token is refused before the channel: still a machine's answer, still nosniff.
      const wrong = await fetch(`${running.baseUrl}/ussd/not-the-token`, { method: 'POST', body: 'text=' });
      expect(wrong.headers.get('x-content-type-options')).toBe('nosniff');
      for (const path of ['/api/search?q=eau', '/', '/nowhere', '/ussdx']) {
        const res = await fetch(`${running.baseUrl}${path}`);
        expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      }
    } finally {
      await running.close();
    }
  });
});
