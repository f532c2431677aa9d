/**
 * npx tsx bench/voice-synthesis.ts
 *
 * Synthesis time per prompt and per reading with the line's engine (eSpeak NG in WebAssembly
 * from npm, resampled to 8 kHz by libsamplerate): every French prompt and 30 French readings
 * (every tenth recommendation), one after the other,
 *   - through one audio worker process, as the line does (wall time per item, IPC included;
 *     the worker's start is counted apart), and
 *   - in this process with the same code (CPU time per item, what a core spends).
 * Nothing is written to AUDIO_DIR.
 */
import { loadCorpus } from '../src/content/load.js';
import { installCatalogs, speechVoice } from '../src/i18n/index.js';
import { createAudioCatalog, type Segment } from '../adapters/voice/audio/catalog.js';
import { readWavInfo } from '../adapters/voice/audio/wav.js';
import { createAudioWorkers } from '../adapters/voice/audio/workers.js';
import { runJob } from '../adapters/voice/audio/worker.js';

installCatalogs();
const corpus = loadCorpus('content/recommendations.json');
const catalog = createAudioCatalog(corpus);
const job = (segment: Segment) => ({
  type: 'speak' as const,
  text: segment.text,
  voice: speechVoice(segment.lang)!,
  rate: 145,
});

const prompts = catalog.items('fr', 'prompt').map((item) => item.segments!);
const readings = catalog
  .items('fr', 'rec')
  .filter((_, i) => i % 10 === 0)
  .map((item) => item.segments!);

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function measure(name: string, items: Segment[][]) {
  const workers = createAudioWorkers({ processes: 1 });
  const t0 = performance.now();
  await workers.run(job({ lang: 'fr', text: 'Bonjour.' }));
  const startup = performance.now() - t0;
  const wall: number[] = [];
  const cpu: number[] = [];
  let audio = 0;
  for (const segments of items) {
    const started = performance.now();
    for (const segment of segments) await workers.run(job(segment));
    wall.push(performance.now() - started);
    const before = process.cpuUsage();
    for (const segment of segments) {
      const result = await runJob(job(segment));
      if (result.type === 'speak') audio += readWavInfo(Buffer.from(result.wav)).durationSeconds;
    }
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  await workers.close();
  const cpuTotal = cpu.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${name} (${items.length}, ${(audio / items.length).toFixed(1)} s of speech each on average)\n` +
      `  through the worker: median ${ms(quantile(wall, 0.5))}, p90 ${ms(quantile(wall, 0.9))}, max ${ms(Math.max(...wall))} per item` +
      ` (worker start and first sentence ${ms(startup)})\n` +
      `  CPU in process:     median ${ms(quantile(cpu, 0.5))}, p90 ${ms(quantile(cpu, 0.9))} per item, ` +
      `${((cpuTotal / audio) * 1).toFixed(0)} ms per second of speech\n`,
  );
}

process.stdout.write(`voice-synthesis on ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
await measure('French prompts', prompts);
await measure('French readings (every tenth)', readings);
