import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionStore } from '../../src/ports/index.js';
import { z } from 'zod';
import { StartupError } from '../../src/errors.js';
import { readJsonFile } from '../../src/json-file.js';
import { writeAtomically } from '../followup/file-store.js';

/**
 * What SINGLE_PROCESS=on (production without Redis) adds to the embedded mode: one process per
 * DATA_DIR, and the keys' fingerprints kept in DATA_DIR so a restart with another
 * PHONE_HASH_KEY (every journaled STOP would silently mean nobody) is not ready.
 */
const LOCK_FILE = 'instance.lock';
const FINGERPRINT_FILE = 'key-fingerprints.json';
const LockSchema = z.object({ pid: z.number().optional(), started: z.number().optional() });
const FingerprintsSchema = z.record(z.string(), z.unknown());

/** This process's incarnation: a restarted container reuses pid 1, never its start time. */
const incarnation = { pid: process.pid, started: Math.round(Date.now() - process.uptime() * 1000) };
let holders = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes DATA_DIR's lock for this process, or throws a StartupError naming the process that holds
 * it. A lock left by a process that is gone (a crash, a restarted container) is taken over.
 * Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  if (existsSync(path)) {
    let held: z.infer<typeof LockSchema> = {};
    try {
      held = readJsonFile(path, LockSchema);
    } catch {
      // unreadable: a crash while writing it, taken over
    }
    const mine = held.pid === incarnation.pid && held.started === incarnation.started;
    const other = typeof held.pid === 'number' && held.pid !== incarnation.pid && alive(held.pid);
    if (other || (mine && holders > 0))
      throw new StartupError(
        'configuration',
        `SINGLE_PROCESS=on: ${path} is held by process ${held.pid}; one process per DATA_DIR`,
      );
  }
  writeFileSync(path, JSON.stringify(incarnation), { mode: 0o600 });
  holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
}

/** The fingerprint store of createKeyFingerprints over one JSON file (rewritten atomically). */
export function fileFingerprints(dataDir: string): Pick<SessionStore, 'get' | 'set' | 'setIfAbsent'> {
  const path = join(dataDir, FINGERPRINT_FILE);
  const read = (): Record<string, unknown> => {
    try {
      return readJsonFile(path, FingerprintsSchema);
    } catch {
      return {};
    }
  };
  const write = (data: Record<string, unknown>) => writeAtomically(path, JSON.stringify(data));
  return {
    get: async <T>(key: string) => read()[key] as T | undefined,
    set: async (key, value) => write({ ...read(), [key]: value }),
    setIfAbsent: async (key, value) => {
      const data = read();
      if (key in data) return false;
      await write({ ...data, [key]: value });
      return true;
    },
  };
}
