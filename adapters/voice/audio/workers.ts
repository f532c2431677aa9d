import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../../src/ports/index.js';
import { WORKER_ENV, type AudioJob, type AudioJobResult, type WorkerReply } from './worker.js';

/**
 * A bounded pool of audio worker processes (worker.ts): at most `processes` jobs run at once,
 * the rest wait in order. Synthesis and studio conversions take tens to hundreds of
 * milliseconds of CPU each; in a child process they never hold the event loop that answers
 * USSD, SMS, Telegram and WhatsApp. A worker is started on the first job, stopped after
 * `idleMs` without one (eSpeak NG's voices weigh ~100 MB), restarted after a crash, and killed
 * when a job overruns `jobTimeoutMs` (that job fails; the next gets a fresh worker).
 */

export interface AudioWorkers {
  readonly processes: number;
  run(job: AudioJob): Promise<AudioJobResult>;
  /** Worker processes alive now. */
  alive(): number;
  close(): Promise<void>;
}

export interface AudioWorkerOptions {
  processes?: number;
  idleMs?: number;
  jobTimeoutMs?: number;
  logger?: Logger;
}

interface Pending {
  job: AudioJob;
  resolve(result: AudioJobResult): void;
  reject(error: Error): void;
}

interface Slot {
  child?: ChildProcess;
  current?: Pending & { id: number; timer: NodeJS.Timeout };
  idle?: NodeJS.Timeout;
  stderr: string;
}

const HERE = fileURLToPath(import.meta.url);
/** From the sources (tsx) or the build (dist/…/worker.js). */
const FROM_SOURCES = HERE.endsWith('.ts');
const ENTRY = join(dirname(HERE), FROM_SOURCES ? 'worker.ts' : 'worker.js');

export function createAudioWorkers(options: AudioWorkerOptions = {}): AudioWorkers {
  const processes = Math.max(1, options.processes ?? 1);
  const idleMs = options.idleMs ?? 30_000;
  const jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
  const slots: Slot[] = Array.from({ length: processes }, () => ({ stderr: '' }));
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;

  const stop = (slot: Slot) => {
    clearTimeout(slot.idle);
    slot.idle = undefined;
    slot.child?.kill('SIGKILL');
  };

  const start = (slot: Slot): ChildProcess => {
    const child = fork(ENTRY, [], {
      execArgv: FROM_SOURCES ? ['--import', 'tsx'] : [],
      env: { ...process.env, [WORKER_ENV]: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    slot.stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (reply: WorkerReply) => {
      const current = slot.current;
      if (!current || reply.id !== current.id) return;
      clearTimeout(current.timer);
      slot.current = undefined;
      if (reply.ok) current.resolve(reply.result);
      else current.reject(new Error(reply.error));
      release(slot);
    });
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return;
      slot.child = undefined;
      clearTimeout(slot.idle);
      const current = slot.current;
      if (current) {
        clearTimeout(current.timer);
        slot.current = undefined;
        const why = slot.stderr.trim().split('\n').at(-1) ?? '';
        current.reject(new Error(`audio worker stopped (${signal ?? code})${why ? `: ${why}` : ''}`));
      }
      pump();
    });
    child.on('error', (error) =>
      options.logger?.warn({ err: { message: error.message } }, 'voice: audio worker'),
    );
    return child;
  };

  /** A slot's job is done: the next job, or an idle worker that lets the process exit. */
  const release = (slot: Slot) => {
    pump();
    if (slot.current || !slot.child) return;
    slot.child.unref();
    slot.child.channel?.unref();
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => stop(slot), idleMs);
    slot.idle.unref();
  };

  const pump = () => {
    for (const slot of slots) {
      if (closed || queue.length === 0) return;
      if (slot.current) continue;
      const pending = queue.shift()!;
      clearTimeout(slot.idle);
      slot.child ??= start(slot);
      slot.child.ref();
      slot.child.channel?.ref();
      const id = ++nextId;
      const child = slot.child;
      const timer = setTimeout(() => child.kill('SIGKILL'), jobTimeoutMs);
      slot.current = { ...pending, id, timer };
      child.send({ id, job: pending.job }, (error) => {
        if (error) child.kill('SIGKILL');
      });
    }
  };

  return {
    processes,
    run(job) {
      if (closed) return Promise.reject(new Error('audio workers closed'));
      return new Promise<AudioJobResult>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        pump();
      });
    },
    alive: () => slots.filter((slot) => slot.child).length,
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('audio workers closed'));
      const exits = slots.flatMap((slot) => {
        const child = slot.child;
        if (!child) return [];
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // An idle worker was unreferenced: referenced again so that its exit is awaited.
        child.ref();
        stop(slot);
        return [exited];
      });
      await Promise.all(exits);
    },
  };
}
