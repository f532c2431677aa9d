import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import type { OptOutRegistry } from '../../src/ports/index.js';
import type { TurnBudget } from '../../src/conversation/turn-state.js';
import { smsBroadcastSender } from '../broadcast/compose.js';
import { createSmsChannel, type SmsChannel } from './index.js';

/** The SMS channel as a module: its webhook (gateway), the dev outbox, its broadcast sender. */
export function create(
  ctx: ModuleContext,
  deps: { optOuts: OptOutRegistry; callbacks: CallbackRequests; budget?: TurnBudget },
): ServiceModule & { channel: SmsChannel } {
  const { config, engine, store, pseudonymize, logger, metrics, analytics, clock } = ctx;
  const channel = createSmsChannel({
    ...{ config, engine, store, pseudonymize, logger, metrics, analytics, clock },
    callbacks: deps.callbacks,
    optOuts: deps.optOuts,
    followUp: ctx.followUp,
    spending: ctx.spending,
    ...(deps.budget ? { budget: deps.budget } : {}),
  });
  return {
    channel,
    gateway: channel.gateway,
    routes: channel.outboxRouter ? [{ path: '/dev/outbox', router: channel.outboxRouter }] : [],
    sender: { channel: 'sms', send: smsBroadcastSender(config, channel.sender) },
    close: () => channel.close(),
  };
}
