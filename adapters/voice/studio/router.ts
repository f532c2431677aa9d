import { isLang } from '../../../src/i18n/index.js';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { requestContext } from '../../gateway/context.js';
import { pagePolicy } from '../../gateway/security.js';
import type { Logger } from '../../../src/ports/index.js';
import { isAudioKey } from '../audio/catalog.js';
import type { AudioLibrary } from '../audio/library.js';
import { recordingPlan } from '../audio/plan.js';
import { audioPath } from '../audio/routes.js';
import type { AudioWorkers } from '../audio/workers.js';
import { type AudioRef, type VoiceLang } from '../types.js';
import { MAX_UPLOAD_BYTES, normaliseRecording, RecordingRejected } from './process.js';
import type { StudioAccess } from './access.js';

/**
 * The recording studio, for operators (a community radio journalist reading prompts and
 * recommendations): per language, the recording plan (audio/plan.ts: the minimal set for a working
 * line, the theme names, the readings, more prompts), each item with its text and state
 * (missing / draft / published) and a progress figure; record in the browser or upload a file,
 * listen back, publish, roll back to the previous recording.
 *
 *   GET  /studio/                              the page
 *   GET  /studio/api/items?lang=bm             the plan: groups, progress, whether the language
 *                                              is on the voice menu, each item's text and state
 *   POST /studio/api/draft/<lang>/<kind>/<key> a WAV body → checked, normalised, kept as a draft
 *   GET  /studio/api/draft/<lang>/<kind>/<key>.wav   the draft, to listen back
 *   POST /studio/api/publish/<lang>/<kind>/<key>     the draft becomes what callers hear (the
 *                                              recording it replaces is kept)
 *   POST /studio/api/rollback/<lang>/<kind>/<key>    the previous recording is put back
 *
 * Behind the operators' login (`access`, injected: the console's accounts, session and limits,
 * the `recorder` role). The two POSTs carry the session's CSRF token in an `X-CSRF-Token`
 * header, and every draft and publication is in the console's audit log. An upload that is
 * still being processed when the request's deadline answered (503) is dropped, never kept:
 * what the operator was told is what happened. Drafts live in AUDIO_DIR/drafts (never served
 * publicly); published files in AUDIO_DIR/recordings.
 */

// adapters/voice/public: copied next to the compiled modules by scripts/copy-build-assets.mjs.
const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

const PAGE_HEADERS = {
  'Content-Security-Policy': pagePolicy({ 'media-src': "'self' blob:" }, "'self'"),
  // The page records from the microphone: allowed here only (the app denies it elsewhere).
  'Permissions-Policy': 'camera=(), microphone=(self), geolocation=()',
  'Cache-Control': 'no-store',
};

export interface StudioDeps {
  library: AudioLibrary;
  /** The audio worker processes that convert uploads (never the event loop). */
  workers: AudioWorkers;
  logger: Logger;
  access: StudioAccess;
  langs: readonly VoiceLang[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function createStudioRouter(deps: StudioDeps): Router {
  const { library, logger } = deps;
  const { access } = deps;
  const router = Router();
  router.use(...access.guard);
  router.use((_req, res, next) => {
    res.set(PAGE_HEADERS);
    next();
  });

  const template = readFileSync(join(PUBLIC, 'studio.html'), 'utf8');
  router.get('/', (req, res) => {
    const langs = deps.langs.map((l) => `<option value="${l}">${l}</option>`).join('');
    res.type('html').send(
      template
        .replace('{{csrf}}', escapeHtml(access.csrfToken(req)))
        .replace('{{user}}', escapeHtml(access.user(req) ?? ''))
        .replace('{{langs}}', langs),
    );
  });
  for (const file of ['studio.js', 'studio.css']) {
    const body = readFileSync(join(PUBLIC, file), 'utf8');
    router.get(`/${file}`, (_req, res) => {
      res.type(file.endsWith('.js') ? 'text/javascript' : 'text/css').send(body);
    });
  }

  /** The item named by `lang`, `kind`, `key` route parameters, when it is one of the catalog's. */
  const refOf = (params: Record<string, string | undefined>): AudioRef | undefined => {
    const { lang, kind, key } = params;
    if (!lang || !isLang(lang) || (kind !== 'prompt' && kind !== 'rec') || !key || !isAudioKey(key)) {
      return undefined;
    }
    return library.catalog.item(lang, kind, key) ? { lang, kind, key } : undefined;
  };
  const draftPath = (ref: AudioRef) => library.draftPath(ref);

  /** Same origin (a browser says where a POST comes from) and the session's token. */
  const csrf: RequestHandler = (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origin !== `${req.protocol}://${req.get('host')}`) {
      res.status(403).json({ error: 'csrf' });
      return;
    }
    access.csrf(req, res, next);
  };

  router.get('/api/items', (req, res) => {
    const lang = String(req.query.lang ?? '');
    if (!isLang(lang)) {
      res.status(400).json({ error: 'lang' });
      return;
    }
    const plan = recordingPlan(library, lang);
    res.json({
      ...plan,
      items: plan.items.map((item) => {
        const ref: AudioRef = { lang, kind: item.kind, key: item.key };
        return { ...item, status: library.status(ref), url: audioPath(ref) };
      }),
    });
  });

  router.post(
    '/api/draft/:lang/:kind/:key',
    csrf,
    express.raw({ type: ['audio/wav', 'audio/x-wav', 'audio/wave'], limit: MAX_UPLOAD_BYTES }),
    async (req: Request, res: Response) => {
      const ref = refOf(req.params as Record<string, string>);
      if (!ref) {
        res.status(404).json({ error: 'not_found' });
        return;
      }
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        res.status(415).json({ error: 'expected an audio/wav body' });
        return;
      }
      try {
        const result = await normaliseRecording(req.body, ref.kind, deps.workers);
        if (requestContext(res).timedOut || res.headersSent) {
          // The deadline already answered 503: the operator will upload again; keeping this
          // one would replace the draft behind their back.
          logger.warn(
            { channel: 'studio', lang: ref.lang, kind: ref.kind, key: ref.key },
            'studio: upload finished after its deadline, draft not kept',
          );
          return;
        }
        library.writeAtomic(draftPath(ref), result.wav);
        await access.audit(req, 'studio.draft', `${ref.lang}/${ref.kind}/${ref.key}`);
        logger.info(
          { channel: 'studio', lang: ref.lang, kind: ref.kind, key: ref.key },
          'studio: draft saved',
        );
        res.json({
          draft: `${req.baseUrl}/api/draft/${ref.lang}/${ref.kind}/${ref.key}.wav`,
          durationSeconds: Math.round(result.durationSeconds * 10) / 10,
          rmsDb: Math.round(result.rmsDb * 10) / 10,
        });
      } catch (error) {
        if (error instanceof RecordingRejected) {
          res.status(422).json({ error: error.reason, message: error.message });
          return;
        }
        logger.error(
          { err: { message: (error as Error).message } },
          'studio: recording could not be processed',
        );
        res.status(422).json({ error: 'format', message: 'the file could not be processed' });
      }
    },
  );

  router.get('/api/draft/:lang/:kind/:file', (req, res) => {
    const file = String(req.params.file);
    const ref = file.endsWith('.wav')
      ? refOf({ ...(req.params as Record<string, string>), key: file.slice(0, -'.wav'.length) })
      : undefined;
    const path = ref ? draftPath(ref) : undefined;
    if (!path || !existsSync(path)) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    res.type('audio/wav').send(readFileSync(path));
  });

  router.post('/api/publish/:lang/:kind/:key', csrf, async (req, res) => {
    const ref = refOf(req.params as Record<string, string>);
    const draft = ref && draftPath(ref);
    if (!ref || !draft || !existsSync(draft)) {
      res.status(404).json({ error: 'no_draft' });
      return;
    }
    library.publish(ref, readFileSync(draft));
    unlinkSync(draft);
    await access.audit(req, 'studio.publish', `${ref.lang}/${ref.kind}/${ref.key}`);
    logger.info(
      { channel: 'studio', lang: ref.lang, kind: ref.kind, key: ref.key, by: access.user(req) },
      'studio: recording published',
    );
    res.json({ published: audioPath(ref), status: library.status(ref) });
  });

  router.post('/api/rollback/:lang/:kind/:key', csrf, async (req, res) => {
    const ref = refOf(req.params as Record<string, string>);
    if (!ref || !library.rollback(ref)) {
      res.status(404).json({ error: 'no_previous' });
      return;
    }
    await access.audit(req, 'studio.rollback', `${ref.lang}/${ref.kind}/${ref.key}`);
    logger.info(
      { channel: 'studio', lang: ref.lang, kind: ref.kind, key: ref.key, by: access.user(req) },
      'studio: previous recording restored',
    );
    res.json({ restored: audioPath(ref), versions: library.versions(ref).length });
  });

  router.use(
    (
      error: { status?: number; type?: string },
      _req: Request,
      res: Response,
      next: (e?: unknown) => void,
    ) => {
      if (res.headersSent) return next(error);
      if (access.isCsrfError(error)) {
        res.status(403).json({ error: 'csrf' });
        return;
      }
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
      res.status(status).json({ error: error.type ?? 'bad_request' });
    },
  );
  return router;
}
