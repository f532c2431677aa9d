/**
 * `npm run translations:import -- <lang> [--dir <dir>] [--reviewer "Name"] [--date YYYY-MM-DD] [--dry-run]`
 *
 * Reads <dir>/<lang>/{catalog,labels,summaries}.po (default dir: po/) back into
 * content/i18n/<lang>.json, content/i18n/review/<lang>.json and content/translations/<lang>.json.
 * Every change is checked first (placeholders, characters a phone cannot show, GSM-7 budgets,
 * lengths, the glossary); on any problem nothing is written and it exits 1. An entry that is
 * no longer fuzzy becomes reviewed by --reviewer (else the files' Last-Translator) on --date
 * (else today). Files that change nothing are left as they are: a round trip writes nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { loadCorpus } from '../src/content/load.js';
import { loadGlossary } from '../src/content/glossary.js';
import { applyChanges, checkState, loadLangState, pathsOf } from '../src/content/lang-state.js';
import { importPo, PO_PARTS } from '../src/content/po.js';
import { referenceMessages } from '../src/content/translations.js';
import { withSummaries } from '../src/i18n/index.js';
import { formatProblem } from '../src/i18n/catalog.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: 'po' },
    reviewer: { type: 'string' },
    date: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const lang = positionals[0];
if (!lang || !/^[a-z]{2,3}$/.test(lang) || lang === 'fr') {
  console.error(
    'usage: npm run translations:import -- <lang> [--dir <dir>] [--reviewer "Name"] [--date YYYY-MM-DD] [--dry-run]',
  );
  process.exit(2);
}

async function main(): Promise<number> {
  const state = loadLangState(lang!);
  const reference = referenceMessages();
  const corpus = loadCorpus('content/recommendations.json');
  const source = { reference, corpus, version: 0, withSummaries: withSummaries(lang!) };
  const files = PO_PARTS.map((part) => join(values.dir, lang!, `${part}.po`))
    .filter((path) => existsSync(path))
    .map((path) => ({ name: path, content: readFileSync(path) }));
  if (files.length === 0) {
    console.error(
      `no PO file in ${join(values.dir, lang!)} (npm run translations:export -- ${lang} writes them)`,
    );
    return 1;
  }
  const result = importPo(files, state, source, {
    ...(values.reviewer ? { name: values.reviewer } : {}),
    date: values.date ?? new Date().toISOString().slice(0, 10),
  });
  for (const note of result.notes) console.log(`note: ${note}`);
  const next = applyChanges(state, result.changes);
  const verdict = checkState(next, { reference, corpus, glossary: loadGlossary(lang!) });
  for (const warning of verdict.warnings) console.log(`note: ${formatProblem(warning)}`);
  const problems = [...result.problems, ...verdict.problems.map(formatProblem)];
  const reviewed = result.changes.filter((c) => c.review.state === 'reviewed').length;
  console.log(
    `${files.length} file(s) read; ${result.changes.length} change(s), ${reviewed} marked reviewed`,
  );
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s), nothing written:\n${problems.join('\n')}`);
    return 1;
  }
  if (result.changes.length === 0 || values['dry-run']) return 0;
  const paths = pathsOf(lang!);
  const write = async (path: string, data: unknown, before: unknown) => {
    if (JSON.stringify(data) === JSON.stringify(before)) return;
    const text = await prettier.format(JSON.stringify(data), {
      ...(await prettier.resolveConfig(path)),
      filepath: path,
    });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  };
  await write(paths.catalog, next.catalog, state.catalog);
  await write(paths.reviews, next.reviews, state.reviews);
  await write(paths.content, next.content, state.content);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
