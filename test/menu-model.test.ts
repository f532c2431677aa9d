import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/content/load.js';
import { createEngine } from '../src/core/engine.js';
import {
  createMenu,
  initialState,
  menuLanguages,
  readMenuState,
  replay,
  transition,
  type Geometry,
  type MenuNode,
} from '../src/menu/index.js';
import { createSearcher, loadLexicon } from '../src/search/index.js';

/**
 * The rendering-neutral menu model on its own: no screen, no GSM-7, a channel's geometry only.
 * A "voice-like" geometry (4 options a prompt, text as one reading) shows the same model serves
 * a channel that lays nothing out in characters.
 */

const corpus = loadCorpus('content/recommendations.json');
const engine = createEngine(corpus, createSearcher(corpus, loadLexicon('content/lexicon.json')));
const keys = { back: '0', home: '*', more: '#', sms: '9', resume: '6', feedback: '8', text: '7' };
const menu = createMenu({ engine, keys, smsEnabled: true });

/** Four options per prompt, a text read whole: what a DTMF menu would page by. */
function voiceGeometry(): Geometry & { calls: number } {
  const geometry = {
    calls: 0,
    pages(node: MenuNode) {
      geometry.calls += 1;
      return node.kind === 'list' ? Math.max(1, Math.ceil(node.options.length / 4)) : 1;
    },
    offersOptions: () => true,
  };
  return geometry;
}

describe('the menu model', () => {
  it('when the home menu is asked for, then its options are keys and catalog labels, not screen text', () => {
    const node = menu.node(initialState('fr'));
    expect(node.kind).toBe('menu');
    if (node.kind !== 'menu') return;
    expect(node.options.map((o) => o.key)).toEqual(['1', '2', '3', '4', '5']);
    expect(node.options[0]!.label).toEqual({ msg: 'ussd.home.themes' });
    for (const option of node.options) expect(typeof option.label).toBe('object');
  });

  it('when a theme list is paged by a 4-option geometry, then `more` walks its pages and every number stays valid on every page', () => {
    const geometry = voiceGeometry();
    let { state } = replay(['1', '2'], menu, geometry);
    const count = engine.recommendationsOf(2).length;
    let pages = 1;
    for (;;) {
      const next = transition(state, '#', menu, geometry).state;
      if (next.hint) break;
      state = next;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(count / 4));
    // On the last page, the first recommendation of the theme is still a valid choice.
    expect(transition(state, '1', menu, geometry).state.place).toEqual({ at: 'rec', id: '2.1', page: 0 });
  });

  it('when an input is decided, then the channel is asked for page counts only (no screen is drawn), at most once', () => {
    const geometry = voiceGeometry();
    const { state } = replay(['1', '2'], menu, geometry);
    geometry.calls = 0;
    transition(state, '3', menu, geometry);
    expect(geometry.calls).toBe(0);
    transition(state, '#', menu, geometry);
    expect(geometry.calls).toBe(1);
  });

  it('when a word is searched, then the list holds the engine\u2019s answer to that search', () => {
    const { state } = replay(['2', 'eau 2'], menu, voiceGeometry());
    const answer = engine.answer('eau 2');
    const ids =
      answer.kind === 'searchResults'
        ? answer.hits.map((hit) => hit.recommendation.id)
        : answer.kind === 'recommendation'
          ? [answer.recommendation.id]
          : [];
    expect(ids.length).toBeGreaterThan(0);
    expect(state.place).toEqual({ at: 'results', ids, page: 0 });
  });

  it('when the language menu is drawn, then it lists every supported language, each choice an effect', () => {
    const node = menu.node(replay(['5'], menu, voiceGeometry()).state);
    if (node.kind !== 'menu') throw new Error(node.kind);
    expect(node.options.map((o) => o.label)).toEqual(menuLanguages().map((language) => ({ language })));
    const last = menuLanguages().at(-1)!;
    const chosen = replay(['5', String(menuLanguages().length)], menu, voiceGeometry());
    expect(chosen.effects).toEqual([{ kind: 'lang', lang: last }]);
    expect(chosen.state.lang).toBe(last);
  });
});

describe('persisted menu state', () => {
  it("when a version 1 state (the first release's short names) is read, then it is not a state: the session starts over", () => {
    const v1 = {
      v: 1,
      lang: 'en',
      cur: { k: 'results', ids: ['2.15', '1.3'], p: 1 },
      stack: [{ k: 'home' }, { k: 'search' }],
    };
    expect(readMenuState(v1)).toBeUndefined();
    expect(readMenuState({ ...v1, version: 1 })).toBeUndefined();
  });

  it('when close results with a theme row, or a "not in the report" / small-talk hint, are stored, then they read back unchanged', () => {
    const states = [
      {
        version: 2,
        lang: 'fr',
        place: { at: 'results', ids: ['4.41', '2.34'], page: 1, close: true, theme: 4 },
        back: [],
      },
      {
        version: 2,
        lang: 'en',
        place: { at: 'search' },
        back: [{ at: 'home' }],
        hint: { hint: 'notInReport' },
      },
      {
        version: 2,
        lang: 'fr',
        place: { at: 'search' },
        back: [{ at: 'home' }],
        hint: { hint: 'smallTalk' },
      },
    ];
    for (const state of states) expect(readMenuState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('when a topic word is searched, then the results offer its theme after the hits', () => {
    const { state } = replay(['2', 'insécurité'], menu, voiceGeometry());
    expect(state.place).toMatchObject({ at: 'results', theme: 4 });
    const node = menu.node(state);
    const last = node.kind === 'list' ? node.options.at(-1) : undefined;
    expect(last?.label).toEqual({ msg: 'ussd.results.theme', params: { theme: 4 } });
    expect(last?.action).toEqual({ go: { at: 'theme', theme: 4, page: 0 } });
  });

  it('when a version 2 state is read back, then it is unchanged', () => {
    const state = replay(['1', '3', '#', '2'], menu, voiceGeometry()).state;
    expect(readMenuState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('when a stored state is corrupted or of an unknown version, then it is not read (the session starts over)', () => {
    for (const bad of [
      null,
      42,
      'x',
      { v: 9, lang: 'fr', cur: { k: 'home' }, stack: [] },
      { v: 1, lang: 'xx', cur: { k: 'home' }, stack: [] },
      { v: 1, lang: 'fr', cur: { k: 'nowhere' }, stack: [] },
      { v: 1, lang: 'fr', cur: { k: 'theme' }, stack: [] },
      { version: 2, lang: 'fr', place: { at: 'home' }, back: 'no' },
    ])
      expect(readMenuState(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

describe('the one-key reaction in the menu model (USSD and voice)', () => {
  it('when "your opinion" is chosen on a recommendation, then 1 useful / 2 not clear are offered as data', () => {
    const { state } = replay(['3', '210', '8'], menu, voiceGeometry());
    expect(state.place).toEqual({ at: 'feedback', id: '2.10' });
    const node = menu.node(state);
    expect(node.kind).toBe('menu');
    if (node.kind !== 'menu') return;
    expect(node.options.map((o) => [o.key, o.label])).toEqual([
      ['1', { msg: 'ussd.feedback.useful' }],
      ['2', { msg: 'ussd.feedback.unclear' }],
    ]);
  });

  it('when 2 is chosen, then the channel is asked to count "unclear" once, the thanks shows, and back returns to the text', () => {
    const geometry = voiceGeometry();
    const asked = replay(['3', '210', '8'], menu, geometry).state;
    const chosen = transition(asked, '2', menu, geometry);
    expect(chosen.effects).toEqual([{ kind: 'feedback', id: '2.10', value: 'unclear' }]);
    expect(menu.node(chosen.state)).toMatchObject({
      kind: 'notice',
      text: { msg: 'ussd.feedback.thanks', params: { id: '2.10' } },
    });
    // The thanks took the question's place: back leads to the recommendation, not to the question.
    const back = transition(chosen.state, '0', menu, geometry);
    expect(back.state.place).toEqual({ at: 'rec', id: '2.10', page: 0 });
    expect(back.effects).toEqual([]);
  });

  it('when a stored reaction place is read back, then it survives, and a forged value is dropped', () => {
    const stored = readMenuState({
      version: 2,
      lang: 'fr',
      place: { at: 'feedback', id: '2.10', value: 'useful' },
      back: [{ at: 'rec', id: '2.10', page: 0 }],
    });
    expect(stored?.place).toEqual({ at: 'feedback', id: '2.10', value: 'useful' });
    const forged = readMenuState({
      version: 2,
      lang: 'fr',
      place: { at: 'feedback', id: '2.10', value: 'loved it' },
      back: [],
    });
    expect(forged?.place).toEqual({ at: 'feedback', id: '2.10' });
  });
});
