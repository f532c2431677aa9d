import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../../../src/config.js';
import { createCallbacks, type CallbackRequests } from '../../../src/callback/callbacks.js';
import type { CallPlacer, Clock, Logger, SessionStore } from '../../../src/ports/index.js';
import type { Pseudonymizer } from '../../../src/privacy/pseudonym.js';
import type { SpendingCaps } from '../../../src/spending/caps.js';
import { createAfricasTalkingCallPlacer } from './africastalking.js';
import { metricFamilies } from '../../metrics/families.js';
import { CallOutbox } from './outbox.js';

export interface CallBacks {
  /** Shared by the voice line (missed calls) and the SMS channel (APPEL). */
  callbacks: CallbackRequests;
  /** The dev outbox (no AT credentials): what would have been dialled. */
  outbox?: CallOutbox;
  /** GET /dev/calls: the outbox's entries, outside production only. */
  outboxRouter?: Router;
}

export interface CallBacksDeps {
  config: Pick<
    Config,
    | 'VOICE_CALLBACK'
    | 'VOICE_CALLBACK_FROM'
    | 'VOICE_CALLBACK_PER_DAY'
    | 'AT_USERNAME'
    | 'AT_API_KEY'
    | 'production'
  >;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  logger: Logger;
  registry?: Registry;
  /** Tests and operators' tools: the pause between a rejected missed call and the call back. */
  missedCallDelayMs?: number;
  /** The service's daily cap on calls (VOICE_CALLBACK_SERVICE_PER_DAY), shared by the instances. */
  caps?: SpendingCaps;
}

/**
 * "Call me back" wired for the service: Africa's Talking's SDK when AT_USERNAME, AT_API_KEY and
 * VOICE_CALLBACK_FROM are set, else a memory outbox (GET /dev/calls) so `npm start` shows what
 * would be dialled. Counted in `dim_voice_callbacks_total{trigger, outcome}`.
 */
export function createCallBacks(deps: CallBacksDeps): CallBacks {
  const { config, pseudonymize, clock } = deps;
  const logger = deps.logger.child({ channel: 'voice' });
  let placer: CallPlacer;
  let outbox: CallOutbox | undefined;
  if (config.AT_USERNAME && config.AT_API_KEY && config.VOICE_CALLBACK_FROM) {
    placer = createAfricasTalkingCallPlacer({
      username: config.AT_USERNAME,
      apiKey: config.AT_API_KEY,
      from: config.VOICE_CALLBACK_FROM,
    });
  } else {
    outbox = new CallOutbox(pseudonymize, clock);
    placer = outbox;
  }
  const counter = deps.registry
    ? metricFamilies(deps.registry).counter(
        'dim_voice_callbacks_total',
        'Call backs asked for (missed call, SMS APPEL) and what became of them',
        ['trigger', 'outcome'],
      )
    : undefined;
  const callbacks = createCallbacks({
    enabled: config.VOICE_CALLBACK === 'on',
    perDay: config.VOICE_CALLBACK_PER_DAY,
    store: deps.store,
    placer,
    pseudonymize,
    clock,
    logger,
    ...(deps.missedCallDelayMs !== undefined ? { missedCallDelayMs: deps.missedCallDelayMs } : {}),
    ...(deps.caps ? { caps: deps.caps } : {}),
    onOutcome: (trigger, outcome) => counter?.inc({ trigger, outcome }),
  });
  let outboxRouter: Router | undefined;
  if (outbox && config.VOICE_CALLBACK === 'on' && !config.production) {
    const box = outbox;
    outboxRouter = Router();
    outboxRouter.get('/', (_req, res) => void res.json(box.list()));
  }
  return { callbacks, outbox, outboxRouter };
}
