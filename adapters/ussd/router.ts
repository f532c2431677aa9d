import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { Config } from '../../src/config.js';
import type { Corpus, Engine } from '../../src/core/types.js';
import type { Clock, Logger, Metrics, SessionStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { knownPseudonym } from '../http/gateway-routes.js';
import * as at from './dialects/africastalking.js';
import * as latest from './dialects/latest-input.js';
import { createUssdCore, type SendRecommendationBySms, type UssdCore } from './session.js';
import type { UssdContext, UssdKeys } from './types.js';

export interface UssdRouterDeps {
  engine: Engine;
  corpus: Corpus;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  config: Pick<
    Config,
    | 'USSD_MAX_CHARS'
    | 'USSD_ALPHABET'
    | 'USSD_KEY_BACK'
    | 'USSD_KEY_HOME'
    | 'USSD_KEY_MORE'
    | 'USSD_SESSION_TTL_SECONDS'
    | 'USSD_RESUME_WINDOW_SECONDS'
    | 'REDIS_COMMAND_TIMEOUT_MS'
    | 'WEBHOOK_TOKEN'
    | 'WEBHOOK_BASIC_AUTH'
  >;
  logger: Logger;
  metrics: Metrics;
  /** Wired by the SMS channel; without it the menus do not offer "send by SMS". */
  sendRecommendationBySms?: SendRecommendationBySms;
}

/** Option keys that must not collide with the configurable navigation keys (1-5 are the home menu). */
export function ussdKeys(
  config: Pick<Config, 'USSD_KEY_BACK' | 'USSD_KEY_HOME' | 'USSD_KEY_MORE'>,
): UssdKeys {
  const nav = [config.USSD_KEY_BACK, config.USSD_KEY_HOME, config.USSD_KEY_MORE];
  const free = (candidates: string[]) => candidates.find((key) => !nav.includes(key)) ?? candidates.at(-1)!;
  return {
    back: config.USSD_KEY_BACK,
    home: config.USSD_KEY_HOME,
    more: config.USSD_KEY_MORE,
    sms: free(['9', '8', '7', '6']),
    resume: free(['6', '7', '8', '9']),
  };
}

export function ussdContext(
  deps: Pick<UssdRouterDeps, 'engine' | 'config' | 'sendRecommendationBySms'>,
): UssdContext {
  return {
    engine: deps.engine,
    maxChars: deps.config.USSD_MAX_CHARS,
    alphabet: deps.config.USSD_ALPHABET,
    keys: ussdKeys(deps.config),
    smsEnabled: deps.sendRecommendationBySms !== undefined,
  };
}

/** Small bodies only: a USSD hop is a few short fields. */
const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });
const json = express.json({ limit: '4kb', strict: true });

function onlyType(type: string, refuse: (res: Response) => void): RequestHandler {
  return (req, res, next) => {
    if (req.is(type)) next();
    else refuse(res);
  };
}

/**
 * The USSD routes, mounted at /ussd:
 *   POST /ussd          Africa's Talking hop (form) → text/plain CON/END
 *   POST /ussd/events   Africa's Talking end-of-session notification (form) → 200
 *   POST /ussd/hubtel   latest-input dialect modelled on Hubtel (JSON) → JSON
 * Nothing here answers 500: a fault becomes a clean END apology.
 */
export function createUssdRouter(deps: UssdRouterDeps): Router {
  const core: UssdCore = createUssdCore({
    ctx: ussdContext(deps),
    store: deps.store,
    pseudonymize: deps.pseudonymize,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics,
    sessionTtlSeconds: deps.config.USSD_SESSION_TTL_SECONDS,
    resumeWindowSeconds: deps.config.USSD_RESUME_WINDOW_SECONDS,
    storeDeadlineMs: deps.config.REDIS_COMMAND_TIMEOUT_MS,
    sendRecommendationBySms: deps.sendRecommendationBySms,
  });
  const { logger } = deps;
  // Mounted through mountGateway (adapters/http/gateway-routes.ts), whose guard already checks
  // the secret (path token or basic auth) before any body is read: a second guard here cost two
  // hashes and merged route parameters on every hop for nothing.
  const router = express.Router();

  const atReply = (res: Response, status: number, text: string) => {
    res.status(status).type('text/plain').send(text);
  };
  const atRefuse = (res: Response) =>
    atReply(res, 400, at.renderScreen(core.apology('ussd.error.badRequest')));
  const jsonRefuse = (res: Response) => res.status(400).json({ error: 'bad_request' });

  const guarded =
    (
      handle: (req: Request, res: Response) => Promise<void>,
      fallback: (res: Response) => void,
    ): RequestHandler =>
    async (req, res) => {
      try {
        await handle(req, res);
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'ussd: hop failed');
        if (!res.headersSent) fallback(res);
      }
    };

  router.post(
    '/',
    onlyType('application/x-www-form-urlencoded', atRefuse),
    form,
    guarded(
      async (req, res) => {
        const parsed = at.parseHop(req.body);
        if (!parsed.ok) {
          if (parsed.problem === 'tooLong')
            atReply(res, 200, at.renderScreen(core.apology('ussd.error.tooLong')));
          else atRefuse(res);
          return;
        }
        const hop = parsed.value;
        atReply(res, 200, at.renderScreen(await core.handleHop(hop, knownPseudonym(res, hop.phone))));
      },
      (res) => atReply(res, 200, at.renderScreen(core.apology('ussd.error.generic'))),
    ),
  );

  router.post(
    '/events',
    onlyType('application/x-www-form-urlencoded', (res) => atReply(res, 400, 'bad request')),
    form,
    guarded(
      async (req, res) => {
        const parsed = at.parseEvent(req.body);
        if (!parsed.ok) return atReply(res, 400, 'bad request');
        await core.sessionEnded(parsed.value.sessionId, parsed.value.phone, parsed.value.normal);
        atReply(res, 200, 'OK');
      },
      (res) => atReply(res, 200, 'OK'),
    ),
  );

  router.post(
    '/hubtel',
    onlyType('application/json', jsonRefuse),
    json,
    guarded(
      async (req, res) => {
        const parsed = latest.parseRequest(req.body);
        if (!parsed.ok) {
          if (parsed.problem === 'tooLong') {
            const sessionId = String((req.body as Record<string, unknown>).SessionId ?? '');
            res.json(latest.renderResponse(sessionId, core.apology('ussd.error.tooLong')));
          } else jsonRefuse(res);
          return;
        }
        const request = parsed.value;
        if (request.kind === 'ended') {
          await core.sessionEnded(request.sessionId, request.phone, request.normal);
          res.json(latest.renderResponse(request.sessionId, { text: '', end: true }));
          return;
        }
        const screen = await core.handleHop(request.hop, knownPseudonym(res, request.hop.phone));
        res.json(latest.renderResponse(request.hop.sessionId, screen));
      },
      (res) => res.json(latest.renderResponse('', core.apology('ussd.error.generic'))),
    ),
  );

  // Body parser refusals (too large, too many fields, malformed JSON): a 4xx, never a 500.
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, req, res, _next) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
    if (status === 400 && !error.status) logger.error({ err: String(error) }, 'ussd: unexpected error');
    if (res.headersSent) return;
    if (req.path.startsWith('/hubtel')) res.status(status).json({ error: error.type ?? 'bad_request' });
    else atReply(res, status, at.renderScreen(core.apology('ussd.error.badRequest')));
  };
  router.use(onError);
  return router;
}
