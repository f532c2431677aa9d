import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MemoryTranslationStore, type TranslationVersion } from '../../src/translations/store.js';
import { readJsonFile, storedObject } from '../../src/json-file.js';
import { writeAtomically } from '../followup/file-store.js';

const TRANSLATIONS_FILE = 'translations-published.json';
const FileSchema = z.object({ format: z.literal(1), versions: z.array(storedObject<TranslationVersion>()) });

/**
 * Published translations without Redis (embedded mode, one instance): every version in one JSON
 * file under DATA_DIR, rewritten atomically on each publication (temporary file, fsync, rename).
 */
export class FileTranslationStore extends MemoryTranslationStore {
  private readonly path: string;

  constructor(dataDir: string) {
    super();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, TRANSLATIONS_FILE);
    const data = readJsonFile(this.path, FileSchema, {
      missing: () => ({ format: 1 as const, versions: [] }),
    });
    for (const version of data.versions)
      this.versions.set(version.lang, [...(this.versions.get(version.lang) ?? []), version]);
  }

  protected override persist(list: TranslationVersion[]): Promise<void> {
    const lang = list[0]!.lang;
    const all = [...[...this.versions.entries()].filter(([l]) => l !== lang).flatMap(([, v]) => v), ...list];
    return writeAtomically(this.path, JSON.stringify({ format: 1, versions: all }));
  }
}
