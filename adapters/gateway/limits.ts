import type { Request, RequestHandler } from 'express';
import { requestContext } from './context.js';
import { JSON_TIMEOUT } from './contract.js';
import { createDeadlines } from './deadline.js';

/**
 * Limits every route shares. A gateway sends a few short fields; anything much bigger, with
 * many more fields, of another type or slower than the gateway itself would wait is not a
 * gateway and is refused before any handler runs. Express has none of these by default
 * except the 100 kB body limit, and no request-time limit at all.
 */
export const LIMITS = {
  /** Body of a form or JSON request (a 10 kB SMS text still fits, and gets a polite answer). */
  bodyBytes: 16 * 1024,
  /** Fields in a form body (body-parser's parameterLimit) and parameters in a query string. */
  parameters: 30,
  /** Whole URL, path and query. */
  urlChars: 2048,
} as const;

/** An error the app's error handler answers with its status and type (never a 500). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string = type,
  ) {
    super(message);
  }
}

/**
 * Every route: a URL longer than `urlChars` is a 414, a query string with more than
 * `parameters` parameters a 400. (Express would parse up to 1000 query keys for anyone.)
 */
export const urlLimits: RequestHandler = (req, _res, next) => {
  next(urlProblem(req.originalUrl ?? req.url));
};

/** What `urlLimits` refuses in a URL (a 414 or a 400), or undefined. */
export function urlProblem(url: string): HttpError | undefined {
  if (url.length > LIMITS.urlChars) return new HttpError(414, 'uri.too.long');
  const start = url.indexOf('?');
  if (start >= 0) {
    let count = 0;
    for (const part of url.slice(start + 1).split('&')) if (part !== '') count++;
    if (count > LIMITS.parameters) return new HttpError(400, 'parameters.too.many');
  }
  return undefined;
}

const WRITERS = ['status', 'set', 'header', 'type', 'send', 'json', 'end', 'write', 'writeHead', 'setHeader'];

/**
 * Ends an express request that takes longer than `ms` (Node's `requestTimeout` only bounds
 * receiving the request) with the 503 a client may retry. The handler may still finish later:
 * from then on its writes to this response are ignored, so a late answer neither throws nor
 * reaches the client. The gateways' requests never come here (runner.ts has the same deadline).
 */
export function requestTimeout(ms: number, onTimeout?: (req: Request) => void): RequestHandler {
  const deadlines = createDeadlines(ms);
  return (req, res, next) => {
    const entry = deadlines.add(() => {
      if (res.headersSent || res.writableEnded) return;
      onTimeout?.(req);
      requestContext(res).timedOut = true;
      res.status(JSON_TIMEOUT.status).set(JSON_TIMEOUT.headers).json(JSON_TIMEOUT.body);
      const late = res as unknown as Record<string, unknown>;
      for (const name of WRITERS) late[name] = () => res;
    });
    const clear = () => deadlines.remove(entry);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
