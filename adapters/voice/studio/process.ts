import type { AudioKind } from '../types.js';
import { AUDIO_FORMAT } from '../audio/format.js';
import type { AudioWorkers } from '../audio/workers.js';
import { readWavInfo, WavError } from '../audio/wav.js';

/**
 * A studio upload becomes a line recording: checked (a PCM WAV, a plausible length, audible),
 * then mixed down, resampled to the line's format (mono, 8 kHz, 16-bit), its silent ends
 * trimmed and its peak brought to -3 dBFS, so that a recording plays as loud as the prompts
 * around it. The page sends WAV whatever the browser recorded or the speaker chose (it decodes
 * with the Web Audio API and encodes PCM), so the server reads one format only. The sound work
 * runs in an audio worker process (audio/workers.ts), never on the event loop.
 */

const DURATION_BOUNDS: Record<AudioKind, { min: number; max: number }> = {
  prompt: { min: 0.3, max: 60 },
  rec: { min: 1, max: 600 },
};
/** Quieter than this (RMS, dBFS) is silence or a muted microphone, not speech. */
const MIN_RMS_DB = -45;
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

export async function normaliseRecording(
  input: Buffer,
  kind: AudioKind,
  workers: AudioWorkers,
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
  let result;
  try {
    result = await workers.run({ type: 'convert', wav: input });
  } catch (error) {
    if (/PCM|WAV|RIFF|chunk/.test((error as Error).message))
      throw new RecordingRejected('format', (error as Error).message);
    throw error;
  }
  if (result.type !== 'convert') throw new Error('audio worker answered another job');
  if (result.inputRmsDb < MIN_RMS_DB)
    throw new RecordingRejected('silent', `too quiet (${result.inputRmsDb.toFixed(1)} dBFS RMS)`);
  const wav = Buffer.from(result.wav.buffer, result.wav.byteOffset, result.wav.byteLength);
  const after = readWavInfo(wav);
  if (after.sampleRate !== AUDIO_FORMAT.sampleRate || after.channels !== 1)
    throw new Error('the conversion wrote another format');
  return { wav, durationSeconds: result.durationSeconds, rmsDb: result.inputRmsDb, peakDb: result.peakDb };
}
