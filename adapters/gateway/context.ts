import type { Response } from 'express';

/**
 * What the layers of one express request tell each other: the pattern the answering router
 * was mounted at (metrics label by pattern, never by raw URL), and whether the app-wide
 * deadline already answered. Typed, in one place, instead of untyped `res.locals` fields.
 * (A gateway webhook's request never reaches express: its runner keeps its own, contract.ts.)
 */
export interface RequestContext {
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
