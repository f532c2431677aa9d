/**
 * npm run audio:build [-- --langs fr,en] [--only prompt|rec] [--concurrency 2]
 *
 * Synthesises every French and English prompt and all 300 recommendation readings that are not
 * in AUDIO_DIR's cache yet (the cache is keyed by a hash of the text and the synthesis profile,
 * so a second run only does what changed), then prints the figures: items, segments, time,
 * size and seconds of audio. Needs espeak-ng and sox (apt-get install espeak-ng sox).
 */
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { buildAudio } from '../adapters/voice/audio/build.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { createEspeakSynthesizer, espeakAvailable } from '../adapters/voice/audio/synth.js';
import type { VoiceLang } from '../adapters/voice/types.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

if (!espeakAvailable()) {
  process.stderr.write('audio:build needs espeak-ng and sox on PATH (apt-get install espeak-ng sox)\n');
  process.exit(1);
}
const config = loadConfig();
const corpus = loadCorpus(config.CONTENT_FILE);
const library = createAudioLibrary(config.AUDIO_DIR, createAudioCatalog(corpus));
const langs = (option('langs') ?? 'fr,en').split(',') as VoiceLang[];
const only = option('only');
const concurrency = Number(option('concurrency') ?? 2);

let last = 0;
const stats = await buildAudio({
  library,
  synthesizer: createEspeakSynthesizer(),
  langs,
  only: only ? (ref) => ref.kind === only : undefined,
  concurrency,
  onProgress: (done, total) => {
    const percent = Math.floor((done / total) * 10);
    if (percent !== last || done === total) {
      last = percent;
      process.stderr.write(`  ${done}/${total} segments\n`);
    }
  },
});
const mb = (stats.bytes / 1024 / 1024).toFixed(1);
process.stdout.write(
  [
    `audio:build ${langs.join(',')} into ${config.AUDIO_DIR} (concurrency ${concurrency})`,
    `  items ${stats.items}, segments ${stats.segments}: ${stats.synthesised} synthesised, ${stats.cached} already cached, ${stats.failed} failed`,
    `  time ${(stats.ms / 1000).toFixed(1)} s, size ${mb} MB, audio ${Math.round(stats.audioSeconds / 60)} min ${stats.audioSeconds % 60} s`,
    '',
  ].join('\n'),
);
process.exit(stats.failed > 0 ? 1 : 0);
