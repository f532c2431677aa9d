import { existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { appendFile, close as closeFd, fsync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Clock, OptOutRegistry } from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';

const appendAsync = promisify(appendFile);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(closeFd);

export const OPT_OUT_FILE = 'sms-optout.log';

/**
 * The opt-out list without Redis: an append-only journal under DATA_DIR, one line per change
 * ("optout <pseudonym> <iso>" / "optin ..."), replayed on start. Each append is fsynced before
 * `add` resolves, so a confirmed STOP survives a crash. Appends are chained so lines never
 * interleave. A torn last line (crash mid-write) is skipped on replay.
 */
export class FileOptOutRegistry implements OptOutRegistry {
  private readonly members = new Set<string>();
  private readonly fd: number;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    dataDir: string,
    private readonly clock: Clock = systemClock,
    /** One journal per channel: a STOP on WhatsApp stops WhatsApp, not SMS. */
    fileName = OPT_OUT_FILE,
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, fileName);
    const journal = existsSync(path) ? readFileSync(path, 'utf8') : '';
    this.replay(journal);
    this.fd = openSync(path, 'a', 0o600);
    // A torn last line (crash mid-write) is closed off, or the next entry would be glued to it.
    if (journal !== '' && !journal.endsWith('\n')) {
      writeSync(this.fd, '\n');
      fsyncSync(this.fd);
    }
  }

  private replay(journal: string): void {
    for (const line of journal.split('\n')) {
      const [op, pseudonym, at] = line.split(' ');
      if (!pseudonym || !at) continue;
      if (op === 'optout') this.members.add(pseudonym);
      else if (op === 'optin') this.members.delete(pseudonym);
    }
  }

  async has(pseudonym: string): Promise<boolean> {
    return this.members.has(pseudonym);
  }

  add(pseudonym: string): Promise<void> {
    return this.append('optout', pseudonym, () => this.members.add(pseudonym));
  }

  remove(pseudonym: string): Promise<void> {
    return this.append('optin', pseudonym, () => this.members.delete(pseudonym));
  }

  private append(op: 'optout' | 'optin', pseudonym: string, apply: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('opt-out registry closed'));
    if (/\s/.test(pseudonym) || pseudonym === '') return Promise.reject(new Error('bad pseudonym'));
    // An opt-out counts in this process from the moment it is asked for, even before it is on disk.
    if (op === 'optout') apply();
    const line = `${op} ${pseudonym} ${new Date(this.clock.now()).toISOString()}\n`;
    const write = this.queue.then(async () => {
      await appendAsync(this.fd, line);
      await fsyncAsync(this.fd);
      if (op === 'optin') apply();
    });
    this.queue = write.catch(() => {});
    return write;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await closeAsync(this.fd);
  }
}
