import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCallbackData,
  CallbackDataError,
  decode,
  encode,
  splitOwner,
  withOwner,
  type Action,
} from '../adapters/telegram/callback-data.js';
import { languages, t } from '../src/i18n/index.js';
import { MESSAGE_MAX, splitMessage } from '../adapters/telegram/render.js';
import {
  botHarness,
  buttonsOf,
  callback,
  inlineQuery,
  textMessage,
  type ApiCall,
} from './support/telegram.js';
import { longestFollowUp } from './support/followup.js';
import { realEngine } from './support/telegram.js';
import { createEngine } from '../src/core/engine.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';

/** The HTML we send must parse: only <b>/<i> (balanced, not crossing) and the four entities. */
function assertTelegramHtml(html: string): void {
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z]+)>/g)) {
    const [, closing, tag] = match;
    expect(['b', 'i']).toContain(tag);
    if (closing) expect(stack.pop()).toBe(tag);
    else stack.push(tag!);
  }
  expect(stack).toEqual([]);
  const bare = html.replace(/<\/?[bi]>/g, '').replace(/&(amp|lt|gt|quot);/g, '');
  expect(bare).not.toMatch(/[<>&]/);
}

/** Checks every message and every button one batch of API calls produced. */
function checkCalls(calls: ApiCall[]): { messages: number; buttons: number } {
  let messages = 0;
  let buttons = 0;
  for (const call of calls) {
    if (typeof call.payload.text === 'string' && call.method !== 'answerCallbackQuery') {
      messages++;
      expect(call.payload.text.length).toBeLessThanOrEqual(MESSAGE_MAX);
      expect(call.payload.parse_mode).toBe('HTML');
      assertTelegramHtml(call.payload.text);
    }
    for (const button of buttonsOf(call)) {
      buttons++;
      if ('callback_data' in button) {
        const data = String(button.callback_data);
        expect(Buffer.byteLength(data, 'utf8')).toBeGreaterThan(0);
        expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
        expect(decode(data)).toBeDefined();
      }
    }
  }
  return { messages, buttons };
}

describe('telegram: the 4096-character and 64-byte limits over everything the bot produces', () => {
  it('when each of the 300 recommendations is opened, then it fits one valid HTML message with valid buttons', async () => {
    const h = botHarness();
    const ids = h.engine.corpus.recommendations.map((r) => r.id);
    expect(ids).toHaveLength(300);
    let longest = 0;
    for (const id of ids) {
      const calls = await h.send(callback(`r:${id}`));
      const messages = calls.filter((c) => c.method === 'sendMessage');
      expect(messages, id).toHaveLength(1);
      longest = Math.max(longest, String(messages[0]!.payload.text).length);
      checkCalls(calls);
    }
    expect(longest).toBeLessThan(MESSAGE_MAX);
  });

  it('when each of the 300 recommendations carries the longest follow-up, then it still fits one valid HTML message', async () => {
    const corpus = realEngine().corpus;
    const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')), {
      followUp: longestFollowUp,
    });
    const h = botHarness({ engine });
    for (const { id } of corpus.recommendations) {
      const calls = await h.send(callback(`r:${id}`));
      const messages = calls.filter((c) => c.method === 'sendMessage');
      expect(messages, id).toHaveLength(1);
      expect(String(messages[0]!.payload.text)).toContain('&lt;Charte&gt; &amp;');
      checkCalls(calls);
    }
  });

  it('when every page of every theme is shown, then every entry appears once and all limits hold', async () => {
    const h = botHarness();
    for (const theme of h.engine.corpus.themes) {
      const seen: string[] = [];
      for (let page = 0; page < 11; page++) {
        const calls = await h.send(callback(`t:${theme.number}:${page}`));
        checkCalls(calls);
        const entries = buttonsOf(calls.find((c) => c.method === 'editMessageText'))
          .map((b) => String(b.callback_data))
          .filter((d) => d.startsWith('r:'));
        for (const d of entries) if (!seen.includes(d)) seen.push(d);
      }
      expect(seen).toHaveLength(h.engine.recommendationsOf(theme.number).length);
    }
  });

  it('when menus, searches, errors and inline answers are produced, then all limits hold', async () => {
    const h = botHarness();
    const texts = [
      '/start',
      '/aide',
      '/themes',
      '/apropos',
      '/langue',
      '/theme 9',
      '/reco 2.99',
      'armée',
      'xyzzy',
    ];
    const long = 'développement '.repeat(300);
    let totals = { messages: 0, buttons: 0 };
    for (const text of [...texts, long, `/recherche ${long}`]) {
      const r = checkCalls(await h.send(textMessage(text)));
      totals = { messages: totals.messages + r.messages, buttons: totals.buttons + r.buttons };
    }
    for (const data of ['h', 'T', 'a', 'L', 'l:en', 'p:s', 'p:n']) checkCalls(await h.send(callback(data)));
    expect(totals.messages).toBeGreaterThanOrEqual(texts.length);
    expect(totals.buttons).toBeGreaterThan(20);
    for (const query of ['eau', '4.80', 't4', 'femmes <b>&']) {
      const calls = await h.send(inlineQuery(query));
      const results = calls[0]!.payload.results as Array<{ input_message_content: { message_text: string } }>;
      for (const r of results) {
        expect(r.input_message_content.message_text.length).toBeLessThanOrEqual(MESSAGE_MAX);
        assertTelegramHtml(r.input_message_content.message_text);
      }
    }
  });
});

describe('telegram: the limits in groups, inline and tap answers (issue 37)', () => {
  const group = { id: -1001112223334, type: 'supergroup' as const, title: 'Famille' };
  const inGroup = (data: string) => {
    const update = callback(data) as { callback_query: { message: { chat: object } } };
    update.callback_query.message.chat = group;
    return update as ReturnType<typeof callback>;
  };

  it('when every recommendation is opened and every theme page shown in a group, then every tagged button fits 64 bytes', async () => {
    const h = botHarness();
    let tagged = 0;
    const data = [
      ...h.engine.corpus.recommendations.map((r) => `r:${r.id}`),
      ...h.engine.corpus.themes.flatMap((theme) => [0, 1, 2, 3, 9].map((p) => `t:${theme.number}:${p}`)),
    ];
    for (const d of data) {
      const calls = await h.send(inGroup(d));
      checkCalls(calls);
      for (const call of calls)
        for (const b of buttonsOf(call))
          if ('callback_data' in b) {
            expect(String(b.callback_data)).toMatch(/~[\w-]{8}$/);
            tagged++;
          }
    }
    expect(tagged).toBeGreaterThan(2000);
  });

  it('when each of the 300 recommendations with the longest follow-up is shared inline, then each message fits and parses', async () => {
    const corpus = realEngine().corpus;
    const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')), {
      followUp: longestFollowUp,
    });
    const h = botHarness({ engine });
    for (const { id } of corpus.recommendations) {
      const [answer] = await h.send(inlineQuery(id));
      const [result] = answer!.payload.results as Array<{ input_message_content: { message_text: string } }>;
      const text = result!.input_message_content.message_text;
      expect(text, id).toContain('&lt;Charte&gt; &amp;');
      expect(text.length).toBeLessThanOrEqual(MESSAGE_MAX);
      assertTelegramHtml(text);
    }
  });

  it('when a one-letter inline query is paged to its end, then at most 50 results come, 20 a batch', async () => {
    const h = botHarness();
    let offset = '';
    let total = 0;
    for (let batch = 0; batch < 5; batch++) {
      const [answer] = await h.send(inlineQuery('r', offset));
      const results = answer!.payload.results as unknown[];
      expect(results.length).toBeLessThanOrEqual(20);
      total += results.length;
      offset = String(answer!.payload.next_offset ?? '');
      if (offset === '') break;
    }
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThanOrEqual(50);
  });

  it('when a tap is answered with a line, in any language, then the line is at most 200 characters', () => {
    const bot = 'b'.repeat(32);
    for (const { code } of languages()) {
      for (const line of [
        t(code, 'tg.notYours', { bot }),
        t(code, 'button.expired'),
        t(code, 'list.expired'),
        t(code, 'feedback.thanks', { id: '5.100' }),
        t(code, 'wrong.thanks'),
        t(code, 'error.rateLimited'),
      ])
        expect([...line].length, `${code}: ${line}`).toBeLessThanOrEqual(200);
    }
  });
});

describe('telegram: splitting a message that would not fit', () => {
  it('when a text fits, then it is sent whole', () => {
    expect(splitMessage('a\n\nb')).toEqual(['a\n\nb']);
  });

  it('when paragraphs exceed the limit, then parts end at paragraph boundaries and lose nothing', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `<b>${i}</b> ` + 'mot '.repeat(60).trim());
    const html = paragraphs.join('\n\n');
    const parts = splitMessage(html, 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      assertTelegramHtml(part);
    }
    expect(parts.join('\n\n')).toBe(html);
  });

  it('when one line is longer than a message, then it is cut between words, and a huge word outside an entity', () => {
    const line = 'route '.repeat(1000).trim();
    const parts = splitMessage(line, 4096);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join(' ')).toBe(line);
    const word = 'a'.repeat(4094) + '&amp;' + 'b'.repeat(10);
    const cut = splitMessage(word, 4096);
    expect(cut[0]).toBe('a'.repeat(4094));
    expect(cut.join('')).toBe(word);
  });

  it('when any text is split, then no part exceeds the limit and the characters are all kept', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 20, max: 400 }), (text, max) => {
        const parts = splitMessage(text, max);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(max);
        expect(parts.join('').replace(/[\n ]/g, '')).toBe(text.replace(/[\n ]/g, ''));
      }),
    );
  });
});

describe('telegram: callback data', () => {
  it('when data would exceed 64 bytes (accents count twice), then the assertion throws', () => {
    expect(assertCallbackData('x'.repeat(64))).toHaveLength(64);
    expect(() => assertCallbackData('é'.repeat(33))).toThrow(CallbackDataError);
    expect(() => assertCallbackData('')).toThrow(CallbackDataError);
  });

  it('when any action is encoded, then it decodes to itself within 64 bytes', () => {
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.constant<Action>({ kind: 'home' }),
      fc.constant<Action>({ kind: 'themes' }),
      fc.constant<Action>({ kind: 'about' }),
      fc.constant<Action>({ kind: 'chooseLanguage' }),
      fc.record({
        kind: fc.constant('theme' as const),
        theme: fc.integer({ min: 1, max: 99 }),
        page: fc.integer({ min: 0, max: 999 }),
      }),
      fc.record({
        kind: fc.constantFrom('open' as const, 'show' as const, 'step' as const),
        id: fc
          .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 99 }))
          .map(([a, b]) => `${a}.${b}`),
      }),
      fc.record({
        kind: fc.constant('searchPage' as const),
        token: fc.stringMatching(/^[A-Za-z0-9_-]{8}$/),
        page: fc.integer({ min: 0, max: 999 }),
      }),
      fc.record({
        kind: fc.constant('setLanguage' as const),
        lang: fc.constantFrom('fr' as const, 'en' as const),
      }),
      fc.record({
        kind: fc.constant('prompt' as const),
        what: fc.constantFrom('search' as const, 'number' as const),
      }),
    );
    fc.assert(
      fc.property(action, fc.stringMatching(/^[A-Za-z0-9_-]{8}$/), (a, owner) => {
        const data = encode(a);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(decode(data)).toEqual(a);
        // In a group, tagged with whose menu it is (issue 37): still within 64 bytes, same action.
        const tagged = withOwner(data, owner);
        expect(Buffer.byteLength(tagged)).toBeLessThanOrEqual(64);
        expect(decode(tagged)).toEqual(a);
        expect(splitOwner(tagged)).toEqual({ data, owner });
      }),
    );
  });

  it('when arbitrary data arrives, then decoding never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (data) => void decode(data)));
  });
});
