import type { RateDecision } from '../../src/ports/index.js';
import { normalizePhone } from '../../src/privacy/pseudonym.js';

/**
 * The one webhook contract of the gateways (USSD, SMS, voice): a handler takes a parsed request
 * and returns an answer; the runner (runner.ts) does everything around it, once, for every
 * channel: routing under the mount, the secrets, the body (body.ts), the person's budget, the
 * deadline, the refusals, the metrics. A handler never sees an HTTP framework.
 */

/** The sender of a gateway request, read and hashed once by the runner. */
export interface KnownPerson {
  phone: string;
  pseudonym: string;
  /**
   * The budget key this request must still be counted against: set when the channel counts it
   * itself, in the same round trip as its own reads (USSD: `budget: 'channel'`).
   */
  budget?: string;
}

/** A parsed gateway request: the dialect (route) it came in, its fields, its sender. */
export interface GatewayRequest {
  /** The route under the mount that took it (`/`, `/events`, `/hubtel`, `/delivery`...). */
  route: string;
  /** The form's fields (a string, or an array for a repeated field) or the JSON object; empty until read. */
  fields: Record<string, unknown>;
  /** The sender, when the route names one (its `phone`) and the field holds a number. */
  person?: KnownPerson;
  /** `protocol://host` as the gateway called us (voice: absolute audio URLs). */
  origin: string;
  /** The path as requested, token included (voice: the Redirect to itself). */
  url: string;
  /** What the handler learned that its apology at the deadline should know (voice: the call's language). */
  notes: { lang?: string };
}

/** What goes back to the gateway: a string is text/plain, an object JSON, unless `type` says. */
export interface GatewayAnswer {
  status: number;
  body: string | object;
  /** Beyond the type, length and nosniff every answer has (e.g. Retry-After on a 503). */
  headers?: Record<string, string>;
  /** The media type of a body already serialised. */
  type?: string;
}

export type BodyKind = 'form' | 'json';

/** One route of a gateway under its mount: a dialect, or a notification of the gateway's. */
export interface GatewayRoute {
  /** Under the mount: `/` is the mount itself. */
  path: string;
  /** The bodies it takes; another is a 400 in the route's dialect. */
  accepts: readonly BodyKind[];
  /** The sender's number, when the request is a person's (their budget); else undefined. */
  phone?(fields: Record<string, unknown>): string | undefined;
  /** The answer to a well-formed request; a rejection is answered with the handler's apology. */
  handle(request: GatewayRequest): Promise<GatewayAnswer>;
}

/** A channel's gateway webhook: its routes and its answers to what the runner decides. */
export interface GatewayHandler {
  /** The mount: `/<channel>`, or `/<channel>/<WEBHOOK_TOKEN>`. */
  channel: string;
  routes: readonly GatewayRoute[];
  /**
   * Who counts a person's budget (RATE_LIMIT_PER_MINUTE): the channel, in the round trip of its
   * own reads (the key goes to it in `person.budget`), or the runner before the channel runs
   * (then `rateLimited` answers a person over it).
   */
  budget: 'channel' | 'runner';
  /** A refusal of the runner's table (REFUSALS) in the route's dialect (`request.route`). */
  refusal(refusal: Refusal, request: GatewayRequest): GatewayAnswer;
  /** A failure or the deadline, in the route's dialect (USSD: 200 END and an apology). */
  apology(request: GatewayRequest): GatewayAnswer;
  /** The answer to a person over their budget when the runner counts it. */
  rateLimited?(request: GatewayRequest, decision: RateDecision): Promise<GatewayAnswer>;
}

/** A 4xx the runner decides before the channel runs. */
export interface Refusal {
  status: number;
  type: string;
}

/**
 * Every refusal the runner makes, in one table. The first three come before a channel is
 * known to be called rightly, so they are the app's JSON error whatever the channel; the others
 * go to the channel's `refusal`, which draws them in its dialect.
 */
export const REFUSALS = {
  notFound: { status: 404, type: 'not_found' },
  unauthorized: { status: 401, type: 'unauthorized' },
  badPath: { status: 400, type: 'bad_request' },
  uriTooLong: { status: 414, type: 'uri.too.long' },
  tooManyParameters: { status: 400, type: 'parameters.too.many' },
  contentType: { status: 415, type: 'content_type.unsupported' },
  charset: { status: 415, type: 'charset.unsupported' },
  contentEncoding: { status: 415, type: 'encoding.unsupported' },
  tooLarge: { status: 413, type: 'entity.too.large' },
  tooManyFields: { status: 413, type: 'parameters.too.many' },
  badEncoding: { status: 400, type: 'encoding.invalid' },
  badJson: { status: 400, type: 'entity.parse.failed' },
  sizeMismatch: { status: 400, type: 'request.size.invalid' },
  aborted: { status: 400, type: 'request.aborted' },
  wrongBody: { status: 400, type: 'bad_request' },
} as const satisfies Record<string, Refusal>;

/** The JSON answer of a refusal before the channel is known (and the default of a channel). */
export const jsonRefusal = (refusal: Refusal): GatewayAnswer => ({
  status: refusal.status,
  body: { error: refusal.type },
});

/** The default answer of a failure or the deadline: a 503 the gateway retries after a second. */
export const JSON_TIMEOUT = {
  status: 503,
  body: { error: 'timeout' },
  headers: { 'Retry-After': '1' },
} as const satisfies GatewayAnswer;

/** The field of a parsed form or JSON body, only when it is one string. */
export function field(fields: unknown, name: string): string | undefined {
  if (!fields || typeof fields !== 'object') return undefined;
  const value = (fields as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The pseudonym of `person` when `phone` is their number (same digits), else undefined. */
export function pseudonymOf(person: KnownPerson | undefined, phone: string): string | undefined {
  if (!person) return undefined;
  return person.phone === phone || normalizePhone(person.phone) === normalizePhone(phone)
    ? person.pseudonym
    : undefined;
}
