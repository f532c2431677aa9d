import { mkdirSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock } from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';
import { z } from 'zod';
import type { FollowUpVersion } from '../../src/followup/model.js';
import { readJsonFile, storedObject } from '../../src/json-file.js';
import { MemoryFollowUpStore } from '../../src/followup/store.js';

export const FOLLOW_UP_FILE = 'followup.json';

const FileSchema = z.object({
  format: z.literal(1),
  versions: z.record(z.string(), z.array(storedObject<FollowUpVersion>())),
});
type FileShape = z.infer<typeof FileSchema>;

/**
 * Follow-up versions without Redis (embedded mode): the whole history in one JSON file under
 * DATA_DIR, rewritten atomically on every publication (write a temporary file, fsync it,
 * rename it over the old one, fsync the directory), so a crash leaves either the old file or
 * the new one, never half of one. A few hundred small entries: rewriting the file is cheap.
 * Publications are chained so two never interleave. One instance only, like the rest of the
 * embedded mode.
 */
export class FileFollowUpStore extends MemoryFollowUpStore {
  private readonly path: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(dataDir: string, clock: Clock = systemClock) {
    super(clock);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, FOLLOW_UP_FILE);
    const data = readJsonFile(this.path, FileSchema, {
      missing: () => ({ format: 1 as const, versions: {} }),
    });
    for (const [id, list] of Object.entries(data.versions)) this.versions.set(id, list);
  }

  protected override persist(recommendationId: string, list: FollowUpVersion[]): Promise<void> {
    const snapshot: FileShape = {
      format: 1,
      versions: { ...Object.fromEntries(this.versions), [recommendationId]: list },
    };
    const write = this.queue.then(() => writeAtomically(this.path, JSON.stringify(snapshot, null, 1)));
    this.queue = write.catch(() => {});
    return write;
  }

  override async close(): Promise<void> {
    await this.queue;
  }
}

export async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
