import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { ModuleContext, ServiceModule } from '../module.js';
import type { Synthesizer } from './audio/synth.js';
import { createVoiceChannel, type VoiceChannel } from './index.js';
import type { SendRecommendationBySms } from './router.js';
import type { StudioAccess } from './studio/access.js';

/** The voice line as a module: its gateway (POST /voice), /audio, /studio; prompts made once HTTP is up. */
export function create(
  ctx: ModuleContext,
  deps: {
    sendRecommendationBySms: SendRecommendationBySms;
    callbacks: CallbackRequests;
    studio?: StudioAccess;
    synthesizer?: Synthesizer;
  },
): ServiceModule & { channel: VoiceChannel } {
  const { config, corpus, engine, store, pseudonymize, logger } = ctx;
  const channel = createVoiceChannel({
    ...{ config, corpus, engine, store, pseudonymize, logger },
    ...deps,
    registry: ctx.prometheus.registry,
  });
  return {
    channel,
    gateway: channel.gateway,
    routes: channel.routes,
    // In the background (language menu and home first); never delays listening.
    start: async () =>
      void channel
        .warmUp()
        .catch((error: unknown) =>
          logger.warn({ err: { message: (error as Error).message } }, 'voice: prompts not synthesised'),
        ),
    close: () => channel.close(),
  };
}
