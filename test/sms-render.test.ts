import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paginate } from '../adapters/sms/paging.js';
import { pageMarkers, renderSms } from '../adapters/sms/render.js';
import { countSegments } from '../adapters/sms/segments.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';
import { themeTitle } from '../src/content/localized.js';
import { findRepeats } from '../src/content/repeats.js';
import { createEngine } from '../src/core/engine.js';
import type { Intent, Lang, Reply } from '../src/core/types.js';
import { languages, t } from '../src/i18n/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { isGsm7, toGsm7 } from '../src/text/gsm7.js';

const LANGS: Lang[] = languages().map((language) => language.code);

const config = loadConfig({ NODE_ENV: 'test' });
const corpus = loadCorpus(config.CONTENT_FILE);
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon(config.LEXICON_FILE)));
const themes = corpus.themes;
const repeats = findRepeats(corpus.recommendations);
const queries = (
  JSON.parse(readFileSync('test/fixtures/search-queries.json', 'utf8')) as Array<{ q: string }>
).map((entry) => entry.q);

/** The page text without its counter and its "send SUITE" footer: what the person reads of the answer. */
function withoutMarkers(page: string, lang: Lang): string {
  const { more, firstMore } = pageMarkers(lang);
  const total = /^\(\d+\/(\d+)\) /.exec(page)?.[1];
  let text = page.replace(/^\(\d+\/\d+\) /, '');
  for (const footer of [more, ...(total && firstMore ? [firstMore(Number(total))] : [])])
    if (text.endsWith(`\n${footer}`)) text = text.slice(0, -footer.length - 1);
  return text;
}
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function expectWithinBudget(pages: string[], maxSegments: number): void {
  expect(pages.length).toBeGreaterThan(0);
  for (const page of pages) {
    expect(isGsm7(page), page).toBe(true);
    const { segments, encoding } = countSegments(page);
    expect(encoding).toBe('GSM-7');
    expect(segments, page).toBeLessThanOrEqual(maxSegments);
    expect(page.trim()).toBe(page);
  }
}

describe('SMS rendering of every recommendation', () => {
  for (const lang of LANGS) {
    for (const maxSegments of [1, 2, 3]) {
      it(`when each of the 300 is rendered in ${lang} within ${maxSegments} segment(s), then every page is GSM-7 within the budget and the pages put together are the whole text`, () => {
        expect(corpus.recommendations).toHaveLength(300);
        for (const recommendation of corpus.recommendations) {
          const theme = engine.theme(recommendation.theme)!;
          const pages = renderSms({ kind: 'recommendation', recommendation, theme }, lang, {
            maxSegments,
            engine,
          });
          expectWithinBudget(pages, maxSegments);
          if (pages.length > 1)
            pages.forEach((page, i) => expect(page.startsWith(`(${i + 1}/${pages.length}) `)).toBe(true));
          const joined = squash(pages.map((page) => withoutMarkers(page, lang)).join(' '));
          const words = [recommendation.text, ...(recommendation.items ?? [])].map((w) => squash(toGsm7(w)));
          // The report's words, verbatim after transliteration, in order, none cut or lost.
          let from = 0;
          for (const part of words) {
            const at = joined.indexOf(part, from);
            expect(at, `${recommendation.id}: ${part}`).toBeGreaterThanOrEqual(0);
            from = at + part.length;
          }
          // Modulo the page markers, the pages are exactly the header, the report's words, the
          // note on a text the report repeats (NB : même texte que la 4.57), our line on how to
          // react (AVIS 2.10 1), then, when it costs no segment more, the theme.
          const header = t(lang, 'sms.recommendation.header', { id: recommendation.id });
          const whole = [
            header,
            recommendation.text,
            ...(recommendation.items ?? []).map((item) => `- ${item}`),
            ...(repeats.get(recommendation.id) ?? []).map((r) => t(lang, `repeat.${r.kind}`, { id: r.id })),
            t(lang, 'feedback.hint', { id: recommendation.id }),
          ];
          const place = t(lang, 'theme.title', { theme: theme.number, title: themeTitle(theme, lang) });
          expect([squash(toGsm7(whole.join('\n'))), squash(toGsm7([...whole, place].join('\n')))]).toContain(
            joined,
          );
        }
      });
    }
  }

  it('when 4.80 (23 road sections) is rendered within 2 segments, then it takes several pages and only the last lacks the SUITE footer', () => {
    const recommendation = engine.recommendation('4.80')!;
    const pages = renderSms({ kind: 'recommendation', recommendation, theme: engine.theme(4)! }, 'fr', {
      maxSegments: 2,
      engine,
    });
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // The first page says how many SMS the whole takes; the others but the last ask for SUITE.
    pages.forEach((page, i) => expect(page.endsWith('\nEnvoyez SUITE.')).toBe(i > 0 && i < pages.length - 1));
    expect(pages[0]!.endsWith(`\n${pages.length} SMS : envoyez SUITE.`)).toBe(true);
    expect(pages.join('\n')).toContain('Yorosso-Boura-Frontière Burkina Faso ;');
  });

  it('when pages are rendered to be sent all at once, then no page asks for SUITE', () => {
    const recommendation = engine.recommendation('4.80')!;
    const pages = renderSms({ kind: 'recommendation', recommendation, theme: engine.theme(4)! }, 'fr', {
      maxSegments: 2,
      engine,
      paging: 'allAtOnce',
    });
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).not.toContain('SUITE');
  });
});

describe('SMS rendering of every reply the engine can produce', () => {
  const intents: Intent[] = [
    { kind: 'empty' },
    { kind: 'help' },
    { kind: 'home' },
    { kind: 'themes' },
    ...[1, 2, 3, 4, 5, 0, 9].map((theme): Intent => ({ kind: 'theme', theme })),
    { kind: 'recommendation', theme: 2, number: 99 },
    { kind: 'recommendation', theme: 7, number: 1 },
    { kind: 'next' },
    { kind: 'previous' },
    { kind: 'back' },
    { kind: 'about' },
    { kind: 'stop' },
    { kind: 'start' },
    { kind: 'language', lang: 'en' },
    { kind: 'language', lang: 'fr' },
    { kind: 'language', lang: null },
    ...[...queries, 'xqzw kpvt', 'eau 😀', 'œuvre « citoyenne » — ç’est ça…', 'a'.repeat(300)].map(
      (query): Intent => ({ kind: 'search', query }),
    ),
  ];
  const replies: Reply[] = [
    ...intents.map((intent) => engine.respond(intent)),
    { kind: 'smallTalk', what: 'greeting' },
    { kind: 'smallTalk', what: 'thanks' },
    { kind: 'smallTalk', what: 'ack' },
    engine.answer('prix du riz au marché de Bamako'),
    // "Did you mean" without hits: rare with the real searcher, rendered all the same.
    { kind: 'noResults', query: 'corupsion qqqq', suggestion: 'corruption', themes },
    engine.answer('insécurité'),
    engine.answer('la justice est lente'),
    ...corpus.recommendations.map((r) =>
      engine.respond({ kind: 'recommendation', theme: r.theme, number: r.number }),
    ),
  ];

  it('when the sample is built, then it holds every kind of reply the engine has', () => {
    const kinds = new Set(replies.map((reply) => reply.kind));
    const all: Reply['kind'][] = [
      'help',
      'home',
      'themes',
      'theme',
      'recommendation',
      'searchResults',
      'noResults',
      'notInReport',
      'smallTalk',
      'outOfRange',
      'about',
      'navigation',
      'optOut',
      'optIn',
      'language',
      'empty',
    ];
    expect([...kinds].sort()).toEqual([...all].sort());
  });

  for (const lang of LANGS) {
    it(`when each reply is rendered in ${lang}, then every page is GSM-7 within SMS_MAX_SEGMENTS (${config.SMS_MAX_SEGMENTS})`, () => {
      for (const reply of replies) {
        expectWithinBudget(
          renderSms(reply, lang, { maxSegments: config.SMS_MAX_SEGMENTS, engine }),
          config.SMS_MAX_SEGMENTS,
        );
      }
    });
  }

  it('when a theme is rendered, then its list of 81 ids and labels is paged whole, every id present once', () => {
    const reply = engine.respond({ kind: 'theme', theme: 4 });
    const pages = renderSms(reply, 'fr', { maxSegments: 2, engine });
    const text = pages.map((page) => withoutMarkers(page, 'fr')).join('\n');
    for (let n = 1; n <= 81; n++) expect(text.match(new RegExp(`(^|\\n)4\\.${n} `, 'g'))).toHaveLength(1);
  });

  it('when search results are rendered, then they list ids and labels and say exactly what to send', () => {
    const reply: Reply = {
      kind: 'searchResults',
      query: 'routes',
      echo: 'routes',
      hits: ['4.80', '3.13'].map((id) => ({ recommendation: engine.recommendation(id)!, score: 0.5 })),
    };
    const [page] = renderSms(reply, 'fr', { maxSegments: 2, engine });
    expect(page).toContain(`4.80 ${toGsm7(engine.recommendation('4.80')!.label)}`);
    expect(page).toContain(`3.13 ${toGsm7(engine.recommendation('3.13')!.label)}`);
    // The list says in one line, before its rows, that its id or a bare number picks from it (issue 29).
    expect(page).toContain('Lire : envoyez 4.80 ou 1, 2...\n4.80 ');
  });

  it('when the understood words are long, then only their start is echoed', () => {
    const reply: Reply = { kind: 'searchResults', query: 'z'.repeat(500), echo: 'z'.repeat(80), hits: [] };
    const pages = renderSms(reply, 'fr', { maxSegments: 2, engine });
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain(`"${'z'.repeat(27)}..."`);
  });

  it('when nothing was understood, then the message is never quoted back, however long or rude', () => {
    const reply: Reply = { kind: 'noResults', query: 'espece de zzz '.repeat(40), themes };
    const [page] = renderSms(reply, 'fr', { maxSegments: 2, engine });
    expect(page).not.toContain('zzz');
    expect(page).toContain(toGsm7("Je n'ai pas compris votre message."));
  });
});

describe('SMS paging', () => {
  const markers = { counter: (p: number, t: number) => `(${p}/${t})`, more: 'SUITE' };

  it('when a text fits, then it is one page without markers', () => {
    expect(paginate('Bonjour à tous', 2, markers)).toEqual(['Bonjour à tous']);
  });

  it('when a text is cut, then no word is split and nothing is lost', () => {
    const words = Array.from({ length: 400 }, (_, i) => `mot${i}`);
    const pages = paginate(words.join(' '), 1, markers);
    expect(pages.length).toBeGreaterThan(5);
    const back = pages.map((p) => p.replace(/^\(\d+\/\d+\) /, '').replace(/\nSUITE$/, '')).join(' ');
    expect(back.split(' ')).toEqual(words);
    for (const page of pages) expect(countSegments(page).segments).toBe(1);
  });

  it('when extension characters (two septets each) fill a text, then the library count still keeps each page within budget', () => {
    const pages = paginate(Array.from({ length: 120 }, () => '[x] {y}').join(' '), 2, markers);
    for (const page of pages) expect(countSegments(page).segments).toBeLessThanOrEqual(2);
  });

  it("when a list is cut, then every page ends at a row's end, even far from the cut", () => {
    // Rows of 60-90 characters: the old rule stepped back to a line's end only in the last 40 %.
    const rows = Array.from({ length: 30 }, (_, i) => `${i + 1}.${i} ${'mot '.repeat(12 + (i % 8))}`.trim());
    const pages = paginate(rows.join('\n'), 1, markers, false, true);
    const back = pages.map((p) => p.replace(/^\(\d+\/\d+\) /, '').replace(/\nSUITE$/, ''));
    expect(back.join('\n').split('\n')).toEqual(rows);
    for (const page of pages) expect(countSegments(page).segments).toBe(1);
  });

  it('when pages may take one GSM-7 segment or two UCS-2 ones, then each keeps to its own encoding budget', () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${i + 1}.${i} ${i % 3 ? 'Musow ka baara' : 'Ɲɛmɔgɔya dɔ'}`,
    );
    const pages = paginate(rows.join('\n'), { gsm7: 1, ucs2: 2 }, markers, true, true);
    for (const page of pages) {
      const { encoding, segments } = countSegments(page);
      expect(segments, page).toBeLessThanOrEqual(encoding === 'GSM-7' ? 1 : 2);
    }
    expect(pages.some((page) => countSegments(page).segments === 2)).toBe(true);
  });

  it('when one word is longer than a page, then it is cut rather than dropped', () => {
    const word = 'x'.repeat(500);
    const pages = paginate(word, 1, markers);
    expect(pages.map((p) => p.replace(/^\(\d+\/\d+\) /, '').replace(/\nSUITE$/, '')).join('')).toBe(word);
  });
});

describe('SMS rendering of bare numbers that name no recommendation (issue 21)', () => {
  it('when 300 is texted, then the SMS says the report holds 300 recommendations in 5 themes', () => {
    const [page] = renderSms(engine.answer('300'), 'fr', { maxSegments: 2, engine });
    expect(page).toContain('300 recommandations en 5 thèmes');
    expect(page).not.toContain('3.0');
  });

  it('when 10 is texted, then the SMS asks whether 1.10 was meant', () => {
    const [page] = renderSms(engine.answer('10'), 'fr', { maxSegments: 2, engine });
    expect(page).toMatch(/^Vouliez-vous dire 1\.10[ ,]/);
  });
});
