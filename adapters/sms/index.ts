import { Router } from 'express';
import { isGatewayPhone } from '../../src/privacy/phone.js';
import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { FollowUpDeps } from '../../src/followup/turn.js';
import type { TurnBudget } from '../../src/conversation/turn-state.js';
import type { Config } from '../../src/config.js';
import type { Engine } from '../../src/core/types.js';
import type {
  Clock,
  Logger,
  Analytics,
  Metrics,
  OptOutRegistry,
  SessionStore,
  SmsSender,
} from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { SentToday, SpendingCaps } from '../../src/spending/caps.js';
import { createSmsConversation, type SmsConversation } from './conversation.js';
import { createOptOutRegistry } from '../stores/optout.js';
import { connections } from '../stores/connections.js';
import { createSmsGateway } from './router.js';
import type { GatewayHandler } from '../gateway/contract.js';
import { createAfricasTalkingSender } from './senders/africastalking.js';
import { OutboxSender } from './senders/outbox.js';
import { withRetry, type RetryPolicy } from './senders/retry.js';

export interface SmsChannel extends SmsConversation {
  /** The webhook at /sms (or /sms/<token> with WEBHOOK_TOKEN), served by the gateway runner. */
  gateway: GatewayHandler;
  /** GET / lists the outbox; only without gateway credentials and outside production. */
  outboxRouter?: Router;
  outbox?: OutboxSender;
  optOuts: OptOutRegistry;
  /** The gateway sender (with its retries) or the outbox: broadcasts go out through it too. */
  sender: SmsSender;
  /** Waits for pending sends, then closes the opt-out registry. */
  close(): Promise<void>;
}

export interface SmsChannelDeps {
  config: Config;
  engine: Engine;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics: Metrics;
  /** The console's aggregates (replies, searches that missed, segments, reactions). */
  analytics?: Analytics;
  clock: Clock;
  /** "Call me back" by SMS (APPEL), shared with the voice line's missed calls. */
  callbacks?: CallbackRequests;
  /** SUIVI, ABONNE, DESABONNE (src/followup/turn.ts). */
  followUp?: FollowUpDeps;
  /** Daily caps on SMS segments (per number, service-wide) and "sent to you today" (issue 33). */
  spending?: { caps: SpendingCaps; sentToday: SentToday };
  /** How the person's budget is counted in the turn's one read (adapters/platform.ts `smsBudget`). */
  budget?: TurnBudget;
  /** Tests: a registry or sender of their own, a faster retry policy. */
  optOuts?: OptOutRegistry;
  sender?: SmsSender;
  retry?: Partial<RetryPolicy>;
}

export function createSmsChannel(deps: SmsChannelDeps): SmsChannel {
  const { config, logger: parentLogger, pseudonymize, clock } = deps;
  const logger = parentLogger.child({ channel: 'sms' });
  const optOuts =
    deps.optOuts ?? createOptOutRegistry(config, connections(config, logger), logger, clock, 'sms');
  let outbox: OutboxSender | undefined;
  let sender = deps.sender;
  if (!sender && config.AT_USERNAME && config.AT_API_KEY) {
    const at = createAfricasTalkingSender({
      username: config.AT_USERNAME,
      apiKey: config.AT_API_KEY,
      from: config.AT_SHORTCODE,
    });
    sender = withRetry(at, { logger, pseudonymize, policy: deps.retry });
  }
  if (!sender) {
    if (config.production)
      logger.warn({}, 'no AT_USERNAME/AT_API_KEY: SMS replies go nowhere but a memory outbox');
    outbox = new OutboxSender(pseudonymize, clock);
    sender = outbox;
  }

  const conversation = createSmsConversation({
    engine: deps.engine,
    store: deps.store,
    optOuts,
    sender,
    pseudonymize,
    logger,
    metrics: deps.metrics,
    ...(deps.analytics ? { analytics: deps.analytics } : {}),
    maxSegments: config.SMS_MAX_SEGMENTS,
    ucs2Langs: new Set(config.smsUcs2Langs),
    ...(deps.callbacks ? { callbacks: deps.callbacks } : {}),
    ...(deps.followUp ? { followUp: deps.followUp } : {}),
    clock,
    ...(deps.spending ? { spending: deps.spending } : {}),
    ...(deps.budget ? { budget: deps.budget } : {}),
  });
  const gateway = createSmsGateway({
    config,
    conversation,
    optOuts,
    store: deps.store,
    pseudonymize,
    logger,
    metrics: deps.metrics,
    // With a way to count it in the turn's read, the runner hands the budget key over.
    budget: deps.budget ? 'channel' : 'runner',
  });

  let outboxRouter: Router | undefined;
  if (outbox && !config.production) {
    const box = outbox;
    outboxRouter = Router();
    // `?to=<number>` keeps one phone's messages: the entries name recipients by pseudonym only,
    // so a tester's page cannot pick its own replies out of everyone's.
    outboxRouter.get('/', (req, res) => {
      const to = req.query.to;
      if (to === undefined) return void res.json(box.list());
      if (!isGatewayPhone(to)) {
        return void res.status(400).json({ error: 'bad_request', message: 'to must be one phone number' });
      }
      const pseudonym = pseudonymize(to);
      res.json(box.list().filter((entry) => entry.to === pseudonym));
    });
  }

  return {
    ...conversation,
    gateway,
    outboxRouter,
    outbox,
    optOuts,
    sender,
    close: async () => {
      await conversation.flush();
      await optOuts.close();
    },
  };
}
