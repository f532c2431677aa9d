import { isAscii } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler } from 'express';
import { requestContext, type TimeoutAnswer } from './context.js';

/**
 * Limits every route shares. A gateway sends a few short fields; anything much bigger, with
 * many more fields, of another type or slower than the gateway itself would wait is not a
 * gateway and is refused before any handler runs. Express has none of these by default
 * except the 100 kB body limit, and no request-time limit at all.
 */
const LIMITS = {
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

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * body-parser keeps `%E0%A4%A` or `%C3%28` as literal text and decodes raw invalid UTF-8 to
 * U+FFFD: the channels would then search for garbage. A form must be valid UTF-8 and every
 * `%` escape must decode to valid UTF-8, or the request is a 400. Returns the form's text.
 * Most gateway bodies are ASCII (checked natively, no decoder run), and the escapes of the
 * whole body are checked by one decodeURIComponent (`&` and `=` are not escapes).
 */
function checkedFormText(buf: Buffer): string {
  let text: string;
  if (isAscii(buf)) text = buf.toString('latin1');
  else {
    try {
      text = strictUtf8.decode(buf);
    } catch {
      throw new HttpError(400, 'encoding.invalid', 'body is not valid UTF-8');
    }
  }
  if (text.includes('%')) {
    try {
      decodeURIComponent(text);
    } catch {
      throw new HttpError(400, 'encoding.invalid', 'invalid percent-encoding');
    }
  }
  return text;
}

function verifyForm(_req: unknown, _res: unknown, buf: Buffer): void {
  checkedFormText(buf);
}

function verifyUtf8(_req: unknown, _res: unknown, buf: Buffer): void {
  try {
    strictUtf8.decode(buf);
  } catch {
    throw new HttpError(400, 'encoding.invalid', 'body is not valid UTF-8');
  }
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** A gateway posts a form (Africa's Talking) or JSON (other dialects); anything else with a body is a 415. */
const gatewayContentType: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is([FORM, JSON_TYPE])) {
    next(new HttpError(415, 'content_type.unsupported', `only ${FORM} or ${JSON_TYPE}`));
    return;
  }
  next();
};

/**
 * The body parser of a gateway route: forms of at most 30 fields and JSON, both at most
 * 16 kB, strict UTF-8 and percent-encoding, no compressed bodies (a small gzip can inflate to
 * megabytes). A repeated field (`from=a&from=b`) arrives as an array: the channel must treat a
 * non-string field as a 400.
 */
export function gatewayBodyParser(): RequestHandler {
  const form = express.urlencoded({
    extended: false,
    limit: LIMITS.bodyBytes,
    parameterLimit: LIMITS.parameters,
    inflate: false,
    verify: verifyForm,
  });
  const json = express.json({ limit: LIMITS.bodyBytes, strict: true, inflate: false, verify: verifyUtf8 });
  // The four steps in one layer (express matches every layer's path on every request), in the
  // same order: type, form, JSON, JSON field count. Each parser passes over a body not its type.
  // The common case, a plain UTF-8 form of known length (every Africa's Talking hop), takes the
  // short road below: same limits and answers, a fraction of the work.
  return (req, res, next) => {
    if (plainForm(req, next)) return;
    gatewayContentType(req, res, (typeError?: unknown) => {
      if (typeError) return next(typeError);
      form(req, res, (formError?: unknown) => {
        if (formError) return next(formError);
        json(req, res, (jsonError?: unknown) => {
          if (jsonError) return next(jsonError);
          jsonFieldLimit(req, res, next);
        });
      });
    });
  };
}

const PLAIN_FORM_TYPES = new Set([FORM, `${FORM}; charset=utf-8`, `${FORM};charset=utf-8`]);

/** The body's length when the short road below takes it; undefined when body-parser does. */
export function plainFormLength(headers: IncomingMessage['headers']): number | undefined {
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_FORM_TYPES.has(type.toLowerCase())) return undefined;
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const coding = headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return undefined;
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length >= 0 && length <= LIMITS.bodyBytes ? length : undefined;
}

/**
 * A form with a plain type, a Content-Length within the limit and no content coding, read and
 * checked here instead of by body-parser (type-is, raw-body, iconv, qs: ~10 % of a USSD hop's
 * CPU at saturation): strict UTF-8 and percent-encoding, at most `parameters` fields, a repeated
 * field as an array, keys that are not plain data (`__proto__`) dropped. Returns false, having
 * touched nothing, for anything else: body-parser then gives its usual answers.
 */
function plainForm(req: Request, next: (error?: unknown) => void): boolean {
  const length = plainFormLength(req.headers);
  if (length === undefined) return false;
  readPlainForm(req, length, (error, body) => {
    if (error) return next(error);
    req.body = body;
    // body-parser's own mark: a later parser in the chain leaves this body alone.
    (req as unknown as { _body: boolean })._body = true;
    next();
  });
  return true;
}

export type FormBody = Record<string, string | string[]>;

/**
 * Reads and checks a form whose length `plainFormLength` accepted (the gateway's short road,
 * also taken by the fast lane, lane.ts): exactly `length` bytes, strict UTF-8 and escapes, at
 * most `parameters` fields. `done` is called once, with an HttpError (4xx) or the fields.
 */
export function readPlainForm(
  req: IncomingMessage,
  length: number,
  done: (error: HttpError | undefined, body?: FormBody) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const finish = (error: HttpError | undefined, body?: FormBody) => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    done(error, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > length) finish(new HttpError(400, 'request.size.invalid', 'body longer than its length'));
    else chunks.push(chunk);
  };
  const onEnd = () => {
    if (received !== length) {
      finish(new HttpError(400, 'request.size.invalid', 'body shorter than its length'));
      return;
    }
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
    let body: FormBody;
    try {
      body = parseForm(checkedFormText(buf));
    } catch (error) {
      finish(error instanceof HttpError ? error : new HttpError(400, 'bad_request'));
      return;
    }
    finish(undefined, body);
  };
  const onError = (error: Error) => finish(new HttpError(400, 'request.aborted', error.message));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}

function parseForm(text: string): FormBody {
  const body: FormBody = {};
  let fields = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++fields > LIMITS.parameters) throw new HttpError(413, 'parameters.too.many', 'too many parameters');
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const seen = Object.hasOwn(body, key) ? body[key] : undefined;
    body[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return body;
}

/** The JSON counterpart of parameterLimit: a gateway's JSON object has a few fields, not hundreds. */
const jsonFieldLimit: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (req.is(JSON_TYPE) && body && typeof body === 'object' && Object.keys(body).length > LIMITS.parameters) {
    next(new HttpError(413, 'parameters.too.many', 'too many fields'));
    return;
  }
  next();
};

export type { TimeoutAnswer } from './context.js';

/** The default answer at the deadline: a 503 the gateway retries after a second. */
export const JSON_TIMEOUT = {
  status: 503,
  body: { error: 'timeout' },
  headers: { 'Retry-After': '1' },
} as const;

export const jsonTimeoutAnswer: TimeoutAnswer = (_req, res) => {
  res.status(JSON_TIMEOUT.status).set(JSON_TIMEOUT.headers).json(JSON_TIMEOUT.body);
};

const WRITERS = ['status', 'set', 'header', 'type', 'send', 'json', 'end', 'write', 'writeHead', 'setHeader'];

/**
 * Ends a request that takes longer than `ms` (Node's `requestTimeout` only bounds receiving
 * the request). The answer is the route's own when a gateway mount set the request context's `timeoutAnswer`
 * (USSD: `END` and an apology), else `answer`. The handler may still finish later: from then
 * on its writes to this response are ignored, so a late answer neither throws nor reaches the
 * client.
 */
export function requestTimeout(
  ms: number,
  answer: TimeoutAnswer = jsonTimeoutAnswer,
  onTimeout?: (req: Request) => void,
): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent || res.writableEnded) return;
      onTimeout?.(req);
      const context = requestContext(res);
      context.timedOut = true;
      (context.timeoutAnswer ?? answer)(req, res);
      const late = res as unknown as Record<string, unknown>;
      for (const name of WRITERS) late[name] = () => res;
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
