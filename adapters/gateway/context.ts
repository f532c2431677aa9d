import type { Request, Response } from 'express';
import { normalizePhone } from '../../src/privacy/pseudonym.js';

/** What to answer when a request ran out of time (USSD: `END` and an apology; JSON: 503). */
export type TimeoutAnswer = (req: Request, res: Response) => void;

/** The sender of a gateway request, once the per-person budget has read and hashed the number. */
export interface KnownPerson {
  phone: string;
  pseudonym: string;
  /**
   * The budget key this request must still be counted against: set when the channel counts it
   * itself, in the same round trip as its own reads (USSD, `PersonLimit.countedByChannel`).
   */
  budget?: string;
}

/**
 * What the layers of one request tell each other: the gateway's per-person budget (the
 * pseudonym it computed, so the channel does not hash the number again), the mount's answer for
 * the app-wide deadline, the pattern the answering router was mounted at (metrics label by
 * pattern, never by raw URL). Typed, in one place, instead of untyped `res.locals` fields.
 */
export interface RequestContext {
  person?: KnownPerson;
  timeoutAnswer?: TimeoutAnswer;
  mountPath?: string;
  /** Set when the app-wide deadline answered: later writes are dropped. */
  timedOut?: boolean;
}

const contexts = new WeakMap<Response, RequestContext>();

/** The context of the request `res` answers, created on first use. */
export function requestContext(res: Response): RequestContext {
  let context = contexts.get(res);
  if (!context) {
    context = {};
    contexts.set(res, context);
  }
  return context;
}

/** The context of the request `res` answers, if any layer set one (no allocation otherwise). */
export function existingContext(res: Response): Readonly<RequestContext> | undefined {
  return contexts.get(res);
}

/**
 * The pseudonym the per-person budget already computed for this request, when it is the one of
 * `phone` (same digits), else undefined: the caller hashes the number itself.
 */
export function knownPseudonym(res: Response, phone: string): string | undefined {
  return pseudonymOf(contexts.get(res)?.person, phone);
}

/** The pseudonym of `person` when `phone` is their number (same digits), else undefined. */
export function pseudonymOf(person: KnownPerson | undefined, phone: string): string | undefined {
  if (!person) return undefined;
  return person.phone === phone || normalizePhone(person.phone) === normalizePhone(phone)
    ? person.pseudonym
    : undefined;
}
