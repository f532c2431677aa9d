/**
 * npm run audio:build [-- --langs fr,en] [--only prompt|rec] [--processes 2]
 *
 * The pre-warm: synthesises every French and English prompt and all 300 recommendation readings
 * that are not in AUDIO_DIR's cache yet, then prints the figures: items, segments, time, size and
 * seconds of audio. Optional: the line synthesises prompts at start and readings on first request
 * by itself; this only saves the first callers of each reading a moment. The engine comes from
 * npm (eSpeak NG in WebAssembly, in worker processes): nothing to install. The cache is keyed by
 * a hash of the text and the synthesis profile, so a second run only does what changed.
 */
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { installTranslations } from '../src/content/localized.js';
import { installCatalogs } from '../src/i18n/index.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { createEspeakSynthesizer, spokenLanguages } from '../adapters/voice/audio/synth.js';
import { createAudioWorkers } from '../adapters/voice/audio/workers.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const config = loadConfig();
installCatalogs(config.CATALOG_DIR);
const corpus = loadCorpus(config.CONTENT_FILE);
installTranslations(config.TRANSLATIONS_DIR, corpus, config.serveDraftTranslations);
const library = createAudioLibrary(config.AUDIO_DIR, createAudioCatalog(corpus));
const langs = option('langs')?.split(',') ?? spokenLanguages();
const only = option('only');
const processes = Number(option('processes') ?? config.VOICE_SYNTH_PROCESSES);
const workers = createAudioWorkers({ processes });

let last = -1;
const cpu = process.cpuUsage();
const stats = await buildAudio({
  library,
  synthesizer: createEspeakSynthesizer(workers),
  langs,
  only: only ? (ref) => ref.kind === only : undefined,
  onProgress: (done, total) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== last) {
      last = tenth;
      process.stderr.write(`  ${done}/${total} items\n`);
    }
  },
});
await workers.close();
const mb = (stats.bytes / 1024 / 1024).toFixed(1);
const made = Math.max(1, stats.synthesised);
process.stdout.write(
  [
    `audio:build ${langs.join(',')} into ${config.AUDIO_DIR} (${processes} worker process${processes > 1 ? 'es' : ''})`,
    `  items ${stats.items}, segments ${stats.segments}: ${stats.synthesised} synthesised, ${stats.cached} already cached, ${stats.failed} failed`,
    `  time ${(stats.ms / 1000).toFixed(1)} s (${(stats.ms / made).toFixed(0)} ms per segment synthesised), size ${mb} MB, audio ${Math.floor(stats.audioSeconds / 60)} min ${stats.audioSeconds % 60} s`,
    `  this process's CPU ${((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6).toFixed(1)} s (the workers' is apart)`,
    '',
  ].join('\n'),
);
process.exit(stats.failed > 0 ? 1 : 0);
