import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BYTES_PER_SECOND } from './format.js';
import type { AudioRef, VoiceLang } from '../types.js';
import type { Segment } from './catalog.js';
import { segmentHash, type AudioLibrary } from './library.js';
import type { Synthesizer } from './synth.js';

export interface BuildStats {
  items: number;
  segments: number;
  synthesised: number;
  cached: number;
  failed: number;
  /** Bytes of every segment the items use (the whole synthesised corpus on disk). */
  bytes: number;
  /** Seconds of audio in those segments. */
  audioSeconds: number;
  ms: number;
}

/**
 * Synthesises every segment the catalog's items need that is not in the cache yet. Items with a
 * human recording are synthesised too (a recording can be withdrawn). `only` narrows the build
 * (tests synthesise a few items, never the corpus).
 */
export async function buildAudio(options: {
  library: AudioLibrary;
  synthesizer: Synthesizer;
  langs: readonly VoiceLang[];
  only?: (ref: AudioRef) => boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<BuildStats> {
  const started = performance.now();
  const { library, synthesizer } = options;
  const unique = new Map<string, Segment>();
  let items = 0;
  for (const lang of options.langs) {
    if (!synthesizer.langs.includes(lang)) continue;
    for (const item of library.catalog.items(lang)) {
      if (!item.segments) continue;
      if (options.only && !options.only({ lang, kind: item.kind, key: item.key })) continue;
      items += 1;
      for (const segment of item.segments) unique.set(segmentHash(segment), segment);
    }
  }
  const segments = [...unique.values()];
  let synthesised = 0;
  let cached = 0;
  let failed = 0;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < segments.length) {
      const segment = segments[next++]!;
      const path = library.segmentPath(segment);
      if (existsSync(path)) cached += 1;
      else {
        try {
          mkdirSync(dirname(path), { recursive: true });
          const temporary = `${path}.${process.pid}.${next}.tmp.wav`;
          await synthesizer.synthesize(segment.text, segment.lang, temporary);
          renameSync(temporary, path);
          synthesised += 1;
        } catch {
          failed += 1;
        }
      }
      done += 1;
      options.onProgress?.(done, segments.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  let bytes = 0;
  for (const segment of segments) {
    const path = library.segmentPath(segment);
    if (existsSync(path)) bytes += statSync(path).size;
  }
  return {
    items,
    segments: segments.length,
    synthesised,
    cached,
    failed,
    bytes,
    // 44-byte headers aside.
    audioSeconds: Math.round((bytes - 44 * segments.length) / BYTES_PER_SECOND),
    ms: Math.round(performance.now() - started),
  };
}
