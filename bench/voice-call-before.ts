/**
 * npx tsx bench/voice-call-before.ts   (needs Debian's espeak-ng and sox on PATH)
 *
 * The "before" of bench/voice-call.ts's first figure on today's texts: the same five steps of a
 * French call to one recommendation, made by the pipeline the line used until issue 32 (Debian's
 * espeak-ng at 145 words a minute, then `sox … -r 8000 … norm -3`, no trimming), so that the
 * change of engine is measured apart from the changes of wording since the last figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus } from '../src/content/load.js';
import { installCatalogs } from '../src/i18n/index.js';
import { createAudioCatalog } from '../adapters/voice/audio/catalog.js';

installCatalogs();
const catalog = createAudioCatalog(loadCorpus('content/recommendations.json'));
const dir = mkdtempSync(join(tmpdir(), 'voice-before-'));
const SOX = ['-t', 'wav', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', '8000'];

/** Seconds of one segment through the old pipeline. */
function old(text: string): number {
  const raw = join(dir, 'raw.wav');
  const out = join(dir, 'out.wav');
  execFileSync('espeak-ng', ['-v', 'fr', '-s', '145', '-w', raw], { input: text });
  execFileSync('sox', [raw, ...SOX, out, 'norm', '-3']);
  return Number(execFileSync('soxi', ['-D', out], { encoding: 'utf8' }));
}
const prompt = (key: string) => old(catalog.item('fr', 'prompt', key)!.segments![0]!.text);
const reading = (id: string) =>
  catalog
    .item('fr', 'rec', id)!
    .segments!.map((s) => old(s.text))
    .reduce((a, b) => a + b, 0);

const readings = catalog
  .items('fr', 'rec')
  .map((item) => reading(item.key))
  .sort((a, b) => a - b);
const steps: Array<[string, number]> = [
  ['language menu (fr, en)', (prompt('lang.offer') + prompt('press.1')) * 2],
  [
    'welcome + home menu (4 options)',
    [
      'welcome',
      'home.number',
      'press.1',
      'home.about',
      'press.2',
      'home.lang',
      'press.9',
      'home.quit',
      'press.0',
    ]
      .map(prompt)
      .reduce((a, b) => a + b, 0),
  ],
  ['"type the number"', prompt('number.ask')],
  ['reading (median of 300)', readings[Math.floor(readings.length / 2)]!],
  ['keys after the reading', prompt('reading.nav')],
];
process.stdout.write("fr, espeak-ng (Debian) + sox, today's texts (5 prompts, 4 key presses)\n");
for (const [name, s] of steps) process.stdout.write(`  ${name.padEnd(34)} ${s.toFixed(1).padStart(6)} s\n`);
process.stdout.write(
  `  ${'total'.padEnd(34)} ${steps
    .reduce((sum, [, s]) => sum + s, 0)
    .toFixed(1)
    .padStart(6)} s\n`,
);
rmSync(dir, { recursive: true, force: true });
