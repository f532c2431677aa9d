import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The repository's own import graph, read with the TypeScript compiler's pre-processor (every
 * `import`, `import type`, `export … from` and `import()` of a relative path), and its circles.
 * A circle is a strongly connected group of modules (Tarjan): each reaches every other one.
 */
export type ImportGraph = Map<string, string[]>;

function tsFiles(root: string, dir: string, out: string[]): string[] {
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) tsFiles(root, path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files = dirs.filter((dir) => existsSync(join(root, dir))).flatMap((dir) => tsFiles(root, dir, []));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const deps = importedFiles
      .map((imported) => imported.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, '.ts'))))
      .filter((path) => known.has(path));
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/** Every group of modules that import each other, directly or around a circle, sorted. */
export function importCircles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (module: string): void => {
    index.set(module, next);
    low.set(module, next++);
    stack.push(module);
    onStack.add(module);
    for (const dep of graph.get(module) ?? []) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(module, Math.min(low.get(module)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(module, Math.min(low.get(module)!, index.get(dep)!));
    }
    if (low.get(module) !== index.get(module)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== module);
    if (group.length > 1 || graph.get(module)?.includes(module)) circles.push(group.sort());
  };
  for (const module of graph.keys()) if (!index.has(module)) visit(module);
  return circles;
}
