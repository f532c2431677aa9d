import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryTranslationStore, type TranslationVersion } from '../../src/translations/store.js';
import { writeAtomically } from '../followup/file-store.js';

const TRANSLATIONS_FILE = 'translations-published.json';

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
    if (existsSync(this.path)) {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as {
        format: 1;
        versions: TranslationVersion[];
      };
      for (const version of data.versions)
        this.versions.set(version.lang, [...(this.versions.get(version.lang) ?? []), version]);
    }
  }

  protected override persist(list: TranslationVersion[]): Promise<void> {
    const lang = list[0]!.lang;
    const all = [...[...this.versions.entries()].filter(([l]) => l !== lang).flatMap(([, v]) => v), ...list];
    return writeAtomically(this.path, JSON.stringify({ format: 1, versions: all }));
  }
}
