import { beforeAll } from 'vitest';
import { installTranslations } from '../../src/content/localized.js';
import { installCatalogs } from '../../src/i18n/index.js';
import type { Corpus } from '../../src/content/schema.js';

/**
 * The suite runs test files one after another in the same worker (vitest `isolate: false`: the
 * modules are imported once per worker, not once per file, which was most of the suite's time).
 * Two module-level registries outlive a file: the catalogs (`installCatalogs`) and the served
 * translations (`installTranslations`), both installed by every service a test starts. Each
 * file starts from what a fresh import gives: the default catalogs and no translations.
 */
beforeAll(() => {
  installCatalogs();
  installTranslations('content/translations/.none', {} as Corpus, true);
});
