import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '../../src/config.js';

/** Compares secrets in constant time, whatever their lengths. */
export function secretEquals(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * Gateways sign nothing and publish no address ranges, so a webhook is reachable only with a
 * secret: an unguessable path token (`/ussd/<WEBHOOK_TOKEN>`) or HTTP basic auth. A wrong or
 * missing secret gets a 404 (token) or 401 (basic auth) before any body is read.
 */
export function webhookGuard(
  config: Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH'>>,
): RequestHandler {
  return (req, res, next) => {
    if (config.WEBHOOK_TOKEN) {
      const token = typeof req.params.token === 'string' ? req.params.token : '';
      if (!secretEquals(token, config.WEBHOOK_TOKEN)) {
        res.status(404).json({ error: 'not_found' });
        return;
      }
    }
    if (config.WEBHOOK_BASIC_AUTH) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString('utf8')
        : '';
      if (!secretEquals(given, config.WEBHOOK_BASIC_AUTH)) {
        res.set('WWW-Authenticate', 'Basic realm="gateway"').status(401).json({ error: 'unauthorized' });
        return;
      }
    }
    next();
  };
}

/** The mount path of a gateway webhook: with a token, only `/<channel>/:token` exists. */
export function webhookPath(channel: string, config: Partial<Pick<Config, 'WEBHOOK_TOKEN'>>): string {
  return config.WEBHOOK_TOKEN ? `/${channel}/:token` : `/${channel}`;
}

/** Headers for the pages a browser shows (simulator) and harmless for JSON. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  });
  next();
};
