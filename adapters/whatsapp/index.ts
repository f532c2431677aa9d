import type { Router } from 'express';
import type { Config } from '../../src/config.js';
import type { Engine } from '../../src/core/types.js';
import type {
  Clock,
  Logger,
  Metrics,
  OptOutRegistry,
  RateLimiter,
  SessionStore,
} from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { personKey } from '../gateway/rate-limit.js';
import { createOptOutRegistry } from '../stores/optout.js';
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
import { createServiceWindow } from './state.js';
import { createWhatsAppTurn, type WhatsAppTurn } from './turn.js';
import { createWhatsAppWebhook } from './webhook.js';

export interface WhatsAppChannelDeps {
  config: Pick<
    Config,
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
    | 'publicPageBase'
  >;
  engine: Engine;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  whatsappMetrics?: WhatsAppMetrics;
  /** The per-person budget every phone channel shares (RATE_LIMIT_PER_MINUTE); absent: none. */
  limiter?: RateLimiter;
  /** Tests: a faster retry policy. */
  policy?: Partial<GraphPolicy>;
  /** Where Graph requests go instead of the network (the simulator's dev sink, dev-sink.ts). */
  fetch?: typeof fetch;
  /** Tests: an opt-out list of their own (default: Redis when configured, else a journal under DATA_DIR). */
  optOuts?: OptOutRegistry;
  /** SUIVI, ABONNE, DESABONNE (issue 20); absent: those words are searched. */
  followUp?: FollowUpDeps;
  /** Tests: a turn of their own (default: the shared text conversation, turn.ts). */
  turn?: WhatsAppTurn;
}

export type NotifyOutcome = 'sent' | 'template' | 'skipped' | 'optedOut' | 'failed';

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
  const waMetrics = deps.whatsappMetrics ?? noWhatsAppMetrics;
  const window = createServiceWindow(store, clock);
  const optOuts = deps.optOuts ?? createOptOutRegistry(config, logger, clock, 'whatsapp');
  const turn =
    deps.turn ??
    createWhatsAppTurn({
      ...{ engine: deps.engine, store, optOuts, metrics },
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
  ): Promise<boolean> {
    for (const message of messages) {
      if (!(await window.isOpen(pseudonym))) {
        waMetrics.send('outsideWindow');
        logger.info({ pseudonym }, 'whatsapp reply held back: outside the 24-hour window');
        return false;
      }
      if (!(await deliver(waId, pseudonym, message))) return false;
    }
    return true;
  }

  async function handleMessage(message: InboundMessage): Promise<void> {
    const pseudonym = pseudonymize(message.waId);
    await window.refresh(pseudonym, message.timestamp);
    // Per message, inside the channel: one notification can batch several people's messages,
    // so the gateway layer's per-request limit cannot apply. The budget is the phone's, the
    // one USSD and SMS share (a WhatsApp id is the person's number).
    if (limiter) {
      const decision = await limiter.hit(personKey('phone', pseudonym));
      if (!decision.allowed) {
        metrics.rateLimited('whatsapp');
        logger.info({ pseudonym }, 'whatsapp message over the per-person budget: not answered');
        return;
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
      return;
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
    // STOP's confirmation waits for the opt-out to be durable, and goes out once.
    if (out.ready && !(await out.ready())) return;
    if (out.messages.length === 0) return;
    await sendFreeForm(message.waId, pseudonym, out.messages);
  }

  async function handleStatus(status: StatusEvent): Promise<void> {
    waMetrics.status(status.status);
    for (const code of status.errorCodes) waMetrics.graphError(code);
    if (status.recipientId && status.errorCodes.includes(REENGAGEMENT_REQUIRED))
      await window.close(pseudonymize(status.recipientId));
  }

  async function handleNotification(notification: ParsedNotification): Promise<void> {
    for (const status of notification.statuses) {
      await handleStatus(status).catch((error: unknown) =>
        logger.error({ err: { message: (error as Error).message } }, 'whatsapp status not recorded'),
      );
    }
    // One after the other: a person's messages are answered in the order they were sent.
    for (const message of notification.messages) {
      await handleMessage(message).catch((error: unknown) =>
        logger.error(
          { pseudonym: pseudonymize(message.waId), err: { message: (error as Error).message } },
          'whatsapp message not processed',
        ),
      );
    }
  }

  const router = createWhatsAppWebhook({
    verifyToken,
    appSecret,
    parse: (json) => parseNotification(json, phoneNumberId),
    onNotification: (notification) => track(handleNotification(notification)),
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
