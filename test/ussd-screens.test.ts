import { describe, expect, it } from 'vitest';
import { handleUssdHop, render, replay, transition } from '../adapters/ussd/menu.js';
import type { UssdContext } from '../adapters/ussd/types.js';
import { loadCorpus } from '../src/content/load.js';
import { recLabel, themeName } from '../src/content/localized.js';
import { createEngine } from '../src/core/engine.js';
import type { Lang } from '../src/core/types.js';
import { t } from '../src/i18n/index.js';
import { initialState, type MenuState } from '../src/menu/index.js';
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

/** Every screen of a theme's list in a language, paged with `98` from its first screen. */
function themeList(theme: number, lang: Lang): string[] {
  let state: MenuState = initialState(lang);
  for (const input of ['1', String(theme)]) state = transition(state, input, ctx).state;
  const screens = [render(state, ctx).text];
  while (
    screens
      .at(-1)!
      .split('\n')
      .includes('98 ' + toGsm7(t(lang, 'ussd.nav.more'))) &&
    screens.length < 100
  ) {
    state = transition(state, '98', ctx).state;
    screens.push(render(state, ctx).text);
  }
  return screens;
}

/** A list screen's rows: the number typed and the label as shown, without the cut marker. */
const rowsOf = (screen: string) =>
  screen
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const match = /^(\d{1,3}) (.*)$/.exec(line);
      if (!match || ['0', '00', '98'].includes(match[1]!)) return [];
      const cut = match[2]!.endsWith('..');
      return [{ number: Number(match[1]), label: cut ? match[2]!.slice(0, -2) : match[2]!, cut }];
    });

const themes = corpus.themes.map((theme) => theme.number);
const langs: Lang[] = ['fr', 'en', 'bm'];

describe('USSD theme lists keep their labels readable', () => {
  it('when every theme list screen of every theme is drawn in fr, en and bm, then each row is its number in the theme and each label keeps at least 22 septets (or all of itself)', () => {
    const unreadable: string[] = [];
    for (const lang of langs)
      for (const theme of themes) {
        const screens = themeList(theme, lang);
        const rows = screens.flatMap(rowsOf);
        const recs = engine.recommendationsOf(theme);
        // Every recommendation once, in order, numbered as in the theme, without the x.y column.
        expect(rows.map((row) => row.number)).toEqual(recs.map((rec) => rec.number));
        for (const [i, row] of rows.entries()) {
          const full = toGsm7(recLabel(recs[i]!, lang));
          expect(full.startsWith(row.label), `${lang} ${recs[i]!.id}: ${row.label}`).toBe(true);
          const shown = gsm7Length(row.label);
          // A cut at a word boundary drops that one space.
          const readable = !row.cut || shown >= 22 || (shown >= 21 && full[row.label.length] === ' ');
          if (!readable) unreadable.push(`${lang} ${recs[i]!.id}: "${row.label}.." (${shown})`);
        }
        for (const screen of screens) expect(gsm7Length(screen)).toBeLessThanOrEqual(160);
      }
    expect(unreadable).toEqual([]);
  });

  it('when a theme list is paged, then every header is the theme short name with the page, and its first screen says "Tapez un numéro (1 à N)" for that theme (later screens give that room to a row)', () => {
    for (const lang of langs)
      for (const theme of themes) {
        const short = toGsm7(themeName(engine.theme(theme)!, lang));
        const count = engine.recommendationsOf(theme).length;
        const note = toGsm7(t(lang, 'ussd.theme.type', { count }));
        const screens = themeList(theme, lang);
        screens.forEach((screen, page) => {
          const lines = screen.split('\n');
          expect(lines[0]).toBe(`${short} (${page + 1}/${screens.length})`);
          if (page === 0) expect(lines).toContain(note);
          else expect(lines).not.toContain(note);
        });
      }
    expect(toGsm7(t('fr', 'ussd.theme.type', { count: 81 }))).toBe(toGsm7('Tapez un numéro (1 à 81)'));
    // The room the note leaves on later screens goes to rows: theme 4 in French fits in 28 screens
    // (27 when labels could be cut inside a word; a label now keeps whole words).
    expect(themeList(4, 'fr')).toHaveLength(28);
  });

  it('when a number is typed on a theme list, on its first or a later screen, then that recommendation of the theme opens', () => {
    expect(header('1', '4', '52')).toMatch(/^Recommandation 4\.52$/);
    expect(header('1', '4', '81')).toMatch(/^Rec\. 4\.81 |^Recommandation 4\.81$/);
    expect(header('1', '4', '98', '98', '3')).toMatch(/4\.3\b/);
    expect(header('1', '5', '52')).toMatch(/5\.52\b/);
    expect(header('1', '5', '69')).toBe(toGsm7(t('fr', 'ussd.hint.invalid')));
  });
});

describe('USSD About can be sent by SMS', () => {
  it('when the About screen is shown, then every page offers "9 Recevoir par SMS"', () => {
    const offer = `9 ${toGsm7(t('fr', 'ussd.nav.sms'))}`;
    let inputs = ['4'];
    for (let guard = 0; guard < 20; guard += 1) {
      const text = screen(...inputs);
      expect(text.split('\n'), text).toContain(offer);
      expect(gsm7Length(text)).toBeLessThanOrEqual(160);
      if (!text.includes('98 Suite')) break;
      inputs = [...inputs, '98'];
    }
  });

  it('when 9 is chosen on About, then the machine asks for the About text by SMS and says it is on its way', () => {
    const chosen = replay(['4', '9'], ctx);
    expect(chosen.effects).toEqual([{ kind: 'sms', id: 'about' }]);
    expect(chosen.text).toContain(toGsm7(t('fr', 'ussd.sms.aboutPending')));
    expect(chosen.text).not.toContain('{id}');
  });

  it('when a session that ended on the About SMS confirmation is resumed, then it lands on About', () => {
    const ended = replay(['4', '9'], ctx).state;
    expect(ended.place).toEqual({ at: 'sms', id: 'about', outcome: undefined });
    const home = handleUssdHop({ lang: 'fr' }, ctx).state;
    const withResume = {
      ...home,
      place: { at: 'home' as const, resume: { place: ended.place, back: ended.back } },
    };
    expect(transition(withResume, '6', ctx).state.place).toEqual({ at: 'about', page: 0 });
  });
});
