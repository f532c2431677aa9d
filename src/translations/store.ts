import type { Change } from '../content/lang-state.js';

/**
 * Translations published from the console (issue 31), versioned like follow-ups: each
 * publication of a language is the next version, with its changes (entries, their text and
 * review), who published it and when. Nothing is overwritten; an edit made on a stale version
 * is refused (two reviewers never overwrite each other silently). Implementations: memory,
 * a JSON file under DATA_DIR (adapters/translations/file-store.ts) and Redis (redis-store.ts).
 */
export interface TranslationVersion {
  lang: string;
  version: number;
  publishedAt: string;
  /** The console account that published it. */
  publishedBy: string;
  source: 'edit' | 'upload';
  changes: Change[];
}

export class TranslationConflictError extends Error {
  constructor(
    readonly lang: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${lang}: version ${actual} is live, the edit was made on ${expected}`);
  }
}

export interface TranslationStore {
  /** How many versions `lang` has (the latest's number): one cheap read, polled by every instance. */
  count(lang: string): Promise<number>;
  /** Versions after `after` (0: all), oldest first. */
  since(lang: string, after: number): Promise<TranslationVersion[]>;
  /** Publishes the next version if `expected` is still the latest, else TranslationConflictError. */
  publish(input: Omit<TranslationVersion, 'version'>, expected: number): Promise<TranslationVersion>;
  close(): Promise<void>;
}

export class MemoryTranslationStore implements TranslationStore {
  protected readonly versions = new Map<string, TranslationVersion[]>();
  private chain: Promise<unknown> = Promise.resolve();

  async count(lang: string): Promise<number> {
    return this.versions.get(lang)?.length ?? 0;
  }

  async since(lang: string, after: number): Promise<TranslationVersion[]> {
    return (this.versions.get(lang) ?? []).slice(after);
  }

  publish(input: Omit<TranslationVersion, 'version'>, expected: number): Promise<TranslationVersion> {
    const run = this.chain.then(async () => {
      const list = this.versions.get(input.lang) ?? [];
      if (list.length !== expected) throw new TranslationConflictError(input.lang, expected, list.length);
      const version = { ...input, version: list.length + 1 };
      await this.persist([...list, version]);
      this.versions.set(input.lang, [...list, version]);
      return version;
    });
    this.chain = run.catch(() => {});
    return run;
  }

  /** The file store writes here before the version is visible. */
  protected async persist(_list: TranslationVersion[]): Promise<void> {}

  async close(): Promise<void> {}
}
