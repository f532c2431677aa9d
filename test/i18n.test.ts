import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CatalogError,
  checkCatalogs,
  loadCatalogs,
  missingKeys,
  parseCatalog,
  type LoadedCatalog,
} from '../src/i18n/catalog.js';
import {
  installCatalogs,
  langFromKeyword,
  langFromLocale,
  languageMenu,
  languages,
  messageKeys,
  t,
  tp,
} from '../src/i18n/index.js';
import { parseIntent } from '../src/core/intents.js';
import { writeFakeLanguage } from './support/fake-language.js';

const DIR = 'content/i18n';
const read = (code: string): LoadedCatalog =>
  parseCatalog(readFileSync(join(DIR, `${code}.json`), 'utf8'), code);

describe('the language catalogs (content/i18n)', () => {
  afterEach(() => void installCatalogs(DIR));

  it('when the catalogs are loaded, then Bambara comes first, then French, then English, each with its meta', () => {
    expect(
      languages()
        .map((language) => language.code)
        .slice(0, 3),
    ).toEqual(['bm', 'fr', 'en']);
    for (const language of languages()) {
      expect(language.name.trim()).not.toBe('');
      expect(language.keywords.length).toBeGreaterThan(0);
    }
  });

  /**
   * The list of what each language lacks (French shows instead). A language that lacks any key
   * fails here unless its catalog says `"incomplete": true` in its meta (a translation being
   * written, e.g. a Bambara draft): then the test prints the list and passes.
   */
  it('when each language is compared with French, then the keys it lacks are listed, and only an incomplete one may lack any', () => {
    const report = languages().map((language) => ({
      code: language.code,
      incomplete: language.incomplete === true,
      missing: [...language.missing],
    }));
    for (const entry of report) {
      if (entry.missing.length > 0)
        console.info(`${entry.code} lacks ${entry.missing.length} key(s): ${entry.missing.join(', ')}`);
      if (!entry.incomplete) expect(entry.missing, `${entry.code} lacks keys`).toEqual([]);
    }
    expect(report.find((entry) => entry.code === 'fr')!.missing).toEqual([]);
  });

  it('when an out-of-range theme is named, then the sentence names the valid range in each language', () => {
    expect(t('fr', 'outOfRange.theme', { theme: 6, themeCount: 5 })).toBe(
      'Le thème 6 n’existe pas : choisissez 1 à 5.',
    );
    expect(t('en', 'outOfRange.theme', { theme: 6, themeCount: 5 })).toBe(
      'Theme 6 does not exist: choose 1 to 5.',
    );
  });

  it('when a placeholder has no value, then it is left visible rather than dropped', () => {
    expect(t('en', 'search.closeTitle', {})).toBe('Close results for “{query}”');
  });

  it('when a language lacks a key, then French is shown for it', () => {
    const fr = read('fr');
    const partial: LoadedCatalog = {
      meta: { ...read('en').meta, code: 'en', incomplete: true },
      messages: { 'help.title': 'Help' },
    };
    const [, en] = checkCatalogs([fr, partial], 'test');
    expect(missingKeys(fr, en!)).toContain('search.none');
  });

  it('when a catalog holds a key French lacks, then loading fails with one line naming it', () => {
    const en = read('en');
    en.messages['no.such.key'] = 'x';
    expect(() => checkCatalogs([read('fr'), en], 'dir')).toThrow(
      /en\.json: no\.such\.key: not in the French catalog/,
    );
  });

  it('when a text has other placeholders than French, then loading fails naming the key', () => {
    const en = read('en');
    en.messages['search.notInReport'] = 'The report does not speak of "{q}".';
    expect(() => checkCatalogs([read('fr'), en], 'dir')).toThrow(
      /search\.notInReport: placeholders \{q\} differ from French \{query\}/,
    );
  });

  it('when a complete language lacks a key, then loading fails and says how to mark it incomplete', () => {
    const en = read('en');
    delete en.messages['search.none'];
    expect(() => checkCatalogs([read('fr'), en], 'dir')).toThrow(/lacks 1 key.*meta\.incomplete/);
  });

  it("when a catalog's own letters are wrong (GSM-7 has one, a spelling is not GSM-7, another catalog spells one otherwise), then loading fails naming it", () => {
    const en = read('en');
    en.meta.letters = { é: 'e' };
    expect(() => checkCatalogs([read('fr'), en], 'dir')).toThrow(/meta\.letters\.é: GSM-7 has this letter/);
    en.meta.letters = { ƙ: 'ƙ' };
    expect(() => checkCatalogs([read('fr'), en], 'dir')).toThrow(/meta\.letters\.ƙ: "ƙ" is not GSM-7/);
    en.meta.letters = { ɛ: 'e' };
    expect(() => checkCatalogs([read('fr'), read('bm'), en], 'dir')).toThrow(/letter ɛ is spelt "è" by bm/);
    // Without its letters, Bambara's sentences would reach a phone with holes in them.
    const bm = read('bm');
    delete bm.meta.letters;
    expect(() => checkCatalogs([read('fr'), bm], 'dir')).toThrow(/would reach SMS\/USSD as "\?"/);
  });

  it('when a meta is bad (keyword taken, code not ISO-like, JSON broken), then the error is one line', () => {
    const en = read('en');
    en.meta.keywords = ['FR'];
    expect(() => checkCatalogs([read('fr'), en], 'dir')).toThrow(/keyword FR is already fr's/);
    expect(() => parseCatalog('{"meta": {"code": "English"}, "messages": {}}', 'x.json')).toThrow(
      CatalogError,
    );
    expect(() => parseCatalog('{not json', 'x.json')).toThrow(/x\.json: not valid JSON/);
    try {
      parseCatalog('{"meta": {"code": "English"}, "messages": {}}', 'x.json');
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('when French is missing from the directory, then loading fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dim-i18n-'));
    try {
      cpSync(join(DIR, 'en.json'), join(dir, 'en.json'));
      expect(() => loadCatalogs(dir)).toThrow(/no fr\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a language is chosen by a word or a Telegram locale, then the list decides', () => {
    expect(langFromKeyword('anglais')).toBe('en');
    expect(langFromKeyword('FRANCAIS')).toBe('fr');
    expect(langFromKeyword('xx')).toBeUndefined();
    expect(langFromLocale('en-GB')).toBe('en');
    expect(langFromLocale('pt-br')).toBe('fr');
    expect(langFromLocale(undefined)).toBe('fr');
  });
});

describe('a fake third language, from its catalog file only', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dim-i18n-xx-'));
    installCatalogs(writeFakeLanguage(dir).catalogDir);
  });
  afterAll(() => {
    installCatalogs(DIR);
    rmSync(dir, { recursive: true, force: true });
  });

  it('when it is installed, then it is in the language menu, last, under its own name', () => {
    expect(languageMenu().map((entry) => [entry.code, entry.label, entry.keyword, entry.position])).toEqual([
      ['bm', 'Bamanankan', 'BM', 1],
      ['fr', 'Français', 'FR', 2],
      ['en', 'English', 'EN', 3],
      ['xx', 'Testish', 'XX', 4],
    ]);
  });

  it('when its keyword is typed, then the parser picks it, as for FR and EN', () => {
    expect(parseIntent('XX')).toEqual({ kind: 'language', lang: 'xx' });
    expect(parseIntent('langue testish')).toEqual({ kind: 'language', lang: 'xx' });
    expect(parseIntent('EN')).toEqual({ kind: 'language', lang: 'en' });
  });

  it('when a Telegram user has its locale, then it is the user language', () => {
    expect(langFromLocale('xx-YY')).toBe('xx');
  });

  it('when a text channel lists the choices, then it names the three languages', () => {
    expect(t('fr', 'language.choose', { choices: '' })).toContain('Choisissez');
    expect(t('xx', 'help.title')).toBe('XX Aide');
  });
});

describe('i18n: plural forms (issue 21)', () => {
  it('when a count is 1 or more, then tp picks the singular or the plural sentence of the language', () => {
    expect(tp('fr', 'results.count', 1)).toBe('1 recommandation trouvée. Touchez-la pour la lire.');
    expect(tp('fr', 'results.count', 5)).toBe(
      '5 recommandations trouvées. Touchez-en une, ou envoyez sa place (1, 2…).',
    );
    expect(tp('en', 'results.count', 1)).toBe('1 recommendation found. Tap it to read it.');
    expect(tp('en', 'results.count', 2)).toBe('2 recommendations found. Tap one, or send its place (1, 2…).');
  });

  it('when French counts 0, then it is singular, as French grammar wants (Intl.PluralRules)', () => {
    expect(tp('fr', 'results.count', 0)).toMatch(/^0 recommandation trouvée/);
    expect(tp('en', 'results.count', 0)).toMatch(/^0 recommendations found/);
  });

  it('when a key has plural forms, then the reference catalog holds its .other form and no "(s)" is left', () => {
    const forms = messageKeys().filter((key) => /\.(zero|one|two|few|many|other)$/.test(key));
    expect(forms.length).toBeGreaterThan(0);
    for (const key of forms) expect(messageKeys()).toContain(key.replace(/\.\w+$/, '.other'));
    for (const key of messageKeys('tg.')) expect(t('fr', key), key).not.toContain('(s)');
  });
});
