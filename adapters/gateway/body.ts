import { isAscii } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { REFUSALS, type BodyKind, type Refusal } from './contract.js';
import { LIMITS } from './limits.js';

/**
 * The one body reader of the gateway webhooks. A gateway sends a few short fields, as a form
 * (Africa's Talking) or JSON (other dialects): at most 16 kB and 30 fields, strict UTF-8 and
 * percent-encoding, no compressed body (a small gzip can inflate to megabytes), of known length
 * or chunked. What breaks a limit is a refusal of the runner's table (contract.ts), never a 500.
 * Read here rather than by body-parser (type-is, raw-body, iconv, qs: ~10 % of a USSD hop's CPU).
 */

export interface Body {
  /** Undefined: the request had no body (its fields are then empty). */
  kind: BodyKind | undefined;
  fields: Record<string, unknown>;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** Every Africa's Talking hop: no media-type parsing needed. */
const PLAIN_FORM_TYPES = new Set([FORM, `${FORM}; charset=utf-8`, `${FORM};charset=utf-8`]);

/** What the headers say of the body: its kind, or the refusal, before a byte is read. */
export function bodyKind(headers: IncomingMessage['headers']): BodyKind | undefined | Refusal {
  const type = headers['content-type'];
  let kind: BodyKind | undefined;
  if (type !== undefined && PLAIN_FORM_TYPES.has(type.toLowerCase())) kind = 'form';
  const chunked = headers['transfer-encoding'] !== undefined;
  const length = headers['content-length'];
  if (!chunked && (length === undefined || length === '0')) return undefined;
  if (!kind) {
    const [media = '', ...params] = (type ?? '').split(';');
    const name = media.trim().toLowerCase();
    kind = name === FORM ? 'form' : name === JSON_TYPE ? 'json' : undefined;
    if (!kind) return REFUSALS.contentType;
    for (const param of params) {
      const [key, value = ''] = param.split('=');
      if (key?.trim().toLowerCase() !== 'charset') continue;
      const charset = value
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
      if (charset !== 'utf-8' && charset !== 'utf8') return REFUSALS.charset;
    }
  }
  const coding = headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return REFUSALS.contentEncoding;
  if (!chunked && !(Number(length) <= LIMITS.bodyBytes)) return REFUSALS.tooLarge;
  return kind;
}

/** The refusals, told from fields by identity (a form may well have a field named `status`). */
const REFUSED = new Set<unknown>(Object.values(REFUSALS));

function isRefusal(value: BodyKind | undefined | Refusal): value is Refusal {
  return typeof value === 'object';
}

/**
 * Reads the body of a request (`bodyKind` first): `done` is called once, with a refusal or the
 * fields. A request without a body is answered at once with empty fields.
 */
export function readBody(
  req: IncomingMessage,
  done: (refusal: Refusal | undefined, body?: Body) => void,
): void {
  const kind = bodyKind(req.headers);
  if (isRefusal(kind)) return done(kind);
  if (kind === undefined) return done(undefined, { kind, fields: {} });
  const declared =
    req.headers['transfer-encoding'] === undefined ? Number(req.headers['content-length']) : -1;
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const finish = (refusal: Refusal | undefined, body?: Body) => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    done(refusal, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (declared >= 0 && received > declared) finish(REFUSALS.sizeMismatch);
    // Past the limit nothing more is kept; the rest flows to nowhere (no listener left).
    else if (received > LIMITS.bodyBytes) finish(REFUSALS.tooLarge);
    else chunks.push(chunk);
  };
  const onEnd = () => {
    if (declared >= 0 && received !== declared) return finish(REFUSALS.sizeMismatch);
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
    const parsed = kind === 'form' ? parseForm(buf) : parseJson(buf);
    if (REFUSED.has(parsed)) finish(parsed as Refusal);
    else finish(undefined, { kind, fields: parsed as Record<string, unknown> });
  };
  const onError = () => finish(REFUSALS.aborted);
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A form must be valid UTF-8 and every `%` escape must decode to valid UTF-8 (body-parser would
 * keep `%E0%A4%A` as literal text and decode invalid bytes to U+FFFD: the channels would search
 * for garbage). Most gateway bodies are ASCII (checked natively, no decoder run), and the
 * escapes of the whole body are checked by one decodeURIComponent (`&` and `=` are not escapes).
 */
function formText(buf: Buffer): string | undefined {
  let text: string;
  if (isAscii(buf)) text = buf.toString('latin1');
  else {
    try {
      text = strictUtf8.decode(buf);
    } catch {
      return undefined;
    }
  }
  if (text.includes('%')) {
    try {
      decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  return text;
}

/** Keys that would reach an object's prototype are dropped, never stored. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** At most `parameters` fields; a repeated field (`from=a&from=b`) becomes an array. */
function parseForm(buf: Buffer): Record<string, string | string[]> | Refusal {
  const text = formText(buf);
  if (text === undefined) return REFUSALS.badEncoding;
  const fields: Record<string, string | string[]> = {};
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > LIMITS.parameters) return REFUSALS.tooManyFields;
    if (UNSAFE_KEYS.has(key)) continue;
    const seen = Object.hasOwn(fields, key) ? fields[key] : undefined;
    fields[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/** A JSON object of at most `parameters` fields (a gateway's JSON is an object, never a list). */
function parseJson(buf: Buffer): Record<string, unknown> | Refusal {
  let text: string;
  try {
    text = strictUtf8.decode(buf);
  } catch {
    return REFUSALS.badEncoding;
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return REFUSALS.badJson;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return REFUSALS.badJson;
  const fields = value as Record<string, unknown>;
  if (Object.keys(fields).length > LIMITS.parameters) return REFUSALS.tooManyFields;
  return fields;
}
