import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogs } from '../src/i18n/catalog.js';

/** Branches written before the catalogs add { fr, en } TS tables: the script converts them. */
describe('scripts/i18n-migrate.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dim-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when an old-style table is given, then its keys land in each catalog and the catalogs still load', () => {
    cpSync('content/i18n', join(dir, 'i18n'), { recursive: true });
    writeFileSync(
      join(dir, 'table.ts'),
      `export const searchMessages = {
  'search.zzNew': { fr: 'Nouveau {query}', en: 'New {query}' },
  'help.title': { fr: 'Aide', en: 'Help' },
};\n`,
    );
    const out = execFileSync(
      'npx',
      ['tsx', 'scripts/i18n-migrate.ts', join(dir, 'table.ts'), '--dir', join(dir, 'i18n')],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toContain('2 text(s) written');
    const catalogs = loadCatalogs(join(dir, 'i18n'));
    expect(catalogs.find((c) => c.meta.code === 'fr')!.messages['search.zzNew']).toBe('Nouveau {query}');
    expect(catalogs.find((c) => c.meta.code === 'en')!.messages['search.zzNew']).toBe('New {query}');
    const keys = Object.keys(JSON.parse(readFileSync(join(dir, 'i18n', 'fr.json'), 'utf8')).messages);
    expect(keys).toEqual([...keys].sort());
  });

  it('when a key exists with another text, then it is kept and reported unless --force', () => {
    writeFileSync(
      join(dir, 'clash.ts'),
      `export const t = { 'help.title': { fr: 'Autre', en: 'Other' } };\n`,
    );
    let failed = false;
    try {
      execFileSync(
        'npx',
        ['tsx', 'scripts/i18n-migrate.ts', join(dir, 'clash.ts'), '--dir', join(dir, 'i18n')],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    } catch (error) {
      failed = true;
      expect(String((error as { stderr: string }).stderr)).toContain('fr:help.title');
    }
    expect(failed).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'i18n', 'fr.json'), 'utf8')).messages['help.title']).toBe(
      'Aide',
    );
  });
});
