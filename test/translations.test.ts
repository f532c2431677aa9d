import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import {
  countSentences,
  loadCatalog,
  loadTranslations,
  referenceCatalog,
  referenceMessages,
  TranslationError,
  validateCatalog,
  validateTranslations,
} from '../src/content/translations.js';
import { formatProblem, isPhoneKey, placeholdersOf, toPhoneText } from '../src/i18n/catalog.js';
import { gsm7Length, isGsm7 } from '../src/text/gsm7.js';

const run = promisify(execFile);
const corpus = loadCorpus('content/recommendations.json');
const reference = referenceMessages();
const EN_FILE = 'content/translations/en.json';
const BM_FILE = 'content/translations/bm.json';
const BM_CATALOG = 'content/i18n/bm.json';
const enJson = readFileSync(EN_FILE, 'utf8');
const bmCatalogJson = readFileSync(BM_CATALOG, 'utf8');

type Json = Record<string, unknown> & {
  themes: Record<string, Record<string, unknown>>;
  recommendations: Record<string, Record<string, unknown>>;
};
const enCopy = (): Json => JSON.parse(enJson) as Json;
const whats = (problems: Array<{ key: string; what: string }>) => problems.map((p) => `${p.key}: ${p.what}`);

describe('the real translation files', () => {
  it('when en.json is validated, then it names every theme and recommendation once, all draft', () => {
    const report = validateTranslations(enJson, EN_FILE, corpus);
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.themes).toEqual({ draft: 5, reviewed: 0 });
    expect(report.recommendations).toEqual({ draft: 300, reviewed: 0 });
  });

  it('when en.json labels are read, then each is GSM-7 already and not a copy of the French label', () => {
    const data = loadTranslations(EN_FILE, corpus);
    const byId = new Map(corpus.recommendations.map((r) => [r.id, r.label]));
    const copied = Object.entries(data.recommendations).filter(([id, rec]) => rec.label === byId.get(id));
    expect(copied).toEqual([]);
    for (const rec of Object.values(data.recommendations)) expect(isGsm7(rec.label)).toBe(true);
  });

  it('when content/translations/bm.json exists, then it passes the same checks with a summary each', () => {
    if (!existsSync(BM_FILE)) return; // written in parallel; checked as soon as it lands
    const report = validateTranslations(readFileSync(BM_FILE, 'utf8'), BM_FILE, corpus);
    expect(report.problems.map(formatProblem)).toEqual([]);
    const data = loadTranslations(BM_FILE, corpus);
    expect(Object.values(data.recommendations).every((r) => r.summary !== undefined)).toBe(true);
  });

  it('when every catalog in content/i18n is validated, then none has a problem', () => {
    const files = readdirSync('content/i18n').filter((f) => f.endsWith('.json'));
    expect(files).toContain('bm.json');
    for (const file of files) {
      const path = join('content/i18n', file);
      const report = validateCatalog(readFileSync(path, 'utf8'), path, referenceCatalog());
      expect(report.problems.map(formatProblem), path).toEqual([]);
    }
  });

  it('when the Bambara catalog is loaded, then it is marked draft by nobody: no review is claimed', () => {
    const bm = loadCatalog(BM_CATALOG, reference);
    expect(bm.meta).toMatchObject({
      code: 'bm',
      name: 'Bamanankan',
      keywords: ['BM', 'BAMANAN', 'BAMANANKAN'],
    });
    expect(bm.meta.review).toMatchObject({ state: 'draft', reviewer: null, date: null });
  });

  const bmMessages = (JSON.parse(bmCatalogJson) as { messages: Record<string, string> }).messages;
  it.each(Object.keys(reference))(
    'when French has key %s, then Bambara has it with the same placeholders',
    (key) => {
      expect(bmMessages[key], key).toBeTypeOf('string');
      expect(placeholdersOf(bmMessages[key]!)).toEqual(placeholdersOf(reference[key]!));
    },
  );

  it('when Bambara strings go to SMS/USSD, then the transliteration keeps every letter (no "?")', () => {
    for (const [key, text] of Object.entries(bmMessages).filter(([k]) => isPhoneKey(k))) {
      const questionMarks = (t: string) => t.split('?').length;
      expect(questionMarks(toPhoneText(text)), key).toBe(questionMarks(text));
      expect(isGsm7(toPhoneText(text)), key).toBe(true);
    }
  });

  it('when Bambara USSD/SMS strings are measured, then they fit the screens the French was sized for', () => {
    // Per string at most 5 characters over the French (a menu word like "Barokunw" for
    // "Thèmes"), and in total no longer than the French, so every screen keeps its budget.
    let ours = 0;
    let theirs = 0;
    for (const key of Object.keys(reference).filter((k) => /^(ussd|sms)\./.test(k))) {
      const bm = gsm7Length(toPhoneText(bmMessages[key]!));
      const fr = gsm7Length(toPhoneText(reference[key]!));
      expect(bm, `${key}: "${bmMessages[key]}"`).toBeLessThanOrEqual(fr + 5);
      ours += bm;
      theirs += fr;
    }
    expect(ours).toBeLessThanOrEqual(theirs);
  });
});

describe('the phone transliteration', () => {
  it('when Bambara is written in the official letters, then phones get the older GSM-7 spelling', () => {
    expect(toPhoneText('sɛnɛ')).toBe('sènè');
    expect(toPhoneText('ɲɔgɔn')).toBe('nyògòn');
    expect(toPhoneText('Ɲɛ fɔlɔ')).toBe('Nyè fòlò');
    expect(toPhoneText('Ŋaani Ɛ Ɔ')).toBe('Ngaani E O');
  });

  it('when a summary is counted, then numbers like 2.15 do not end a sentence', () => {
    expect(countSentences('A bɛ 2.15 kɔnɔ. A ka ɲi.')).toBe(2);
    expect(countSentences('Kelen dɔrɔn')).toBe(1);
  });
});

describe('translation files that must be refused', () => {
  const check = (data: unknown, file = EN_FILE) => validateTranslations(JSON.stringify(data), file, corpus);

  it('when a recommendation is missing, then the report names it', () => {
    const data = enCopy();
    delete data.recommendations['4.57'];
    const report = check(data);
    expect(report.missing).toEqual(['4.57']);
    expect(whats(report.problems)).toEqual(['recommendation 4.57: missing']);
  });

  it('when an id is unknown, then it is refused', () => {
    const data = enCopy();
    data.recommendations['4.82'] = { label: 'Ghost', review: { state: 'draft', reviewer: null, date: null } };
    expect(whats(check(data).problems)).toEqual([
      'recommendation 4.82: unknown id (not in content/recommendations.json)',
    ]);
  });

  it('when an entry is marked reviewed without a reviewer, then it is refused', () => {
    const data = enCopy();
    data.recommendations['1.1']!.review = { state: 'reviewed', reviewer: null, date: '2026-12-01' };
    expect(whats(check(data).problems)).toEqual([
      'recommendation 1.1: review.reviewer: reviewed needs a reviewer (a name, not null)',
    ]);
  });

  it('when a review date is not a real day, then it is refused; a real one is counted', () => {
    const data = enCopy();
    data.recommendations['1.1']!.review = { state: 'reviewed', reviewer: 'A. Traoré', date: '2026-02-30' };
    expect(whats(check(data).problems)).toEqual([
      'recommendation 1.1: review.date: date is not a real calendar day',
    ]);
    data.recommendations['1.1']!.review = { state: 'reviewed', reviewer: 'A. Traoré', date: '2026-12-01' };
    expect(check(data).recommendations).toEqual({ draft: 299, reviewed: 1 });
  });

  it('when a label is longer than 40 characters, then it is refused', () => {
    const data = enCopy();
    data.recommendations['2.2']!.label = 'Revise the charter of the political parties';
    expect(whats(check(data).problems)).toEqual([
      'recommendation 2.2: label: Too big: expected string to have <=40 characters',
    ]);
  });

  it('when a label holds a character GSM-7 cannot carry, then the character is named', () => {
    const data = enCopy();
    data.recommendations['3.13']!.label = 'Access to water ☔';
    data.themes['3']!.name = 'Ekonomi ✈';
    expect(whats(check(data).problems)).toEqual([
      'theme 3: name: "✈" (U+2708) would reach SMS/USSD as "?"',
      'recommendation 3.13: label: "☔" (U+2614) would reach SMS/USSD as "?"',
    ]);
  });

  it('when an entry appears twice in the file, then the duplicate is reported', () => {
    const json = enJson.replace(
      '"1.2": {',
      '"1.1": { "label": "Twice", "review": { "state": "draft", "reviewer": null, "date": null } },\n    "1.2": {',
    );
    expect(whats(validateTranslations(json, EN_FILE, corpus).problems)).toEqual([
      'recommendations.1.1: appears twice (the second copy would silently win)',
    ]);
  });

  it('when a Bambara file lacks a summary or has four sentences, then it is refused', () => {
    const data = enCopy();
    data.lang = 'bm';
    for (const rec of Object.values(data.recommendations)) rec.summary = 'Fɔlɔ. Filanan.';
    delete data.recommendations['1.1']!.summary;
    data.recommendations['1.2']!.summary = 'Kelen. Fila. Saba. Naani.';
    expect(whats(check(data, 'content/translations/bm.json').problems)).toEqual([
      'recommendation 1.1: summary: required in bm.json',
      'recommendation 1.2: summary: 4 sentence(s), write 1 to 3',
    ]);
  });

  it('when the file is not JSON, then it says so in one line instead of throwing', () => {
    expect(whats(validateTranslations('{ "lang": ', EN_FILE, corpus).problems)[0]).toMatch(
      /^\(file\): not valid JSON/,
    );
  });

  it('when a bad file is loaded for serving, then loading throws with the reasons', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tr-load-'));
    const data = enCopy();
    delete data.themes['5'];
    writeFileSync(join(dir, 'en.json'), JSON.stringify(data));
    expect(() => loadTranslations(join(dir, 'en.json'), corpus)).toThrow(TranslationError);
    expect(() => loadTranslations(join(dir, 'en.json'), corpus)).toThrow(/theme 5: missing/);
    rmSync(dir, { recursive: true });
  });
});

describe('UI catalogs that must be refused', () => {
  const small = { 'a.one': 'Un {n}', 'sms.two': 'Deux', 'tg.three': 'Trois ✨' };
  const meta = {
    code: 'bm',
    name: 'Bamanankan',
    englishName: 'Bambara',
    locales: ['bm'],
    keywords: ['BM'],
    order: 1,
    review: { state: 'draft', reviewer: null, date: null },
  };
  const check = (messages: Record<string, string>, m: Record<string, unknown> = meta) =>
    validateCatalog(JSON.stringify({ meta: m, messages }), 'content/i18n/bm.json', small);

  it('when every key is present with its placeholders, then it passes (Telegram keys may use emoji)', () => {
    expect(check({ 'a.one': 'Kelen {n}', 'sms.two': 'Fila', 'tg.three': 'Saba ✨' }).problems).toEqual([]);
  });

  it('when a key is missing, then it is named with its French text', () => {
    const report = check({ 'a.one': 'Kelen {n}', 'tg.three': 'Saba' });
    expect(report.missing).toEqual(['sms.two']);
    expect(whats(report.problems)).toEqual(['sms.two: missing (French: "Deux")']);
  });

  it('when a placeholder differs, then both sets are shown', () => {
    expect(
      whats(check({ 'a.one': 'Kelen {count}', 'sms.two': 'Fila', 'tg.three': 'Saba' }).problems),
    ).toEqual(['a.one: placeholders {count} differ from French {n}']);
  });

  it('when an SMS string holds a character GSM-7 would turn into "?", then it is refused', () => {
    expect(whats(check({ 'a.one': 'Kelen {n}', 'sms.two': 'Fila ✨', 'tg.three': 'Saba' }).problems)).toEqual(
      ['sms.two: "✨" (U+2728) would reach SMS/USSD as "?"'],
    );
  });

  it('when a key is unknown or the catalog claims a review without reviewer, then both are refused', () => {
    const report = check(
      { 'a.one': 'Kelen {n}', 'sms.two': 'Fila', 'tg.three': 'Saba', 'sms.twoo': 'x' },
      { ...meta, review: { state: 'reviewed', reviewer: null, date: null } },
    );
    expect(whats(report.problems)).toEqual([
      'meta.review.reviewer: reviewed needs a reviewer (a name, not null)',
      'meta.review.date: Invalid input: expected string, received null',
    ]);
    const unknown = check({ 'a.one': 'Kelen {n}', 'sms.two': 'Fila', 'tg.three': 'Saba', 'sms.twoo': 'x' });
    expect(whats(unknown.problems)).toEqual([
      'sms.twoo: not in the French catalog (misspelt or removed key)',
    ]);
  });

  it('when an SMS string is longer than the French, then it is a note, not an error', () => {
    const report = check({ 'a.one': 'Kelen {n}', 'sms.two': 'Fila fila fila', 'tg.three': 'Saba' });
    expect(report.problems).toEqual([]);
    expect(whats(report.warnings)).toEqual(['sms.two: 14 characters on a phone, French has 4']);
  });
});

describe('npm run translations:check', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'tr-check-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'content/translations'), { recursive: true });
    mkdirSync(join(dir, 'content/i18n'), { recursive: true });
    writeFileSync(join(dir, 'content/recommendations.json'), readFileSync('content/recommendations.json'));
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    return dir;
  };
  const script = (root: string) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/check-translations.ts', root], { encoding: 'utf8' });

  it('when the files are valid, then it prints the counts per language and exits 0', async () => {
    const { stdout } = await script(
      tree({ 'content/translations/en.json': enJson, 'content/i18n/bm.json': bmCatalogJson }),
    );
    expect(stdout).toContain(
      'en (content/translations/en.json): themes 5 draft / 0 reviewed; recommendations 300 draft / 0 reviewed; none missing',
    );
    expect(stdout).toContain(
      `bm (content/i18n/bm.json): ${Object.keys(reference).length}/${Object.keys(reference).length} UI keys, catalog draft; none missing`,
    );
  });

  it('when a file is invalid, then it exits 1 with one line per problem', async () => {
    const data = enCopy();
    delete data.recommendations['5.68'];
    const bm = JSON.parse(bmCatalogJson) as { messages: Record<string, string> };
    delete bm.messages['sms.help'];
    const root = tree({
      'content/translations/en.json': JSON.stringify(data),
      'content/i18n/bm.json': JSON.stringify(bm),
    });
    const failure = await script(root).then(
      () => null,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain('1 missing: 5.68');
    const lines = failure!.stderr.trim().split('\n');
    expect(lines).toEqual([
      '2 problem(s):',
      'content/translations/en.json: recommendation 5.68: missing',
      expect.stringMatching(/^content\/i18n\/bm\.json: sms\.help: missing \(French: "Envoyez/),
    ]);
  });
});
