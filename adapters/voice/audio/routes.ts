import { isLang } from '../../../src/i18n/index.js';
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../../src/ports/index.js';
import { type AudioKind, type AudioRef } from '../types.js';
import { isAudioKey } from './catalog.js';
import { AUDIO_FORMAT } from './format.js';
import { JOIN_GAP_SECONDS, type AudioLibrary } from './library.js';
import { joinWavs } from './wav.js';

/**
 * Public audio, at URLs that say what they say (logs, the studio and tests can tell what was
 * played):
 *   GET /audio/<lang>/prompt/<key>.wav    a prompt (`/audio/fr/prompt/welcome.wav`)
 *   GET /audio/<lang>/rec/<id>.wav        a recommendation read (`/audio/fr/rec/2.15.wav`)
 *   GET /audio/seq/<item>,<item>….wav     several of those joined into one file, each item
 *                                         `<lang>:<kind>:<key>` (the gateway nests ONE Play in a
 *                                         GetDigits, and a menu is several prompts); at most
 *                                         12 items, at most one of them a reading
 * A recording beats synthesis; an item with neither, or a name that is no item, is a 404.
 * Cached a short while (a recording published in the studio must reach callers within
 * minutes) with an ETag, so a gateway revalidates instead of downloading again.
 */

const MAX_SEQUENCE = 12;
const MAX_AGE_SECONDS = 300;

export function audioPath(ref: AudioRef): string {
  return `/audio/${ref.lang}/${ref.kind}/${ref.key}.wav`;
}

export function sequencePath(refs: AudioRef[]): string {
  if (refs.length === 1) return audioPath(refs[0]!);
  return `/audio/seq/${refs.map((ref) => `${ref.lang}:${ref.kind}:${ref.key}`).join(',')}.wav`;
}

function parseRef(lang: string, kind: string, key: string): AudioRef | undefined {
  if (!isLang(lang) || (kind !== 'prompt' && kind !== 'rec') || !isAudioKey(key)) return undefined;
  return { lang, kind: kind as AudioKind, key };
}

/** `/fr/prompt/welcome.wav`, `/seq/fr:prompt:a,fr:prompt:b.wav` → the items, or undefined. */
export function parseAudioPath(path: string): AudioRef[] | undefined {
  const single = /^\/([a-z]{2})\/(prompt|rec)\/([a-zA-Z0-9._]+)\.wav$/.exec(path);
  if (single) {
    const ref = parseRef(single[1]!, single[2]!, single[3]!);
    return ref ? [ref] : undefined;
  }
  const seq = /^\/seq\/([a-zA-Z0-9._:,]+)\.wav$/.exec(path);
  if (!seq) return undefined;
  const parts = seq[1]!.split(',');
  if (parts.length < 1 || parts.length > MAX_SEQUENCE) return undefined;
  const refs: AudioRef[] = [];
  for (const part of parts) {
    const [lang, kind, key, extra] = part.split(':');
    const ref = extra === undefined && lang && kind && key ? parseRef(lang, kind, key) : undefined;
    if (!ref) return undefined;
    refs.push(ref);
  }
  // The line joins at most one reading with its prompts: a public URL must not make the server
  // assemble megabytes of readings on request.
  if (refs.filter((ref) => ref.kind === 'rec').length > 1) return undefined;
  return refs;
}

export function createAudioRouter(deps: { library: AudioLibrary; logger: Logger }): Router {
  const router = Router();
  const notFound = (res: Response) =>
    res.status(404).set('Cache-Control', 'no-store').json({ error: 'not_found' });
  const serve = (req: Request, res: Response) => {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      notFound(res);
      return;
    }
    const refs = parseAudioPath(path);
    if (!refs) {
      notFound(res);
      return;
    }
    const parts = refs.map((ref) => deps.library.read(ref));
    if (parts.some((part) => part === undefined)) {
      notFound(res);
      return;
    }
    const found = parts as Array<NonNullable<(typeof parts)[number]>>;
    let bytes: Buffer;
    try {
      bytes =
        found.length === 1
          ? found[0]!.bytes
          : joinWavs(
              found.map((p) => p.bytes),
              JOIN_GAP_SECONDS,
            );
    } catch (error) {
      deps.logger.error(
        { err: { message: (error as Error).message }, path },
        'voice: audio could not be joined',
      );
      notFound(res);
      return;
    }
    const etag = `"${createHash('sha256')
      .update(found.map((p) => p.tag).join(','))
      .digest('base64url')
      .slice(0, 27)}"`;
    res.set({
      'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}`,
      ETag: etag,
      // Which source answered: the studio and tests tell a recording from synthesis.
      'X-Audio-Source': found.map((p) => p.source).join(','),
    });
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.status(200).set({ 'Content-Type': AUDIO_FORMAT.contentType, 'Content-Length': String(bytes.length) });
    if (req.method === 'HEAD') res.end();
    else res.end(bytes);
  };
  router.get(/.*/, serve);
  return router;
}
