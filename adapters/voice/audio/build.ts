import { existsSync, statSync } from 'node:fs';
import { BYTES_PER_SECOND } from './format.js';
import type { AudioRef, VoiceLang } from '../types.js';
import type { Segment } from './catalog.js';
import { segmentHash, type AudioLibrary } from './library.js';
import { createSpeech, type Priority } from './speech.js';
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
 * Synthesises every segment the catalog's items need that is not in the cache yet: the
 * pre-warm (`npm run audio:build`) and the tests' way to lay out audio. The line does the same
 * on its own (prompts at start, readings on first request, speech.ts); this only does it ahead.
 * Items with a human recording are synthesised too (a recording can be withdrawn). `only`
 * narrows the build (tests synthesise a few items, never the corpus).
 */
export async function buildAudio(options: {
  library: AudioLibrary;
  synthesizer: Synthesizer;
  langs: readonly VoiceLang[];
  only?: (ref: AudioRef) => boolean;
  priority?: Priority;
  onProgress?: (done: number, total: number) => void;
}): Promise<BuildStats> {
  const started = performance.now();
  const { library, synthesizer } = options;
  const refs: AudioRef[] = [];
  const unique = new Map<string, Segment>();
  for (const lang of options.langs) {
    for (const item of library.catalog.items(lang)) {
      if (!item.segments || !item.segments.every((s) => synthesizer.langs.includes(s.lang))) continue;
      const ref: AudioRef = { lang, kind: item.kind, key: item.key };
      if (options.only && !options.only(ref)) continue;
      refs.push(ref);
      for (const segment of item.segments) unique.set(segmentHash(segment), segment);
    }
  }
  const exists = (segment: Segment) => existsSync(library.segmentPath(segment));
  const cached = [...unique.values()].filter(exists).length;
  const speech = createSpeech({ library, synthesizer });
  let done = 0;
  // One request per item: progress shows as items finish, in catalogue order.
  await Promise.all(
    refs.map(async (ref) => {
      await speech.request([ref], options.priority ?? 'prewarm');
      done += 1;
      options.onProgress?.(done, refs.length);
    }),
  );
  let bytes = 0;
  let present = 0;
  for (const segment of unique.values()) {
    if (!exists(segment)) continue;
    present += 1;
    bytes += statSync(library.segmentPath(segment)).size;
  }
  return {
    items: refs.length,
    segments: unique.size,
    synthesised: present - cached,
    cached,
    failed: unique.size - present,
    bytes,
    // 44-byte headers aside.
    audioSeconds: Math.round((bytes - 44 * present) / BYTES_PER_SECOND),
    ms: Math.round(performance.now() - started),
  };
}
