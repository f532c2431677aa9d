import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import { CSS_HASH } from './style.js';

/**
 * How the site's answers leave: compressed once (brotli or gzip, as the browser accepts) and
 * kept by address, with a weak ETag of the content so a browser, nginx or a CDN revalidates
 * with a 304, and `Cache-Control: public` so they may serve it themselves for a few minutes.
 * A kept answer is reused only while its `stamp` (published translations and follow-ups, the
 * site's origin) is the current one: an editor's new status shows on the next request.
 */
export interface Answer {
  status: number;
  type: string;
  body: string;
  /** Content-Language of a page. */
  language?: string;
  /** Extra headers (Content-Disposition of a download, CORS of open data). */
  headers?: Record<string, string>;
}

/** Pages and data change when an editor publishes: browsers and proxies keep them 5 minutes. */
const CACHE_CONTROL = 'public, max-age=300';
const NOT_FOUND_CACHE = 'public, max-age=60';

/**
 * The pages' policy, stricter than the app's: no script at all, the one inline stylesheet by
 * its hash, images only from here (and the empty data: icon), forms only to here.
 */
const SITE_CSP = [
  "default-src 'none'",
  `style-src ${CSS_HASH}`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Kept {
  stamp: string;
  status: number;
  headers: Record<string, string>;
  etag: string;
  /** The body gzip-compressed; identity is unzipped from it for the rare client that wants none. */
  gzip: Buffer;
  br?: Buffer;
}

/** Bounded by entries (about 6 kB each compressed, 12 kB with brotli): ~10 MB at most. */
const KEPT_MAX = 1000;

export function createAnswerCache(maxEntries = KEPT_MAX) {
  const kept = new Map<string, Kept>();

  const keep = (key: string, stamp: string, answer: Answer): Kept => {
    const body = Buffer.from(answer.body, 'utf8');
    const headers: Record<string, string> = {
      'Content-Type': answer.type,
      'Cache-Control': answer.status === 200 ? CACHE_CONTROL : NOT_FOUND_CACHE,
      Vary: 'Accept-Encoding',
      ...(answer.language ? { 'Content-Language': answer.language } : {}),
      ...(answer.type.startsWith('text/html') ? { 'Content-Security-Policy': SITE_CSP } : {}),
      ...answer.headers,
    };
    const entry: Kept = {
      stamp,
      status: answer.status,
      headers,
      etag: `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
      gzip: gzipSync(body, { level: 6 }),
    };
    kept.delete(key);
    if (kept.size >= maxEntries) kept.delete(kept.keys().next().value!);
    kept.set(key, entry);
    return entry;
  };

  return {
    /**
     * Sends the answer kept under `key` for `stamp`, or `produce()`'s (then kept): a 304 when the
     * browser has it already, else the body in the best encoding it accepts.
     */
    send(req: Request, res: Response, key: string, stamp: string, produce: () => Answer): void {
      let entry = kept.get(key);
      if (!entry || entry.stamp !== stamp) entry = keep(key, stamp, produce());
      res.status(entry.status);
      for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
      res.setHeader('ETag', entry.etag);
      if (entry.status === 200 && matches(req.headers['if-none-match'], entry.etag)) {
        res.status(304).end();
        return;
      }
      const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
      let body: Buffer;
      if (encoding === 'br') {
        entry.br ??= brotliCompressSync(gunzipSync(entry.gzip), {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 6,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          },
        });
        body = entry.br;
        res.setHeader('Content-Encoding', 'br');
      } else if (encoding === 'gzip') {
        body = entry.gzip;
        res.setHeader('Content-Encoding', 'gzip');
      } else {
        body = gunzipSync(entry.gzip);
      }
      res.setHeader('Content-Length', body.length);
      res.end(body);
    },
    size: () => kept.size,
  };
}

/** If-None-Match against our weak tag (weak comparison, RFC 9110 §13.1.2). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.slice(2);
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value === etag || value === opaque;
  });
}
