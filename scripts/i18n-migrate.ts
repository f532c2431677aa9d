/**
 * Converts UI strings written the old way ({ fr, en } entries in a TypeScript table such as
 * `export const fooMessages = { 'foo.bar': { fr: '...', en: '...' } }`) into the JSON catalogs
 * content/i18n/<code>.json, so branches written before the catalogs can be merged mechanically.
 *
 *   npx tsx scripts/i18n-migrate.ts src/i18n/search.ts [more.ts ...] [--dir content/i18n] [--force]
 *
 * Every exported object whose values are { <code>: string } becomes entries of the catalog of
 * each code it names (fr → fr.json, en → en.json, bm → bm.json). A key already present with
 * another text is reported and left alone unless --force. The catalog files must exist (a new
 * language starts with its `meta`, see docs/architecture.md, "How to add a language"). Keys are
 * written sorted, so a diff shows only what changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Table = Record<string, Record<string, string>>;

function isTable(value: unknown): value is Table {
  if (!value || typeof value !== 'object') return false;
  const entries = Object.values(value as object);
  return (
    entries.length > 0 &&
    entries.every(
      (entry) =>
        !!entry &&
        typeof entry === 'object' &&
        Object.values(entry as object).every((text) => typeof text === 'string'),
    )
  );
}

export function mergeTables(
  catalogs: Map<string, { meta: unknown; messages: Record<string, string> }>,
  tables: Table[],
  force = false,
): { added: number; conflicts: string[]; missingCatalogs: string[] } {
  let added = 0;
  const conflicts: string[] = [];
  const missing = new Set<string>();
  for (const table of tables) {
    for (const [key, texts] of Object.entries(table)) {
      for (const [code, text] of Object.entries(texts)) {
        const catalog = catalogs.get(code);
        if (!catalog) {
          missing.add(code);
          continue;
        }
        const existing = catalog.messages[key];
        if (existing === text) continue;
        if (existing !== undefined && !force) {
          conflicts.push(`${code}:${key}`);
          continue;
        }
        catalog.messages[key] = text;
        added += 1;
      }
    }
  }
  return { added, conflicts, missingCatalogs: [...missing] };
}

export function sortedMessages(messages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Merges the { code: text } tables exported by `files` into the catalogs of `dir`, and writes them. */
export async function migrate(
  files: string[],
  { dir = 'content/i18n', force = false }: { dir?: string; force?: boolean } = {},
): Promise<{ added: number; conflicts: string[]; missingCatalogs: string[]; codes: string[] }> {
  const tables: Table[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) if (isTable(value)) tables.push(value);
  }
  const codes = new Set(
    tables.flatMap((table) => Object.values(table).flatMap((texts) => Object.keys(texts))),
  );
  const catalogs = new Map<string, { meta: unknown; messages: Record<string, string> }>();
  for (const code of codes) {
    try {
      catalogs.set(code, JSON.parse(readFileSync(resolve(dir, `${code}.json`), 'utf8')));
    } catch {
      // Reported as a missing catalog.
    }
  }
  const result = mergeTables(catalogs, tables, force);
  for (const [code, catalog] of catalogs) {
    const path = resolve(dir, `${code}.json`);
    writeFileSync(
      path,
      `${JSON.stringify({ ...catalog, messages: sortedMessages(catalog.messages) }, null, 2)}\n`,
    );
  }
  return { ...result, codes: [...catalogs.keys()] };
}

async function main(argv: string[]): Promise<void> {
  let dir = 'content/i18n';
  let force = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dir') dir = argv[++i] ?? dir;
    else if (arg === '--force') force = true;
    else files.push(arg);
  }
  if (files.length === 0) {
    process.stderr.write('usage: tsx scripts/i18n-migrate.ts <table.ts>... [--dir content/i18n] [--force]\n');
    process.exit(2);
  }
  const { added, conflicts, missingCatalogs, codes } = await migrate(files, { dir, force });
  process.stdout.write(`${added} text(s) written into ${codes.join(', ')}\n`);
  if (missingCatalogs.length > 0)
    process.stderr.write(
      `no catalog file for: ${missingCatalogs.join(', ')} (create it with its meta first)\n`,
    );
  if (conflicts.length > 0) {
    process.stderr.write(
      `kept the catalog's text for ${conflicts.length} key(s) (use --force): ${conflicts.join(', ')}\n`,
    );
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
