import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
import type { ConsoleAccount, ConsoleRole } from '../../src/config.js';
import type { Clock, Logger, RateLimiter, SessionStore } from '../../src/ports/index.js';
import { addDays, dayOf, isDay } from '../analytics/calendar.js';
import type { AnalyticsStore } from '../analytics/tally.js';
import { toCsv } from './csv.js';
import { mountNewsRoutes, type NewsOptions } from './news-routes.js';
import { mountTranslationRoutes, type TranslationOptions } from './translation-routes.js';
import { auditPage, dashboardPage, loginPage, messagePage, type PageContext } from './pages.js';
import { verifyPassword } from './password.js';
import type { ConsoleRecords } from './records.js';
import { PortSessionStore } from './session-store.js';
import { tr, type ConsoleLang } from './strings.js';
import { analyticsTables, auditTable, toFixTable, type Table } from './tables.js';

declare module 'express-session' {
  interface SessionData {
    user?: { name: string; role: ConsoleRole };
  }
}

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
  /** Login attempts per address and per account name (CONSOLE_LOGIN_WINDOW). */
  loginLimiter: RateLimiter;
  /**
   * Views of the login page per address: each one stores a short-lived anonymous session (its
   * CSRF token), so a flood of them must not fill the store.
   */
  loginPageLimiter: RateLimiter;
  hashAddress: (address: string) => string;
  clock: Clock;
  logger: Logger;
  /** Follow-up editing and broadcasts (issue 20); absent, their pages are not mounted. */
  news?: NewsOptions;
  /** Translation review and publication (issue 31); absent, its pages are not mounted. */
  translations?: TranslationOptions;
}

/** What each role may change. Every role reads. */
const MAY: Record<'editToFix' | 'editFollowUp' | 'broadcast' | 'translate', readonly ConsoleRole[]> = {
  editToFix: ['editor'],
  editFollowUp: ['editor'],
  broadcast: ['broadcaster'],
  translate: ['translator'],
};
const SESSION_HOURS = 8;
const ANONYMOUS_MINUTES = 15;

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

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

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

const langOf = (req: Request): ConsoleLang => (req.query.lang === 'en' ? 'en' : 'fr');

/**
 * The operators' console at /admin: a login, a signed session cookie (express-session over the
 * service's store), synchroniser CSRF tokens on every POST (csrf-sync), login attempts counted
 * per address and per account, every change written to the audit log.
 */
export function createConsoleRouter(options: ConsoleOptions): Router {
  const router = Router();
  router.use(consoleHeaders);
  for (const [name, asset] of Object.entries(STATIC)) {
    router.get(`/static/${name}`, (_req, res) => {
      res.type(asset.type).sendFile(asset.file, { headers: { 'Cache-Control': 'no-cache' } });
    });
  }

  router.use(
    session({
      name: 'dim_console',
      secret: options.sessionSecret ?? randomBytes(32).toString('hex'),
      store: new PortSessionStore(options.sessions, SESSION_HOURS * 3600),
      resave: false,
      saveUninitialized: false,
      rolling: false,
      unset: 'destroy',
      // Secure whenever the request came over TLS (directly or, per TRUST_PROXY, via the proxy).
      cookie: {
        path: '/admin',
        httpOnly: true,
        sameSite: 'strict',
        secure: 'auto',
        maxAge: ANONYMOUS_MINUTES * 60_000,
      },
    }),
  );
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

  const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
    },
  });

  const context = (req: Request): PageContext => ({
    lang: langOf(req),
    user: req.session.user,
    csrf: generateToken(req),
  });
  const langSuffix = (req: Request) => (langOf(req) === 'en' ? '?lang=en' : '');

  const requireUser: RequestHandler = (req, res, next) => {
    if (req.session.user) return next();
    if (req.method === 'GET' && !req.path.startsWith('/export/')) {
      res.redirect(303, `/admin/login${langSuffix(req)}`);
      return;
    }
    res.status(401).type('text/plain').send('unauthorized');
  };
  const requireRole =
    (action: keyof typeof MAY): RequestHandler =>
    (req, res, next) => {
      if (req.session.user && MAY[action].includes(req.session.user.role)) return next();
      res
        .status(403)
        .type('html')
        .send(messagePage(context(req), tr(langOf(req), 'error.forbidden')));
    };

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
  const accounts = new Map(options.accounts.map((account) => [account.name, account]));
  const anyHash = options.accounts[0]?.hash ?? '';

  router.get('/', (req, res) => {
    res.redirect(303, `/admin/${req.session.user ? 'dashboard' : 'login'}${langSuffix(req)}`);
  });

  router.get('/login', async (req, res) => {
    if (req.session.user) {
      res.redirect(303, `/admin/dashboard${langSuffix(req)}`);
      return;
    }
    const views = await options.loginPageLimiter.hit(
      `console-login-page:{${options.hashAddress(req.ip ?? 'unknown')}}`,
    );
    if (!views.allowed) {
      res
        .status(429)
        .set('Retry-After', String(Math.max(1, Math.ceil(views.retryAfterMs / 1000))))
        .type('text/plain')
        .send('too many requests');
      return;
    }
    res.type('html').send(loginPage(context(req)));
  });

  router.post('/login', csrfSynchronisedProtection, async (req, res, next) => {
    const lang = langOf(req);
    const body = req.body as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.slice(0, 32) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 256) : '';
    const [byAddress, byName] = await Promise.all([
      options.loginLimiter.hit(`console-login:addr:{${options.hashAddress(req.ip ?? 'unknown')}}`),
      options.loginLimiter.hit(`console-login:name:{${options.hashAddress(`name:${name}`)}}`),
    ]);
    if (!byAddress.allowed || !byName.allowed) {
      const wait = Math.max(1, Math.ceil(Math.max(byAddress.retryAfterMs, byName.retryAfterMs) / 1000));
      options.logger.warn({ event: 'console_login_limited' }, 'console: login attempts over the limit');
      res
        .status(429)
        .set('Retry-After', String(wait))
        .type('html')
        .send(loginPage(context(req), tr(lang, 'login.limited')));
      return;
    }
    const account = accounts.get(name);
    // An unknown name costs the same scrypt as a known one: timing does not tell which names exist.
    const ok = account
      ? await verifyPassword(password, account.hash)
      : (await verifyPassword(password, anyHash), false);
    if (!account || !ok) {
      options.logger.warn({ event: 'console_login_failed' }, 'console: failed login');
      res
        .status(401)
        .type('html')
        .send(loginPage(context(req), tr(lang, 'login.failed')));
      return;
    }
    // A new session id at login: a session fixed before it is worth nothing after.
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.user = { name: account.name, role: account.role };
      req.session.cookie.maxAge = SESSION_HOURS * 3600_000;
      options.records.audit({ who: account.name, action: 'login', detail: account.role }).then(
        () => res.redirect(303, `/admin/dashboard${langSuffix(req)}`),
        (auditError: unknown) => next(auditError),
      );
    });
  });

  router.post('/logout', requireUser, csrfSynchronisedProtection, async (req, res, next) => {
    const who = req.session.user!.name;
    await options.records.audit({ who, action: 'logout', detail: '' });
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie('dim_console', { path: '/admin' });
      res.redirect(303, `/admin/login${langSuffix(req)}`);
    });
  });

  router.get('/dashboard', requireUser, async (req, res) => {
    const { from, to } = rangeOf(req);
    const [report, toFix] = await Promise.all([options.analytics.report(from, to), options.records.toFix()]);
    res.type('html').send(
      dashboardPage(context(req), report, toFix, {
        segmentCost: options.segmentCost,
        currency: options.currency,
        retentionDays: options.retentionDays,
        minDay: oldest(),
        maxDay: today(),
        canEdit: MAY.editToFix.includes(req.session.user!.role),
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
      const who = req.session.user!.name;
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
      const params = new URLSearchParams({ from, to, ...(langOf(req) === 'en' ? { lang: 'en' } : {}) });
      res.redirect(303, `/admin/dashboard?${params.toString()}#tofix`);
    },
  ];
  router.post('/tofix/add', ...toFixChange('add'));
  router.post('/tofix/remove', ...toFixChange('remove'));

  if (options.news) {
    const may = (action: keyof typeof MAY) => (req: Request) =>
      Boolean(req.session.user && MAY[action].includes(req.session.user.role));
    mountNewsRoutes(
      router,
      {
        context,
        langOf,
        requireUser,
        csrf: csrfSynchronisedProtection,
        mayEdit: may('editFollowUp'),
        mayBroadcast: may('broadcast'),
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
        mayTranslate: (req) => Boolean(req.session.user && MAY.translate.includes(req.session.user.role)),
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
    if (error === invalidCsrfTokenError || (error as { code?: string }).code === 'EBADCSRFTOKEN') {
      res
        .status(403)
        .type('html')
        .send(messagePage({ lang: langOf(req), user: req.session?.user }, tr(langOf(req), 'error.csrf')));
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
      .send(
        messagePage({ lang: langOf(req), user: req.session?.user }, tr(langOf(req), 'error.unavailable')),
      );
  };
  router.use(onError);
  return router;
}
