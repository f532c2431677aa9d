import type { Router } from 'express';
import type { Config } from '../../src/config.js';
import type { Engine } from '../../src/core/types.js';
import type {
  Analytics,
  Clock,
  Logger,
  Metrics,
  OptOutRegistry,
  RateLimiter,
  SessionStore,
} from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { storeKeys } from '../../src/ports/keys.js';
import { createOptOutRegistry } from '../stores/optout.js';
import { connections } from '../stores/connections.js';
import {
  createGraphClient,
  REENGAGEMENT_REQUIRED,
  type GraphClient,
  type GraphPolicy,
} from './graph-client.js';
import type { OutgoingMessage } from './limits.js';
import { noWhatsAppMetrics, type WhatsAppMetrics } from './metrics.js';
import {
  parseNotification,
  type InboundMessage,
  type ParsedNotification,
  type StatusEvent,
} from './parse.js';
import type { FollowUpDeps } from '../../src/followup/turn.js';
import { createServiceWindow, WINDOW_SECONDS } from './state.js';
import { createWhatsAppTurn, type WhatsAppTurn } from './turn.js';
import { createWhatsAppWebhook } from './webhook.js';
import { withDeadline } from '../../src/core/deadline.js';

export interface WhatsAppChannelDeps {
  config: Pick<
    Config,
    | 'embedded'
    | 'REDIS_URL'
    | 'REDIS_SENTINELS'
    | 'REDIS_SENTINEL_NAME'
    | 'REDIS_CLUSTER_NODES'
    | 'REDIS_COMMAND_TIMEOUT_MS'
    | 'REDIS_KEY_PREFIX'
    | 'DATA_DIR'
    | 'WHATSAPP_TOKEN'
    | 'WHATSAPP_APP_SECRET'
    | 'WHATSAPP_VERIFY_TOKEN'
    | 'WHATSAPP_PHONE_NUMBER_ID'
    | 'WHATSAPP_API_ROOT'
    | 'WHATSAPP_API_VERSION'
    | 'WHATSAPP_TEMPLATE_NAME'
    | 'WHATSAPP_TEMPLATE_LANG'
    | 'REQUEST_TIMEOUT_MS'
    | 'publicPageBase'
  >;
  engine: Engine;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  whatsappMetrics?: WhatsAppMetrics;
  /** The console's aggregates (replies, searches that missed); nothing is counted when absent. */
  analytics?: Analytics;
  /** The per-person budget every phone channel shares (RATE_LIMIT_PER_MINUTE); absent: none. */
  limiter?: RateLimiter;
  /** Tests: a faster retry policy. */
  policy?: Partial<GraphPolicy>;
  /** Where Graph requests go instead of the network (the simulator's dev sink, dev-sink.ts). */
  fetch?: typeof fetch;
  /** Tests: an opt-out list of their own (default: Redis when configured, else a journal under DATA_DIR). */
  optOuts?: OptOutRegistry;
  /** SUIVI, ABONNE, DESABONNE (src/followup/turn.ts); absent: those words are searched. */
  followUp?: FollowUpDeps;
  /** Tests: a turn of their own (default: the shared text conversation, turn.ts). */
  turn?: WhatsAppTurn;
}

type NotifyOutcome = 'sent' | 'template' | 'skipped' | 'optedOut' | 'failed';

export interface WhatsAppChannel {
  /** Mounted at /whatsapp: no path token, Meta signs every notification instead. */
  routes: Array<{ path: string; router: Router }>;
  /**
   * A message we start (a broadcast from the console): free-form inside the person's 24-hour
   * window; outside it the approved template WHATSAPP_TEMPLATE_NAME, or skipped and counted.
   */
  notify(waId: string, messages: OutgoingMessage[]): Promise<NotifyOutcome>;
  /** Resolves when every notification received so far has been processed and answered. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Undefined when the channel is off (WHATSAPP_* unset). */
export function createWhatsAppChannel(deps: WhatsAppChannelDeps): WhatsAppChannel | undefined {
  const { config, store, pseudonymize, metrics, clock, limiter } = deps;
  const token = config.WHATSAPP_TOKEN;
  const appSecret = config.WHATSAPP_APP_SECRET;
  const verifyToken = config.WHATSAPP_VERIFY_TOKEN;
  const phoneNumberId = config.WHATSAPP_PHONE_NUMBER_ID;
  if (!token || !appSecret || !verifyToken || !phoneNumberId) return undefined;

  const logger = deps.logger.child({ channel: 'whatsapp' });
  // A STOP must be durable before its notification is acknowledged, within the request's deadline.
  const ackBudgetMs = Math.max(100, config.REQUEST_TIMEOUT_MS - 1000);
  const waMetrics = deps.whatsappMetrics ?? noWhatsAppMetrics;
  const window = createServiceWindow(store, clock);
  const optOuts =
    deps.optOuts ?? createOptOutRegistry(config, connections(config, logger), logger, clock, 'whatsapp');
  const turn =
    deps.turn ??
    createWhatsAppTurn({
      ...{ engine: deps.engine, store, optOuts, metrics },
      ...(deps.analytics ? { analytics: deps.analytics } : {}),
      ...(deps.followUp ? { followUp: deps.followUp } : {}),
      ...(config.publicPageBase ? { publicPageBase: config.publicPageBase } : {}),
    });
  const graph: GraphClient = createGraphClient({
    apiRoot: config.WHATSAPP_API_ROOT,
    version: config.WHATSAPP_API_VERSION,
    phoneNumberId,
    token,
    logger,
    policy: deps.policy,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  /** One message to one person; false stops the rest of the answer (no gaps, no half lists). */
  async function deliver(waId: string, pseudonym: string, message: OutgoingMessage): Promise<boolean> {
    const outcome = await graph.send(waId, message);
    if (outcome.status === 'sent') {
      waMetrics.send('sent');
      return true;
    }
    waMetrics.send(outcome.status);
    if (outcome.status === 'refused' && outcome.code !== undefined) {
      waMetrics.graphError(outcome.code);
      if (outcome.code === REENGAGEMENT_REQUIRED) await window.close(pseudonym).catch(() => {});
    }
    logger.warn({ pseudonym, outcome: outcome.status, reason: outcome.reason }, 'whatsapp reply not sent');
    return false;
  }

  /** Free-form messages, in order, only while the person's window is open. */
  async function sendFreeForm(
    waId: string,
    pseudonym: string,
    messages: OutgoingMessage[],
    /**
     * When the window closes, known already: a reply to a message just received (its timestamp
     * opened it) does not ask the store again, so a store that fails after the message was
     * acknowledged cannot lose its answer. Absent (a broadcast): the store says.
     */
    openUntilMs?: number,
  ): Promise<boolean> {
    const open = () =>
      openUntilMs === undefined ? window.isOpen(pseudonym) : Promise.resolve(clock.now() < openUntilMs);
    for (const message of messages) {
      if (!(await open())) {
        waMetrics.send('outsideWindow');
        logger.info({ pseudonym }, 'whatsapp reply held back: outside the 24-hour window');
        return false;
      }
      if (!(await deliver(waId, pseudonym, message))) return false;
    }
    return true;
  }

  /**
   * Decides one message's answer and keeps its state (seen-mark, language, cursor, a STOP made
   * durable), so that it may be acknowledged; the sending is returned, to run after the answer.
   * Throws when the store fails: nothing was kept, Meta's redelivery is processed.
   */
  async function decide(message: InboundMessage): Promise<(() => Promise<void>) | undefined> {
    const pseudonym = pseudonymize(message.waId);
    await window.refresh(pseudonym, message.timestamp);
    // Per message, inside the channel: one notification can batch several people's messages,
    // so the gateway layer's per-request limit cannot apply. The budget is the phone's, the
    // one USSD and SMS share (a WhatsApp id is the person's number).
    if (limiter) {
      const decision = await limiter.hit(storeKeys.personBudget('phone', pseudonym));
      if (!decision.allowed) {
        metrics.rateLimited('whatsapp');
        logger.info({ pseudonym }, 'whatsapp message over the per-person budget: not answered');
        return undefined;
      }
    }
    const out = await turn({
      pseudonym,
      input: message.input,
      messageId: message.messageId,
      waId: message.waId,
    });
    if (out.status === 'duplicate') {
      waMetrics.duplicate();
      logger.info({ pseudonym }, 'whatsapp message already processed: ignored');
      return undefined;
    }
    logger.info(
      // Never the message id: a wamid is base64 that carries the sender's number.
      {
        pseudonym,
        input: message.input.kind,
        kind: out.kind,
        count: out.messages.length,
      },
      'whatsapp message received',
    );
    const openUntilMs = (message.timestamp + WINDOW_SECONDS) * 1000;
    let ready: Promise<boolean> | undefined;
    if (out.ready) {
      // A STOP is acknowledged once it is durable. Not yet within the budget (Redis away): the
      // seen-mark is taken back and Meta asked to deliver again; this one still confirms once
      // it lands, and a redelivery to another instance finds the STOP undone and does it there.
      ready = out.ready();
      const durable = await withDeadline(ready, ackBudgetMs).then(
        () => true,
        () => false,
      );
      if (!durable) {
        out.release?.();
        track(
          ready.then(
            (confirm) =>
              confirm ? sendFreeForm(message.waId, pseudonym, out.messages, openUntilMs) : undefined,
            (error: unknown) =>
              logger.error(
                { pseudonym, err: { message: (error as Error).message } },
                'whatsapp opt-out not written',
              ),
          ),
        );
        throw new Error('opt-out not durable yet');
      }
    }
    return async () => {
      if (ready && !(await ready)) return;
      if (out.messages.length === 0) return;
      await sendFreeForm(message.waId, pseudonym, out.messages, openUntilMs);
    };
  }

  async function handleStatus(status: StatusEvent): Promise<void> {
    waMetrics.status(status.status);
    for (const code of status.errorCodes) waMetrics.graphError(code);
    if (status.recipientId && status.errorCodes.includes(REENGAGEMENT_REQUIRED))
      await window.close(pseudonymize(status.recipientId));
  }

  /**
   * true: every message of the notification is answered or durably decided (200); false: at
   * least one could not be (503: Meta delivers the notification again, and the messages already
   * decided are then duplicates). Decided answers are sent after, in order, whatever the verdict.
   */
  async function handleNotification(notification: ParsedNotification): Promise<boolean> {
    for (const status of notification.statuses) {
      await handleStatus(status).catch((error: unknown) =>
        logger.error({ err: { message: (error as Error).message } }, 'whatsapp status not recorded'),
      );
    }
    let complete = true;
    const sends: Array<() => Promise<void>> = [];
    // One after the other: a person's messages are decided and answered in the order they were sent.
    for (const message of notification.messages) {
      try {
        const send = await decide(message);
        if (send) sends.push(send);
      } catch (error) {
        complete = false;
        logger.warn(
          { pseudonym: pseudonymize(message.waId), err: { message: (error as Error).message } },
          'whatsapp message not decided: Meta will deliver it again',
        );
      }
    }
    if (sends.length > 0)
      track(
        (async () => {
          for (const send of sends) await send();
        })().catch((error: unknown) =>
          logger.error({ err: { message: (error as Error).message } }, 'whatsapp reply failed'),
        ),
      );
    return complete;
  }

  const router = createWhatsAppWebhook({
    verifyToken,
    appSecret,
    parse: (json) => parseNotification(json, phoneNumberId),
    onNotification: (notification) => {
      const handled = handleNotification(notification).catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'whatsapp notification not processed');
        return false;
      });
      track(handled);
      return handled;
    },
    onRefused: (reason) => logger.warn({ reason }, 'whatsapp notification refused'),
  });

  return {
    routes: [{ path: '/whatsapp', router }],
    async notify(waId, messages) {
      const pseudonym = pseudonymize(waId);
      try {
        if (await optOuts.has(pseudonym)) {
          waMetrics.send('optedOut');
          return 'optedOut';
        }
        if (await window.isOpen(pseudonym))
          return (await sendFreeForm(waId, pseudonym, messages)) ? 'sent' : 'failed';
        const name = config.WHATSAPP_TEMPLATE_NAME;
        if (!name) {
          waMetrics.send('skipped');
          logger.info(
            { pseudonym },
            'whatsapp broadcast skipped: outside the window and no template configured',
          );
          return 'skipped';
        }
        const template: OutgoingMessage = {
          type: 'template',
          template: { name, language: { code: config.WHATSAPP_TEMPLATE_LANG } },
        };
        if (!(await deliver(waId, pseudonym, template))) return 'failed';
        waMetrics.send('template');
        return 'template';
      } catch (error) {
        logger.error({ pseudonym, err: { message: (error as Error).message } }, 'whatsapp broadcast failed');
        return 'failed';
      }
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      if (!deps.optOuts) await optOuts.close();
    },
  };
}
