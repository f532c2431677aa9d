import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/architecture.md cannot drift from the code: every path it names exists, and every code
 * name it mentions (a function, type, constant or member in backticks) is declared somewhere in
 * the repository. A rename or a removal that forgets the doc fails here, naming what is gone.
 */
const DOC = 'docs/architecture.md';
const CODE_DIRS = ['src', 'adapters', 'scripts', 'bench', 'test'];

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

/**
 * Every `span` of the doc outside fenced blocks (diagrams and shell commands are read by eye),
 * but for names in other projects ("grammY's `convenience/frameworks.ts`").
 */
function codeSpans(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/(\S*)\s?`([^`\n]+)`/g)]
    .filter((m) => !/(?:grammY|practica|courier)['’]s$/.test(m[1]!))
    .map((m) => m[2]!.trim());
}

/** JavaScript's own objects: `Intl.PluralRules` is the platform's, not ours. */
const GLOBALS = new Set([
  'Intl',
  'JSON',
  'Object',
  'Promise',
  'Math',
  'Date',
  'Buffer',
  'process',
  'console',
]);
const ROOTS = ['src', 'adapters', 'content', 'docs', 'test', 'scripts', 'bench', '.ci'];

const PATH = /^(?:[\w.@-]+\/)+[\w.@-]*$|^[\w-]+\.(?:ts|js|json|md|css|html|mjs)$/;
/** A code name: camelCase or PascalCase (an inner capital), or UPPER_SNAKE, optionally called or dotted. */
const NAME = /^([A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*)*)(\(.*\))?$/;
const isCodeName = (word: string) =>
  /^[a-z$_][\w$]*[A-Z]/.test(word) ||
  /^[A-Z][a-z0-9]+[A-Z]/.test(word) ||
  /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(word);

function checkDoc(markdown: string, root = '.'): string[] {
  const all = ROOTS.flatMap((dir) => (existsSync(join(root, dir)) ? files(join(root, dir)) : []));
  const fileExists = (path: string): boolean =>
    existsSync(join(root, path)) ||
    all.some((file) => file === path || file.endsWith(`/${path}`)) ||
    (path.endsWith('.js') && fileExists(path.replace(/\.js$/, '.ts')));
  const code = all
    .filter((path) => CODE_DIRS.some((dir) => path.startsWith(`${dir}/`)) && /\.(ts|mjs|js)$/.test(path))
    // This file names missing things on purpose.
    .filter((path) => !path.endsWith('architecture-doc.test.ts'))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  const config = ['.env.example', 'package.json', 'Dockerfile', 'src/config.ts']
    .filter((path) => existsSync(join(root, path)))
    .map((path) => readFileSync(join(root, path), 'utf8'))
    .join('\n');
  const declared = (name: string) =>
    new RegExp(
      // declared (function, const, class, type…), a member or key, a literal of a union, or a
      // method the code calls on a library ("api.setMyCommands(")
      `(?:\\b(?:function\\*?|const|let|var|class|interface|type|enum)\\s+${name}\\b)|(?:^\\s*(?:readonly\\s+|async\\s+|get\\s+|static\\s+)*['"]?${name}['"]?\\??\\s*[(:<])|(?:[{,]\\s*${name}\\s*[,}])|(?:['"]${name}['"])|(?:\\.${name}\\()`,
      'm',
    ).test(code);
  const problems: string[] = [];
  for (const span of new Set(codeSpans(markdown))) {
    if (/[<>{}*\s]/.test(span) && !NAME.test(span)) continue; // a pattern or a sentence, not a path
    const isPath =
      PATH.test(span) && (/\.\w+$/.test(span) || span.endsWith('/') || ROOTS.includes(span.split('/')[0]!));
    if (isPath) {
      if (!fileExists(span.replace(/\/$/, ''))) problems.push(`path ${span}`);
      continue;
    }
    const match = NAME.exec(span);
    if (!match) continue;
    if (GLOBALS.has(match[1]!)) continue;
    const parts = [match[1]!, ...match[2]!.split('.').filter(Boolean)];
    const called = match[3] !== undefined;
    for (const [i, part] of parts.entries()) {
      // A plain word is a name only when the doc calls it: `languages()`, `t(lang, key)`.
      if (!isCodeName(part) && !(called && i === parts.length - 1)) continue;
      const known = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(part)
        ? new RegExp(`\\b${part}\\b`).test(code) || new RegExp(`\\b${part}\\b`).test(config)
        : declared(part);
      if (!known) problems.push(`name ${part} (in \`${span}\`)`);
    }
  }
  return problems;
}

describe('docs/architecture.md', () => {
  it('when every path and code name it mentions is looked up, then each exists in the repository', () => {
    expect(checkDoc(readFileSync(DOC, 'utf8'))).toEqual([]);
  });

  it('when the doc names a file, a function or a member that does not exist, then the check names each', () => {
    const doc = [
      'The loader (`src/i18n/catalog.ts`, `loadCatalogs`) and `src/i18n/nowhere.ts`.',
      'Channels call `personPseudonymOf(res, phone)` and read `Engine.respondLater`.',
      'Configured by `CATALOG_DIR` and `NO_SUCH_SETTING`; `draft` is a plain word.',
    ].join('\n');
    expect(checkDoc(doc)).toEqual([
      'path src/i18n/nowhere.ts',
      'name personPseudonymOf (in `personPseudonymOf(res, phone)`)',
      'name respondLater (in `Engine.respondLater`)',
      'name NO_SUCH_SETTING (in `NO_SUCH_SETTING`)',
    ]);
  });
});
