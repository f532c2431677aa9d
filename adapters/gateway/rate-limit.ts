import { createHmac, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Metrics, RateDecision, RateLimiter } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';

/**
 * A keyed hash of a client address for the API's budget (an IP address is personal data, and
 * the phone pseudonymizer keeps digits only: `10.1.11.1` and `10.11.1.1` would collide).
 * The key is PHONE_HASH_KEY (random per process when unset, as for phones).
 */
export function createAddressHasher(key: string | undefined): (address: string) => string {
  const secret = key && key.length > 0 ? key : randomBytes(32).toString('hex');
  return (address) =>
    'a_' + createHmac('sha256', secret).update(`ip:${address}`).digest('base64url').slice(0, 22);
}

function retryAfterSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}

/**
 * Per-address budget of the JSON API: over API_RATE_LIMIT_PER_MINUTE a client gets a 429 with
 * Retry-After. The address is pseudonymised too (an IP address is personal data); behind a
 * proxy, `trust proxy` decides what `req.ip` is.
 */
export function apiRateLimit(deps: ApiBudgetDeps): RequestHandler {
  const budget = apiBudget(deps);
  return async (req, res, next) => {
    const verdict = await budget(req.ip ?? 'unknown');
    res.set(verdict.headers);
    if (!verdict.refusal) {
      next();
      return;
    }
    res.status(verdict.refusal.status).json(verdict.refusal.body);
  };
}

export interface ApiBudgetDeps {
  limiter: RateLimiter;
  hashAddress: (address: string) => string;
  metrics: Metrics;
}

/**
 * The API's per-address budget for one request: the headers every answer carries, and the 429
 * when the address is over it (counted in the metrics). Shared by the express middleware and
 * the search's fast lane (adapters/http/api-lane.ts).
 */
export function apiBudget(deps: ApiBudgetDeps) {
  return async (
    address: string,
  ): Promise<{
    headers: Record<string, string>;
    refusal?: { status: 429; body: { error: 'rate_limited'; retryAfterSeconds: number } };
  }> => {
    const decision = await deps.limiter.hit(storeKeys.addressBudget(deps.hashAddress(address)));
    const headers: Record<string, string> = { 'RateLimit-Remaining': String(decision.remaining) };
    if (decision.allowed) return { headers };
    deps.metrics.rateLimited('api');
    const seconds = retryAfterSeconds(decision);
    headers['Retry-After'] = String(seconds);
    return { headers, refusal: { status: 429, body: { error: 'rate_limited', retryAfterSeconds: seconds } } };
  };
}
