import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../src/config.js';
import type { Logger, Metrics, RateLimiter } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { readBody } from './body.js';
import {
  jsonRefusal,
  REFUSALS,
  type GatewayAnswer,
  type GatewayHandler,
  type GatewayRequest,
  type GatewayRoute,
  type Refusal,
} from './contract.js';
import { createDeadlines } from './deadline.js';
import { urlProblem } from './limits.js';
import { storeKeys } from '../../src/ports/keys.js';
import { webhookSecretCheck } from './security.js';

/**
 * The one road of a gateway webhook: a `GatewayHandler` (contract.ts) served on Node's request
 * and response, without express (whose router and request/response setup cost a USSD hop about
 * as much CPU again as the hop's own work). In order, for every channel and every dialect:
 * the mount (`/<channel>/<token>`, then the route), the URL limits, the secrets (constant
 * time), the body (body.ts), the person's pseudonym and budget, the request deadline
 * (REQUEST_TIMEOUT_MS, answered with the channel's apology), the channel's clean answers for a
 * refusal or a failure, the HTTP metrics, `nosniff`. Frameworks reach it through `frameworks`.
 */

/** Counts an answered request as the HTTP metrics middleware would (route by pattern). */
export type HttpObserver = (
  labels: { channel: string; route: string; method: string; status: string },
  seconds: number,
) => void;

/** A raw request handler: true when it took the request, false to leave it to the next one. */
export type RawLane = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface RunnerDeps {
  config: Partial<Pick<Config, 'WEBHOOK_TOKEN' | 'WEBHOOK_BASIC_AUTH' | 'REQUEST_TIMEOUT_MS'>>;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  /** The per-person budget (RATE_LIMIT_PER_MINUTE); absent: nobody is counted. */
  limiter?: RateLimiter;
  metrics?: Pick<Metrics, 'rateLimited'>;
  observe?: HttpObserver;
  /** Which proxies to believe for the protocol (express's compiled `trust proxy`); default none. */
  trust?: (address: string, hop: number) => boolean;
}

const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes an answer: its type and length, nosniff, its own headers. */
function write(res: ServerResponse, answer: GatewayAnswer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const headers = [
    'Content-Type',
    answer.type ?? (typeof answer.body === 'string' ? TEXT : JSON_TYPE),
    'Content-Length',
    String(Buffer.byteLength(text)),
    'X-Content-Type-Options',
    'nosniff',
  ];
  if (answer.headers) for (const [name, value] of Object.entries(answer.headers)) headers.push(name, value);
  // Headers set earlier with setHeader (the API's browser-facing set) are merged by writeHead.
  res.writeHead(answer.status, headers);
  res.end(text);
}

/**
 * The one answer of a request: the deadline's answer when it runs out of time, then any later
 * answer dropped; nothing written to a client that went away; counted in the HTTP metrics
 * either way (`aborted` for a client gone).
 */
export function answerOnce(
  res: ServerResponse,
  deps: {
    deadlines: ReturnType<typeof createDeadlines>;
    labels: { channel: string; route: string; method: string };
    observe: HttpObserver | undefined;
    atDeadline: () => GatewayAnswer;
  },
): (answer: GatewayAnswer) => void {
  const started = process.hrtime.bigint();
  let answered = false;
  const finish = (answer: GatewayAnswer) => {
    if (answered) return;
    answered = true;
    deps.deadlines.remove(inFlight);
    const aborted = res.destroyed;
    if (!aborted) write(res, answer);
    deps.observe?.(
      { ...deps.labels, status: aborted ? 'aborted' : String(answer.status) },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  };
  const inFlight = deps.deadlines.add(() => finish(deps.atDeadline()));
  return finish;
}

/** `/ussd/<token>/hubtel?x` → the route (`/hubtel`), or a refusal; undefined: not this mount. */
function routeOf(
  url: string,
  prefix: string,
  tokened: boolean,
): { token: string; rest: string } | Refusal | undefined {
  // Most requests are another mount's: the letter after the slash tells (either case).
  if ((url.charCodeAt(1) | 0x20) !== prefix.charCodeAt(1)) return undefined;
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  // Express matches paths case-insensitively: so does the mount.
  if (!path.startsWith(prefix) && path.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  const after = path.slice(prefix.length);
  if (after !== '' && !after.startsWith('/')) return undefined;
  if (!tokened) return { token: '', rest: after };
  const end = after.indexOf('/', 1);
  const segment = end < 0 ? after.slice(1) : after.slice(1, end);
  if (segment === '') return REFUSALS.notFound;
  let token: string;
  try {
    token = segment.includes('%') ? decodeURIComponent(segment) : segment;
  } catch {
    return REFUSALS.badPath;
  }
  return { token, rest: end < 0 ? '' : after.slice(end) };
}

/** A route's path as the table names it: `/`, `/events`; trailing slashes and case ignored. */
function normalRoute(rest: string): string {
  let end = rest.length;
  while (end > 0 && rest.charCodeAt(end - 1) === 47 /* / */) end--;
  return end === 0 ? '/' : rest.slice(0, end).toLowerCase();
}

/** A request as a handler sees it; `origin` is worked out only when asked (voice). */
class Call implements GatewayRequest {
  fields: Record<string, unknown> = {};
  person?: GatewayRequest['person'];
  notes: GatewayRequest['notes'] = {};
  constructor(
    readonly route: string,
    readonly url: string,
    private readonly req: IncomingMessage,
    private readonly trust: (address: string, hop: number) => boolean,
  ) {}
  get origin(): string {
    return originOf(this.req, this.trust);
  }
}

/** `protocol://host` as express's `req.protocol` and Host would say (X-Forwarded-Proto from a trusted proxy). */
function originOf(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const protocol =
    typeof forwarded === 'string' && trust(req.socket.remoteAddress ?? '', 0)
      ? forwarded.split(',')[0]!.trim() || 'http'
      : 'encrypted' in req.socket && req.socket.encrypted
        ? 'https'
        : 'http';
  return `${protocol}://${req.headers.host ?? 'localhost'}`;
}

/** Serves `handler` at `/<channel>` (`/<channel>/<token>` with WEBHOOK_TOKEN). */
export function createGatewayRunner(deps: RunnerDeps) {
  const { config, logger, observe, limiter } = deps;
  const check = webhookSecretCheck(config);
  const deadlines = createDeadlines(config.REQUEST_TIMEOUT_MS ?? 5000);
  const tokened = Boolean(config.WEBHOOK_TOKEN);
  const trust = deps.trust ?? (() => false);

  return function serve(handler: GatewayHandler): RawLane {
    const { channel } = handler;
    const prefix = `/${channel}`;
    const mount = tokened ? `/${channel}/:token` : `/${channel}`;
    const routes = new Map<string, GatewayRoute>(handler.routes.map((route) => [route.path, route]));
    if (handler.budget === 'runner' && limiter && !handler.rateLimited)
      throw new Error(`${channel}: a budget the runner counts needs rateLimited`);
    const labelOf = (path: string) => (path === '/' ? mount : `${mount}${path}`);
    /** The refusals before the body (URL limits, secrets, method, route), or undefined. */
    const refusedEarly = (req: IncomingMessage, token: string, route: GatewayRoute | undefined) => {
      const problem = urlProblem(req.url ?? '');
      if (problem) return { status: problem.status, type: problem.type };
      const failed = check(token, req.headers.authorization);
      if (failed === 'token') return REFUSALS.notFound;
      if (failed === 'basic') return REFUSALS.unauthorized;
      return req.method !== 'POST' || !route ? REFUSALS.notFound : undefined;
    };

    return (req, res) => {
      const url = req.url ?? '';
      const where = routeOf(url, prefix, tokened);
      if (where === undefined) return false;
      const method = req.method ?? 'GET';
      const path = 'rest' in where ? normalRoute(where.rest) : '/';
      const route = 'rest' in where ? routes.get(path) : undefined;
      const finish = answerOnce(res, {
        deadlines,
        labels: { channel, route: route ? labelOf(route.path) : mount, method },
        observe,
        // The request exists by then: the deadline runs on a later tick.
        atDeadline: () => handler.apology(request),
      });
      const refused = 'rest' in where ? refusedEarly(req, where.token, route) : where;
      if (refused || !route) {
        // Before the channel is known to be called rightly: the app's JSON errors.
        req.resume();
        const unauthorized = refused === REFUSALS.unauthorized;
        finish({
          ...jsonRefusal(refused ?? REFUSALS.notFound),
          ...(unauthorized ? { headers: { 'WWW-Authenticate': 'Basic realm="gateway"' } } : {}),
        });
        return true;
      }

      const request = new Call(path, url, req, trust);
      const apologise = (failure: unknown) => {
        logger.error(
          { channel, err: { message: (failure as Error).message, name: (failure as Error).name } },
          'gateway request failed: answered with the apology',
        );
        finish(handler.apology(request));
      };
      readBody(req, (refusal, body) => {
        try {
          if (refusal || !body) return finish(handler.refusal(refusal ?? REFUSALS.wrongBody, request));
          request.fields = body.fields;
          if (body.kind && !route.accepts.includes(body.kind))
            return finish(handler.refusal(REFUSALS.wrongBody, request));
          const phone = route.phone?.(body.fields);
          if (typeof phone === 'string' && phone.trim() !== '') {
            const pseudonym = deps.pseudonymize(phone);
            const key = storeKeys.personBudget('phone', pseudonym);
            request.person = { phone, pseudonym };
            // The one budget: handed to the channel that counts it in its own round trip, or
            // counted here before the channel runs.
            if (limiter && handler.budget === 'channel') request.person.budget = key;
            else if (limiter) {
              limiter
                .hit(key)
                .then((decision) => {
                  if (decision.allowed) return route.handle(request);
                  deps.metrics?.rateLimited(channel);
                  return handler.rateLimited!(request, decision);
                })
                .then(finish, apologise);
              return;
            }
          }
          route.handle(request).then(finish, apologise);
        } catch (thrown) {
          apologise(thrown);
        }
      });
      return true;
    };
  };
}

/**
 * How a framework hands a request to the gateway runners, one entry per framework (as grammY's
 * `convenience/frameworks.ts` does): Node's own server (the service: `gatewaysFirst`), and
 * express, for an app that serves the webhooks itself (`service.app` mounted elsewhere).
 */
export const frameworks = {
  /** The request listener: each runner may take a request first, `next` gets the rest. */
  node:
    (lanes: RawLane[], next: (req: IncomingMessage, res: ServerResponse) => void) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      for (const lane of lanes) if (takes(lane, req, res)) return;
      next(req, res);
    },
  /** Express middleware: the same runners, the rest to the next layer. */
  express:
    (lanes: RawLane[]) =>
    (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      for (const lane of lanes) if (takes(lane, req, res)) return;
      next();
    },
} as const;

function takes(lane: RawLane, req: IncomingMessage, res: ServerResponse): boolean {
  try {
    return lane(req, res);
  } catch {
    // A lane decides before it reads a byte: one that fails there leaves the request to the
    // next handler instead of an uncaught exception.
    return false;
  }
}
