import { randomBytes } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
import { roleMay, type Capability, type ConsoleAccount, type ConsoleRole } from '../../src/config.js';
import type { Logger, RateDecision, RateLimiter, SessionStore } from '../../src/ports/index.js';
import { loginPage, messagePage, type PageContext } from './pages.js';
import { verifyPassword } from './password.js';
import type { ConsoleRecords } from './records.js';
import { PortSessionStore } from './session-store.js';
import { langOf, langParams, langSuffix, tr } from './strings.js';

declare module 'express-session' {
  interface SessionData {
    /** The account signed in; its role is read from the accounts on every request, not from here. */
    user?: { name: string; role: ConsoleRole };
  }
}

/**
 * The one login system of the operators' tools: the console at /admin and the recording studio
 * at /studio share its accounts (CONSOLE_USERS), its session (express-session over the service's
 * store, one cookie for both), its CSRF tokens (csrf-sync), its sign-in limits and its audit log.
 *
 * Sign-in (issue 33): the password is checked with node's asynchronous scrypt, never on the
 * event loop, at most MAX_CHECKS at a time per process (each costs 128 MiB at the default cost);
 * failures are counted per client address and per account (a success is refunded, so an
 * operator who signs in is never counted, and attempts made at the same moment cannot all slip
 * under the limit); failures and lockouts are audited. Every request reads the account's role
 * from the accounts as they are now: a removed account is signed out, a demoted one loses its
 * rights at once, not when its session expires.
 */
export interface ConsoleAuthOptions {
  accounts: ConsoleAccount[];
  /** Signs the session cookie; a random one per process when unset (outside production). */
  sessionSecret?: string;
  sessions: SessionStore;
  /** Failed sign-ins per client address (CONSOLE_LOGIN_ATTEMPTS per 15 minutes). */
  loginLimiter: RateLimiter;
  /** Failed sign-ins per account name from any address (CONSOLE_ACCOUNT_ATTEMPTS per 15 minutes). */
  accountLimiter: RateLimiter;
  /** Views of the login page per address (each stores a short anonymous session for its token). */
  loginPageLimiter: RateLimiter;
  hashAddress: (address: string) => string;
  records: ConsoleRecords;
  logger: Logger;
}

interface SignedIn {
  name: string;
  role: ConsoleRole;
}

export interface ConsoleAuth {
  /** The session, for any router of the operators' tools (the console's, the studio's). */
  session: RequestHandler;
  /** Checks the synchroniser token of a POST (form field `_csrf` or header `X-CSRF-Token`). */
  csrf: RequestHandler;
  csrfToken(req: Request): string;
  isCsrfError(error: unknown): boolean;
  /** The account signed in, with its current role; undefined when none (or removed since). */
  user(req: Request): SignedIn | undefined;
  may(req: Request, capability: Capability): boolean;
  /** Signed in, or: GET pages go to the sign-in page (and back after it), the rest get 401. */
  requireUser: RequestHandler;
  /** Signed in with a role that has `capability`, else 403 (a page saying so). */
  requireCapability(capability: Capability): RequestHandler;
  /** /login (GET, POST) and /logout, for the console's router. */
  routes: Router;
}

const SESSION_HOURS = 8;
const ANONYMOUS_MINUTES = 15;
/** Password checks running at once in this process: each holds 128 MiB and a libuv thread. */
const MAX_CHECKS = 2;
/** Checks waiting for a slot; beyond, a sign-in is answered 429 at once (the process is busy). */
const MAX_WAITING = 4;
/** A check not started within this long is answered 429 too: a sign-in never nears the request deadline. */
const MAX_WAIT_MS = 1000;

const langSuffixOf = (req: Request) => langSuffix(langOf(req));

/** Where to go after signing in: a page of the operators' tools, never another site. */
function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  return /^\/(admin|studio)(\/[\w./-]*)?$/.test(value) && !value.includes('..') && !value.includes('//')
    ? value
    : undefined;
}

/**
 * A counting semaphore: at most `size` at once, `queue` more waiting at most `maxWaitMs` each,
 * the rest refused ('busy').
 */
function slots(size: number, queue: number, maxWaitMs: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T | 'busy'> {
      if (running >= size) {
        if (waiting.length >= queue) return 'busy';
        const started = await new Promise<boolean>((resolve) => {
          const go = () => {
            clearTimeout(timer);
            resolve(true);
          };
          const timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(go), 1);
            resolve(false);
          }, maxWaitMs);
          waiting.push(go);
        });
        if (!started) return 'busy';
      } else running++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}

export function createConsoleAuth(options: ConsoleAuthOptions): ConsoleAuth {
  const accounts = new Map(options.accounts.map((account) => [account.name, account]));
  const anyHash = options.accounts[0]?.hash ?? '';
  const checks = slots(MAX_CHECKS, MAX_WAITING, MAX_WAIT_MS);

  const sessionMiddleware = session({
    name: 'dim_console',
    secret: options.sessionSecret ?? randomBytes(32).toString('hex'),
    store: new PortSessionStore(options.sessions, SESSION_HOURS * 3600),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    // One cookie for /admin and /studio. Secure whenever the request came over TLS (directly
    // or, per TRUST_PROXY, via the proxy).
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: 'auto',
      maxAge: ANONYMOUS_MINUTES * 60_000,
    },
  });

  const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
    },
  });

  const user = (req: Request): SignedIn | undefined => {
    const name = req.session?.user?.name;
    const account = name === undefined ? undefined : accounts.get(name);
    return account ? { name: account.name, role: account.role } : undefined;
  };

  const context = (req: Request): PageContext => ({
    lang: langOf(req),
    user: user(req),
    csrf: generateToken(req),
  });

  const requireUser: RequestHandler = (req, res, next) => {
    const signedIn = user(req);
    if (signedIn) {
      // The role as it is now (CONSOLE_USERS of this process), whatever the session remembers.
      req.session.user = signedIn;
      return next();
    }
    const stale = Boolean(req.session?.user);
    const answer = () => {
      if (req.method === 'GET' && !req.path.startsWith('/export/') && !req.path.startsWith('/api/')) {
        const next = safeNext(req.originalUrl.split('?')[0]);
        const params = new URLSearchParams({
          ...(next && next !== '/admin/login' ? { next } : {}),
          ...langParams(langOf(req)),
        }).toString();
        res.redirect(303, `/admin/login${params ? `?${params}` : ''}`);
        return;
      }
      res.status(401).type('text/plain').send('unauthorized');
    };
    // An account removed since it signed in: its session ends here.
    if (stale) {
      options.logger.info({ event: 'console_session_ended' }, 'console: session of a removed account ended');
      req.session.destroy(() => answer());
      return;
    }
    answer();
  };

  const limited = (req: Request, res: Response, decisions: RateDecision[]) => {
    const wait = Math.max(1, Math.ceil(Math.max(...decisions.map((d) => d.retryAfterMs)) / 1000));
    res
      .status(429)
      .set('Retry-After', String(wait))
      .type('html')
      .send(loginPage(context(req), tr(langOf(req), 'login.limited'), safeNext(req.body?.next)));
  };

  const routes = Router();
  routes.get('/login', async (req, res) => {
    const next = safeNext(req.query.next);
    if (user(req)) {
      res.redirect(303, next ?? `/admin/dashboard${langSuffixOf(req)}`);
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
    res.type('html').send(loginPage(context(req), undefined, next));
  });

  routes.post('/login', csrfSynchronisedProtection, async (req, res, next) => {
    const lang = langOf(req);
    const body = req.body as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.slice(0, 32) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 256) : '';
    const account = accounts.get(name);
    // Known names only, in the audit log: a password typed in the name field must not land there.
    const who = account?.name ?? '(unknown)';
    const addressKey = `console-login:addr:{${options.hashAddress(req.ip ?? 'unknown')}}`;
    const accountKey = `console-login:name:{${options.hashAddress(`name:${name}`)}}`;
    // Every attempt is counted while it is checked (attempts at the same moment cannot all slip
    // under the limit); a success is refunded below, so only failures remain counted. A refused
    // attempt was never checked: refunded too, so the counts are failures (and attempts being
    // checked), never refusals.
    const byAddress = await options.loginLimiter.hit(addressKey);
    if (!byAddress.allowed) {
      await options.loginLimiter.refund?.(addressKey);
      options.logger.warn(
        { event: 'console_login_limited', by: 'address' },
        'console: login attempts over the limit',
      );
      return limited(req, res, [byAddress]);
    }
    const byAccount = await options.accountLimiter.hit(accountKey);
    if (!byAccount.allowed) {
      await Promise.all([
        options.loginLimiter.refund?.(addressKey),
        options.accountLimiter.refund?.(accountKey),
      ]);
      options.logger.warn(
        { event: 'console_login_limited', by: 'account' },
        'console: login attempts over the limit',
      );
      return limited(req, res, [byAccount]);
    }
    // An unknown name costs the same scrypt as a known one: timing does not tell which names exist.
    const verdict = await checks.run(() =>
      account ? verifyPassword(password, account.hash) : verifyPassword(password, anyHash).then(() => false),
    );
    if (verdict === 'busy') {
      // Not a failure of this account: nothing stays counted.
      await Promise.all([
        options.loginLimiter.refund?.(addressKey),
        options.accountLimiter.refund?.(accountKey),
      ]);
      options.logger.warn({ event: 'console_login_busy' }, 'console: too many sign-ins at once');
      return limited(req, res, [{ allowed: false, remaining: 0, retryAfterMs: 1000 }]);
    }
    if (!verdict) {
      options.logger.warn({ event: 'console_login_failed' }, 'console: failed login');
      await options.records.audit({ who, action: 'login.failed', detail: '' });
      // The failure that used up a budget locks it: said once, in the audit log.
      if (byAccount.remaining === 0)
        await options.records.audit({ who, action: 'login.locked', detail: 'account' });
      if (byAddress.remaining === 0)
        await options.records.audit({ who, action: 'login.locked', detail: 'address' });
      res
        .status(401)
        .type('html')
        .send(loginPage(context(req), tr(lang, 'login.failed'), safeNext(body.next)));
      return;
    }
    await Promise.all([
      options.loginLimiter.refund?.(addressKey),
      options.accountLimiter.refund?.(accountKey),
    ]);
    const target = safeNext(body.next) ?? `/admin/dashboard${langSuffixOf(req)}`;
    // A new session id at login: a session fixed before it is worth nothing after.
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.user = { name: account!.name, role: account!.role };
      req.session.cookie.maxAge = SESSION_HOURS * 3600_000;
      options.records.audit({ who: account!.name, action: 'login', detail: account!.role }).then(
        () => res.redirect(303, target),
        (auditError: unknown) => next(auditError),
      );
    });
  });

  routes.post('/logout', requireUser, csrfSynchronisedProtection, async (req, res, next) => {
    const who = user(req)!.name;
    await options.records.audit({ who, action: 'logout', detail: '' });
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie('dim_console', { path: '/' });
      res.redirect(303, `/admin/login${langSuffixOf(req)}`);
    });
  });

  return {
    session: sessionMiddleware,
    csrf: csrfSynchronisedProtection,
    csrfToken: (req) => generateToken(req),
    isCsrfError: (error) =>
      error === invalidCsrfTokenError || (error as { code?: string } | undefined)?.code === 'EBADCSRFTOKEN',
    user,
    may: (req, capability) => {
      const signedIn = user(req);
      return Boolean(signedIn && roleMay(signedIn.role, capability));
    },
    requireUser,
    requireCapability: (capability) => (req, res, next) => {
      const signedIn = user(req);
      if (signedIn && roleMay(signedIn.role, capability)) return next();
      res
        .status(403)
        .type('html')
        .send(messagePage(context(req), tr(langOf(req), 'error.forbidden')));
    },
    routes,
  };
}
