import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { Config } from '../../src/config.js';
import type { Corpus, Engine } from '../../src/core/types.js';
import type { Analytics, Clock, Logger, Metrics, SessionStore, UssdHopStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { existingContext, pseudonymOf, type KnownPerson } from '../gateway/context.js';
import type { GatewayLane } from '../gateway/lane.js';
import { inSequence } from '../gateway/sequence.js';
import { dialectAt, USSD_DIALECTS, type DialectAnswer, type UssdDialect } from './dialects/index.js';
import { createUssdCore, type SendRecommendationBySms, type UssdCore } from './session.js';
import type { NeutralScreen, UssdContext, UssdKeys } from './types.js';

export interface UssdRouterDeps {
  engine: Engine;
  corpus: Corpus;
  store: SessionStore;
  /**
   * A hop's reads (with the budget the gateway left to it) and writes, one round trip each
   * (adapters/stores/ussd-hops.ts); default: the same steps over `store`, counting no budget.
   */
  hops?: UssdHopStore;
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
  /** The console's aggregates; nothing is counted when absent. */
  analytics?: Analytics;
  /** Wired by the SMS channel; without it the menus do not offer "send by SMS". */
  sendRecommendationBySms?: SendRecommendationBySms;
}

/** Option keys that must not collide with the configurable navigation keys (1-5 are the home menu). */
function ussdKeys(config: Pick<Config, 'USSD_KEY_BACK' | 'USSD_KEY_HOME' | 'USSD_KEY_MORE'>): UssdKeys {
  const nav = [config.USSD_KEY_BACK, config.USSD_KEY_HOME, config.USSD_KEY_MORE];
  const free = (candidates: string[], taken: string[] = nav) =>
    candidates.find((key) => !taken.includes(key)) ?? candidates.at(-1)!;
  const sms = free(['9', '8', '7', '6']);
  // Shown next to "send by SMS" on a recommendation, so it must differ from it too.
  const feedback = free(['8', '7', '6', '5'], [...nav, sms]);
  return {
    back: config.USSD_KEY_BACK,
    home: config.USSD_KEY_HOME,
    more: config.USSD_KEY_MORE,
    sms,
    resume: free(['6', '7', '8', '9']),
    feedback,
    // "The report's text" under a Bambara summary: beside "send by SMS" and "your opinion".
    text: free(['8', '7', '6', '5'], [...nav, sms, feedback]),
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
const PARSERS = {
  'application/x-www-form-urlencoded': express.urlencoded({
    extended: false,
    limit: '4kb',
    parameterLimit: 20,
  }),
  'application/json': express.json({ limit: '4kb', strict: true }),
} as const;

export function sendAnswer(res: Response, answer: DialectAnswer): void {
  res.status(answer.status);
  if (typeof answer.body === 'string') res.type('text/plain').send(answer.body);
  else res.json(answer.body);
}

/**
 * The USSD routes, mounted at /ussd, one per entry of the dialect table (dialects/index.ts):
 *   POST /ussd          Africa's Talking hop (form) → text/plain CON/END
 *   POST /ussd/events   Africa's Talking end-of-session notification (form) → 200
 *   POST /ussd/hubtel   latest-input dialect modelled on Hubtel (JSON) → JSON
 * Nothing here answers 500: a fault becomes a clean END apology in the dialect.
 */
export function createUssdRouter(deps: UssdRouterDeps): Router {
  return createUssdChannel(deps).router;
}

/**
 * The USSD channel: its express routes (every dialect, every request) and the gateway's fast
 * lane for the common one, an Africa's Talking hop (adapters/gateway/lane.ts). Both answer
 * through `answer`: the same parsing, hop and rendering.
 */
export function createUssdChannel(deps: UssdRouterDeps): { router: Router; lane: GatewayLane } {
  const core: UssdCore = createUssdCore({
    ctx: ussdContext(deps),
    store: deps.store,
    ...(deps.hops ? { hops: deps.hops } : {}),
    pseudonymize: deps.pseudonymize,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.analytics ? { analytics: deps.analytics } : {}),
    sessionTtlSeconds: deps.config.USSD_SESSION_TTL_SECONDS,
    resumeWindowSeconds: deps.config.USSD_RESUME_WINDOW_SECONDS,
    storeDeadlineMs: deps.config.REDIS_COMMAND_TIMEOUT_MS,
    sendRecommendationBySms: deps.sendRecommendationBySms,
  });
  const { logger } = deps;
  const badRequest = core.apology('badRequest');
  const ENDED: NeutralScreen = { text: '', end: true };

  /** A request in `dialect` answered: never rejects (a fault is the dialect's END apology). */
  const answer = async (
    dialect: UssdDialect,
    body: unknown,
    person: KnownPerson | undefined,
  ): Promise<DialectAnswer> => {
    try {
      const parsed = dialect.parse(body);
      if (!parsed.ok) {
        return parsed.problem === 'tooLong'
          ? dialect.render(body, core.apology('tooLong'))
          : dialect.refusal(body, 400, badRequest);
      }
      const request = parsed.value;
      if (request.kind === 'ended') {
        await core.sessionEnded(request.sessionId, request.phone, request.normal);
        return dialect.render(body, ENDED);
      }
      const screen = await core.handleHop(
        request.hop,
        pseudonymOf(person, request.hop.phone),
        person?.budget,
      );
      return dialect.render(body, screen);
    } catch (error) {
      logger.error({ dialect: dialect.name, err: (error as Error).message }, 'ussd: hop failed');
      return dialect.render(body, core.apology('generic'));
    }
  };

  // Mounted through mountGateway (adapters/gateway/mount.ts), whose guard already checks the
  // secret (path token or basic auth) before any body is read: a second guard here cost two
  // hashes and merged route parameters on every hop for nothing.
  const router = express.Router();
  for (const dialect of USSD_DIALECTS) {
    const refuse = (req: Request, res: Response, status = 400) =>
      sendAnswer(res, dialect.refusal(req.body, status, badRequest));

    const handle: RequestHandler = async (req, res) => {
      const answered = await answer(dialect, req.body, existingContext(res)?.person);
      if (!res.headersSent) sendAnswer(res, answered);
    };

    // Body parser refusals (too large, too many fields, malformed JSON): a 4xx, never a 500.
    const onError: ErrorRequestHandler = (error: { status?: number }, req, res, _next) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
      if (status === 400 && !error.status) logger.error({ err: String(error) }, 'ussd: unexpected error');
      if (!res.headersSent) refuse(req, res, status);
    };

    const onlyType: RequestHandler = (req, res, next) => {
      // The exact header (every Africa's Talking hop) needs no parsing of its media type.
      if (req.headers['content-type'] === dialect.contentType || req.is(dialect.contentType)) next();
      else refuse(req, res);
    };
    // One handler for the type check, the dialect's parser (a no-op on a body the gateway
    // already parsed) and the hop: the router dispatches each handler of a route as a layer.
    router.post(dialect.path, inSequence([onlyType, PARSERS[dialect.contentType], handle]), onError);
  }

  // The fast lane serves the mount's own path: Africa's Talking's hop, a form.
  const hopDialect = dialectAt('/');
  const lane: GatewayLane = {
    phone: (body) => hopDialect.phone(body),
    answer: (body, person) => answer(hopDialect, body, person),
    refusal: (status) => hopDialect.refusal(undefined, status, badRequest),
    apology: () => hopDialect.render(undefined, core.apology('generic')),
  };
  return { router, lane };
}
