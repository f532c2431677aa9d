import { describe, expect, it } from 'vitest';
import { parseIntent } from '../src/core/intents.js';
import type { Intent } from '../src/core/types.js';
import { languageWords } from '../src/i18n/index.js';

/**
 * Follow-up and news words, read by the one parser (src/core/intents.ts): ABONNE, DESABONNE,
 * SUIVI 2.10 and the "what became of it" phrasings. Without a number, a follow-up question is
 * about the recommendation just read (`current`: the conversation resolves it, the general
 * answer when none was read) or, naming the recommendations, about all of them (null).
 */
type Expected =
  | { kind: 'subscribe' | 'unsubscribe'; theme: number | null }
  | { kind: 'followUp'; recommendation: { theme: number; number: number } | 'current' | null };

const subscribe = (theme: number | null = null): Expected => ({ kind: 'subscribe', theme });
const unsubscribe = (theme: number | null = null): Expected => ({ kind: 'unsubscribe', theme });
const follow = (theme: number, number: number): Expected => ({
  kind: 'followUp',
  recommendation: { theme, number },
});
const current: Expected = { kind: 'followUp', recommendation: 'current' };
const general: Expected = { kind: 'followUp', recommendation: null };

const table: Array<[string, Expected]> = [
  // subscribe, French and SMS spellings
  ['ABONNE', subscribe()],
  ['abonne', subscribe()],
  ['Abonné', subscribe()],
  ['abone', subscribe()],
  ['aboner', subscribe()],
  ["m'abonner", subscribe()],
  ['abonnez-moi', subscribe()],
  ['Je veux m’abonner', subscribe()],
  ['abonnement', subscribe()],
  ['ABONNE NOUVELLES', subscribe()],
  ['abonne tout', subscribe()],
  ['ABONNE T3', subscribe(3)],
  ['abonne t3', subscribe(3)],
  ['ABONNE 3', subscribe(3)],
  ['abonneT3', subscribe(3)],
  ['abonné au thème 3', subscribe(3)],
  ['abonne moi au theme 4 svp', subscribe(4)],
  ['ABONNE T9', subscribe(9)], // the engine names the valid range
  // subscribe, English and Bambara (draft)
  ['SUBSCRIBE', subscribe()],
  ['subscribe me', subscribe()],
  ['Subscribe to theme 2', subscribe(2)],
  ['subscribe all', subscribe()],
  ['sɛbɛn', subscribe()],
  ['seben T1', subscribe(1)],
  ['n tɔgɔ sɛbɛn', subscribe()],
  // unsubscribe
  ['DESABONNE', unsubscribe()],
  ['désabonner', unsubscribe()],
  ['desabonnement', unsubscribe()],
  ['Désabonnement', unsubscribe()],
  ['desabone', unsubscribe()],
  ['se désabonner', unsubscribe()],
  ['DESABONNE T3', unsubscribe(3)],
  ['UNSUBSCRIBE', unsubscribe()],
  ['unsubscribe theme 5', unsubscribe(5)],
  ['dabila', unsubscribe()],
  ['kunnafoni dabila', unsubscribe()],
  // follow-up of one recommendation
  ['SUIVI 2.10', follow(2, 10)],
  ['suivi 210', follow(2, 10)],
  ['Suivi 2,10', follow(2, 10)],
  ['suivi 2 10', follow(2, 10)],
  ['SUIVI2.10', follow(2, 10)],
  ['suivi de la 2.10', follow(2, 10)],
  ['suivi recommandation 2.10', follow(2, 10)],
  ['suivi t2r10', follow(2, 10)],
  ['suivi 21', follow(2, 1)],
  ['SUIVI 2.99', follow(2, 99)], // out of range: the engine says so
  ['statut 3.4', follow(3, 4)],
  ['état 1.2 svp', follow(1, 2)],
  ['FOLLOW 2.10', follow(2, 10)],
  ['follow up 2.10', follow(2, 10)],
  ['STATUS 2.10', follow(2, 10)],
  ['status of 2.10', follow(2, 10)],
  // "what became of it", with a number
  ['mise en oeuvre 2.10', follow(2, 10)],
  ['Mise en œuvre de la 2.10', follow(2, 10)],
  ['application de la recommandation 2.10', follow(2, 10)],
  ["où en est l'application de la 2.10 ?", follow(2, 10)],
  ['ou en est la 2.10', follow(2, 10)],
  ["qu'est devenue la 2.10", follow(2, 10)],
  ['qu est devenue la 2.10 ?', follow(2, 10)],
  ['la 2.10 est-elle appliquée ?', follow(2, 10)],
  ['2.10 a t elle ete realisee', follow(2, 10)],
  ['what happened to 2.10', follow(2, 10)],
  ['What happened to recommendation 2.10?', follow(2, 10)],
  ['is 2.10 implemented', follow(2, 10)],
  ['has 3.4 been implemented?', follow(3, 4)],
  ['mun kɛra 2.10', follow(2, 10)],
  // "what became of it", in general
  ['SUIVI', current],
  ['suivi', current],
  ['le suivi', current],
  ['FOLLOW', current],
  ['mise en oeuvre', current],
  ['Mise en œuvre des recommandations', general],
  ["ou en est l'application", current],
  ['ou en est l application', current],
  ['Où en sont les recommandations ?', general],
  ['que sont devenues les recommandations', general],
  ['is it implemented', current],
  ['is it implemented?', current],
  ['what happened', current],
  ['what happened to the recommendations', general],
];

/** Not a follow-up or news request: a search, or another intent. */
const notMine: Array<[string, Intent['kind']]> = [
  ['abonnement internet', 'search'],
  ['abonnement electricite prix', 'search'],
  ["prix de l'abonnement Orange", 'search'],
  ['suivi medical des femmes', 'search'],
  ['suivi des elections', 'search'],
  ['statut des fonctionnaires', 'search'],
  ['etat civil', 'search'],
  ['mise en oeuvre de la decentralisation', 'search'],
  ['ou en est la route de kidal', 'search'],
  ['application de la charia', 'search'],
  ['follow the money', 'search'],
  ['desabonnement de canal+', 'search'],
  ['eau 2', 'search'],
  ['femmes 5', 'search'],
  ['STOP', 'stop'],
  ['Stop news', 'stop'],
  ['arret desabonne', 'stop'],
  ['START', 'start'],
  ['2.10', 'recommendation'],
  ['210', 'recommendation'],
  ['what is recommendation 2.10', 'recommendation'],
  ['kunnafoni', 'about'],
  ['suivant', 'next'],
  ['suite', 'next'],
  ['SUIVI 2', 'theme'],
  ['bonjour', 'smallTalk'],
];

describe('follow-up and subscription intents', () => {
  it('when the table is counted, then it has at least 40 positive and 25 negative inputs', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
    expect(notMine.length).toBeGreaterThanOrEqual(25);
  });

  it.each(table)('when a person sends %j, then it is %j', (input, expected) => {
    expect(parseIntent(input)).toMatchObject(expected);
  });

  it.each(notMine)('when a person sends %j, then it is no follow-up but %s', (input, kind) => {
    expect(parseIntent(input).kind).toBe(kind);
  });

  it('when STOP is sent in any phrasing, then it is STOP, never a news request', () => {
    for (const input of ['stop', 'STOP', 'Stop!', 'arret', 'arrêter', 'stop all', 'stopall', 'cancel'])
      expect(parseIntent(input).kind, input).toBe('stop');
  });

  it('when a question names a subject, then it stays a search of the report', () => {
    for (const input of ['abonnement internet', 'suivi medical des femmes', 'ou en est la route de kidal']) {
      const intent = parseIntent(input);
      expect(intent.kind).toBe('search');
    }
  });

  it('when the Bambara words are read, then they come from the Bambara catalog, which says it is a draft', () => {
    const bm = languageWords().find((language) => language.code === 'bm')!;
    expect(bm.words.subscribe).toContain('sɛbɛn');
    expect(bm.words.unsubscribe).toContain('dabila');
  });

  it('when "kunnafoni" is sent alone, then it is the Bambara "about", as its buttons say; with a number, a follow-up', () => {
    expect(parseIntent('kunnafoni')).toEqual({ kind: 'about' });
    expect(parseIntent('Kunnafoni')).toEqual({ kind: 'about' });
    expect(parseIntent('kunnafoni 2.10')).toMatchObject(follow(2, 10));
  });

  it('when a non-string arrives (a malformed webhook field), then it is empty, not claimed', () => {
    expect(parseIntent(undefined as unknown as string)).toEqual({ kind: 'empty' });
  });
});
