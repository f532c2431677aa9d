import { existsSync } from 'node:fs';
import type { Logger } from '../../../src/ports/index.js';
import type { AudioRef } from '../types.js';
import type { Segment } from './catalog.js';
import { segmentHash, type AudioLibrary } from './library.js';
import type { Synthesizer } from './synth.js';

/**
 * Speech made when it is needed: the segments an item lacks are synthesised in the background,
 * by priority, at most `synthesizer.concurrency` at a time, each written once into the
 * content-addressed cache of AUDIO_DIR (shared by instances; atomic writes, so an instance never
 * reads half a file, and two instances making the same text write the same bytes).
 *
 * Priorities: a caller waiting (`call`) before the line's first prompts at start-up (`start`:
 * the minimal set, so the language menu and home come first), before the other prompts
 * (`background`), before a pre-warm of the readings (`prewarm`, npm run audio:build). A
 * segment already queued moves up when a caller asks for it. A segment that failed is not
 * tried again for a minute (a broken engine must not be hammered by every call).
 */

const PRIORITY = { call: 0, start: 1, background: 2, prewarm: 3 } as const;
export type Priority = keyof typeof PRIORITY;

const RETRY_AFTER_MS = 60_000;

export interface SegmentOutcome {
  synthesised: number;
  cached: number;
  failed: number;
}

export interface Speech {
  /** Whether anything can be synthesised at all (a synthesiser is wired). */
  readonly enabled: boolean;
  /** Playable now, or once synthesised (its language has synthesis and the item a text). */
  producible(ref: AudioRef): boolean;
  /**
   * Asks for what `refs` lack, at `priority`; true as soon as all of them are playable, false
   * when that takes longer than `waitMs` (the synthesis goes on: a later request finds it).
   */
  ensure(refs: AudioRef[], priority: Priority, waitMs: number): Promise<boolean>;
  /** Synthesises what `refs` lack; resolves when every segment is done or failed. */
  request(refs: AudioRef[], priority: Priority): Promise<SegmentOutcome>;
  /** Segments waiting or being synthesised. */
  pending(): number;
  /** Resolves when nothing is waiting (tests, the pre-warm). */
  idle(): Promise<void>;
  /** Drops what waits (shutting down): nothing more is started. */
  close(): void;
}

interface Job {
  segment: Segment;
  hash: string;
  priority: number;
  seq: number;
  started: boolean;
  done: Promise<boolean>;
  settle(ok: boolean): void;
}

export function createSpeech(deps: {
  library: AudioLibrary;
  synthesizer?: Synthesizer;
  logger?: Logger;
  /** Called once per segment synthesised or failed (metrics). */
  onSegment?: (lang: Segment['lang'], seconds: number, outcome: 'ok' | 'failed') => void;
}): Speech {
  const { library, synthesizer } = deps;
  const jobs = new Map<string, Job>();
  const failedAt = new Map<string, number>();
  let running = 0;
  let seq = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const segmentsOf = (ref: AudioRef): Segment[] | undefined => {
    if (!synthesizer) return undefined;
    const segments = library.catalog.item(ref.lang, ref.kind, ref.key)?.segments;
    return segments?.every((s) => synthesizer.langs.includes(s.lang)) ? segments : undefined;
  };

  const pump = () => {
    while (synthesizer && !closed && running < synthesizer.concurrency) {
      let next: Job | undefined;
      for (const job of jobs.values()) {
        if (job.started) continue;
        if (!next || job.priority < next.priority || (job.priority === next.priority && job.seq < next.seq))
          next = job;
      }
      if (!next) break;
      const job = next;
      job.started = true;
      running += 1;
      const started = performance.now();
      synthesizer
        .synthesize(job.segment.text, job.segment.lang)
        .then((wav) => {
          library.writeAtomic(library.segmentPath(job.segment), wav);
          deps.onSegment?.(job.segment.lang, (performance.now() - started) / 1000, 'ok');
          job.settle(true);
        })
        .catch((error: unknown) => {
          failedAt.set(job.hash, Date.now());
          if (closed) return job.settle(false);
          deps.onSegment?.(job.segment.lang, (performance.now() - started) / 1000, 'failed');
          deps.logger?.warn(
            { err: { message: (error as Error).message }, lang: job.segment.lang },
            'voice: synthesis failed',
          );
          job.settle(false);
        })
        .finally(() => {
          jobs.delete(job.hash);
          running -= 1;
          pump();
          if (jobs.size === 0 || closed) {
            const waiters = idleWaiters;
            idleWaiters = [];
            waiters.forEach((wake) => wake());
          }
        });
    }
  };

  /** The job making `segment` (queued now if needed); undefined when it exists or failed lately. */
  const jobFor = (segment: Segment, priority: number): Job | 'cached' | 'failed' => {
    const hash = segmentHash(segment);
    const queued = jobs.get(hash);
    if (queued) {
      queued.priority = Math.min(queued.priority, priority);
      return queued;
    }
    if (existsSync(library.segmentPath(segment))) return 'cached';
    if (closed) return 'failed';
    const failed = failedAt.get(hash);
    if (failed !== undefined && Date.now() - failed < RETRY_AFTER_MS) return 'failed';
    let settle!: (ok: boolean) => void;
    const done = new Promise<boolean>((resolve) => (settle = resolve));
    const job: Job = { segment, hash, priority, seq: seq++, started: false, done, settle };
    jobs.set(hash, job);
    return job;
  };

  const start = (refs: AudioRef[], priority: Priority) => {
    // By segment: a French reading and an English one share the report's words.
    const byHash = new Map<string, Job | 'cached' | 'failed'>();
    let impossible = false;
    for (const ref of refs) {
      if (library.available(ref)) continue;
      const segments = segmentsOf(ref);
      if (!segments) {
        impossible = true;
        continue;
      }
      for (const segment of segments) {
        const hash = segmentHash(segment);
        if (!byHash.has(hash)) byHash.set(hash, jobFor(segment, PRIORITY[priority]));
      }
    }
    pump();
    return { wanted: [...byHash.values()], impossible };
  };

  return {
    enabled: synthesizer !== undefined,
    producible: (ref) => library.available(ref) || segmentsOf(ref) !== undefined,
    async ensure(refs, priority, waitMs) {
      const { wanted, impossible } = start(refs, priority);
      if (impossible || wanted.includes('failed')) return false;
      const jobsToWait = wanted.filter((w): w is Job => typeof w !== 'string');
      if (jobsToWait.length === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
      });
      try {
        const all = Promise.all(jobsToWait.map((job) => job.done)).then((oks) => oks.every(Boolean));
        return await Promise.race([all, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async request(refs, priority) {
      const { wanted } = start(refs, priority);
      const outcome: SegmentOutcome = { synthesised: 0, cached: 0, failed: 0 };
      const results = await Promise.all(
        wanted.map((w) => (typeof w === 'string' ? w : w.done.then((ok) => (ok ? 'made' : 'failed')))),
      );
      for (const result of results) {
        if (result === 'made') outcome.synthesised += 1;
        else if (result === 'cached') outcome.cached += 1;
        else outcome.failed += 1;
      }
      return outcome;
    },
    pending: () => jobs.size,
    close() {
      closed = true;
      for (const job of [...jobs.values()].filter((j) => !j.started)) {
        jobs.delete(job.hash);
        job.settle(false);
      }
    },
    idle: () =>
      jobs.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
}
