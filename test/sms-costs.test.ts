import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSms } from '../adapters/sms/render.js';
import { countSegments } from '../adapters/sms/segments.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import type { Lang, Reply } from '../src/core/types.js';
import { languages, t } from '../src/i18n/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';

/** Issue 16: what an SMS answer costs the person, and that every answer is reachable. */

const LANGS: Lang[] = languages().map((language) => language.code);
const config = loadConfig({ NODE_ENV: 'test' });
const corpus = loadCorpus(config.CONTENT_FILE);
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon(config.LEXICON_FILE)));
const render = (reply: Reply, lang: Lang = 'fr') => renderSms(reply, lang, { maxSegments: 2, engine });
const segments = (pages: string[]) => pages.reduce((sum, page) => sum + countSegments(page).segments, 0);
const rec = (id: string): Reply => {
  const recommendation = engine.recommendation(id)!;
  return { kind: 'recommendation', recommendation, theme: engine.theme(recommendation.theme)! };
};

describe('SMS short replies cost one segment', () => {
  for (const lang of LANGS) {
    it(`when THEMES, INFO or a nothing-found is asked in ${lang}, then what is sent at once is one SMS of one segment`, () => {
      for (const reply of [
        engine.answer('THEMES'),
        engine.answer('INFO'),
        engine.respond({ kind: 'search', query: 'xqzw' }),
        engine.respond({ kind: 'search', query: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' }),
      ]) {
        const pages = render(reply, lang);
        expect(segments(pages.slice(0, 1)), pages[0]).toBe(1);
        // INFO's full summary waits for SUITE, and the one segment says so and what it costs.
        if (reply.kind === 'about') expect(pages[0]).toContain(`${pages.length - 1} SMS`);
        else expect(pages, `${reply.kind}: ${pages.join(' | ')}`).toHaveLength(1);
      }
    });
  }

  it('when a theme is asked, then the answer is one SMS with its size, how to search and how to get the list page by page', () => {
    const pages = render(engine.answer('T4'));
    const [first] = pages;
    expect(segments([first!])).toBe(1);
    expect(first).toContain('81');
    expect(first).toContain('4.1');
    expect(first).toContain('4.81');
    expect(first).toMatch(/mot/);
    const listPages = pages.length - 1;
    expect(listPages).toBeGreaterThan(1);
    expect(first).toContain(`SUITE`);
    expect(first).toContain(`${listPages} SMS`);
    // The list that follows is whole.
    const list = pages.slice(1).join('\n');
    for (let n = 1; n <= 81; n++) expect(list).toMatch(new RegExp(`(^|\\n| )4\\.${n} `));
  });
});

describe('SMS long answers', () => {
  it('when an answer takes several SMS, then the first says how many and what to send', () => {
    const pages = render(rec('4.80'));
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[0]).toContain(`${pages.length} SMS`);
    expect(pages[0]).toContain('SUITE');
  });

  it('when any answer is paged, then no page holds only a footer or a prompt', () => {
    const replies: Reply[] = [
      // The long ones (lists of items) and every tenth: rendering all 300 twice is slow.
      ...corpus.recommendations
        .filter((r, i) => (r.items?.length ?? 0) > 3 || i % 30 === 0)
        .map((r) => rec(r.id)),
      ...[1, 2, 3, 4, 5].map((n) => engine.answer(`T${n}`)),
      engine.answer('INFO'),
      ...['femmes', 'jeunes', 'eau', 'route', 'ecole', 'justice'].map((q) =>
        engine.respond({ kind: 'search', query: q }),
      ),
    ];
    for (const lang of LANGS)
      for (const reply of replies) {
        const pages = render(reply, lang);
        if (pages.length < 2) continue;
        const prompts = [
          t(lang, 'sms.more'),
          t(lang, 'sms.more.first', { total: pages.length }),
          t(lang, 'sms.list.prompt', { example: '' }).split(' ')[0]!,
        ].map((line) => toGsm7(line));
        for (const page of pages) {
          const body = page
            .replace(/^\(\d+\/\d+\) /, '')
            .split('\n')
            .filter((line) => !prompts.some((prompt) => prompt && line.startsWith(prompt)))
            .join('');
          expect(body.trim(), `${lang}: ${page}`).not.toBe('');
        }
        // The last page carries something besides its last line when the answer ends with a prompt.
        const last = pages.at(-1)!.replace(/^\(\d+\/\d+\) /, '');
        expect(last.split('\n').length, `${lang}: ${last}`).toBeGreaterThan(1);
      }
  }, 60_000);

  it('when a recommendation is sent, then it opens with a short frame that keeps the reference', () => {
    const [page] = render(rec('2.15'));
    const firstLine = page!.split('\n')[0]!;
    expect(firstLine).toContain('2.15');
    expect(firstLine.length).toBeLessThan('Recommandation 2.15, texte du rapport :'.length - 10);
    expect(firstLine.toLowerCase()).toContain('rapport');
  });

  it('when a recommendation fits with room to spare, then it names its place: theme number and title', () => {
    // 1.4 is short: its text, the reaction line (AVIS 1.4 1) and its place fit one SMS page.
    const pages = render(rec('1.4'));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain(toGsm7(engine.theme(1)!.title));
  });
});

describe('SMS: the report repeats itself, and says so', () => {
  it('when 4.11, 4.57, 5.21 or 5.65 is read, then it names its twin as the same text', () => {
    for (const [id, twin] of [
      ['4.11', '4.57'],
      ['4.57', '4.11'],
      ['5.21', '5.65'],
      ['5.65', '5.21'],
    ] as const) {
      const text = render(rec(id)).join('\n');
      expect(text, id).toContain(toGsm7(t('fr', 'repeat.same', { id: twin })));
    }
  });

  it('when a recommendation that is written once is read, then no repeat is claimed', () => {
    const text = render(rec('2.15')).join('\n');
    expect(text).not.toContain(toGsm7(t('fr', 'repeat.same', { id: '' }).split(' ')[0]!));
  });
});

describe('SMS: SUITE pages through every search result, and lists say exactly what to send', () => {
  let sms: SmsHarness;
  beforeAll(async () => {
    sms = await startSmsHarness();
  });
  afterAll(async () => {
    await sms.stop();
  });
  let counter = 500;
  const newPhone = () => `+2237100${String(++counter).padStart(4, '0')}`;
  async function conversation(phone: string, texts: string[]): Promise<string[]> {
    const replies: string[] = [];
    for (const text of texts) {
      const before = (await sms.outbox()).length;
      await sms.incoming(text, { from: phone });
      const box = await sms.outbox();
      replies.push(
        ...box
          .slice(before)
          .filter((entry) => entry.to === sms.service.pseudonymize(phone))
          .map((entry) => entry.text),
      );
    }
    return replies;
  }

  for (const [query, expected] of [
    ['femmes', ['1.15', '1.16', '2.40', '3.52']],
    ['jeunes', ['1.15', '1.16', '2.40', '3.52', '2.4', '3.57']],
  ] as const) {
    it(`when "${query}" is searched and SUITE sent until the end, then every result is reached (${expected.join(', ')})`, async () => {
      const phone = newPhone();
      const texts = await conversation(phone, [query, 'SUITE', 'SUITE', 'SUITE', 'SUITE', 'SUITE']);
      const all = texts.join('\n');
      for (const id of expected) expect(all).toMatch(new RegExp(`(^|\\s)${id.replace('.', '\\.')} `));
    });
  }

  it('when a list is sent, then its prompt names the exact thing to send (an id from the list), not "the number"', () => {
    const [first, second] = render(engine.respond({ kind: 'search', query: 'femmes' }));
    // The first message, often the only one read, says it with the first result's number, that a
    // bare number picks its place in the list (issue 29) and how to get more, in one closing line,
    // so a 160-character page still shows two results or more under the title.
    const shown = /\n(\d\.\d+) /.exec(first!)![1]!;
    expect(first!.split('\n').at(-1)).toBe(`Lire : ${shown} ou 1, 2. Plus : SUITE`);
    expect(first!.match(/^\d\.\d+ /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(second).not.toContain('Lire :');
    // A search whose results fit in one message says how to read one before them, and no more.
    const [only, ...none] = render(engine.respond({ kind: 'search', query: 'coton' }));
    expect(none).toEqual([]);
    const one = /\n(\d\.\d+) /.exec(only!)![1]!;
    expect(only).toContain(`envoyez ${one} ou 1, 2...`);
    expect(only).not.toContain('SUITE');
    const [summary, ...list] = render(engine.answer('T2'));
    expect(summary).toContain('2.12');
    expect(list.join('\n')).toContain('son numéro (2.1)');
  });
});
