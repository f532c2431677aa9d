import { describe, expect, it } from 'vitest';
import { handleUssdHop, replay } from '../adapters/ussd/menu.js';
import type { MenuState } from '../src/menu/index.js';
import type { UssdContext } from '../adapters/ussd/types.js';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';
import { gsm7Length, toGsm7 } from '../src/text/gsm7.js';
import { navLines } from './support/ussd.js';

/**
 * The pure menu machine over the screen sizes the configuration allows (100 to 182): the
 * HTTP crawl covers the default; here the text must still be paged, never cut, on small screens.
 */

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const context = (maxChars: number): UssdContext => ({
  engine,
  maxChars,
  alphabet: 'gsm',
  keys: { back: '0', home: '00', more: '98', sms: '9', resume: '6', feedback: '8', text: '7' },
  smsEnabled: true,
});
const nav = navLines('fr');
const endsWithNavigation = (text: string) => {
  const last = text.split('\n').at(-1)!;
  return last === nav.backHome || last === `${nav.more} ${nav.backHome}` || last === '0 Quitter';
};
const noSpace = (text: string) => text.replace(/\s+/g, '');

describe.each([100, 120, 140, 160, 182])('the USSD machine with USSD_MAX_CHARS=%i', (maxChars) => {
  const ctx = context(maxChars);

  it('when every recommendation is paged through, then every page fits, nothing is cut and all of the text is there', () => {
    const problems: string[] = [];
    for (const rec of corpus.recommendations) {
      let path = ['3', `${rec.theme}${rec.number}`];
      const bodies: string[] = [];
      for (let guard = 0; guard < 200; guard += 1) {
        const { text } = replay(path, ctx);
        if (gsm7Length(text) > maxChars || !endsWithNavigation(text)) problems.push(`${rec.id}: ${text}`);
        const lines = text.split('\n');
        const more = lines.some((line) => line.startsWith(nav.more));
        bodies.push(
          lines
            .slice(1)
            .filter(
              (line) =>
                ![nav.more, nav.sms, nav.feedback, nav.backHome, `${nav.more} ${nav.backHome}`].includes(
                  line,
                ),
            )
            .join(' '),
        );
        if (!more) break;
        path = [...path, '98'];
      }
      // The report's text, then each item under its bullet.
      const whole = [rec.text, ...(rec.items ?? []).map((item) => `- ${item}`)].join('\n');
      if (noSpace(bodies.join('')) !== noSpace(toGsm7(whole))) problems.push(`${rec.id}: text differs`);
    }
    expect(problems).toEqual([]);
  });

  it('when the menus, lists and prompts are drawn, then each fits and keeps its navigation line', () => {
    const paths = [
      [],
      ['1'],
      ['1', '4'],
      ['1', '4', '98', '98'],
      ['2'],
      ['2', 'eau'],
      ['2', 'zzqxw'],
      ['3'],
      ['3', '4'],
      ['3', '4', '99'],
      ['4'],
      ['4', '98'],
      ['5'],
      ['7'],
    ];
    for (const path of paths) {
      const { text } = replay(path, ctx);
      expect(gsm7Length(text), path.join('*')).toBeLessThanOrEqual(maxChars);
      expect(endsWithNavigation(text), `${path.join('*')}: ${text}`).toBe(true);
    }
  });
});

describe('the USSD machine as a replayable function', () => {
  const ctx = context(160);

  it('when a session is replayed from its inputs, then it lands on the same screen as hop by hop', () => {
    const inputs = [
      '1',
      '3',
      '98',
      'x',
      '22',
      '98',
      '0',
      '0',
      '00',
      '2',
      'route',
      '1',
      '0',
      '0',
      '3',
      '480',
      '98',
    ];
    let state: MenuState | undefined;
    let text = '';
    for (const input of [undefined, ...inputs]) ({ state, text } = handleUssdHop({ state, input }, ctx));
    expect(replay(inputs, ctx).text).toBe(text);
    expect(replay(inputs, ctx).state).toEqual(state);
  });

  it('when the same input reaches the same state twice, then the same screen and state come out (no hidden memory)', () => {
    const first = handleUssdHop({ state: replay(['1', '2'], ctx).state, input: '98' }, ctx);
    const second = handleUssdHop({ state: replay(['1', '2'], ctx).state, input: '98' }, ctx);
    expect(second).toEqual(first);
    expect(first.effects).toEqual([]);
  });

  it('when "send by SMS" or a language is chosen, then the machine asks for it as an effect instead of doing it', () => {
    expect(replay(['3', '215', '9'], ctx).effects).toEqual([{ kind: 'sms', id: '2.15' }]);
    expect(replay(['5', '3'], ctx).effects).toEqual([{ kind: 'lang', lang: 'en' }]);
    expect(replay(['5', '3'], ctx).state.lang).toBe('en');
    expect(replay(['5', '1'], ctx).state.lang).toBe('bm');
  });
});
