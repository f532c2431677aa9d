import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { Config } from '../../src/config.js';
import type { Corpus } from '../../src/content/schema.js';
import type { Engine } from '../../src/core/types.js';
import type { Logger, SessionStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { bodyField, type GatewayOptions, type MountGateway } from '../gateway/mount.js';
import { createAudioCatalog } from './audio/catalog.js';
import { createAudioLibrary, type AudioLibrary } from './audio/library.js';
import { createAudioRouter } from './audio/routes.js';
import { dialects, type DialectName } from './dialects/index.js';
import { createVoiceMetrics, noVoiceMetrics } from './metrics.js';
import { createVoiceAnswers, createVoiceRouter, voiceLangs, type SendRecommendationBySms } from './router.js';
import { createStudioRouter } from './studio/router.js';
import type { StudioAccess } from './studio/access.js';

export interface VoiceChannelDeps {
  config: Config;
  corpus: Corpus;
  /** The intent engine the shared menu model asks (numbers, themes). */
  engine: Engine;
  /** Absent: "receive it by SMS" is not offered. */
  sendRecommendationBySms?: SendRecommendationBySms;
  /** "Call me back" (VOICE_CALLBACK): a missed call is rejected and called back. */
  callbacks?: CallbackRequests;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  mountGateway: MountGateway;
  /** The service's Prometheus registry; absent: no voice metrics. */
  registry?: Registry;
  dialect?: DialectName;
  /**
   * The operators' login system for the studio (the console's: accounts with the `recorder`
   * role, session, limits, audit). Absent (no CONSOLE_USERS): the studio is not mounted.
   */
  studio?: StudioAccess;
}

export interface VoiceChannel {
  library: AudioLibrary;
  routes: Array<{ path: string; router: Router }>;
}

/**
 * The voice line: POST /voice (the gateway's callback, behind the webhook guard), GET /audio/…
 * (public: the gateway fetches the prompts there) and /studio (operators record prompts).
 */
export function createVoiceChannel(deps: VoiceChannelDeps): VoiceChannel {
  const { config, logger } = deps;
  const dialect = dialects[deps.dialect ?? 'africastalking'];
  const library = createAudioLibrary(config.AUDIO_DIR, createAudioCatalog(deps.corpus));
  const metrics = deps.registry ? createVoiceMetrics(deps.registry) : noVoiceMetrics;
  const answers = createVoiceAnswers({ library, dialect, config, logger });
  const options: GatewayOptions = {
    apology: answers.apology,
    refuse: (req, res, status) => answers.refuse(req, res, status),
    personLimit: {
      // The final request (isActive=0) is the gateway's report, not the caller's.
      phone: (req) => (bodyField(req, 'isActive') === '1' ? bodyField(req, dialect.callerField) : undefined),
      refuse: (req, res) => answers.rateLimited(req, res),
    },
  };
  const voice = createVoiceRouter({ ...deps, metrics, library, dialect, config });
  return {
    library,
    routes: [
      deps.mountGateway('voice', voice, options),
      { path: '/audio', router: createAudioRouter({ library, logger }) },
      ...(deps.studio
        ? [
            {
              path: '/studio',
              router: createStudioRouter({ library, logger, access: deps.studio, langs: voiceLangs(config) }),
            },
          ]
        : []),
    ],
  };
}
