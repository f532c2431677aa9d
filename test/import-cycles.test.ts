import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph } from './support/import-graph.js';

/**
 * No module imports itself around a circle: a reader can start from the leaves (src/core/refs.ts,
 * src/ports/rate.ts) and walk up, and a module never sees another half-initialised. Type-only
 * imports count too: they tie modules together for a reader just the same.
 */
describe('import circles', () => {
  it('when every module of src, adapters, scripts, bench and test is read, then none imports itself around a circle', () => {
    const circles = importCircles(importGraph('.', ['src', 'adapters', 'scripts', 'bench', 'test']));
    expect(circles.map((group) => group.join(' → '))).toEqual([]);
  });

  it('when two modules import each other (one only for a type), then the check finds the circle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-circle-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src/a.ts'), "import { b } from './b.js';\nexport const a = b + 1;\n");
      writeFileSync(join(dir, 'src/b.ts'), "import type { A } from './c.js';\nexport const b: A = 1;\n");
      writeFileSync(join(dir, 'src/c.ts'), "export type A = number;\nexport { a } from './a.js';\n");
      writeFileSync(join(dir, 'src/leaf.ts'), "import { a } from './a.js';\nexport const leaf = a;\n");
      expect(importCircles(importGraph(dir, ['src']))).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
