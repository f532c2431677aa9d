import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { Capability, ConsoleAccount } from '../../src/config.js';
import type { Clock, Logger, RateLimiter, SessionStore } from '../../src/ports/index.js';
import { addDays, dayOf, isDay } from '../analytics/calendar.js';
import type { AnalyticsStore } from '../analytics/tally.js';
import { createConsoleAuth, type ConsoleAuth } from './auth.js';
import { toCsv } from './csv.js';
import { mountNewsRoutes, type NewsOptions } from './news-routes.js';
import { mountTranslationRoutes, type TranslationOptions } from './translation-routes.js';
import { auditPage, dashboardPage, messagePage, type PageContext, type SpendingToday } from './pages.js';
import type { ConsoleRecords } from './records.js';
import { langOf, langParams, langSuffix, tr } from './strings.js';
import { analyticsTables, auditTable, toFixTable, type Table } from './tables.js';
import { pagePolicy } from '../gateway/security.js';

export interface ConsoleOptions {
  accounts: ConsoleAccount[];
  /** Signs the session cookie; a random one per process when unset (outside production). */
  sessionSecret?: string;
  retentionDays: number;
  segmentCost: number;
  currency: string;
  analytics: Pick<AnalyticsStore, 'report'>;
  records: ConsoleRecords;
  sessions: SessionStore;
  /** Failed sign-ins per client address (CONSOLE_LOGIN_ATTEMPTS per 15 minutes). */
  loginLimiter: RateLimiter;
  /** Failed sign-ins per account name from any address; absent: `loginLimiter`'s budget. */
  accountLimiter?: RateLimiter;
  /**
   * Views of the login page per address: each one stores a short-lived anonymous session (its
   * CSRF token), so a flood of them must not fill the store.
   */
  loginPageLimiter: RateLimiter;
  hashAddress: (address: string) => string;
  clock: Clock;
  logger: Logger;
  /** Follow-up editing and broadcasts; absent, their pages are not mounted. */
  news?: NewsOptions;
  /** Translation review and publication (issue 31); absent, its pages are not mounted. */
  translations?: TranslationOptions;
  /**
   * The login system built from the options above, when the service shares it with the studio
   * (adapters/console/auth.ts); absent, the router builds its own.
   */
  auth?: ConsoleAuth;
  /** Today's spending against the daily caps, shown on the dashboard; absent: not shown. */
  spending?: () => Promise<SpendingToday>;
}

const STATIC: Record<string, { file: string; type: string }> = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  // The UMD build sits beside the CommonJS entry the package exports (its `exports` hide dist/).
  const chart = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  return {
    'console.css': { file: join(here, 'public', 'console.css'), type: 'text/css' },
    'dashboard.js': { file: join(here, 'public', 'dashboard.js'), type: 'text/javascript' },
    'broadcast.js': { file: join(here, 'public', 'broadcast.js'), type: 'text/javascript' },
    'chart.umd.min.js': { file: chart, type: 'text/javascript' },
  };
})();

const CONTENT_SECURITY_POLICY = pagePolicy();

const consoleHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Robots-Tag': 'noindex, nofollow',
  });
  next();
};

/**
 * The operators' console at /admin: the login system of adapters/console/auth.ts (session,
 * CSRF tokens, sign-in limits, roles read per request), the dashboard, exports and the news
 * pages, every change and every export written to the audit log.
 */
export function createConsoleRouter(options: ConsoleOptions): Router {
  const router = Router();
  router.use(consoleHeaders);
  for (const [name, asset] of Object.entries(STATIC)) {
    router.get(`/static/${name}`, (_req, res) => {
      res.type(asset.type).sendFile(asset.file, { headers: { 'Cache-Control': 'no-cache' } });
    });
  }

  const auth =
    options.auth ??
    createConsoleAuth({
      ...options,
      accountLimiter: options.accountLimiter ?? options.loginLimiter,
    });
  router.use(auth.session);
  // Small forms everywhere; a broadcast carries three texts of up to three SMS each (Bambara's
  // letters take up to nine bytes once URL-encoded), so its pages accept more.
  const smallForm = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const broadcastForm = express.urlencoded({ extended: false, limit: '24kb', parameterLimit: 10 });
  // A translation entry (a summary of up to 320 Bambara characters, a note) needs the same room.
  router.use((req, res, next) =>
    (req.path.startsWith('/broadcasts') || req.path.startsWith('/translations') ? broadcastForm : smallForm)(
      req,
      res,
      next,
    ),
  );

  const csrfSynchronisedProtection = auth.csrf;
  const context = (req: Request): PageContext => ({
    lang: langOf(req),
    user: auth.user(req),
    csrf: auth.csrfToken(req),
  });
  const { requireUser } = auth;
  const requireRole = (capability: Capability): RequestHandler => auth.requireCapability(capability);

  const today = () => dayOf(options.clock.now());
  const oldest = () => addDays(today(), 1 - options.retentionDays);
  const rangeOf = (req: Request) => {
    const max = today();
    const min = oldest();
    const clamp = (day: string) => (day < min ? min : day > max ? max : day);
    const to = isDay(req.query.to) ? clamp(req.query.to) : max;
    let from = isDay(req.query.from) ? clamp(req.query.from) : clamp(addDays(to, -6));
    if (from > to) from = to;
    return { from, to };
  };
  router.get('/', (req, res) => {
    res.redirect(303, `/admin/${auth.user(req) ? 'dashboard' : 'login'}${langSuffix(langOf(req))}`);
  });
  router.use(auth.routes);

  router.get('/dashboard', requireUser, async (req, res) => {
    const { from, to } = rangeOf(req);
    const [report, toFix, spending] = await Promise.all([
      options.analytics.report(from, to),
      options.records.toFix(),
      // The figures of the day, not the range's: caps are daily. A store that fails shows none.
      options.spending?.().catch(() => undefined),
    ]);
    res.type('html').send(
      dashboardPage(context(req), report, toFix, {
        segmentCost: options.segmentCost,
        currency: options.currency,
        retentionDays: options.retentionDays,
        minDay: oldest(),
        maxDay: today(),
        canEdit: auth.may(req, 'editToFix'),
        ...(spending ? { spending } : {}),
      }),
    );
  });

  router.get('/audit', requireUser, async (req, res) => {
    res.type('html').send(auditPage(context(req), auditTable(await options.records.auditLog())));
  });

  router.get('/export/:name.csv', requireUser, async (req, res) => {
    const name = req.params.name as string;
    const { from, to } = rangeOf(req);
    let table: Table | undefined;
    if (name === 'audit') table = auditTable(await options.records.auditLog(10_000));
    else if (name === 'tofix') table = toFixTable(await options.records.toFix());
    else {
      const tables: Record<string, Table> = analyticsTables(await options.analytics.report(from, to), {
        segmentCost: options.segmentCost,
        currency: options.currency,
      });
      table = Object.hasOwn(tables, name) ? tables[name] : undefined;
    }
    if (!table) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    const lang = langOf(req);
    const range = name === 'audit' || name === 'tofix' ? '' : `-${from}_${to}`;
    // Who took which figures out of the console, and for which days.
    await options.records.audit({
      who: auth.user(req)!.name,
      action: 'export',
      detail: name === 'audit' || name === 'tofix' ? name : `${name} ${from}..${to}`,
    });
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="dim-${name}${range}.csv"`)
      .send(
        toCsv(
          table.columns.map((c) => tr(lang, c)),
          table.rows,
        ),
      );
  });

  /** Changes to the "to fix" list: editors only, with the form's token, audited. */
  const toFixChange = (change: 'add' | 'remove'): RequestHandler[] => [
    requireUser,
    csrfSynchronisedProtection,
    requireRole('editToFix'),
    async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const words = typeof body.words === 'string' ? body.words.slice(0, 200) : '';
      const who = auth.user(req)!.name;
      let changed = false;
      if (change === 'add') {
        // Only words the console shows (>= 5 people within the retention window) can be listed:
        // the list never becomes a place to store arbitrary text.
        const shown = await options.analytics.report(oldest(), today());
        if (shown.misses.some((miss) => miss.words === words))
          changed = await options.records.addToFix(words, who);
        else {
          res
            .status(404)
            .type('html')
            .send(messagePage(context(req), tr(langOf(req), 'error.unknown')));
          return;
        }
      } else {
        changed = await options.records.removeToFix(words);
      }
      if (changed) await options.records.audit({ who, action: `tofix.${change}`, detail: words });
      const { from, to } = rangeOf(req);
      const params = new URLSearchParams({ from, to, ...langParams(langOf(req)) });
      res.redirect(303, `/admin/dashboard?${params.toString()}#tofix`);
    },
  ];
  router.post('/tofix/add', ...toFixChange('add'));
  router.post('/tofix/remove', ...toFixChange('remove'));

  if (options.news) {
    mountNewsRoutes(
      router,
      {
        context,
        langOf,
        requireUser,
        csrf: csrfSynchronisedProtection,
        mayEdit: (req) => auth.may(req, 'editFollowUp'),
        mayBroadcast: (req) => auth.may(req, 'broadcast'),
        forbid: (req, res) => {
          res
            .status(403)
            .type('html')
            .send(messagePage(context(req), tr(langOf(req), 'error.forbidden')));
        },
        records: options.records,
      },
      options.news,
    );
  }

  if (options.translations) {
    mountTranslationRoutes(
      router,
      {
        context,
        langOf,
        requireUser,
        csrf: csrfSynchronisedProtection,
        mayTranslate: (req) => auth.may(req, 'translate'),
        forbid: (req, res) => {
          res
            .status(403)
            .type('html')
            .send(messagePage(context(req), tr(langOf(req), 'error.forbidden')));
        },
        records: options.records,
      },
      options.translations,
    );
  }

  const onError: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (auth.isCsrfError(error)) {
      res
        .status(403)
        .type('html')
        .send(messagePage({ lang: langOf(req), user: auth.user(req) }, tr(langOf(req), 'error.csrf')));
      return;
    }
    const status = (error as { status?: number }).status ?? 500;
    if (status < 500) {
      next(error);
      return;
    }
    // A store that does not answer (Redis down, a full disk): the operator gets a page that
    // says so and keeps their session; nothing half-done is shown as done.
    options.logger.error(
      { err: { message: (error as Error).message, name: (error as Error).name } },
      'console: request failed',
    );
    if (res.headersSent) return;
    res
      .status(503)
      .set('Retry-After', '5')
      .type('html')
      .send(messagePage({ lang: langOf(req), user: auth.user(req) }, tr(langOf(req), 'error.unavailable')));
  };
  router.use(onError);
  return router;
}
