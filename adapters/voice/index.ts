import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { Config } from '../../src/config.js';
import type { Corpus } from '../../src/content/schema.js';
import type { Engine } from '../../src/core/types.js';
import type { Logger, SessionStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { bodyField, type GatewayOptions, type MountGateway } from '../gateway/mount.js';
import { createAudioCatalog, type SynthLang } from './audio/catalog.js';
import { createAudioLibrary, type AudioLibrary } from './audio/library.js';
import { MINIMAL_SET } from './audio/plan.js';
import { createAudioRouter } from './audio/routes.js';
import { createSpeech, type SegmentOutcome, type Speech } from './audio/speech.js';
import { createEspeakSynthesizer, type Synthesizer } from './audio/synth.js';
import { createAudioWorkers, type AudioWorkers } from './audio/workers.js';
import { dialects, type DialectName } from './dialects/index.js';
import { createVoiceMetrics, noVoiceMetrics } from './metrics.js';
import {
  callKey,
  createVoiceAnswers,
  createVoiceRouter,
  voiceLangs,
  type CallRecord,
  type SendRecommendationBySms,
} from './router.js';
import { withDeadline } from '../../src/core/deadline.js';
import { createStudioRouter } from './studio/router.js';
import type { StudioAccess } from './studio/access.js';
import type { AudioRef } from './types.js';

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
  /** The speech engine; default: eSpeak NG in the audio worker processes (off with VOICE_SYNTHESIS=off). */
  synthesizer?: Synthesizer;
}

export interface VoiceChannel {
  library: AudioLibrary;
  speech: Speech;
  routes: Array<{ path: string; router: Router }>;
  /**
   * Synthesises, in the background, the prompts the line lacks: every language's minimal set
   * first (the language menu and home), then the other prompts. Readings wait for their first
   * caller. Resolves when done (the service does not wait for it).
   */
  warmUp(): Promise<SegmentOutcome>;
  /** Stops the audio worker processes. */
  close(): Promise<void>;
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
  // Started on the first job only (a studio upload, a synthesis): an idle line runs no worker.
  const workers: AudioWorkers = createAudioWorkers({ processes: config.VOICE_SYNTH_PROCESSES, logger });
  const synthesizer =
    deps.synthesizer ?? (config.VOICE_SYNTHESIS === 'on' ? createEspeakSynthesizer(workers) : undefined);
  const speech = createSpeech({
    library,
    synthesizer,
    logger,
    onSegment: (lang, seconds, outcome) => metrics.synthesised(lang, outcome, seconds),
  });
  const langs = voiceLangs(config);
  const prompts = (keys: (key: string) => boolean) =>
    langs.flatMap((lang) =>
      library.catalog
        .items(lang, 'prompt')
        .filter((item) => keys(item.key))
        .map((item): AudioRef => ({ lang, kind: 'prompt', key: item.key })),
    );
  const answers = createVoiceAnswers({ library, dialect, config, logger });
  const options: GatewayOptions = {
    apology: answers.apology,
    refuse: (req, res, status) => answers.refuse(req, res, status),
    personLimit: {
      // The final request (isActive=0) is the gateway's report, not the caller's.
      phone: (req) => (bodyField(req, 'isActive') === '1' ? bodyField(req, dialect.callerField) : undefined),
      // In the language of the call when it has one: read from its record, within the store's deadline.
      refuse: async (req, res, _decision, pseudonym) => {
        const parsed = dialect.parse(req.body);
        const record = parsed.ok
          ? await withDeadline(
              deps.store.get<CallRecord>(callKey(parsed.value.sessionId)),
              config.REDIS_COMMAND_TIMEOUT_MS,
            ).catch(() => undefined)
          : undefined;
        answers.rateLimited(req, res, record?.owner === pseudonym ? record.lang : undefined);
      },
    },
  };
  const voice = createVoiceRouter({ ...deps, metrics, library, speech, dialect, config });
  return {
    library,
    speech,
    async warmUp() {
      if (!synthesizer) return { synthesised: 0, cached: 0, failed: 0 };
      const started = performance.now();
      const first = await speech.request(
        prompts((key) => MINIMAL_SET.includes(key)),
        'start',
      );
      logger.info(
        { ...first, ms: Math.round(performance.now() - started), langs: synthesizer.langs as SynthLang[] },
        'voice: minimal prompts ready',
      );
      const rest = await speech.request(
        prompts((key) => !MINIMAL_SET.includes(key)),
        'background',
      );
      logger.info({ ...rest, ms: Math.round(performance.now() - started) }, 'voice: all prompts ready');
      return {
        synthesised: first.synthesised + rest.synthesised,
        cached: first.cached + rest.cached,
        failed: first.failed + rest.failed,
      };
    },
    async close() {
      speech.close();
      await workers.close();
    },
    routes: [
      deps.mountGateway('voice', voice, options),
      { path: '/audio', router: createAudioRouter({ library, logger }) },
      ...(deps.studio
        ? [
            {
              path: '/studio',
              router: createStudioRouter({ library, workers, logger, access: deps.studio, langs }),
            },
          ]
        : []),
    ],
  };
}
