/**
 * npx tsx bench/voice-call.ts   (after npm run audio:build; reads AUDIO_DIR)
 *
 * What the voice line costs a caller, from the audio actually built: the seconds of each
 * prompt a call to one recommendation plays (language menu, welcome and home menu, "type the
 * number", the reading, the keys after it), per language, and the readings' lengths over the
 * 300 recommendations. Prompts play in full only when no key interrupts them.
 */
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { readWavInfo } from '../adapters/voice/audio/wav.js';
import type { AudioRef } from '../adapters/voice/types.js';

const config = loadConfig();
const corpus = loadCorpus(config.CONTENT_FILE);
const library = createAudioLibrary(config.AUDIO_DIR, createAudioCatalog(corpus));
const seconds = (refs: AudioRef[]) =>
  refs.reduce((sum, ref) => {
    const audio = library.read(ref);
    if (!audio) throw new Error(`missing audio ${ref.lang}/${ref.kind}/${ref.key}: run npm run audio:build`);
    return sum + readWavInfo(audio.bytes).durationSeconds;
  }, 0);

for (const lang of ['fr', 'en'] as const) {
  const p = (key: string): AudioRef => ({ lang, kind: 'prompt', key });
  const readings = corpus.recommendations
    .map((r) => seconds([{ lang, kind: 'rec', key: r.id }]))
    .sort((a, b) => a - b);
  const median = readings[Math.floor(readings.length / 2)]!;
  const steps: Array<[string, number]> = [
    ['language menu (fr, en)', seconds([p('lang.offer'), p('press.1')]) * 2],
    [
      'welcome + home menu (4 options)',
      seconds([
        p('welcome'),
        p('home.number'),
        p('press.1'),
        p('home.about'),
        p('press.2'),
        p('home.lang'),
        p('press.9'),
        p('home.quit'),
        p('press.0'),
      ]),
    ],
    ['"type the number"', seconds([p('number.ask')])],
    ['reading (median of 300)', median],
    ['keys after the reading', seconds([p('reading.nav')])],
  ];
  const total = steps.reduce((sum, [, s]) => sum + s, 0);
  process.stdout.write(
    `\n${lang}: a call to one recommendation, prompts heard in full (${steps.length} prompts, 4 key presses)\n`,
  );
  for (const [name, s] of steps) process.stdout.write(`  ${name.padEnd(34)} ${s.toFixed(1).padStart(6)} s\n`);
  process.stdout.write(`  ${'total'.padEnd(34)} ${total.toFixed(1).padStart(6)} s\n`);
  process.stdout.write(
    `  readings: min ${readings[0]!.toFixed(1)} s, median ${median.toFixed(1)} s, max ${readings.at(-1)!.toFixed(1)} s, all 300 ${(readings.reduce((a, b) => a + b, 0) / 60).toFixed(0)} min\n`,
  );
}
