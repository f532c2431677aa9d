import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioKind } from '../types.js';
import { AUDIO_FORMAT, SOX_OUTPUT } from '../audio/format.js';
import { run } from '../audio/run.js';
import { readWavInfo, WavError } from '../audio/wav.js';

/**
 * A studio upload becomes a line recording: checked (a PCM WAV, a plausible length, audible),
 * then normalised by sox to the line's format (mono, 8 kHz, 16-bit) at -3 dBFS peak, so that a
 * recording plays as loud as the prompts around it. The page sends WAV whatever the browser
 * recorded or the speaker chose (it decodes with the Web Audio API and encodes PCM), so the
 * server reads one format only.
 */

export const DURATION_BOUNDS: Record<AudioKind, { min: number; max: number }> = {
  prompt: { min: 0.3, max: 60 },
  rec: { min: 1, max: 600 },
};
/** Quieter than this (RMS, dBFS) is silence or a muted microphone, not speech. */
export const MIN_RMS_DB = -45;
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export class RecordingRejected extends Error {
  constructor(
    readonly reason: 'format' | 'tooShort' | 'tooLong' | 'silent',
    message: string,
  ) {
    super(message);
  }
}

export interface Measured {
  durationSeconds: number;
  rmsDb: number;
  peakDb: number;
}

/** sox's `stats` effect: overall RMS and peak level in dBFS. */
export async function measure(file: string): Promise<Measured> {
  const { stderr } = await run('sox', [file, '-n', 'stats']);
  const read = (label: string) => {
    const m = new RegExp(`^${label}\\s+(-?[\\d.]+|-inf)`, 'm').exec(stderr);
    return !m || m[1] === '-inf' ? -Infinity : Number(m[1]);
  };
  const length = read('Length s');
  return { durationSeconds: length, rmsDb: read('RMS lev dB'), peakDb: read('Pk lev dB') };
}

export async function normaliseRecording(
  input: Buffer,
  kind: AudioKind,
): Promise<{ wav: Buffer } & Measured> {
  let info;
  try {
    info = readWavInfo(input);
  } catch (error) {
    throw new RecordingRejected('format', error instanceof WavError ? error.message : 'not a WAV file');
  }
  if (
    ![1, 3].includes(info.format) ||
    info.channels < 1 ||
    info.channels > 2 ||
    info.sampleRate < 8000 ||
    info.sampleRate > 96000
  ) {
    throw new RecordingRejected('format', 'expected PCM WAV, mono or stereo, 8 to 96 kHz');
  }
  const bounds = DURATION_BOUNDS[kind];
  if (info.durationSeconds < bounds.min)
    throw new RecordingRejected('tooShort', `shorter than ${bounds.min} s`);
  if (info.durationSeconds > bounds.max)
    throw new RecordingRejected('tooLong', `longer than ${bounds.max} s`);
  const dir = await mkdtemp(join(tmpdir(), 'dim-studio-'));
  try {
    const source = join(dir, 'in.wav');
    const target = join(dir, 'out.wav');
    await writeFile(source, input);
    const before = await measure(source);
    if (before.rmsDb < MIN_RMS_DB)
      throw new RecordingRejected('silent', `too quiet (${before.rmsDb.toFixed(1)} dBFS RMS)`);
    // Mixed down, resampled, then brought to -3 dBFS peak.
    await run('sox', [source, ...SOX_OUTPUT, target, 'norm', '-3']);
    const wav = await readFile(target);
    const after = readWavInfo(wav);
    if (after.sampleRate !== AUDIO_FORMAT.sampleRate || after.channels !== 1)
      throw new Error('sox wrote another format');
    return { wav, ...(await measure(target)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
