import type { OptOutRegistry } from '../../src/ports/index.js';
import { whatsappSender } from '../broadcast/gateway-senders.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import { createGraphSink, devWhatsAppSettings } from './dev-sink.js';
import { createWhatsAppChannel, type WhatsAppChannel } from './index.js';
import { createWhatsAppMetrics } from './metrics.js';

/**
 * WhatsApp as a module: the channel with WHATSAPP_* set; outside production with the simulator
 * on and WHATSAPP_* unset, the same channel with secrets of this process only and a memory
 * Graph API (GET /dev/whatsapp), as SMS has its outbox. Off otherwise.
 */
export function create(
  ctx: ModuleContext,
  deps: { optOuts?: OptOutRegistry; dev: boolean },
): ServiceModule & { channel?: WhatsAppChannel; dev?: ReturnType<typeof devChat> } {
  const { config, engine, store, pseudonymize, logger, metrics, clock, analytics } = ctx;
  const sink = deps.dev ? createGraphSink(pseudonymize, clock) : undefined;
  const devSettings = sink ? devWhatsAppSettings() : undefined;
  const channel = createWhatsAppChannel({
    ...{ config: devSettings ? { ...config, ...devSettings } : config, engine, store, pseudonymize },
    ...{ logger, metrics, clock, analytics },
    ...(sink ? { fetch: sink.fetch } : {}),
    whatsappMetrics: config.whatsappEnabled ? createWhatsAppMetrics(ctx.prometheus.registry) : undefined,
    limiter: ctx.limiters.person,
    ...(deps.optOuts ? { optOuts: deps.optOuts } : {}),
    followUp: ctx.followUp,
  });
  if (!channel) return { routes: [], close: async () => deps.optOuts?.close() };
  return {
    channel,
    ...(sink && devSettings ? { dev: devChat(channel, sink, devSettings) } : {}),
    // Signed by Meta (X-Hub-Signature-256), so outside the gateway runner's path token.
    routes: [...(sink ? [{ path: '/dev/whatsapp', router: sink.router }] : []), ...channel.routes],
    sender: {
      channel: 'whatsapp',
      // One Graph attempt a job: a throttled answer pauses the queue on every instance (as SMS, Telegram).
      send: whatsappSender(channel.broadcast),
    },
    close: async () => {
      await channel.close();
      await deps.optOuts?.close(); // built by the platform, so closed here (the channel closes only its own)
    },
  };
}

/** What the phone simulator's chat needs of the dev channel: its secrets, the sink it reads. */
function devChat(
  channel: WhatsAppChannel,
  sink: ReturnType<typeof createGraphSink>,
  settings: ReturnType<typeof devWhatsAppSettings>,
) {
  return {
    appSecret: settings.WHATSAPP_APP_SECRET,
    phoneNumberId: settings.WHATSAPP_PHONE_NUMBER_ID,
    flush: () => channel.flush(),
    mark: () => sink.count(),
    sentSince: (waId: string, mark: number) => sink.since(waId, mark),
  };
}
