import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AudioKind, AudioRef, VoiceLang } from '../types.js';
import type { AudioCatalog, Segment } from './catalog.js';
import { SOX_OUTPUT } from './format.js';
import { joinWavs } from './wav.js';

/**
 * The audio files under AUDIO_DIR, found in this order for a (language, kind, key):
 *   1. a human recording: `recordings/<lang>/<kind>/<key>.wav` (published from the studio);
 *   2. synthesised speech: every segment of the item in `cache/<hash>.wav`, the hash taken over
 *      the synthesis profile and the text, so an edited text is a new file and never a stale one;
 *   3. nothing: the option is not offered in that language.
 * AUDIO_DIR may be a volume shared by several instances: files are written under a temporary
 * name and renamed into place, so a reader never sees half a file.
 */

/** Everything that changes the synthesised sound; part of every cache key. */
const SYNTH_PROFILE: Record<'fr' | 'en', string> = {
  fr: `espeak-ng fr s145 ${SOX_OUTPUT.join(' ')} norm-3`,
  en: `espeak-ng en-gb s145 ${SOX_OUTPUT.join(' ')} norm-3`,
};

export function segmentHash(segment: Segment): string {
  return createHash('sha256')
    .update(`${SYNTH_PROFILE[segment.lang]}\n${segment.text}`)
    .digest('hex')
    .slice(0, 32);
}

export type AudioStatus = 'recorded' | 'synthesised' | 'missing';

export type Resolved =
  | { source: 'recording'; files: [string]; tag: string }
  | { source: 'synthesised'; files: string[]; tag: string };

export interface AudioLibrary {
  readonly dir: string;
  readonly catalog: AudioCatalog;
  recordingPath(ref: AudioRef): string;
  segmentPath(segment: Segment): string;
  resolve(ref: AudioRef): Resolved | undefined;
  status(ref: AudioRef): AudioStatus;
  available(ref: AudioRef): boolean;
  /** The audio of one item (segments joined), or undefined when it has none. */
  read(ref: AudioRef): { bytes: Buffer; tag: string; source: Resolved['source'] } | undefined;
  /** Writes `bytes` to `path` atomically (temporary name, then rename). */
  writeAtomic(path: string, bytes: Buffer): void;
}

/** Pause between two joined segments or prompts, in seconds. */
export const JOIN_GAP_SECONDS = 0.25;

export function createAudioLibrary(dir: string, catalog: AudioCatalog): AudioLibrary {
  const recordingPath = (ref: AudioRef) => join(dir, 'recordings', ref.lang, ref.kind, `${ref.key}.wav`);
  const segmentPath = (segment: Segment) => join(dir, 'cache', `${segmentHash(segment)}.wav`);
  const known = (lang: VoiceLang, kind: AudioKind, key: string) => catalog.item(lang, kind, key);

  const resolve = (ref: AudioRef): Resolved | undefined => {
    const item = known(ref.lang, ref.kind, ref.key);
    if (!item) return undefined;
    const recording = recordingPath(ref);
    if (existsSync(recording)) {
      return { source: 'recording', files: [recording], tag: `r${Math.round(statSync(recording).mtimeMs)}` };
    }
    if (!item.segments) return undefined;
    const files = item.segments.map(segmentPath);
    if (!files.every((file) => existsSync(file))) return undefined;
    return { source: 'synthesised', files, tag: `s${item.segments.map(segmentHash).join('').slice(0, 24)}` };
  };

  return {
    dir,
    catalog,
    recordingPath,
    segmentPath,
    resolve,
    status: (ref) => {
      const found = resolve(ref);
      return found ? (found.source === 'recording' ? 'recorded' : 'synthesised') : 'missing';
    },
    available: (ref) => resolve(ref) !== undefined,
    read(ref) {
      const found = resolve(ref);
      if (!found) return undefined;
      const buffers = found.files.map((file) => readFileSync(file));
      const bytes = buffers.length === 1 ? buffers[0]! : joinWavs(buffers, JOIN_GAP_SECONDS);
      return { bytes, tag: found.tag, source: found.source };
    },
    writeAtomic(path, bytes) {
      mkdirSync(join(path, '..'), { recursive: true });
      const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
      // The rename is atomic on one file system.
      writeFileSync(temporary, bytes);
      renameSync(temporary, path);
    },
  };
}
