import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Subscription } from '../../src/subscriptions/model.js';
import { readJsonFile, storedObject } from '../../src/json-file.js';
import { MemorySubscriptionStore } from '../../src/subscriptions/store.js';
import { writeAtomically } from '../followup/file-store.js';

export const SUBSCRIPTIONS_FILE = 'subscriptions.json';
const FileSchema = z.object({ format: z.literal(1), records: z.array(storedObject<Subscription>()) });

/**
 * Subscriptions without Redis (embedded mode, one instance): a JSON file under DATA_DIR,
 * rewritten atomically on each change, addresses sealed. Records older than the retention
 * are dropped on load. Broadcasts themselves need Redis (BullMQ): in the embedded mode people
 * can subscribe, and their subscriptions are kept for when Redis is configured.
 */
export class FileSubscriptionStore extends MemorySubscriptionStore {
  private readonly path: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(dataDir: string, now: number = Date.now(), ttlSeconds = 365 * 24 * 3600) {
    super();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, SUBSCRIPTIONS_FILE);
    const data = readJsonFile(this.path, FileSchema, {
      missing: () => ({ format: 1 as const, records: [] }),
    });
    for (const record of data.records)
      if (Date.parse(record.since) + ttlSeconds * 1000 > now) this.records.set(record.pseudonym, record);
  }

  protected override persist(): Promise<void> {
    const content = JSON.stringify({ format: 1, records: [...this.records.values()] });
    const write = this.queue.then(() => writeAtomically(this.path, content));
    this.queue = write.catch(() => {});
    return write;
  }

  override async close(): Promise<void> {
    await this.queue;
  }
}
