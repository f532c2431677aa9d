import { describe, expect, it } from 'vitest';
import { handleUssdHop, replay, transition } from '../adapters/ussd/machine.js';
import type { UssdContext } from '../adapters/ussd/types.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { t } from '../src/i18n/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { gsm7Length, toGsm7 } from '../src/text/gsm7.js';

/** Issue 16: USSD screens a new user reads without guessing. */

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const ctx: UssdContext = {
  engine,
  maxChars: 160,
  alphabet: 'gsm',
  keys: { back: '0', home: '00', more: '98', sms: '9', resume: '6', feedback: '8', text: '7' },
  smsEnabled: true,
};
const screen = (...inputs: string[]) => replay(inputs, ctx).text;
const header = (...inputs: string[]) => screen(...inputs).split('\n')[0]!;

describe('USSD prompts accept what people type in either', () => {
  it('when 215 is typed at the search prompt, then 2.15 opens', () => {
    expect(header('2', '215')).toMatch(/2\.15/);
  });
  it('when eau is typed at the number prompt, then the search results for eau show', () => {
    const text = screen('3', 'eau');
    expect(text).not.toContain(toGsm7(t('fr', 'ussd.hint.invalid')));
    expect(text).toContain(toGsm7(engine.recommendation('3.15')!.label).slice(0, 10));
  });
});

describe('USSD says ranges and headers as people read them', () => {
  it('when 4.99 is asked, then the range is named 4.1 to 4.81', () => {
    expect(header('3', '499')).toContain('4.1 à 4.81');
  });
  it('when a recommendation fits one screen, then its header has no (1/1)', () => {
    const top = header('3', '215');
    expect(top).not.toContain('(1/1)');
    expect(top).toContain('2.15');
  });
  it('when a theme list is shown, then its header names the theme and says which numbers to type', () => {
    const top = header('1', '4');
    expect(top).toContain(toGsm7(engine.theme(4)!.short));
    expect(screen('1', '4')).toContain('1 à 81');
    expect(gsm7Length(screen('1', '4'))).toBeLessThanOrEqual(160);
  });
});

describe('USSD resume', () => {
  it('when a session ended on the SMS confirmation is resumed, then it lands on the recommendation', () => {
    const ended = replay(['3', '210', '9'], ctx).state;
    expect(ended.place.at).toBe('sms');
    const home = handleUssdHop({ lang: 'fr' }, ctx).state;
    const withResume = {
      ...home,
      place: { at: 'home' as const, resume: { place: ended.place, back: ended.back } },
    };
    const { state } = transition(withResume, '6', ctx);
    expect(state.place).toEqual({ at: 'rec', id: '2.10', page: 0 });
  });
});

describe('USSD: the report repeats itself, and says so', () => {
  it('when 4.11 or 5.65 is opened, then its header names its word-for-word twin', () => {
    expect(header('3', '411')).toContain('4.57');
    expect(header('3', '565')).toContain('5.21');
    expect(header('3', '215')).not.toContain('=');
  });
});

describe('USSD draws what does not change once', () => {
  it('when the same list page is shown to a second person, then it is not laid out again', () => {
    let lookups = 0;
    const counting = new Proxy(engine, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'recommendation' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          lookups += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const counted: UssdContext = { ...ctx, engine: counting };
    const first = replay(['1', '2', '98'], counted).text;
    const drawn = lookups;
    expect(drawn).toBeGreaterThan(0);
    expect(replay(['1', '2', '98'], counted).text).toBe(first);
    expect(lookups).toBe(drawn);
    // A hint on the page is drawn each time (it is not the shared screen), and the page under it is the same list.
    expect(replay(['1', '2', '98', 'x'], counted).text.split('\n').slice(1)).toEqual(
      first.split('\n').slice(1),
    );
  });
});
