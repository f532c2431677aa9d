import type { Config } from '../../src/config.js';
import type { Corpus, Engine } from '../../src/core/types.js';
import type { Analytics, Clock, Logger, Metrics, SessionStore, UssdHopStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import {
  pseudonymOf,
  type GatewayAnswer,
  type GatewayHandler,
  type GatewayRequest,
} from '../gateway/contract.js';
import { dialectAt, USSD_DIALECTS, type UssdDialect } from './dialects/index.js';
import { createUssdSessions, type SendRecommendationBySms, type UssdSessions } from './session.js';
import type { MenuKeys } from '../../src/menu/index.js';
import type { NeutralScreen, UssdContext } from './types.js';

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
function ussdKeys(config: Pick<Config, 'USSD_KEY_BACK' | 'USSD_KEY_HOME' | 'USSD_KEY_MORE'>): MenuKeys {
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

/**
 * The USSD channel's gateway webhook (adapters/gateway/contract.ts), one route per entry of the
 * dialect table (dialects/index.ts), all served by the one runner:
 *   POST /ussd          Africa's Talking hop (form) → text/plain CON/END
 *   POST /ussd/events   Africa's Talking end-of-session notification (form) → 200
 *   POST /ussd/hubtel   latest-input dialect modelled on Hubtel (JSON) → JSON
 * Nothing here answers 500: a fault becomes a clean END apology in the dialect. The person's
 * budget is counted by the hop itself, in the one script that also reads its session.
 */
export function createUssdGateway(deps: UssdRouterDeps): GatewayHandler {
  const sessions: UssdSessions = createUssdSessions({
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
  const badRequest = sessions.apology('badRequest');
  const generic = sessions.apology('generic');
  const ENDED: NeutralScreen = { text: '', end: true };

  /** A request in `dialect` answered: never rejects (a fault is the dialect's END apology). */
  const answer = async (dialect: UssdDialect, request: GatewayRequest): Promise<GatewayAnswer> => {
    const body = request.fields;
    try {
      const parsed = dialect.parse(body);
      if (!parsed.ok) {
        return parsed.problem === 'tooLong'
          ? dialect.render(body, sessions.apology('tooLong'))
          : dialect.refusal(body, 400, badRequest);
      }
      const hop = parsed.value;
      if (hop.kind === 'ended') {
        await sessions.sessionEnded(hop.sessionId, hop.phone, hop.normal);
        return dialect.render(body, ENDED);
      }
      const person = request.person;
      const screen = await sessions.handleHop(hop.hop, pseudonymOf(person, hop.hop.phone), person?.budget);
      return dialect.render(body, screen);
    } catch (error) {
      logger.error({ dialect: dialect.name, err: (error as Error).message }, 'ussd: hop failed');
      return dialect.render(body, generic);
    }
  };

  return {
    channel: 'ussd',
    budget: 'channel',
    routes: USSD_DIALECTS.map((dialect) => ({
      path: dialect.path,
      accepts: [dialect.accepts],
      phone: (fields) => dialect.phone(fields),
      handle: (request) => answer(dialect, request),
    })),
    // The runner's refusals (413, 415, 400 bad encoding) and its deadline, in the route's dialect.
    refusal: (refusal, request) =>
      dialectAt(request.route).refusal(request.fields, refusal.status, badRequest),
    apology: (request) => dialectAt(request.route).render(request.fields, generic),
  };
}
