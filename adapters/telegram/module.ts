import { telegramBroadcastSender } from '../broadcast/compose.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import { createTelegramChannel, type TelegramChannel } from './run.js';

/** Telegram as a module (on with TELEGRAM_BOT_TOKEN): webhook route or polling, started once HTTP is up. */
export function create(ctx: ModuleContext): ServiceModule & { channel?: TelegramChannel } {
  const { config, engine, store, logger, metrics, analytics, pseudonymize } = ctx;
  const channel = createTelegramChannel(config, {
    ...{ engine, store, logger, metrics, analytics, pseudonymize },
    limiter: ctx.limiters.person,
    readingLimiter: ctx.limiters.reading,
    ...(config.VOICE_PHONE_NUMBER ? { voicePhoneNumber: config.VOICE_PHONE_NUMBER } : {}),
    ...(config.publicPageBase ? { publicPageBase: config.publicPageBase } : {}),
    followUp: ctx.followUp,
  });
  if (!channel) return { routes: [] };
  return {
    channel,
    routes: channel.routes,
    ...(config.TELEGRAM_BOT_TOKEN
      ? {
          sender: {
            channel: 'telegram' as const,
            send: telegramBroadcastSender({ ...config, TELEGRAM_BOT_TOKEN: config.TELEGRAM_BOT_TOKEN }),
          },
        }
      : {}),
    // It never delays listening; a failed start is logged.
    start: async () =>
      void channel.start().catch((error: unknown) => logger.error({ err: error }, 'telegram: start failed')),
    close: () => channel.stop(),
  };
}
