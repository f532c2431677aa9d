import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import type { Lang, Reply } from '../src/core/types.js';
import { languages, messageKeys, t } from '../src/i18n/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { decodeChoice, encodeChoice, type Choice } from '../adapters/whatsapp/ids.js';
import { WA_LIMITS, fit, splitText, violations, type OutgoingMessage } from '../adapters/whatsapp/limits.js';
import { LIST_PAGE_SIZE, createWhatsAppRenderer, pageCount } from '../adapters/whatsapp/render.js';

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const renderer = createWhatsAppRenderer(engine);

/** The report's words of a recommendation as a card shows them: its text, then each item under a bullet. */
const reportText = (rec: { text: string; items?: string[] }) =>
  [rec.text, ...(rec.items ?? []).map((item) => `- ${item}`)].join('\n');

/** Every message must pass the checker, and every id we put on a row or button must decode. */
function expectSendable(messages: OutgoingMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(violations(message)).toEqual([]);
    if (message.type !== 'interactive') continue;
    const ids =
      message.interactive.type === 'list'
        ? message.interactive.action.sections.flatMap((s) => s.rows.map((r) => r.id))
        : message.interactive.action.buttons.map((b) => b.reply.id);
    for (const id of ids) expect(decodeChoice(id), id).toBeDefined();
  }
}

const rowsOf = (message: OutgoingMessage | undefined) =>
  message?.type === 'interactive' && message.interactive.type === 'list'
    ? message.interactive.action.sections.flatMap((s) => s.rows)
    : [];
const buttonsOf = (message: OutgoingMessage | undefined) =>
  message?.type === 'interactive' && message.interactive.type === 'button'
    ? message.interactive.action.buttons.map((b) => b.reply)
    : [];

describe('WhatsApp limits, checked in code', () => {
  const base = (): OutgoingMessage => ({
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: 'b' },
      action: { button: 'Voir', sections: [{ rows: [{ id: 'r:1.1', title: 'x' }] }] },
    },
  });

  it('when a list breaks any limit, then the checker names it', () => {
    const section = (m: OutgoingMessage) => list(m).action.sections[0]!;
    const cases: Array<[string, (m: OutgoingMessage) => void]> = [
      [
        '11 rows in all',
        (m) =>
          section(m).rows.push(...Array.from({ length: 10 }, (_, i) => ({ id: `r:2.${i + 1}`, title: 't' }))),
      ],
      ['row title r:1.1 is 25', (m) => (section(m).rows[0]!.title = 'x'.repeat(25))],
      ['row description r:1.1 is 73', (m) => (section(m).rows[0]!.description = 'x'.repeat(73))],
      ['is 201 > 200', (m) => (section(m).rows[0]!.id = 'x'.repeat(201))],
      ['list button is 21', (m) => (list(m).action.button = 'x'.repeat(21))],
      ['section title is 25', (m) => (section(m).title = 'x'.repeat(25))],
      ['body is 1025', (m) => (list(m).body.text = 'x'.repeat(1025))],
      ['header is 61', (m) => (list(m).header = { type: 'text', text: 'x'.repeat(61) })],
      ['footer is 61', (m) => (list(m).footer = { text: 'x'.repeat(61) })],
      ['body is empty', (m) => (list(m).body.text = '  ')],
    ];
    for (const [expected, breakIt] of cases) {
      const message = base();
      expect(violations(message)).toEqual([]);
      breakIt(message);
      expect(violations(message).join(' | ')).toContain(expected);
    }
  });

  it('when reply buttons break a limit, then the checker names it', () => {
    const reply = (id: string, title: string) => ({ type: 'reply' as const, reply: { id, title } });
    const message = (buttons: ReturnType<typeof reply>[]): OutgoingMessage => ({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'b' }, action: { buttons } },
    });
    expect(violations(message([reply('a', 'A'), reply('b', 'B'), reply('c', 'C')]))).toEqual([]);
    expect(
      violations(message([reply('a', 'A'), reply('b', 'B'), reply('c', 'C'), reply('d', 'D')])),
    ).toContain('4 buttons');
    expect(violations(message([reply('a', 'x'.repeat(21))])).join()).toContain('button title');
    expect(violations(message([reply('x'.repeat(257), 'A')])).join()).toContain('button id');
    expect(violations(message([reply('a', 'A'), reply('a', 'B')]))).toContain('button ids not unique');
    expect(violations(message([reply('a', 'A'), reply('b', 'A')]))).toContain('button titles not unique');
    expect(violations({ type: 'text', text: { body: 'x'.repeat(4097) } }).join()).toContain('text is 4097');
  });

  it('when any text is fitted or split, then no piece is over its limit and nothing is lost', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 2, max: 60 }),
        (s, max) => {
          const fitted = fit(s, max);
          expect(fitted.length).toBeLessThanOrEqual(max);
          // No lone surrogate: the string survives a UTF-8 round trip unchanged.
          expect(Buffer.from(fitted, 'utf8').toString('utf8')).toBe(fitted);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 60 }),
        fc.integer({ min: 20, max: 500 }),
        (words, max) => {
          const whole = words.join(' ');
          const parts = splitText(whole, max);
          for (const part of parts) expect(part.length).toBeLessThanOrEqual(max);
          expect(parts.join('').replace(/\s/g, '')).toBe(whole.trim().replace(/\s/g, ''));
        },
      ),
    );
  });

  it('when a choice is encoded, then it decodes to itself, and ids we never made decode to nothing', () => {
    const choices: Choice[] = [
      { kind: 'home' },
      { kind: 'help' },
      { kind: 'about' },
      { kind: 'themes' },
      { kind: 'languageMenu' },
      { kind: 'language', lang: 'en' },
      { kind: 'theme', theme: 4, page: 10 },
      { kind: 'open', id: '4.81' },
      { kind: 'next', id: '1.41' },
      { kind: 'fullText', id: '2.3' },
      { kind: 'share', id: '5.68' },
    ];
    for (const choice of choices) expect(decodeChoice(encodeChoice(choice))).toEqual(choice);
    for (const junk of ['', 'r:', 'r:abc', 't:0:0', 'lang:de', 'x'.repeat(300), 'r:2.15;drop'])
      expect(decodeChoice(junk)).toBeUndefined();
  });
});

const LANGS: Lang[] = languages().map((language) => language.code);

describe.each(LANGS)('WhatsApp rendering in %s, every theme and recommendation', (lang) => {
  it('when the themes list is rendered, then it fits and has one row per theme', () => {
    const [message] = renderer.render({ kind: 'themes', themes: corpus.themes }, lang);
    expectSendable([message!]);
    expect(rowsOf(message).map((r) => r.id)).toEqual(corpus.themes.map((t) => `t:${t.number}:0`));
  });

  it('when every page of every theme is rendered, then each fits, and the pages together list the theme once', () => {
    for (const theme of corpus.themes) {
      const recommendations = engine.recommendationsOf(theme.number);
      const reply: Reply = { kind: 'theme', theme, recommendations };
      const listed: string[] = [];
      for (let page = 0; page < pageCount(recommendations.length); page++) {
        const messages = renderer.render(reply, lang, page);
        expectSendable(messages);
        const rows = rowsOf(messages[0]);
        expect(rows.length).toBeLessThanOrEqual(WA_LIMITS.listRowsTotal);
        listed.push(...rows.filter((r) => r.id.startsWith('r:')).map((r) => r.id.slice(2)));
        // Beyond one page, a "more" row leads on; the last page has none.
        const more = rows.some((r) => r.id === `t:${theme.number}:${page + 1}`);
        expect(more).toBe(page < pageCount(recommendations.length) - 1);
      }
      expect(listed).toEqual(recommendations.map((r) => r.id));
      expect(pageCount(recommendations.length)).toBe(Math.ceil(recommendations.length / LIST_PAGE_SIZE));
    }
  });

  it('when all 300 recommendations are rendered (card, full text, share), then every message fits', () => {
    expect(corpus.recommendations).toHaveLength(300);
    let shortened = 0;
    for (const recommendation of corpus.recommendations) {
      const theme = engine.theme(recommendation.theme)!;
      const card = renderer.render({ kind: 'recommendation', recommendation, theme }, lang);
      expectSendable(card);
      const ids = buttonsOf(card[0]).map((b) => b.id);
      expect(ids).toContain(`s:${recommendation.id}`);
      // ▶ leads to the next of the theme; the last of a theme has none (its theme's button is there).
      const siblings = engine.recommendationsOf(recommendation.theme);
      const next = siblings[siblings.indexOf(recommendation) + 1];
      if (next) expect(ids).toContain(`r:${next.id}`);
      else expect(ids.filter((id) => id.startsWith('r:'))).toEqual([]);
      const words = reportText(recommendation);
      if (words.length > WA_LIMITS.interactiveBody) {
        shortened++;
        expect(ids).toContain(`x:${recommendation.id}`);
      } else {
        // Short enough: the body holds the report's words, untouched (our notes around them apart).
        const body = card[0]!.type === 'interactive' ? card[0]!.interactive.body.text : '';
        expect(body).toContain(words);
      }
      const full = renderer.fullText(recommendation, lang);
      expectSendable(full);
      expect(full.map((m) => (m.type === 'text' ? m.text.body : '')).join('\n')).toContain(
        recommendation.text.slice(0, 200),
      );
      expectSendable(renderer.share(recommendation, lang));
    }
    // Today every recommendation fits a card whole (the longest is 748 characters).
    expect(shortened).toBe(0);
  });

  it('when a recommendation is longer than a card body, then the card shows its beginning and "Full text" sends it whole', () => {
    const long = { ...corpus.recommendations[0]!, text: 'Mot '.repeat(1500).trim() };
    const theme = engine.theme(long.theme)!;
    const card = renderer.render({ kind: 'recommendation', recommendation: long, theme }, lang);
    expectSendable(card);
    expect(buttonsOf(card[0]).map((b) => b.id)).toEqual([
      `x:${long.id}`,
      `r:${engine.neighbour(long.id, 1)!.id}`,
      `s:${long.id}`,
    ]);
    const full = renderer.fullText(long, lang);
    expect(full.length).toBe(2);
    expectSendable(full);
    const joined = full.map((m) => (m.type === 'text' ? m.text.body : '')).join(' ');
    expect(joined.match(/Mot/g)).toHaveLength(1500);
  });

  it('when search results, no results, out-of-range, help, home, about and language are rendered, then each fits', () => {
    for (const query of ['eau', 'femmes', 'route kidal', 'justice', 'école', 'zzzz']) {
      const reply = engine.answer(query);
      expectSendable(renderer.render(reply, lang));
      if (reply.kind === 'searchResults')
        expect(rowsOf(renderer.render(reply, lang)[0]).length).toBe(reply.hits.length);
    }
    const replies: Reply[] = [
      { kind: 'help' },
      { kind: 'home' },
      { kind: 'about', about: corpus.about },
      { kind: 'language', lang: null },
      { kind: 'language', lang: 'en' },
      { kind: 'optOut' },
      { kind: 'optIn' },
      { kind: 'empty' },
      { kind: 'navigation', direction: 'next' },
      engine.respond({ kind: 'theme', theme: 9 }),
      engine.respond({ kind: 'recommendation', theme: 2, number: 99 }),
      engine.respond({ kind: 'search', query: 'x'.repeat(500) }),
      {
        kind: 'searchResults',
        query: 'q'.repeat(900),
        echo: 'q'.repeat(900),
        hits: engine.search('eau', 5).hits,
        suggestion: 's'.repeat(300),
      },
    ];
    for (const reply of replies) expectSendable(renderer.render(reply, lang));
  });

  it('when the catalog is read, then every WhatsApp button and row caption fits as it is (nothing cut)', () => {
    for (const key of messageKeys('wa.')) {
      const caption = t(lang, key).replace(/\{\w+\}/g, '9');
      if (key.startsWith('wa.button.'))
        expect(caption.length, key).toBeLessThanOrEqual(WA_LIMITS.replyButtonTitle);
      if (key.startsWith('wa.list.') && key !== 'wa.list.moreDescription')
        expect(caption.length, key).toBeLessThanOrEqual(Math.min(WA_LIMITS.listButton, WA_LIMITS.rowTitle));
    }
  });
});

describe('the WhatsApp language menu', () => {
  it('when it is rendered, then it offers every language of languages() under its own name, each choice decoding to that language', () => {
    const [message] = renderer.render({ kind: 'language', lang: null }, 'fr');
    expectSendable([message!]);
    if (message!.type !== 'interactive') throw new Error('not interactive');
    const interactive = message!.interactive;
    const offered =
      interactive.type === 'button'
        ? interactive.action.buttons.map((b) => ({ id: b.reply.id, title: b.reply.title }))
        : interactive.action.sections.flatMap((s) => s.rows.map((r) => ({ id: r.id, title: r.title })));
    expect(offered.map((o) => decodeChoice(o.id))).toEqual(
      languages().map((language) => ({ kind: 'language', lang: language.code })),
    );
    expect(offered.map((o) => o.title)).toEqual(languages().map((language) => language.name));
  });
});

function list(message: OutgoingMessage) {
  if (message.type !== 'interactive' || message.interactive.type !== 'list') throw new Error('not a list');
  return message.interactive;
}
