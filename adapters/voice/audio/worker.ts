/**
 * The audio worker: a child process (forked by workers.ts) that does the voice line's heavy sound
 * work away from the server's event loop, one job at a time:
 *   - `speak`: eSpeak NG (WebAssembly build from npm, `@echogarden/espeak-ng-emscripten`, voice
 *     data inside the package) says a text at 22,050 Hz, then dsp.ts makes it line audio;
 *   - `convert`: a studio upload decoded, measured and made line audio.
 * eSpeak NG is GPL-3.0: it runs in this separate program, which the server talks to by messages
 * (text in, WAV out), as it did with the Debian binary; the server's code does not link it.
 */
import initialize, { type ESpeakNGWorker } from '@echogarden/espeak-ng-emscripten';
import { dbfs, decodeWav, fromInt16, peak, rms, toLineWav, type Pcm } from './dsp.js';
import { readWavInfo } from './wav.js';

export type AudioJob =
  { type: 'speak'; text: string; voice: string; rate: number } | { type: 'convert'; wav: Uint8Array };

export type AudioJobResult =
  | { type: 'speak'; wav: Uint8Array }
  | { type: 'convert'; wav: Uint8Array; inputRmsDb: number; durationSeconds: number; peakDb: number };

export type WorkerRequest = { id: number; job: AudioJob };
export type WorkerReply =
  { id: number; ok: true; result: AudioJobResult } | { id: number; ok: false; error: string };

let engine: Promise<ESpeakNGWorker> | undefined;
const quiet = () => {};

async function speak(text: string, voice: string, rate: number): Promise<Uint8Array> {
  engine ??= initialize({ print: quiet, printErr: quiet }).then((module) => new module.eSpeakNGWorker());
  const espeak = await engine;
  if (espeak.set_voice(voice) !== 0) throw new Error(`no eSpeak NG voice ${voice}`);
  espeak.set_rate(rate);
  const chunks: Int16Array[] = [];
  let length = 0;
  espeak.synthesize(text, (samples) => {
    // The engine reuses its buffer: copied.
    if (samples && samples.length > 0) {
      chunks.push(Int16Array.from(samples));
      length += samples.length;
    }
    return false;
  });
  const all = new Int16Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  if (length === 0) throw new Error('eSpeak NG produced no sound');
  return toLineWav({ rate: espeak.samplerate, samples: fromInt16(all) });
}

async function convert(input: Buffer): Promise<AudioJobResult> {
  const pcm: Pcm = decodeWav(input);
  const inputRmsDb = dbfs(rms(pcm.samples));
  const wav = await toLineWav(pcm);
  const out = decodeWav(wav);
  return {
    type: 'convert',
    wav,
    inputRmsDb,
    durationSeconds: readWavInfo(wav).durationSeconds,
    peakDb: dbfs(peak(out.samples)),
  };
}

export async function runJob(job: AudioJob): Promise<AudioJobResult> {
  if (job.type === 'speak') return { type: 'speak', wav: await speak(job.text, job.voice, job.rate) };
  return convert(Buffer.from(job.wav.buffer, job.wav.byteOffset, job.wav.byteLength));
}

/** Set by workers.ts when it forks this file: importing it anywhere else starts nothing. */
export const WORKER_ENV = 'DIM_AUDIO_WORKER';

if (process.env[WORKER_ENV] === '1' && process.send) {
  process.on('message', (message: WorkerRequest) => {
    runJob(message.job).then(
      (result) => process.send?.({ id: message.id, ok: true, result } satisfies WorkerReply),
      (error: unknown) =>
        process.send?.({
          id: message.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        } satisfies WorkerReply),
    );
  });
  // The server went away: so does its worker.
  process.on('disconnect', () => process.exit(0));
}
