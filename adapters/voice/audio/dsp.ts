import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { AUDIO_FORMAT } from './format.js';
import { readWavInfo, wavHeader, WavError } from './wav.js';

/**
 * The sound processing the line needs, in process and without sox: decode a PCM WAV to mono
 * samples, resample to the line's 8 kHz, trim the silence an engine leaves around speech, bring
 * the peak to -3 dBFS, measure, and write the line's WAV. Samples are floats in [-1, 1].
 *
 * Resampling is libsamplerate (Secret Rabbit Code, BSD-2) compiled to WebAssembly by
 * `@alexanderolsen/libsamplerate-js` (MIT): its medium sinc converter is flat to 3.4 kHz (the
 * phone band) and takes what lies above 4 kHz down by 40-50 dB before it can fold back, at
 * about 7 ms of CPU per second of speech. Heavy work: called from the audio worker process
 * (worker.ts), never on the server's event loop.
 */

/** Peak level every line recording and synthesis is brought to. */
const TARGET_PEAK_DB = -3;
/** Below this a stretch at an end is silence (espeak-ng leaves ~0.2-0.4 s; a recording, breath). */
const SILENCE_DB = -50;
/** Kept around the speech when the silence at the ends is trimmed. */
const KEEP_SECONDS = 0.08;

export interface Pcm {
  rate: number;
  samples: Float32Array;
}

export const dbfs = (amplitude: number): number => (amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity);

/** A PCM WAV (integer 16/24/32-bit or 32-bit float, any channel count) as mono samples. */
export function decodeWav(buffer: Buffer): Pcm {
  const info = readWavInfo(buffer);
  const bytes = info.bitsPerSample / 8;
  const frame = bytes * info.channels;
  const frames = Math.floor(info.dataLength / frame);
  const read: ((offset: number) => number) | undefined =
    info.format === 3 && bytes === 4
      ? (o) => buffer.readFloatLE(o)
      : info.format !== 1
        ? undefined
        : bytes === 2
          ? (o) => buffer.readInt16LE(o) / 32768
          : bytes === 3
            ? (o) => buffer.readIntLE(o, 3) / 8388608
            : bytes === 4
              ? (o) => buffer.readInt32LE(o) / 2147483648
              : undefined;
  if (!read || info.channels < 1) throw new WavError('expected PCM (16, 24 or 32-bit) or 32-bit float WAV');
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    const at = info.dataOffset + i * frame;
    for (let c = 0; c < info.channels; c++) sum += read(at + c * bytes);
    samples[i] = sum / info.channels;
  }
  return { rate: info.sampleRate, samples };
}

/** 16-bit PCM samples (an engine's output) as floats. */
export function fromInt16(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

type Converter = Awaited<ReturnType<typeof libsamplerate.create>>;
/**
 * Converters by rate pair, kept: making one loads the WebAssembly module (~30 ms, more than
 * resampling a prompt), and `simple` keeps no state between calls (the same output as a fresh one).
 */
const converters = new Map<string, Promise<Converter>>();
const KEPT_CONVERTERS = 8;

function converter(from: number, to: number): Promise<Converter> {
  const key = `${from}>${to}`;
  let found = converters.get(key);
  if (!found) {
    if (converters.size >= KEPT_CONVERTERS) {
      const [oldest, dropped] = converters.entries().next().value as [string, Promise<Converter>];
      converters.delete(oldest);
      void dropped.then(
        (c) => c.destroy(),
        () => {},
      );
    }
    found = libsamplerate.create(1, from, to, {
      converterType: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY,
    });
    converters.set(key, found);
  }
  return found;
}

/**
 * Past about a million samples (4 MB) the package cuts the sound into chunks and streams them
 * through libsamplerate's full API, whose state a kept converter's earlier calls spoil (46 s of
 * speech came out as 0.1 s): such sounds (a long reading, a studio upload) get a converter of
 * their own.
 */
const KEPT_CONVERTER_MAX_SAMPLES = 1_000_000;

/** To `rate` with libsamplerate's medium sinc converter (band-limited first, so nothing folds back). */
export async function resample(pcm: Pcm, rate: number = AUDIO_FORMAT.sampleRate): Promise<Pcm> {
  if (pcm.rate === rate || pcm.samples.length === 0) return { rate, samples: pcm.samples };
  if (Math.max(pcm.samples.length, (pcm.samples.length * rate) / pcm.rate) < KEPT_CONVERTER_MAX_SAMPLES) {
    // Copied out: the converter's output lives in its WebAssembly memory, reused by the next call.
    return { rate, samples: (await converter(pcm.rate, rate)).simple(pcm.samples).slice() };
  }
  const own = await libsamplerate.create(1, pcm.rate, rate, {
    converterType: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY,
  });
  try {
    return { rate, samples: own.simple(pcm.samples).slice() };
  } finally {
    own.destroy();
  }
}

export function peak(samples: Float32Array): number {
  let max = 0;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  return max;
}

export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Leading and trailing silence cut to KEEP_SECONDS: a caller pays for every second of the call. */
export function trimSilence(pcm: Pcm): Pcm {
  const threshold = 10 ** (SILENCE_DB / 20);
  const { samples } = pcm;
  let start = 0;
  while (start < samples.length && Math.abs(samples[start]!) < threshold) start++;
  let end = samples.length;
  while (end > start && Math.abs(samples[end - 1]!) < threshold) end--;
  if (start >= end) return pcm;
  const keep = Math.round(KEEP_SECONDS * pcm.rate);
  return {
    rate: pcm.rate,
    samples: samples.slice(Math.max(0, start - keep), Math.min(samples.length, end + keep)),
  };
}

/** Scaled so that the peak is `db` dBFS (silence is left alone). */
export function normalisePeak(pcm: Pcm, db: number = TARGET_PEAK_DB): Pcm {
  const top = peak(pcm.samples);
  if (top === 0) return pcm;
  const gain = 10 ** (db / 20) / top;
  return { rate: pcm.rate, samples: pcm.samples.map((s) => s * gain) };
}

/** The line's WAV: 16-bit PCM, mono, at the samples' rate. */
export function encodeWav(pcm: Pcm): Buffer {
  const data = Buffer.alloc(pcm.samples.length * 2);
  for (let i = 0; i < pcm.samples.length; i++) {
    const s = Math.max(-1, Math.min(1, pcm.samples[i]!));
    data.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), i * 2);
  }
  return Buffer.concat([wavHeader(data.length, pcm.rate), data]);
}

/** Speech from any rate to the line's format: trimmed, resampled, -3 dBFS peak, WAV. */
export async function toLineWav(pcm: Pcm): Promise<Buffer> {
  return encodeWav(normalisePeak(await resample(trimSilence(pcm))));
}
