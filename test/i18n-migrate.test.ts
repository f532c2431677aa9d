import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../scripts/i18n-migrate.js';
import { loadCatalogs } from '../src/i18n/catalog.js';

/** Branches written before the catalogs add { fr, en } TS tables: the script converts them. */
describe('scripts/i18n-migrate.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dim-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when an old-style table is given, then its keys land in each catalog and the catalogs still load', async () => {
    // The French reference and English, the languages the old { fr, en } tables carried; a third
    // catalog (Bambara) then lacks the new key and its loader says so: it is translated by hand.
    mkdirSync(join(dir, 'i18n'));
    for (const code of ['fr', 'en']) cpSync(`content/i18n/${code}.json`, join(dir, 'i18n', `${code}.json`));
    writeFileSync(
      join(dir, 'table.ts'),
      `export const searchMessages = {
  'search.zzNew': { fr: 'Nouveau {query}', en: 'New {query}' },
  'help.title': { fr: 'Aide', en: 'Help' },
};\n`,
    );
    const result = await migrate([join(dir, 'table.ts')], { dir: join(dir, 'i18n') });
    expect(result.added).toBe(2);
    expect(result.conflicts).toEqual([]);
    const catalogs = loadCatalogs(join(dir, 'i18n'));
    expect(catalogs.find((c) => c.meta.code === 'fr')!.messages['search.zzNew']).toBe('Nouveau {query}');
    expect(catalogs.find((c) => c.meta.code === 'en')!.messages['search.zzNew']).toBe('New {query}');
    const keys = Object.keys(JSON.parse(readFileSync(join(dir, 'i18n', 'fr.json'), 'utf8')).messages);
    expect(keys).toEqual([...keys].sort());
  });

  it('when a key exists with another text, then it is kept and reported unless --force', async () => {
    writeFileSync(
      join(dir, 'clash.ts'),
      `export const x = { 'help.title': { fr: 'Autre', en: 'Other' } };\n`,
    );
    const kept = await migrate([join(dir, 'clash.ts')], { dir: join(dir, 'i18n') });
    expect(kept.conflicts).toEqual(['fr:help.title', 'en:help.title']);
    expect(JSON.parse(readFileSync(join(dir, 'i18n', 'fr.json'), 'utf8')).messages['help.title']).toBe(
      'Aide',
    );
    const forced = await migrate([join(dir, 'clash.ts')], { dir: join(dir, 'i18n'), force: true });
    expect(forced.added).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'i18n', 'fr.json'), 'utf8')).messages['help.title']).toBe(
      'Autre',
    );
  });
});
