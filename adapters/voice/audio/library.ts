import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { AudioKind, AudioRef, VoiceLang } from '../types.js';
import type { AudioCatalog, Segment } from './catalog.js';
import { synthProfile } from './synth.js';
import { joinWavs } from './wav.js';

/**
 * The audio files under AUDIO_DIR, found in this order for a (language, kind, key):
 *   1. a human recording: `recordings/<lang>/<kind>/<key>.wav` (published from the studio);
 *   2. synthesised speech: every segment of the item in `cache/<hash>.wav`, the hash taken over
 *      the synthesis profile and the text, so an edited text is a new file and never a stale one;
 *   3. nothing: the option is not offered in that language.
 * AUDIO_DIR may be a volume shared by several instances: files are written under a temporary
 * name and renamed into place, so a reader never sees half a file, and the cache is
 * content-addressed, so two instances synthesising the same text write the same file.
 * A published recording replaced by a new one is kept in `versions/<lang>/<kind>/<key>/`
 * (the last KEPT_VERSIONS), so a bad upload can be rolled back.
 */

/** Previous recordings kept per item. */
const KEPT_VERSIONS = 5;

export function segmentHash(segment: Segment): string {
  return createHash('sha256')
    .update(`${synthProfile(segment.lang)}\n${segment.text}`)
    .digest('hex')
    .slice(0, 32);
}

type AudioStatus = 'recorded' | 'synthesised' | 'missing';

type Resolved =
  | { source: 'recording'; files: [string]; tag: string }
  | { source: 'synthesised'; files: string[]; tag: string };

export interface AudioLibrary {
  readonly dir: string;
  readonly catalog: AudioCatalog;
  recordingPath(ref: AudioRef): string;
  /** Where the studio keeps a take before it is published (never served to callers). */
  draftPath(ref: AudioRef): string;
  segmentPath(segment: Segment): string;
  resolve(ref: AudioRef): Resolved | undefined;
  status(ref: AudioRef): AudioStatus;
  available(ref: AudioRef): boolean;
  /** The audio of one item (segments joined), or undefined when it has none. */
  read(ref: AudioRef): { bytes: Buffer; tag: string; source: Resolved['source'] } | undefined;
  /** Writes `bytes` to `path` atomically (temporary name, then rename). */
  writeAtomic(path: string, bytes: Buffer): void;
  /** Whether a human recording is published for `ref`. */
  recorded(ref: AudioRef): boolean;
  /** Publishes a recording; the one it replaces becomes the newest previous version. */
  publish(ref: AudioRef, bytes: Buffer): void;
  /** Previous versions of a recording, newest first (file paths). */
  versions(ref: AudioRef): string[];
  /** Puts the newest previous version back on the line (the withdrawn one is deleted); false without one. */
  rollback(ref: AudioRef): boolean;
}

/** Pause between two joined segments or prompts, in seconds. */
export const JOIN_GAP_SECONDS = 0.25;

export function createAudioLibrary(dir: string, catalog: AudioCatalog): AudioLibrary {
  const recordingPath = (ref: AudioRef) => join(dir, 'recordings', ref.lang, ref.kind, `${ref.key}.wav`);
  const segmentPath = (segment: Segment) => join(dir, 'cache', `${segmentHash(segment)}.wav`);
  const versionsDir = (ref: AudioRef) => join(dir, 'versions', ref.lang, ref.kind, ref.key);
  const writeAtomic = (path: string, bytes: Buffer) => {
    mkdirSync(join(path, '..'), { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    // The rename is atomic on one file system.
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  };
  const versions = (ref: AudioRef): string[] => {
    const folder = versionsDir(ref);
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => /^\d+\.wav$/.test(name))
      .sort((a, b) => Number(b.slice(0, -4)) - Number(a.slice(0, -4)))
      .map((name) => join(folder, name));
  };
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
    draftPath: (ref) => join(dir, 'drafts', ref.lang, ref.kind, `${ref.key}.wav`),
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
    writeAtomic,
    recorded: (ref) => known(ref.lang, ref.kind, ref.key) !== undefined && existsSync(recordingPath(ref)),
    publish(ref, bytes) {
      const current = recordingPath(ref);
      if (existsSync(current)) {
        const folder = versionsDir(ref);
        mkdirSync(folder, { recursive: true });
        // Named by time, later than any kept one: the newest sorts first.
        const latest = versions(ref)[0];
        const newest = latest ? Number(basename(latest, '.wav')) : 0;
        copyFileSync(current, join(folder, `${Math.max(Date.now(), newest + 1)}.wav`));
        for (const old of versions(ref).slice(KEPT_VERSIONS)) rmSync(old, { force: true });
      }
      writeAtomic(current, bytes);
    },
    versions,
    rollback(ref) {
      const previous = versions(ref)[0];
      if (!previous) return false;
      writeAtomic(recordingPath(ref), readFileSync(previous));
      rmSync(previous, { force: true });
      return true;
    },
  };
}
