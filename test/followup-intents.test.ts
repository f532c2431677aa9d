import { describe, expect, it } from 'vitest';
import { BAMBARA_COMMANDS, parseFollowUpIntent, type FollowUpIntent } from '../src/core/followup-intents.js';
import { parseIntent } from '../src/core/intents.js';

const subscribe = (theme: number | null = null): FollowUpIntent => ({ kind: 'subscribe', theme });
const unsubscribe = (theme: number | null = null): FollowUpIntent => ({ kind: 'unsubscribe', theme });
const follow = (theme: number, number: number): FollowUpIntent => ({
  kind: 'followUp',
  recommendation: { theme, number },
});
const general: FollowUpIntent = { kind: 'followUp', recommendation: null };

const table: Array<[string, FollowUpIntent]> = [
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
  ['KUNNAFONI 2.10', follow(2, 10)],
  ['kunnafoni 210', follow(2, 10)],
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
  ['SUIVI', general],
  ['suivi', general],
  ['le suivi', general],
  ['FOLLOW', general],
  ['mise en oeuvre', general],
  ['Mise en œuvre des recommandations', general],
  ["ou en est l'application", general],
  ['ou en est l application', general],
  ['Où en sont les recommandations ?', general],
  ['que sont devenues les recommandations', general],
  ['is it implemented', general],
  ['is it implemented?', general],
  ['what happened', general],
  ['what happened to the recommendations', general],
];

/** Not claimed here: the general parser answers (a search, STOP, a recommendation, ...). */
const notMine = [
  '',
  '   ',
  'abonnement internet',
  'abonnement electricite prix',
  "prix de l'abonnement Orange",
  'abonne t',
  'suivi medical des femmes',
  'suivi des elections',
  'statut des fonctionnaires',
  'etat civil',
  'mise en oeuvre de la decentralisation',
  'ou en est la route de kidal',
  'application de la charia',
  'application',
  'STOP',
  'stop abonnement',
  'Stop news',
  'arret desabonne',
  'START',
  '2.10',
  '210',
  'suivant',
  'suite',
  'SUIVI 2',
  'what is recommendation 2.10',
  'follow the money',
  'desabonnement de canal+',
  'eau 2',
  'femmes 5',
  'bonjour',
  // The Bambara interface's "about" (button "Kunnafoni", /kunnafoni): the general parser's.
  'kunnafoni',
  'Kunnafoni',
];

describe('follow-up and subscription intents', () => {
  it('when the table is counted, then it has at least 40 positive and 25 negative inputs', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
    expect(notMine.length).toBeGreaterThanOrEqual(25);
  });

  it.each(table)('when a person sends %j, then it is %j', (input, expected) => {
    expect(parseFollowUpIntent(input)).toEqual(expected);
  });

  it.each(notMine)('when a person sends %j, then it is left to the general parser', (input) => {
    expect(parseFollowUpIntent(input)).toBeUndefined();
  });

  it('when STOP is sent in any phrasing the general parser knows, then this parser never shadows it', () => {
    for (const input of ['stop', 'STOP', 'Stop!', 'arret', 'arrêter', 'stop all', 'stopall', 'cancel']) {
      expect(parseFollowUpIntent(input), input).toBeUndefined();
      expect(parseIntent(input).kind, input).toBe('stop');
    }
  });

  it('when the negatives go to the general parser, then the questions stay searches of the report', () => {
    for (const input of ['abonnement internet', 'suivi medical des femmes', 'ou en est la route de kidal']) {
      expect(parseIntent(input)).toEqual({ kind: 'search', query: input });
    }
  });

  it('when the Bambara command words are listed, then they are marked as drafts nobody reviewed', () => {
    expect(BAMBARA_COMMANDS.review).toBe('draft');
    expect(BAMBARA_COMMANDS.reviewer).toBeNull();
  });

  it('when "kunnafoni" is sent alone, then the general parser answers it as the Bambara "about", as its buttons say', () => {
    expect(parseFollowUpIntent('kunnafoni')).toBeUndefined();
    expect(parseIntent('kunnafoni')).toEqual({ kind: 'about' });
    expect(parseFollowUpIntent('kunnafoni 2.10')).toEqual(follow(2, 10));
  });

  it('when a non-string arrives (a malformed webhook field), then it is not claimed', () => {
    expect(parseFollowUpIntent(undefined as unknown as string)).toBeUndefined();
  });
});
