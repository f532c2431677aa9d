/**
 * `npm run translations:check [root]`: validates every translation a reviewer may edit.
 *
 * content/translations/<lang>.json (theme names, labels, summaries) against the corpus, and
 * content/i18n/<code>.json (UI catalogs) against the French reference keys. Prints, per file,
 * how many entries are draft or reviewed and which keys are missing, then per language the
 * counts by state (reviewed / draft / missing) of its catalog, theme names, labels and
 * summaries, and holds every string of a language with a glossary (content/i18n/glossary/) to
 * it; then one line per problem ("file: key: what"). Exits 1 when anything is invalid, so a
 * reviewer's edit is checked before it is served.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadCorpus } from '../src/content/load.js';
import type { Corpus } from '../src/content/schema.js';
import { checkGlossary, langTexts, loadGlossary } from '../src/content/glossary.js';
import { countStates, loadLangState, type StateCounts } from '../src/content/lang-state.js';
import { referenceMessages, validateCatalog, validateTranslations } from '../src/content/translations.js';
import { withSummaries } from '../src/i18n/index.js';
import { formatProblem, type Problem } from '../src/i18n/catalog.js';
import { readJsonFile } from '../src/json-file.js';

/** What the glossary check reads of the lexicon: Bambara headwords and their GSM-7 spellings. */
const LexiconBambaraSchema = z.object({
  bambara: z.object({ entries: z.record(z.string(), z.object({ gsm: z.array(z.string()) })) }).optional(),
});

// The project root, or another tree holding the same content/ layout (the tests point it at fixtures).
const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const rel = (path: string) => relative(root, path);
const jsonFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(dir, name))
    : [];

let corpus: Corpus;
try {
  corpus = loadCorpus(join(root, 'content/recommendations.json'));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const reference = referenceMessages();
const problems: Problem[] = [];
const listMissing = (missing: string[]) =>
  missing.length === 0
    ? 'none missing'
    : `${missing.length} missing: ${missing.slice(0, 12).join(', ')}${missing.length > 12 ? ', ...' : ''}`;

for (const path of jsonFiles(join(root, 'content/translations'))) {
  const report = validateTranslations(readFileSync(path, 'utf8'), rel(path), corpus);
  const { themes, recommendations } = report;
  console.log(
    `${report.lang} (${report.file}): themes ${themes.draft} draft / ${themes.reviewed} reviewed; ` +
      `recommendations ${recommendations.draft} draft / ${recommendations.reviewed} reviewed; ` +
      listMissing(report.missing),
  );
  problems.push(...report.problems);
}

for (const path of jsonFiles(join(root, 'content/i18n'))) {
  const report = validateCatalog(readFileSync(path, 'utf8'), rel(path), reference);
  console.log(
    `${report.code} (${report.file}): ${report.keys}/${Object.keys(reference).length} UI keys, ` +
      `catalog ${report.review}; ${listMissing(report.missing)}` +
      (report.warnings.length > 0 ? `; ${report.warnings.length} phone string(s) longer than French` : ''),
  );
  for (const warning of report.warnings) console.log(`  note: ${formatProblem(warning)}`);
  problems.push(...report.problems);
}

// Per language: entries by state, and the glossary over every string of the language.
const show = (name: string, c: StateCounts) =>
  `${name} ${c.reviewed} reviewed / ${c.draft} draft / ${c.missing} missing`;
const catalogDir = join(root, 'content/i18n');
const translationsDir = join(root, 'content/translations');
for (const path of jsonFiles(translationsDir)) {
  const lang = path.slice(path.lastIndexOf('/') + 1, -'.json'.length);
  if (!existsSync(join(catalogDir, `${lang}.json`))) continue;
  try {
    const state = loadLangState(lang, { catalogDir, translationsDir });
    const counts = countStates(state, reference, corpus, withSummaries(lang));
    console.log(
      `${lang} by state: ${show('catalog', counts.catalog)}; ${show('themes', counts.themes)}; ` +
        `${show('labels', counts.labels)}; ${show('summaries', counts.summaries)}`,
    );
    const glossary = loadGlossary(lang, join(catalogDir, 'glossary'));
    if (!glossary) continue;
    const lexicon = readJsonFile(join(root, 'content/lexicon.json'), LexiconBambaraSchema);
    const lexiconWords =
      lang === 'bm'
        ? Object.entries(lexicon.bambara?.entries ?? {}).flatMap(([word, entry]) => [word, ...entry.gsm])
        : [];
    const texts = langTexts({ catalog: state.catalog.messages, content: state.content, lexiconWords });
    const found = checkGlossary(glossary, texts, rel(join(catalogDir, 'glossary', `${lang}.json`)));
    const applied = glossary.terms.filter((t) => t.status === 'applied').length;
    console.log(
      `${lang} glossary: ${texts.length} strings against ${applied} applied term(s): ${found.length === 0 ? 'passes' : `${found.length} problem(s)`}`,
    );
    problems.push(...found);
  } catch (error) {
    problems.push({ file: lang, key: '(files)', what: (error as Error).message.split('\n')[0]! });
  }
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(formatProblem(p));
  process.exit(1);
}
console.log('All translation files are valid.');
