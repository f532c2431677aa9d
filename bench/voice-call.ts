/**
 * npx tsx bench/voice-call.ts   (after npm run audio:build; reads AUDIO_DIR)
 *
 * What the voice line costs a caller, from the audio actually built, two ways:
 *   1. the same sum of prompts as before (language menu, welcome and home menu, "type the
 *      number", the median reading, the keys after it), comparable with earlier figures;
 *   2. a call to 2.15 as the line plays it: the service started in this process on AUDIO_DIR
 *      (synthesis off: only what was built), called over HTTP like the gateway (first request,
 *      the language's key, 3, 215#), the length of every prompt it answers with (joined files,
 *      pauses included), then the same with the median reading in place of 2.15.
 * Per language, and the readings' lengths over the 300 recommendations. Prompts play in full
 * only when no key interrupts them.
 */
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';
import { createAudioLibrary } from '../adapters/voice/audio/library.js';
import { readWavInfo } from '../adapters/voice/audio/wav.js';
import type { AudioRef } from '../adapters/voice/types.js';

const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', VOICE_SYNTHESIS: 'off' });
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

/** 2. A call as the line plays it, over HTTP. */
const service = createService(config, createLogger('silent'));
const base = `http://127.0.0.1:${await service.listen()}`;
const played = async (fields: Record<string, string>) => {
  const xml = await (
    await fetch(`${base}/voice`, { method: 'POST', body: new URLSearchParams(fields) })
  ).text();
  const url = /<Play url="([^"]+)"/.exec(xml)?.[1]?.replace(/&amp;/g, '&');
  if (!url) throw new Error(`no prompt in ${xml}`);
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  return { url, seconds: readWavInfo(bytes).durationSeconds };
};
for (const [lang, key] of [
  ['fr', '1'],
  ['en', '2'],
] as const) {
  const fields = { isActive: '1', sessionId: `ATVId_bench_${lang}`, callerNumber: '+22376000001' };
  const steps = [
    ['language menu', await played(fields)],
    ['welcome + home (first page)', await played({ ...fields, dtmfDigits: key })],
    ['"type the number"', await played({ ...fields, dtmfDigits: '3' })],
    ['2.15 and the keys after it', await played({ ...fields, dtmfDigits: '215#' })],
  ] as const;
  if (!steps[0][1].url.includes(`${lang}:prompt:lang.offer`))
    throw new Error(`no ${lang} on the language menu`);
  const total = steps.reduce((sum, [, step]) => sum + step.seconds, 0);
  const readings = corpus.recommendations
    .map((r) => seconds([{ lang, kind: 'rec', key: r.id }]))
    .sort((a, b) => a - b);
  const median = readings[Math.floor(readings.length / 2)]!;
  const withMedian = total - seconds([{ lang, kind: 'rec', key: '2.15' }]) + median;
  process.stdout.write(`\n${lang}: a call to 2.15 as the line plays it (4 prompts, 4 key presses)\n`);
  for (const [name, step] of steps)
    process.stdout.write(`  ${name.padEnd(34)} ${step.seconds.toFixed(1).padStart(6)} s\n`);
  process.stdout.write(`  ${'total'.padEnd(34)} ${total.toFixed(1).padStart(6)} s\n`);
  process.stdout.write(
    `  ${'total with the median reading'.padEnd(34)} ${withMedian.toFixed(1).padStart(6)} s\n`,
  );
}
await service.close();
