import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIntent } from '../src/core/intents.js';
import type { Intent } from '../src/core/types.js';

const rec = (theme: number, number: number): Intent => ({ kind: 'recommendation', theme, number });
/** A bare number ("215") keeps its digits, so the engine can suggest ids near it. */
const bare = (theme: number, number: number, digits: string): Intent => ({
  kind: 'recommendation',
  theme,
  number,
  digits,
});
const theme = (n: number): Intent => ({ kind: 'theme', theme: n });
/** A digit typed alone ("2", "rec 2"): theme 2, or the second item right after a list. */
const bareTheme = (n: number): Intent => ({ kind: 'theme', theme: n, digits: String(n) });
/** A search of the message as typed (the engine leaves out the framing words its search does not read). */
const search = (query: string): Intent => ({ kind: 'search', query });
const help: Intent = { kind: 'help' };
const home: Intent = { kind: 'home' };
const themes: Intent = { kind: 'themes' };
const next: Intent = { kind: 'next' };
const previous: Intent = { kind: 'previous' };
const back: Intent = { kind: 'back' };
const about: Intent = { kind: 'about' };
const stop: Intent = { kind: 'stop' };
const start: Intent = { kind: 'start' };
const callback: Intent = { kind: 'callback' };
const empty: Intent = { kind: 'empty' };
const lang = (l: 'fr' | 'en' | null): Intent => ({ kind: 'language', lang: l });
const greeting: Intent = { kind: 'smallTalk', what: 'greeting' };
const thanks: Intent = { kind: 'smallTalk', what: 'thanks' };
const ack: Intent = { kind: 'smallTalk', what: 'ack' };

const table: Array<[string, Intent]> = [
  // help
  ['aide', help],
  ['AIDE', help],
  ['Aide !', help],
  ['help', help],
  ['Help', help],
  ['?', help],
  ['???', help],
  [' ? ', help],
  ['sos', help],
  ['SOS', help],
  ['aidez-moi', help],
  ['au secours', help],
  // home
  ['menu', home],
  ['MENU', home],
  ['accueil', home],
  ['Accueil', home],
  ['home', home],
  ['début', home],
  ['menu principal', home],
  // small talk: one short kind reply, not the menu or a search
  ['bonjour', greeting],
  ['Salut', greeting],
  ['merci', thanks],
  ['Merci beaucoup !', thanks],
  ['ok', ack],
  ['oui', ack],
  ['thanks', thanks],
  ['👍', ack],
  ['🙏🏾🙏🏾', ack],
  ['I ni ce', greeting],
  ['i ni sogoma', greeting],
  ['merci pour les femmes', search('merci pour les femmes')],
  // themes
  ['themes', themes],
  ['thèmes', themes],
  ['THEMES', themes],
  ['thème', themes],
  ['liste', themes],
  ['list', themes],
  ['liste des thèmes', themes],
  ['topics', themes],
  // one theme
  ['theme 2', theme(2)],
  ['thème 2', theme(2)],
  ['Thème 3', theme(3)],
  ['theme2', theme(2)],
  ['t2', theme(2)],
  ['T2', theme(2)],
  ['T 2', theme(2)],
  ['t 5', theme(5)],
  ['axe 2', theme(2)],
  ['Axe 4', theme(4)],
  ['thematique 2', theme(2)],
  ['thématique 1', theme(1)],
  ['topic 3', theme(3)],
  ['2', bareTheme(2)],
  [' 4 ', bareTheme(4)],
  ['0', bareTheme(0)],
  ['9', bareTheme(9)],
  ['theme 6', theme(6)],
  ['theme 21', theme(21)],
  ['t21', theme(21)],
  ['rec 2', bareTheme(2)],
  // a recommendation in every form
  ['2.15', rec(2, 15)],
  ['2,15', rec(2, 15)],
  ['2 15', rec(2, 15)],
  ['2-15', rec(2, 15)],
  ['2/15', rec(2, 15)],
  ['2 . 15', rec(2, 15)],
  ['2.15.', rec(2, 15)],
  ['2.15?', rec(2, 15)],
  ['T2R15', rec(2, 15)],
  ['t2r15', rec(2, 15)],
  ['t2 r15', rec(2, 15)],
  ['T2 R15', rec(2, 15)],
  ['  t2r15  ', rec(2, 15)],
  ['t2-r15', rec(2, 15)],
  ['t2 15', rec(2, 15)],
  ['theme 2 recommandation 15', rec(2, 15)],
  ['thème 2 rec 15', rec(2, 15)],
  ['r2.15', rec(2, 15)],
  ['R2.15', rec(2, 15)],
  ['r 2.15', rec(2, 15)],
  ['rec 2-15', rec(2, 15)],
  ['REC 2.15', rec(2, 15)],
  ['reco 2.15', rec(2, 15)],
  ['recommandation 2.15', rec(2, 15)],
  ['Recommandation 2,15', rec(2, 15)],
  ['recommendation 2.15', rec(2, 15)],
  ['n° 2.15', rec(2, 15)],
  ['numéro 2.15', rec(2, 15)],
  ['rec 215', bare(2, 15, '215')],
  ['r215', bare(2, 15, '215')],
  ['215', bare(2, 15, '215')],
  ['21', bare(2, 1, '21')],
  ['111', bare(1, 11, '111')],
  ['481', bare(4, 81, '481')],
  ['568', bare(5, 68, '568')],
  ['1.1', rec(1, 1)],
  ['5.68', rec(5, 68)],
  ['4.81', rec(4, 81)],
  ['3.59', rec(3, 59)],
  ['2.15 eau', rec(2, 15)],
  ['2.15: eau', rec(2, 15)],
  ['T2R15 merci', rec(2, 15)],
  ['rec 3.13 svp', rec(3, 13)],
  ['*215#', bare(2, 15, '215')],
  // out of range still parses as a number
  ['6.1', rec(6, 1)],
  ['2.99', rec(2, 99)],
  ['0.5', rec(0, 5)],
  ['1.0', rec(1, 0)],
  ['00', bare(0, 0, '00')],
  ['999', bare(9, 99, '999')],
  ['2.150', rec(2, 150)],
  // next / previous / back
  ['suite', next],
  ['Suite', next],
  ['plus', next],
  ['next', next],
  ['+', next],
  ['suivant', next],
  ['more', next],
  ['précédent', previous],
  ['precedent', previous],
  ['prev', previous],
  ['previous', previous],
  ['-', previous],
  ['retour', back],
  ['Retour', back],
  ['back', back],
  // about
  ['info', about],
  ['infos', about],
  ['apropos', about],
  ['à propos', about],
  ['a propos', about],
  ['A PROPOS', about],
  ['about', about],
  // stop / start
  ['stop', stop],
  ['STOP', stop],
  ['Stop!', stop],
  ['stop.', stop],
  ['arret', stop],
  ['arrêt', stop],
  ['ARRÊT', stop],
  ['désabonner', { kind: 'unsubscribe', theme: null }],
  ['desabonner', { kind: 'unsubscribe', theme: null }],
  ['unsubscribe', { kind: 'unsubscribe', theme: null }],
  ['start', start],
  ['START', start],
  ['abonner', { kind: 'subscribe', theme: null }],
  ["s'abonner", { kind: 'subscribe', theme: null }],
  ['subscribe', { kind: 'subscribe', theme: null }],
  // call me back (placed by the voice line when the operator turned it on)
  ['APPEL', callback],
  ['appel', callback],
  ['Rappel', callback],
  ['RAPPEL!', callback],
  ['rappelez-moi', callback],
  ['Appelez moi svp', callback],
  ['CALL ME', callback],
  ['call me back', callback],
  ["appel d'offres", search("appel d'offres")],
  ['rappel 2.15', rec(2, 15)],
  ['/start', home],
  ['/start@DialogueBot', home],
  ['/help', help],
  ['/themes', themes],
  // language
  ['fr', lang('fr')],
  ['FR', lang('fr')],
  ['francais', lang('fr')],
  ['français', lang('fr')],
  ['en français', lang('fr')],
  ['french', lang('fr')],
  ['en', lang('en')],
  ['EN', lang('en')],
  ['english', lang('en')],
  ['anglais', lang('en')],
  ['in english', lang('en')],
  ['langue en', lang('en')],
  ['langue fr', lang('fr')],
  ['language english', lang('en')],
  ['langue', lang(null)],
  ['language', lang(null)],
  ['Langue', lang(null)],
  // empty
  ['', empty],
  ['   ', empty],
  ['...', empty],
  ['!!!', empty],
  // search: everything else, with the person's own words
  ['eau', search('eau')],
  ['Eau potable', search('Eau potable')],
  ['eau 2', search('eau 2')],
  ['que dit le rapport sur l eau ?', search('que dit le rapport sur l eau ?')],
  ["que dit le rapport sur l'eau ?", search("que dit le rapport sur l'eau ?")],
  ['route kidal', search('route kidal')],
  ['  route   kidal  ', search('route kidal')],
  ['secu', search('secu')],
  ['pr les jeunes', search('pr les jeunes')],
  ['femmes', search('femmes')],
  ['water', search('water')],
  ['refugees', search('refugees')],
  ['plus de routes', search('plus de routes')],
  ['stop corruption', search('stop corruption')],
  ['aide aux refugies', search('aide aux refugies')],
  ['info sur le coton', search('info sur le coton')],
  ['theme eau', search('theme eau')],
  ['2 femmes', search('2 femmes')],
  ['2 15 eau', search('2 15 eau')],
  ['2024', search('2024')],
  ['2.15.3', search('2.15.3')],
  ['t', search('t')],
  ['en anglais svp', lang('en')],
  ['french fries', search('french fries')],
  ['bambara', search('bambara')],
  ['impôts', search('impôts')],
];

describe('parseIntent', () => {
  it('when the table is counted, then it holds at least 120 inputs, each once', () => {
    expect(table.length).toBeGreaterThanOrEqual(120);
    expect(new Set(table.map(([input]) => input)).size).toBe(table.length);
  });

  it.each(table)('when someone types %j, then the intent is %j', (input, expected) => {
    expect(parseIntent(input)).toEqual(expected);
  });

  const kinds = new Set([
    'followUp',
    'subscribe',
    'unsubscribe',
    'feedback',
    'feedbackUsage',
    'wrongAnswer',
    'pick',
    'current',
    'smallTalk',
    'empty',
    'help',
    'home',
    'themes',
    'theme',
    'recommendation',
    'next',
    'previous',
    'back',
    'about',
    'stop',
    'start',
    'callback',
    'language',
    'search',
  ]);

  it('when given any string, then it never throws and returns a well-formed intent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.string({
            unit: fc.constantFrom('t', 'r', '2', '1', '5', '.', ' ', ',', '-', '/', 'e', '?', '+'),
          }),
        ),
        (input) => {
          const intent = parseIntent(input);
          expect(kinds.has(intent.kind)).toBe(true);
          if (intent.kind === 'theme') expect(Number.isInteger(intent.theme)).toBe(true);
          if (intent.kind === 'recommendation') {
            expect(Number.isInteger(intent.theme) && intent.theme >= 0 && intent.theme <= 9).toBe(true);
            expect(Number.isInteger(intent.number) && intent.number >= 0 && intent.number <= 999).toBe(true);
          }
          if (intent.kind === 'search') {
            expect(intent.query).toBe(intent.query.trim());
            expect(intent.query.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('when the same text is typed in any case or with accents, then the intent does not change', () => {
    fc.assert(
      fc.property(fc.constantFrom(...table.map(([input]) => input)), (input) => {
        const expected = parseIntent(input);
        if (expected.kind === 'search') return;
        expect(parseIntent(input.toUpperCase())).toEqual(expected);
        expect(parseIntent(input.toLowerCase())).toEqual(expected);
      }),
    );
  });
  // Catastrophic backtracking is checked without a stopwatch in test/regex-safety.test.ts.
});

describe('reactions typed on a text channel (AVIS 2.10 1, FAUX)', () => {
  const table: Array<[string, Intent]> = [
    ['AVIS 2.10 1', { kind: 'feedback', recId: '2.10', value: 'useful' }],
    ['avis 2.10 2', { kind: 'feedback', recId: '2.10', value: 'unclear' }],
    ['Avis 2,10 1', { kind: 'feedback', recId: '2.10', value: 'useful' }],
    ['avis 210 2', { kind: 'feedback', recId: '2.10', value: 'unclear' }],
    ['feedback 5.41 1', { kind: 'feedback', recId: '5.41', value: 'useful' }],
    ['AVIS', { kind: 'feedbackUsage' }],
    ['avis 2.10 3', { kind: 'feedbackUsage' }],
    ['FAUX', { kind: 'wrongAnswer' }],
    ['faux!', { kind: 'wrongAnswer' }],
    ['WRONG', { kind: 'wrongAnswer' }],
    ['mauvaise réponse', { kind: 'wrongAnswer' }],
  ];
  for (const [text, expected] of table) {
    it(`when "${text}" is typed, then it reads as ${expected.kind}`, () => {
      expect(parseIntent(text)).toEqual(expected);
    });
  }
  for (const [text, kind] of [
    ['avis des femmes sur la paix', 'search'],
    ['eau potable', 'search'],
    ['2.10', 'recommendation'],
    ['faux papiers', 'search'],
  ] as const) {
    it(`when "${text}" is typed, then it is no reaction but ${kind}`, () => {
      expect(parseIntent(text).kind).toBe(kind);
    });
  }
});
