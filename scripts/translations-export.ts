/**
 * `npm run translations:export -- <lang> [--out <dir>]`: writes the language's gettext PO files,
 * <dir>/<lang>/catalog.po, labels.po and summaries.po (default dir: po/), for Poedit or Weblate.
 * Drafts are fuzzy; the French source is each entry's msgid and the report's text is in the
 * notes for translators. `npm run translations:import` reads them back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../src/content/load.js';
import { loadLangState } from '../src/content/lang-state.js';
import { exportPo, PO_PARTS } from '../src/content/po.js';
import { referenceMessages } from '../src/content/translations.js';
import { withSummaries } from '../src/i18n/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: 'po' } },
});
const lang = positionals[0];
if (!lang || !/^[a-z]{2,3}$/.test(lang) || lang === 'fr') {
  console.error(
    'usage: npm run translations:export -- <lang> [--out <dir>]   (lang: bm, en, ...; French is the source)',
  );
  process.exit(2);
}
try {
  const state = loadLangState(lang);
  const files = exportPo(state, {
    reference: referenceMessages(),
    corpus: loadCorpus('content/recommendations.json'),
    version: 0,
    withSummaries: withSummaries(lang),
  });
  const dir = join(values.out, lang);
  mkdirSync(dir, { recursive: true });
  for (const part of PO_PARTS) {
    writeFileSync(join(dir, `${part}.po`), files[part]);
    console.log(`${join(dir, `${part}.po`)}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
