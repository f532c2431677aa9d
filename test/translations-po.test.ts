import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { po } from 'gettext-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { applyChanges, checkState, loadLangState } from '../src/content/lang-state.js';
import { exportPo, importPo } from '../src/content/po.js';
import { loadGlossary } from '../src/content/glossary.js';
import { referenceMessages } from '../src/content/translations.js';

/**
 * The translators' round trip as they live it: `npm run translations:export -- bm` writes PO
 * files, someone edits them in Poedit (here: gettext-parser, as Poedit writes the same format),
 * `npm run translations:import -- bm` checks and writes them back. Run as the CLI, in a copy of
 * the content, so the repository's files are never touched.
 */
const run = promisify(execFile);
const repo = process.cwd();
const tsx = join(repo, 'node_modules/.bin/tsx');
let root = '';

const cli = (script: string, args: string[]) =>
  run(tsx, [join(repo, 'scripts', script), ...args], { cwd: root }).then(
    (out) => ({ code: 0, out: out.stdout + out.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      out: error.stdout + error.stderr,
    }),
  );
const contentFiles = ['content/i18n/bm.json', 'content/translations/bm.json'];
const snapshot = () => contentFiles.map((f) => readFileSync(join(root, f), 'utf8'));

/** Edits one entry of a PO file as a translator would: new text, fuzzy flag cleared or kept. */
function editPo(part: string, ctx: string, text: string, options: { fuzzy?: boolean } = {}) {
  const path = join(root, 'po/bm', `${part}.po`);
  const table = po.parse(readFileSync(path));
  const entry = Object.values(table.translations[ctx]!)[0]!;
  entry.msgstr = [text];
  if (options.fuzzy) entry.comments = { ...entry.comments, flag: 'fuzzy' };
  else if (entry.comments) delete entry.comments.flag;
  writeFileSync(path, po.compile(table));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dim-po-'));
  cpSync(join(repo, 'content'), join(root, 'content'), { recursive: true });
  cpSync(join(repo, '.prettierrc.json'), join(root, '.prettierrc.json'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('translations:export and translations:import', () => {
  it('when Bambara is exported, then three PO files hold every entry with the French as source, the report as notes and drafts fuzzy', async () => {
    const exported = await cli('translations-export.ts', ['bm']);
    expect(exported.code, exported.out).toBe(0);
    const catalog = po.parse(readFileSync(join(root, 'po/bm/catalog.po')));
    const labels = po.parse(readFileSync(join(root, 'po/bm/labels.po')));
    const summaries = po.parse(readFileSync(join(root, 'po/bm/summaries.po')));
    expect(catalog.headers.Language).toBe('bm');
    const fr = referenceMessages();
    const corpus = loadCorpus('content/recommendations.json');
    expect(Object.keys(catalog.translations).filter((k) => k !== '')).toHaveLength(Object.keys(fr).length);
    expect(Object.keys(labels.translations).filter((k) => k !== '')).toHaveLength(305);
    expect(Object.keys(summaries.translations).filter((k) => k !== '')).toHaveLength(300);
    const help = catalog.translations['help.title']![fr['help.title']!]!;
    expect(help.msgstr).toEqual(['Dɛmɛ']);
    expect(help.comments?.flag).toBe('fuzzy');
    const summary = Object.values(summaries.translations['2.15']!)[0]!;
    const rec = corpus.recommendations.find((r) => r.id === '2.15')!;
    expect(summary.comments?.extracted).toContain(rec.text.slice(0, 60));
    expect(summary.comments?.flag).toBe('fuzzy');
  });

  it('when the files come back unchanged, then the import changes nothing and writes nothing', async () => {
    const before = snapshot();
    const imported = await cli('translations-import.ts', ['bm']);
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('0 change(s)');
    expect(snapshot()).toEqual(before);
  });

  it('when a translator corrects and reviews a label and its summary, then both are written and the recommendation is reviewed by them, dated', async () => {
    editPo('labels', '1.3', 'Gɛlɛya tɔɔrɔlenw dɛmɛ');
    editPo('summaries', '1.3', 'Mɔgɔ minnu tɔɔrɔla gɛlɛya fɛ, olu ka dɛmɛ walasa u ka se ka u magow ɲɛ.');
    const imported = await cli('translations-import.ts', [
      'bm',
      '--reviewer',
      'Awa Coulibaly',
      '--date',
      '2025-03-04',
    ]);
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('2 change(s), 2 marked reviewed');
    const content = JSON.parse(readFileSync(join(root, 'content/translations/bm.json'), 'utf8')) as {
      recommendations: Record<string, { label: string; review: unknown }>;
    };
    expect(content.recommendations['1.3']!.label).toBe('Gɛlɛya tɔɔrɔlenw dɛmɛ');
    expect(content.recommendations['1.3']!.review).toEqual({
      state: 'reviewed',
      reviewer: 'Awa Coulibaly',
      date: '2025-03-04',
    });
    // Exported again, the entry is no longer fuzzy and names its reviewer; a second round trip changes nothing.
    expect((await cli('translations-export.ts', ['bm'])).code).toBe(0);
    const label = Object.values(
      po.parse(readFileSync(join(root, 'po/bm/labels.po'))).translations['1.3']!,
    )[0]!;
    expect(label.comments?.flag).toBeUndefined();
    expect(label.comments?.translator).toBe('reviewed: Awa Coulibaly, 2025-03-04');
    const before = snapshot();
    expect((await cli('translations-import.ts', ['bm'])).out).toContain('0 change(s)');
    expect(snapshot()).toEqual(before);
  });

  it('when a UI sentence is reviewed alone, then the catalog keeps its text and the review file records who agreed with which text', async () => {
    editPo('catalog', 'help.title', 'Dɛmɛ');
    const imported = await cli('translations-import.ts', [
      'bm',
      '--reviewer',
      'Awa Coulibaly',
      '--date',
      '2025-03-04',
    ]);
    expect(imported.code, imported.out).toBe(0);
    const reviews = JSON.parse(readFileSync(join(root, 'content/i18n/review/bm.json'), 'utf8')) as {
      messages: Record<string, unknown>;
    };
    expect(reviews.messages['help.title']).toEqual({
      text: 'Dɛmɛ',
      review: { state: 'reviewed', reviewer: 'Awa Coulibaly', date: '2025-03-04' },
    });
    const check = await cli('check-translations.ts', ['.']);
    expect(check.code, check.out).toBe(0);
    // Every other sentence of the Bambara catalog is still a draft (counted, not written here:
    // the catalog grows with the features).
    const sentences = Object.keys(
      (JSON.parse(readFileSync('content/i18n/bm.json', 'utf8')) as { messages: object }).messages,
    ).length;
    expect(check.out).toContain(`bm by state: catalog 1 reviewed / ${sentences - 1} draft / 0 missing`);
    expect(check.out).toContain('labels 1 reviewed / 299 draft / 0 missing');
  });

  it.each([
    [
      'a placeholder lost',
      'catalog',
      'search.notInReport',
      'Foyi ma sɔrɔ.',
      /placeholders \(none\) differ from French \{query\}/,
    ],
    [
      'a label past its GSM-7 budget',
      'labels',
      '2.2',
      'Politikitɔnw sariya ka lajɛ kokura ka ɲɛ kosɛbɛ',
      /label: .*(max|<=)/,
    ],
    [
      'a rejected term',
      'summaries',
      '2.15',
      'Mali ka ambasadiw ka ɲɔgɔnyew sigi sen kan.',
      /"ambasadi" is rejected/,
    ],
    [
      'a character no phone shows',
      'catalog',
      'sms.help',
      'Nimɔrɔ ci → 2.15.',
      /"→" \(U\+2192\) would reach SMS\/USSD as "\?"/,
    ],
  ])(
    'when a PO brings %s, then the import refuses it, names it and writes nothing',
    async (_what, part, ctx, text, expected) => {
      expect((await cli('translations-export.ts', ['bm'])).code).toBe(0);
      editPo(part, ctx, text);
      const before = snapshot();
      const imported = await cli('translations-import.ts', ['bm', '--reviewer', 'Awa Coulibaly']);
      expect(imported.code).toBe(1);
      expect(imported.out).toMatch(expected);
      expect(imported.out).toContain('nothing written');
      expect(snapshot()).toEqual(before);
    },
  );
});

describe('the PO entries as the console reads them', () => {
  const state = loadLangState('bm');
  const source = {
    reference: referenceMessages(),
    corpus: loadCorpus('content/recommendations.json'),
    version: 3,
    withSummaries: true,
  };

  it('when an edit is left fuzzy, then the entry changes as a draft and the whole still passes the checks', () => {
    const files = exportPo(state, source);
    const table = po.parse(files.labels);
    Object.values(table.translations['theme 4']!)[0]!.msgstr = ['Lakana ni jamana tangali'];
    const unchanged = importPo([{ name: 'labels.po', content: po.compile(table) }], state, source, {
      date: '2025-03-04',
    });
    expect(unchanged.changes).toEqual([]);
    expect(unchanged.versions).toEqual([3]);
    const entry = Object.values(table.translations['theme 2']!)[0]!;
    entry.msgstr = ['Politiki ni fangabulonw'];
    const result = importPo([{ name: 'labels.po', content: po.compile(table) }], state, source, {
      date: '2025-03-04',
    });
    expect(result.changes).toEqual([
      {
        id: 'theme:2',
        text: 'Politiki ni fangabulonw',
        review: { state: 'draft', reviewer: null, date: null },
      },
    ]);
    const verdict = checkState(applyChanges(state, result.changes), {
      ...source,
      glossary: loadGlossary('bm'),
    });
    expect(verdict.problems).toEqual([]);
  });

  it('when a file is of another language or names no known entry, then it is refused', () => {
    const files = exportPo(state, source);
    const english = po.parse(files.catalog);
    english.headers.Language = 'en';
    const unknown = po.parse(files.labels);
    unknown.translations['9.99'] = { x: { msgctxt: '9.99', msgid: 'x', msgstr: ['y'] } };
    const result = importPo(
      [
        { name: 'catalog.po', content: po.compile(english) },
        { name: 'labels.po', content: po.compile(unknown) },
        { name: 'notes.txt', content: 'hello' },
      ],
      state,
      source,
      { name: 'Awa', date: '2025-03-04' },
    );
    expect(result.problems).toEqual([
      'catalog.po: Language en, not bm',
      'labels.po: 9.99: no such entry',
      expect.stringMatching(/^notes\.txt: /),
    ]);
  });
});
