import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../../src/config.js';
import { findRepeats, type Repeat } from '../../src/content/repeats.js';
import { translationsRevision } from '../../src/content/localized.js';
import type { Engine, Lang } from '../../src/core/types.js';
import { isLang, REFERENCE_LANG } from '../../src/i18n/index.js';
import { renderPage, type PageContent } from './layout.js';
import { PATHS } from './links.js';
import { followUpFeed, recommendationsCsv, recommendationsJson } from './open-data.js';
import { aboutPage, notFoundPage } from './pages/about.js';
import { homePage } from './pages/home.js';
import { recommendationPage } from './pages/recommendation.js';
import { searchPage } from './pages/search.js';
import { themePage } from './pages/theme.js';
import { createAnswerCache, type Answer } from './serve.js';
import { isSiteStatus, readFollowUps } from './status.js';
import type { SiteConfig, View } from './view.js';

export interface SiteDeps {
  engine: Engine;
  config: SiteConfig & Pick<Config, 'PUBLIC_BASE_URL'>;
}

export interface Site {
  /** The pages, feeds and downloads; mounted at `/`. */
  router: Router;
  /** An HTML 404 page for a browser's GET that no route answered (others get the app's JSON 404). */
  notFound: RequestHandler;
}

const HTML = 'text/html; charset=utf-8';
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The public site (issue 35): server-rendered pages in every catalog language, no script, one
 * request per page; the same engine, catalogs, translations and follow-ups as the channels.
 * A channel-like module: it imports src/ only (docs/site.md).
 */
export function createSite({ engine, config }: SiteDeps): Site {
  const router = Router();
  const cache = createAnswerCache();
  const corpus = engine.corpus;
  const ordered = [...corpus.recommendations].sort((a, b) => a.theme - b.theme || a.number - b.number);
  const indexOf = new Map(ordered.map((rec, i) => [rec.id, i]));
  // The report's repeats, found on the first recommendation page rather than at start-up.
  let repeats: Map<string, Repeat[]> | undefined;
  const repeatsOf = (id: string) => (repeats ??= findRepeats(corpus.recommendations)).get(id) ?? [];

  /** The site's absolute base: PUBLIC_BASE_URL, else this request's (a host that looks like one). */
  const originOf = (req: Request): string => {
    if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL;
    const host = req.get('host') ?? '';
    return `${req.protocol}://${HOST.test(host) ? host : 'localhost'}`;
  };

  /** One query parameter given at most once as text; `null` when repeated or not text. */
  const param = (req: Request, name: string): string | undefined | null => {
    const value: unknown = (req.query as Record<string, unknown>)[name];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : null;
  };

  /** The page's language from `?lang=`: French without it; `null` for a language we do not have. */
  const langOf = (req: Request): Lang | null => {
    const value = param(req, 'lang');
    if (value === undefined) return REFERENCE_LANG;
    return isLang(value) ? value : null;
  };

  interface Handled {
    /** The parameters that make this answer, besides the language (part of the cache key). */
    key?: string;
    answer: (view: View) => Answer;
  }

  const page = (content: PageContent, view: View, status = 200): Answer => ({
    status,
    type: HTML,
    language: view.lang,
    body: renderPage(content, { lang: view.lang, origin: view.origin }),
  });
  const notFound = (req: Request, view: View) => page(notFoundPage(view, req.path), view, 404);

  /**
   * Serves `route` for a GET: the language checked, the follow-ups read once, the answer kept
   * by address until a publication changes it.
   */
  const serve =
    (route: (req: Request, res: Response, view: View) => Handled | undefined): RequestHandler =>
    (req, res) => {
      const origin = originOf(req);
      const lang = langOf(req);
      const followUps = readFollowUps(engine);
      const view: View = { lang: lang ?? REFERENCE_LANG, engine, followUps, config, origin };
      const handled = lang === null ? undefined : route(req, res, view);
      if (res.headersSent) return;
      const key = `${origin}${req.path}?${handled?.key ?? (handled ? '' : '404')}&${view.lang}`;
      const stamp = `${translationsRevision()}|${followUps.stamp}`;
      cache.send(req, res, key, stamp, () => (handled ? handled.answer(view) : notFound(req, view)));
    };

  router.get(
    PATHS.home,
    serve(() => ({ answer: (view) => page(homePage(view), view) })),
  );

  router.get(
    PATHS.about,
    serve(() => ({ answer: (view) => page(aboutPage(view), view) })),
  );

  router.get(
    '/t/:n',
    serve((req) => {
      const n = String(req.params.n);
      const theme = /^\d{1,2}$/.test(n) ? engine.theme(Number(n)) : undefined;
      const status = param(req, 'status');
      if (!theme || status === null || (status !== undefined && !isSiteStatus(status))) return undefined;
      return {
        key: status ?? '',
        answer: (view) => page(themePage(view, theme, status), view),
      };
    }),
  );

  router.get(
    '/r/:id',
    serve((req, res) => {
      const raw = String(req.params.id);
      const rec = raw.length <= 8 ? engine.recommendation(raw) : undefined;
      const theme = rec && engine.theme(rec.theme);
      if (!rec || !theme) return undefined;
      if (raw !== rec.id) {
        // 2,15 or 2-15 typed by hand: the one address of 2.15, for good.
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        res.redirect(301, `${PATHS.recommendation(rec.id)}${query}`);
        return undefined;
      }
      const at = indexOf.get(rec.id)!;
      const around = { previous: ordered[at - 1], next: ordered[at + 1], repeats: repeatsOf(rec.id) };
      return { answer: (view) => page(recommendationPage(view, rec, theme, around), view) };
    }),
  );

  router.get(
    PATHS.search,
    serve((req, res, view) => {
      const q = param(req, 'q');
      if (q === null) return undefined;
      const outcome = searchPage(view, q ?? '');
      if (outcome.kind === 'redirect') {
        // A number or a theme typed in the box: its page (the same as on every channel).
        res.set('Cache-Control', 'public, max-age=300').redirect(303, outcome.path);
        return undefined;
      }
      return { key: q ?? '', answer: (v) => page(outcome.page, v) };
    }),
  );

  const data = (type: string, filename: string, make: (view: View) => string): RequestHandler =>
    serve(() => ({
      answer: (view) => ({
        status: 200,
        type,
        body: make(view),
        headers: {
          'Access-Control-Allow-Origin': '*',
          ...(filename ? { 'Content-Disposition': `attachment; filename="${filename}"` } : {}),
        },
      }),
    }));

  router.get(
    PATHS.csv,
    data('text/csv; charset=utf-8', 'dialogue-inter-maliens-recommandations.csv', (view) =>
      recommendationsCsv(engine, view.followUps, view.origin),
    ),
  );
  router.get(
    PATHS.json,
    data('application/json; charset=utf-8', '', (view) =>
      recommendationsJson(engine, view.followUps, view.origin),
    ),
  );
  router.get(
    PATHS.feed,
    data('application/atom+xml; charset=utf-8', '', (view) =>
      followUpFeed(engine, view.followUps, view.origin, view.lang),
    ),
  );

  const notFoundHandler: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.accepts(['json', 'html']) !== 'html') {
      next();
      return;
    }
    serve(() => undefined)(req, res, next);
  };

  return { router, notFound: notFoundHandler };
}
