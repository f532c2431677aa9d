import { describe, expect, it } from 'vitest';
import { parseDialogues, readDialogues } from '../scripts/dialogue-fixtures.js';

/**
 * The fixture of `npm run eval:dialogue` (bench/dialogue-eval.md) is what the issue asks for:
 * at least 400 short dialogues of every kind, in the three languages, split by dialogue, none of
 * them the issue's own examples; and a malformed dialogue is refused, not skipped.
 */
const dialogues = readDialogues('test/fixtures/dialogues.txt');

/** The issue's example sentences: the evaluation must not be written from them. */
const ISSUE_EXAMPLES = [
  'recommandation n°2.10',
  'la 215',
  "Qu'est-ce qui a été fait pour la 2.10 ?",
  'tell me about recommendation 2.40',
  "reco n° 4.48 c'est quoi",
  'recommandation 41 du thème 1',
  '2.15 yira n na',
  "c'est appliqué ?",
  'is it done?',
  'comment ça marche ?',
  "c'est quoi le dialogue inter-maliens ?",
  'qui a fait ce rapport',
  "je veux m'abonner au thème 3",
];

const EXPECTATIONS = new Set(
  (
    'open list theme themes follow text help about home greet thanks ack social notin none nothing any ' +
    'stop start unsub subinfo startfirst silent lang:en lang:fr lang:bm page end atstart pickrange ' +
    'picknone context callback feedback wrong range'
  ).split(' '),
);

describe('the dialogue fixture', () => {
  it('when it is read, then it holds at least 400 dialogues of 1 to 3 messages, in fr, en and bm', () => {
    expect(dialogues.length).toBeGreaterThanOrEqual(400);
    for (const dialogue of dialogues) expect(dialogue.turns.length).toBeGreaterThanOrEqual(1);
    expect(new Set(dialogues.map((d) => d.lang))).toEqual(new Set(['fr', 'en', 'bm']));
  });

  it('when its kinds are counted, then every kind the issue lists is there, each with dialogues in both halves', () => {
    const kinds = [
      'ref',
      'followup',
      'pick',
      'nextprev',
      'social',
      'meta',
      'forward',
      'subscribe',
      'lang',
      'insult',
      'topic',
      'offtopic',
    ];
    for (const kind of kinds) {
      const of = dialogues.filter((d) => d.kind === kind);
      expect(
        of.some((d) => d.half === 'tune'),
        kind,
      ).toBe(true);
      expect(
        of.some((d) => d.half === 'heldOut'),
        kind,
      ).toBe(true);
    }
  });

  it('when it is split, then the halves are of like size and no dialogue is in both', () => {
    const heldOut = dialogues.filter((d) => d.half === 'heldOut').length;
    expect(heldOut / dialogues.length).toBeGreaterThan(0.4);
    expect(heldOut / dialogues.length).toBeLessThan(0.6);
    const texts = dialogues.map((d) => d.turns.map((turn) => turn.text).join('\n'));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("when its messages are read, then none is one of the issue's own examples", () => {
    const messages = new Set(dialogues.flatMap((d) => d.turns.map((turn) => turn.text)));
    for (const example of ISSUE_EXAMPLES) expect(messages.has(example), example).toBe(false);
  });

  it('when its expectations are read, then each is one the evaluation knows', () => {
    for (const dialogue of dialogues)
      for (const turn of dialogue.turns)
        for (const { what } of turn.expect)
          expect(EXPECTATIONS.has(what), `#${dialogue.n} ${what}`).toBe(true);
  });

  it('when a dialogue is malformed, then reading the fixture fails naming it', () => {
    expect(() => parseDialogues('# ref fr\nno arrow here')).toThrow(/no " => "/);
    expect(() => parseDialogues('ref fr\n2.10 => open 2.10')).toThrow(/starts with "# kind lang"/);
    expect(() => parseDialogues('# ref fr\na => any\nb => any\nc => any\nd => any')).toThrow(
      /1 to 3 messages/,
    );
  });
});
