/**
 * npx tsx bench/tts-engines.ts [--espeak-ng <dir of npm's espeak-ng package>]
 *
 * The evaluation behind the choice of speech engine (bench/audio.md, "Choosing the engine"):
 * eSpeak NG three ways, on three French texts (a prompt, the median reading, the longest
 * reading), 20 times each after one warm-up:
 *   - `@echogarden/espeak-ng-emscripten` (the project's dependency): one engine kept loaded;
 *   - npm's `espeak-ng` (a command-line build: one module instance per sentence), when its
 *     directory is given (it is not a dependency: `npm install --prefix /tmp/tts espeak-ng@1.0.2`,
 *     then `--espeak-ng /tmp/tts/node_modules/espeak-ng`);
 *   - Debian's `espeak-ng` binary, when it is on PATH (one process per sentence).
 * Printed: time per sentence (wall and this process's CPU), whether the French sound is the
 * same as the binary's (correlation of the samples), and the size on disk of each.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import initialize from '@echogarden/espeak-ng-emscripten';
import { loadCorpus } from '../src/content/load.js';
import { recommendationBody } from '../adapters/voice/audio/catalog.js';

const N = 20;
const argument = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const bodies = loadCorpus('content/recommendations.json')
  .recommendations.map(recommendationBody)
  .sort((a, b) => a.length - b.length);
const texts: Array<[string, string]> = [
  ['prompt', 'Pour écouter une recommandation par son numéro,'],
  ['median reading', bodies[Math.floor(bodies.length / 2)]!],
  ['longest reading', bodies.at(-1)!],
];
const tmp = mkdtempSync(join(tmpdir(), 'tts-engines-'));
const du = (path: string) => execFileSync('du', ['-sm', path], { encoding: 'utf8' }).split('\t')[0] + ' MB';

function time(run: () => Promise<unknown> | unknown) {
  return async () => {
    await run();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < N; i++) await run();
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - started) / N, cpu: (used.user + used.system) / 1000 / N };
  };
}

const row = (engine: string, text: string, t: { wall: number; cpu: number }) =>
  process.stdout.write(
    `  ${engine.padEnd(34)} ${text.padEnd(16)} ${t.wall.toFixed(1).padStart(6)} ms wall ${t.cpu.toFixed(1).padStart(6)} ms CPU here\n`,
  );

process.stdout.write(
  `tts-engines: eSpeak NG, French voice, 145 words a minute, ${N} sentences each (${process.version})\n`,
);

// 1. The dependency.
const loadStarted = performance.now();
const espeak = new (await initialize({ print: () => {}, printErr: () => {} })).eSpeakNGWorker();
process.stdout.write(
  `  @echogarden/espeak-ng-emscripten: engine loaded in ${(performance.now() - loadStarted).toFixed(0)} ms\n`,
);
const echogarden = (text: string) => {
  espeak.set_voice('roa/fr');
  espeak.set_rate(145);
  const chunks: Int16Array[] = [];
  espeak.synthesize(text, (samples) => {
    if (samples?.length) chunks.push(Int16Array.from(samples));
    return false;
  });
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
};
// Same engine, same sound? The first sentence of a fresh engine (later ones vary by a few
// samples: the engine's noise generator carries on), against the binary's, sample by sample.

const apt = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
if (apt.status === 0) {
  const out = join(tmp, 'apt.wav');
  execFileSync('espeak-ng', ['-v', 'fr', '-s', '145', '-w', out, texts[1]![1]]);
  const bytes = readFileSync(out);
  const binary = new Int16Array(bytes.buffer, bytes.byteOffset + 44, (bytes.length - 44) >> 1);
  const ours = echogarden(texts[1]![1]);
  let dot = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < Math.min(ours.length, binary.length); i++) {
    dot += ours[i]! * binary[i]!;
    a += ours[i]! ** 2;
    b += binary[i]! ** 2;
  }
  process.stdout.write(
    `  French median reading, npm WebAssembly vs Debian binary: correlation ${(dot / Math.sqrt(a * b)).toFixed(4)}, ` +
      `${(ours.length / 22050).toFixed(2)} s vs ${(binary.length / 22050).toFixed(2)} s (${apt.stdout.trim().split('  ')[0]})\n`,
  );
}
for (const [name, text] of texts)
  row('@echogarden/espeak-ng-emscripten', name, await time(() => echogarden(text))());

// 2. npm's espeak-ng, when given.
const npmDir = argument('espeak-ng');
if (npmDir) {
  const { default: ESpeakNg } = (await import(pathToFileURL(join(npmDir, 'dist', 'espeak-ng.js')).href)) as {
    default: (options: object) => Promise<{ FS: { readFile(path: string): Uint8Array } }>;
  };
  for (const [name, text] of texts) {
    const t = await time(async () => {
      const module = await ESpeakNg({
        arguments: ['-v', 'fr', '-s', '145', '-w', '/out.wav', text],
        print: () => {},
        printErr: () => {},
      });
      return module.FS.readFile('/out.wav');
    })();
    row('espeak-ng (npm, command-line build)', name, t);
  }
} else process.stdout.write('  espeak-ng (npm): skipped (--espeak-ng <dir> not given)\n');

// 3. Debian's binary, when installed.
if (apt.status === 0) {
  const out = join(tmp, 'apt.wav');
  for (const [name, text] of texts)
    row(
      'espeak-ng (Debian binary, a process each)',
      name,
      await time(() => execFileSync('espeak-ng', ['-v', 'fr', '-s', '145', '-w', out, text]))(),
    );
  const size = spawnSync(
    'dpkg-query',
    ['-Wf', '${Installed-Size}\\n', 'espeak-ng', 'libespeak-ng1', 'espeak-ng-data'],
    {
      encoding: 'utf8',
    },
  );
  if (size.status === 0) {
    const kb = size.stdout
      .trim()
      .split('\n')
      .reduce((sum, n) => sum + Number(n), 0);
    process.stdout.write(
      `  size: Debian espeak-ng + libespeak-ng1 + espeak-ng-data ${(kb / 1024).toFixed(0)} MB installed\n`,
    );
  }
} else process.stdout.write('  espeak-ng (Debian): skipped (not on PATH)\n');

const require = createRequire(import.meta.url);
process.stdout.write(
  `  size: @echogarden/espeak-ng-emscripten ${du(dirname(require.resolve('@echogarden/espeak-ng-emscripten/package.json')))}` +
    `${npmDir ? `, espeak-ng (npm) ${du(npmDir)}` : ''}\n` +
    `  memory: this process ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB resident with the engines loaded\n`,
);
rmSync(tmp, { recursive: true, force: true });
