import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../../src/config.js';
import type { Logger, Metrics, RateDecision, RateLimiter } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { requestContext, type TimeoutAnswer } from './context.js';
import { createLane, type GatewayLane, type HttpObserver, type RawLane } from './lane.js';
import { gatewayBodyParser, jsonTimeoutAnswer } from './limits.js';
import { personKey } from './rate-limit.js';
import { inSequence } from './sequence.js';
import { webhookGuard, webhookPath } from './security.js';

export { knownPseudonym } from './context.js';

export interface GatewayMountDeps {
  config: Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH' | 'REQUEST_TIMEOUT_MS'>>;
  logger: Logger;
  metrics: Metrics;
  pseudonymize: Pseudonymizer;
  /** Per-person budget (RATE_LIMIT_PER_MINUTE); absent: no per-person limit. */
  limiter?: RateLimiter;
  /** The HTTP metrics, for the requests a fast lane answers without the express middleware. */
  observe?: HttpObserver;
}

interface PersonLimit {
  /** The sender's phone number in the parsed body, or undefined when this request is not a person's (reports, events). */
  phone(req: Request): string | undefined;
  /** Answers the person, on their channel, that they should try again later. */
  refuse(req: Request, res: Response, decision: RateDecision, pseudonym: string): void | Promise<void>;
  /**
   * The channel counts the hit itself, in the round trip of its own reads (USSD: one script for
   * the budget, the session, resume and language), and answers a refusal itself: the gateway
   * only names the person and the budget key (`KnownPerson.budget`). A request the channel
   * refuses as malformed is then not counted.
   */
  countedByChannel?: boolean;
}

export interface GatewayOptions {
  /**
   * The clean answer of this gateway when a request fails unexpectedly or runs out of
   * REQUEST_TIMEOUT_MS: USSD answers 200 `END` and an apology (a gateway shows nothing of a
   * 5xx but a dead session). Default: 503 JSON, which a gateway retries.
   */
  apology?: TimeoutAnswer;
  /**
   * The gateway's form of a refusal (4xx) by the limits before the channel runs: too large,
   * too many fields, wrong type, bad encoding. Default: the app's JSON error.
   */
  refuse?: (req: Request, res: Response, status: number, type: string) => void;
  /** Rate limit per person, checked after the body is parsed and before the channel runs. */
  personLimit?: PersonLimit;
  /**
   * The channel's handler for the common request on the fast lane (lane.ts): a plain form at the
   * mount's own path, served without express, with the same secrets, limits, budget and deadline.
   */
  lane?: GatewayLane;
}

export interface MountedRoute {
  path: string;
  router: Router;
  /** Answers a gateway, never a browser: the app skips the browser-facing headers here. */
  machine: true;
  /** The mount's fast lane, given to the HTTP server before express (`lanesFirst`). */
  lane?: RawLane;
}

/**
 * Gateway webhooks (USSD, SMS) pass through here: mounted at `webhookPath(channel)` (with
 * WEBHOOK_TOKEN only `/<channel>/<token>` exists) behind the constant-time guard, with the
 * gateway limits (content type, 16 kB, 30 fields, strict encoding) and the per-person rate
 * limit, and an error handler that gives the gateway a clean answer. The app-wide deadline
 * (REQUEST_TIMEOUT_MS, `requestTimeout` in limits.ts) answers with the same apology.
 */
export function createGatewayMounter(deps: GatewayMountDeps) {
  const { config, logger, metrics, pseudonymize, limiter } = deps;
  return function mountGateway(channel: string, router: Router, options: GatewayOptions = {}): MountedRoute {
    // The lane counts the person's budget as the chain below would: by the channel (the key
    // goes to it), by the gateway (the limiter, then the channel's over-budget answer), or not
    // at all. A gateway-counted budget without that answer keeps the request on the express road.
    const laneFor = (lane: GatewayLane): RawLane | undefined => {
      const counted = options.personLimit && limiter;
      if (counted && !options.personLimit?.countedByChannel && !lane.rateLimited) return undefined;
      return createLane({
        ...{ channel, route: webhookPath(channel, config), config, pseudonymize, logger, lane },
        budget: !counted
          ? { by: 'none' }
          : options.personLimit?.countedByChannel
            ? { by: 'channel' }
            : { by: 'gateway', limiter, metrics },
        ...(deps.observe ? { observe: deps.observe } : {}),
      });
    };
    const apology = options.apology ?? jsonTimeoutAnswer;
    const outer = Router({ mergeParams: true });
    const guard = webhookGuard(config);
    const personLimit = options.personLimit;
    // One layer for the whole chain (guard and the deadline's answer, body limits, the
    // per-person budget, the channel): express matches and dispatches every layer on every
    // request, which cost a hop more than the chain's own work. The app-wide deadline
    // (requestTimeout, REQUEST_TIMEOUT_MS) answers with this gateway's apology.
    outer.use(
      inSequence([
        (req, res, next) => {
          requestContext(res).timeoutAnswer = apology;
          guard(req, res, next);
        },
        gatewayBodyParser(),
        ...(personLimit && limiter
          ? [limitPerson(channel, personLimit, limiter, pseudonymize, metrics)]
          : []),
        router,
      ]),
    );
    const onError: ErrorRequestHandler = (
      error: { status?: number; statusCode?: number },
      req,
      res,
      next,
    ) => {
      const status = error.status ?? error.statusCode ?? 500;
      if (res.headersSent) {
        next(error);
        return;
      }
      if (status < 500) {
        if (options.refuse)
          options.refuse(req, res, status, (error as { type?: string }).type ?? 'bad_request');
        else next(error);
        return;
      }
      logger.error(
        { channel, err: { message: (error as Error).message, name: (error as Error).name } },
        'gateway request failed: answered with the apology',
      );
      apology(req, res);
    };
    outer.use(onError);
    const path = webhookPath(channel, config);
    const lane = options.lane && laneFor(options.lane);
    return { path, router: outer, machine: true, ...(lane ? { lane } : {}) };
  };
}

export type MountGateway = ReturnType<typeof createGatewayMounter>;

function limitPerson(
  channel: string,
  personLimit: PersonLimit,
  limiter: RateLimiter,
  pseudonymize: Pseudonymizer,
  metrics: Metrics,
): RequestHandler {
  return async (req, res, next) => {
    const phone = personLimit.phone(req);
    // No phone (or a repeated/malformed field): the channel decides, usually a 400.
    if (typeof phone !== 'string' || phone.trim() === '') {
      next();
      return;
    }
    const pseudonym = pseudonymize(phone);
    // Computed once per request: the channel takes it from here (`knownPseudonym`) instead of
    // hashing the number again.
    const budget = personKey('phone', pseudonym);
    if (personLimit.countedByChannel) {
      requestContext(res).person = { phone, pseudonym, budget };
      next();
      return;
    }
    requestContext(res).person = { phone, pseudonym };
    const decision = await limiter.hit(budget);
    if (decision.allowed) {
      next();
      return;
    }
    metrics.rateLimited(channel);
    await personLimit.refuse(req, res, decision, pseudonym);
  };
}

/** The field of a parsed form or JSON body, only when it is one string. */
export function bodyField(req: Request, name: string): string | undefined {
  return formField(req.body, name);
}

/** The field of a parsed form or JSON body (a lane's, or `req.body`), only when it is one string. */
export function formField(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
