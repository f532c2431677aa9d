import { describe, expect, it } from 'vitest';
import type { Intent } from '../src/core/types.js';
import { realEngine } from './support/telegram.js';

/**
 * Issue 29: the one parser reads sentences as people write them, through the engine (which lends
 * it the search's vocabulary and the lexicon's languages). The conversation resolves what refers
 * to what was just said (test/conversation-context.test.ts); here, what the words alone say.
 */
const engine = realEngine();
const understand = (text: string) => engine.understand(text);

describe('a recommendation named inside a sentence', () => {
  it.each([
    ['recommandation n°2.10', 2, 10],
    ['la 215', 2, 15],
    ['reco n° 4.48 c’est quoi', 4, 48],
    ['recommandation 41 du thème 1', 1, 41],
    ['je voudrais voir la recommandation 12 du theme 2 svp', 2, 12],
    ['thème 3 recommandation 7', 3, 7],
    ['la 3eme recommandation du theme 5', 5, 3],
    ['tell me about recommendation 2.40', 2, 40],
    ['what does number 3.45 say?', 3, 45],
    ['recommendation 15 of theme 4', 4, 15],
    ['2.15 yira n na', 2, 15],
    ['ladilikan 3.13', 3, 13],
    ['barokun 1 ladilikan 13', 1, 13],
    ['Bonjour, je voudrais la recommandation 2.20 sur la corruption', 2, 20],
    ['n°4.58', 4, 58],
    ['rec n 3 59', 3, 59],
  ])('when %j is sent, then it opens %i.%i', (text, theme, number) => {
    expect(understand(text).intent).toMatchObject({ kind: 'recommendation', theme, number });
  });

  it.each([
    'Transféré: il faut 5 ans de plus pour la transition et 1.5 million de déplacés doivent rentrer chez eux, partagez',
    'iphone 15 prix',
    'le 10 mai',
    'eau 2',
    'emploi de 100 jeunes',
  ])('when %j holds a number that names nothing, then it is searched, not opened', (text) => {
    expect(understand(text).intent.kind).toBe('search');
  });
});

describe('a question about the recommendation just read, or about all of them', () => {
  const current = { kind: 'followUp', recommendation: 'current' } as const;
  it.each([
    "c'est appliqué ?",
    'elle a été réalisée ?',
    'ça avance ?',
    'ou en est elle',
    'is it done?',
    'has it been implemented?',
    'any progress on this one?',
    'a kɛra wa?',
    'SUIVI',
  ])('when %j is sent, then it asks the follow-up of the one just read', (text) => {
    expect(understand(text).intent).toMatchObject(current);
  });

  it.each(["Qu'est-ce qui a été fait pour la 2.10 ?", 'la 2.10 est-elle appliquée ?', 'has 2.10 been done'])(
    'when %j names one, then it asks its follow-up',
    (text) => {
      expect(understand(text).intent).toMatchObject({
        kind: 'followUp',
        recommendation: { theme: 2, number: 10 },
      });
    },
  );

  it.each(['ou en sont les recommandations', 'have the recommendations been implemented'])(
    'when %j asks about all of them, then it asks the general follow-up',
    (text) => {
      expect(understand(text).intent).toMatchObject({ kind: 'followUp', recommendation: null });
    },
  );

  it.each(['ou en est la route de Kidal', 'mise en oeuvre de la décentralisation'])(
    'when %j names a subject, then it is searched',
    (text) => {
      expect(understand(text).intent.kind).toBe('search');
    },
  );
});

describe('picks, next and previous', () => {
  it.each<[string, Intent]>([
    ['le 3e', { kind: 'pick', position: 3 }],
    ['la deuxième', { kind: 'pick', position: 2 }],
    ['le premier svp', { kind: 'pick', position: 1 }],
    ['the last one', { kind: 'pick', position: 'last' }],
    ['the second one', { kind: 'pick', position: 2 }],
    ['fɔlɔ', { kind: 'pick', position: 1 }],
    ['1', { kind: 'theme', theme: 1, digits: '1' }],
    ['T1', { kind: 'theme', theme: 1 }],
    ['suivante', { kind: 'next', item: true }],
    ['la suivante', { kind: 'next', item: true }],
    ['next one', { kind: 'next', item: true }],
    ['la précédente', { kind: 'previous', item: true }],
    ['suite', { kind: 'next' }],
  ])('when %j is sent, then it is %j', (text, intent) => {
    expect(understand(text).intent).toEqual(intent);
  });
});

describe('greetings, thanks, help, "what is this", subscriptions', () => {
  it.each<[string, Intent['kind'], string?]>([
    ['Bonjour', 'smallTalk', 'greeting'],
    ['Salam', 'smallTalk', 'greeting'],
    ['i ni ce', 'smallTalk', 'greeting'],
    ['merci beaucoup', 'smallTalk', 'thanks'],
    ['oui', 'smallTalk', 'ack'],
    ['👍', 'smallTalk', 'ack'],
    ['comment ça marche ?', 'help'],
    ['how does this work?', 'help'],
    ["c'est quoi le dialogue inter-maliens ?", 'about'],
    ['qui a fait ce rapport', 'about'],
    ['what is this service', 'about'],
    // The catalog's phrases as people vary them: a plural left out, words written as one.
    ['c koi le dialogue inter malien', 'about'],
    ['le dialogue intermalien c quoi', 'about'],
    ['DESABONNE', 'unsubscribe'],
    ["je veux m'abonner au thème 3", 'subscribe'],
    ['STOP', 'stop'],
  ])('when %j is sent, then it is %s', (text, kind, what) => {
    const intent = understand(text).intent;
    expect(intent.kind).toBe(kind);
    if (what) expect(intent).toMatchObject({ what });
  });

  it('when a theme is named in a subscription wish, then it is kept', () => {
    expect(understand("je veux m'abonner au thème 3").intent).toEqual({ kind: 'subscribe', theme: 3 });
  });
});

describe('the language the words are written in', () => {
  it.each([
    ['what does the report say about water', 'en'],
    ['is there anything about farmers?', 'en'],
    ['i ni ce', 'bm'],
    ['musow', 'bm'],
    ['que dit le rapport sur les femmes', 'fr'],
    ['bonjour', 'fr'],
  ])('when %j is sent, then it is read as %s', (text, lang) => {
    expect(understand(text).lang).toBe(lang);
  });

  it.each(['2.15', 'ok', 'eau', '👍'])('when %j says no language, then none is claimed', (text) => {
    expect(understand(text).lang).toBeUndefined();
  });

  it('when only a command word says it ("help"), then the evidence is weak: it changes no language already known', () => {
    expect(understand('help')).toMatchObject({ lang: 'en', weak: true });
    // SUITE and TEXTE are what the Bambara messages tell people to send: no sign of French.
    expect(understand('TEXTE').lang).toBeUndefined();
  });
});

describe('what a sentence searches', () => {
  it('when a sentence frames its subject with words the search does not read, then only the subject is searched', () => {
    const intent = understand('Hello, I am looking for recommendations on corruption').intent;
    expect(intent.kind).toBe('search');
    expect(engine.respond(intent)).toMatchObject({ kind: 'searchResults' });
  });

  it('when a forwarded post is sent, then its subjects are searched and listed, never "not in the report"', () => {
    const post =
      'Transféré : ils recommandent de proroger la Transition et de dissoudre les milices. Réagissez !';
    const reply = engine.respond(understand(post).intent);
    expect(reply.kind).toBe('searchResults');
    if (reply.kind !== 'searchResults') return;
    const ids = reply.hits.map((hit) => hit.recommendation.id);
    expect(ids.some((id) => ['2.10', '1.4', '4.46'].includes(id))).toBe(true);
  });
});
