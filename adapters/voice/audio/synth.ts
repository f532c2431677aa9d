import { createRequire } from 'node:module';
import { languages, speechVoice, type Language } from '../../../src/i18n/index.js';
import type { SynthLang } from './catalog.js';
import type { AudioWorkers } from './workers.js';

/**
 * Offline speech synthesis from npm alone: eSpeak NG compiled to WebAssembly
 * (`@echogarden/espeak-ng-emscripten`), run in the audio worker processes (workers.ts), its
 * output resampled to the line's 8 kHz in process (dsp.ts). Nothing from apt, nothing downloaded.
 *
 * Why this package (measured in bench/audio.md, "Choosing the engine"): the same engine and
 * voices as Debian's espeak-ng (the French waveform is sample for sample the same), a library
 * API that keeps one engine loaded and synthesises sentence after sentence (~15 ms of CPU for a
 * prompt), voice data inside the package (24 MB unpacked). npm's `espeak-ng` is the same engine
 * built as a command line: every sentence re-instantiates an 18 MB WebAssembly module (~80 ms
 * before any speech). Neural voices (Piper, sherpa-onnx) sound better but need models fetched from
 * outside npm; MBROLA voices are non-free. It sounds robotic: the studio's human recordings
 * replace it item by item, and Bambara has no synthesis at all.
 */
export interface Synthesizer {
  readonly name: string;
  /** Languages this engine speaks (never Bambara). */
  readonly langs: readonly SynthLang[];
  /** How many segments it makes at once (the audio worker processes). */
  readonly concurrency: number;
  /** `text` spoken in `lang`, as line audio (WAV, 8 kHz, 16-bit, mono, -3 dBFS peak). */
  synthesize(text: string, lang: SynthLang): Promise<Buffer>;
}

/** The languages with an eSpeak NG voice in their catalog (`meta.speech`: roa/fr, gmw/en). */
export const spokenLanguages = (): SynthLang[] =>
  languages()
    .filter((language: Language) => language.speech !== undefined)
    .map((language) => language.code);
const voiceOf = (lang: SynthLang): string => speechVoice(lang) ?? 'roa/fr';
/** Words a minute: slower than espeak's 175, for a phone line and listeners new to the voice. */
const SPEED = 145;

const ENGINE_VERSION = (
  createRequire(import.meta.url)('@echogarden/espeak-ng-emscripten/package.json') as { version: string }
).version;

/**
 * Everything that changes the synthesised sound, per language: part of every cache key, so a
 * new engine version, voice, speed or processing is a new file and never a stale one.
 */
export function synthProfile(lang: SynthLang): string {
  return `espeak-ng-wasm ${ENGINE_VERSION} ${voiceOf(lang)} s${SPEED} src-sinc-medium 8000/16/1 trim-50 peak-3`;
}

export function createEspeakSynthesizer(workers: AudioWorkers): Synthesizer {
  return {
    name: 'espeak-ng',
    langs: spokenLanguages(),
    concurrency: workers.processes,
    async synthesize(text, lang) {
      const result = await workers.run({ type: 'speak', text, voice: voiceOf(lang), rate: SPEED });
      if (result.type !== 'speak') throw new Error('audio worker answered another job');
      return Buffer.from(result.wav.buffer, result.wav.byteOffset, result.wav.byteLength);
    },
  };
}
