import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCatalog, parseCatalog, type CatalogFile } from '../../src/i18n/catalog.js';

const DIR = 'content/i18n';

/** The fake language's word that the lexicon maps to "eau" (its search words are lexicon entries). */
export const FAKE_WORD_FOR_WATER = 'xxwater';
/** The fake language's greeting (its catalog's `words`). */
export const FAKE_GREETING = 'xxhello';
/**
 * Its own letters GSM-7 lacks (`meta.letters`, Hausa's hooked k: no accent to fold away), and
 * the word that marks a message as written in it (`meta.detect`).
 */
const FAKE_LETTERS = { ƙ: 'kh', Ƙ: 'Kh' };
export const FAKE_CUE_WORD = 'xxcue';
/** "Language: Testish." with one of its letters: `Khaan` in GSM-7, `Ƙaan` where Unicode goes. */
export const FAKE_LANGUAGE_SET = 'Ƙaan: Testish.';

/**
 * A fourth language added the way docs/architecture.md says: a catalog file in the catalog
 * directory and entries in the lexicon, nothing else (its messages, parser words, console
 * section, speech voice, its own letters and what marks it are all in the catalog file). Writes `<dir>/i18n/` (the real catalogs
 * plus xx.json) and `<dir>/lexicon.json`; returns their paths for CATALOG_DIR and LEXICON_FILE.
 */
export function writeFakeLanguage(dir: string): { catalogDir: string; lexiconFile: string } {
  const catalogDir = join(dir, 'i18n');
  cpSync(DIR, catalogDir, { recursive: true });
  const fr = parseCatalog(readFileSync(join(DIR, 'fr.json'), 'utf8'), 'fr.json');
  const messages = Object.fromEntries(Object.entries(fr.messages).map(([key, text]) => [key, `XX ${text}`]));
  // Telegram command names must stay valid names: the fake language keeps French's.
  for (const key of Object.keys(messages)) if (key.startsWith('tg.command.')) delete messages[key];
  messages['language.set'] = FAKE_LANGUAGE_SET;
  // The operators' console in it too, and a speech voice: the voice line synthesises its prompts.
  const console = Object.fromEntries(
    Object.entries(fr.console ?? {}).map(([key, text]) => [key, `XX ${text}`]),
  );
  const catalog = {
    meta: {
      code: 'xx',
      name: 'Testish',
      englishName: 'Test language',
      locales: ['xx'],
      keywords: ['XX', 'TESTISH'],
      order: 9,
      speech: 'roa/fr',
      letters: FAKE_LETTERS,
      detect: { letters: Object.keys(FAKE_LETTERS).join(''), words: [FAKE_CUE_WORD] },
      incomplete: true,
      review: { state: 'draft', reviewer: null, date: null, note: 'A fake language for tests.' },
    },
    messages,
    // The parser's words in this language (issue 29): a greeting and a way to ask for help.
    words: { greeting: [FAKE_GREETING], help: ['xxhelp'], filler: ['xxthe'] },
    console,
  };
  // "XX " makes a few sentences longer than a screen: their end is cut (French's if that cannot do).
  const problemsOf = (key: string) =>
    checkCatalog(catalog as CatalogFile, fr, 'xx.json').problems.filter((p) => p.key === key);
  for (const { key } of checkCatalog(catalog as CatalogFile, fr, 'xx.json').problems) {
    while (problemsOf(key).length > 0 && messages[key]!.length > 20)
      messages[key] = messages[key]!.slice(0, -1);
    if (problemsOf(key).length > 0) delete messages[key];
  }
  writeFileSync(join(catalogDir, 'xx.json'), JSON.stringify(catalog, null, 2));
  const lexicon = JSON.parse(readFileSync('content/lexicon.json', 'utf8')) as {
    words: Record<string, Record<string, string[]>>;
  };
  lexicon.words.xx = { [FAKE_WORD_FOR_WATER]: ['eau'] };
  const lexiconFile = join(dir, 'lexicon.json');
  writeFileSync(lexiconFile, JSON.stringify(lexicon, null, 2));
  return { catalogDir, lexiconFile };
}
