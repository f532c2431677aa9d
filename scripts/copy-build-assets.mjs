// Copies the files tsc does not emit (the web simulator's static page) into the build output,
// so `node dist/adapters/main.js` finds them next to the compiled modules, as in the sources.
// Usage: node scripts/copy-build-assets.mjs [outDir]   (default: dist)
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const outDir = process.argv[2] ?? 'dist';
const copied = [];
for (const entry of readdirSync('adapters', { withFileTypes: true })) {
  const from = join('adapters', entry.name, 'public');
  if (!entry.isDirectory() || !existsSync(from)) continue;
  cpSync(from, join(outDir, from), { recursive: true });
  copied.push(from);
}
process.stdout.write(`copied ${copied.length ? copied.join(', ') : 'no asset directory'} into ${outDir}\n`);
