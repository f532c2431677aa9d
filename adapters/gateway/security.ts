import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../../src/config.js';

/** Compares secrets in constant time, whatever their lengths. */
export function secretEquals(given: string, expected: string): boolean {
  return secretMatcher(expected)(given);
}

/** `secretEquals` against one fixed secret, its hash computed once instead of on every request. */
function secretMatcher(expected: string): (given: string) => boolean {
  const b = createHash('sha256').update(expected).digest();
  return (given) =>
    timingSafeEqual(createHash('sha256').update(given).digest(), b) && given.length === expected.length;
}

/**
 * Gateways sign nothing and publish no address ranges, so a webhook is reachable only with a
 * secret: an unguessable path token (`/ussd/<WEBHOOK_TOKEN>`) or HTTP basic auth. A wrong or
 * missing secret gets a 404 (token) or 401 (basic auth) before any body is read.
 */
export function webhookGuard(
  config: Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH'>>,
): RequestHandler {
  const check = webhookSecretCheck(config);
  return (req, res, next) => {
    const token = typeof req.params.token === 'string' ? req.params.token : '';
    const failed = check(token, req.headers.authorization);
    if (failed === 'token') {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    if (failed === 'basic') {
      res.set('WWW-Authenticate', 'Basic realm="gateway"').status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
}

/**
 * The guard's test of a request's secrets, in constant time: the path token (as routed) and the
 * Authorization header. Returns the first secret that fails, or undefined when both pass (or
 * are not configured). Shared by the guard and the fast lane (lane.ts).
 */
export function webhookSecretCheck(
  config: Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH'>>,
): (token: string, authorization: string | undefined) => 'token' | 'basic' | undefined {
  const tokenMatches = config.WEBHOOK_TOKEN ? secretMatcher(config.WEBHOOK_TOKEN) : undefined;
  const basicMatches = config.WEBHOOK_BASIC_AUTH ? secretMatcher(config.WEBHOOK_BASIC_AUTH) : undefined;
  return (token, authorization) => {
    if (tokenMatches && !tokenMatches(token)) return 'token';
    if (basicMatches) {
      // The scheme is case-insensitive (RFC 9110 11.1): `basic` and `BASIC` are Basic too.
      const match = /^basic +(\S+)\s*$/i.exec(authorization ?? '');
      const given = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
      if (!basicMatches(given)) return 'basic';
    }
    return undefined;
  };
}

/** The mount path of a gateway webhook: with a token, only `/<channel>/:token` exists. */
export function webhookPath(channel: string, config: Partial<Pick<Config, 'WEBHOOK_TOKEN'>>): string {
  return config.WEBHOOK_TOKEN ? `/${channel}/:token` : `/${channel}`;
}

/**
 * Headers for the pages a browser shows (simulator) and harmless for JSON, from helmet (kept up
 * to date with browsers by its maintainers) configured to our policy: a strict CSP with
 * `frame-ancestors 'none'`, DENY framing, no referrer, same-origin opener and resources. Helmet
 * builds the header values once; per request it only sets them. It has no Permissions-Policy,
 * so that one header is ours.
 */
const helmetHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  helmetHeaders(req, res, next);
};
