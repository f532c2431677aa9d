import { fold } from '../core/normalize.js';
import type { FeedbackValue } from '../ports/index.js';

/**
 * The reactions a person can type on any text channel, parsed before the engine sees the
 * message (they are not questions about the report):
 *   AVIS 2.10 1 / AVIS 2.10 2   one-key reaction to a recommendation (1 useful, 2 not clear);
 *                               also "avis 2,10 1", "feedback 2.10 2", "avis 210 1"
 *   FAUX / WRONG                "the result I was just given is wrong"
 * "AVIS" alone or followed by numbers we cannot read is `feedbackUsage`: the channel explains the
 * form. "AVIS" followed by words is no reaction (a search about opinions).
 */
export type Reaction =
  | { kind: 'feedback'; recId: string; value: FeedbackValue }
  | { kind: 'feedbackUsage' }
  | { kind: 'wrongAnswer' };

const FEEDBACK_WORD = /^(?:avis|feedback|opinion)(?: |$)/;
const WRONG = new Set(['faux', 'wrong', 'wrong answer', 'mauvaise reponse', 'reponse fausse', 'c est faux']);

export function parseReaction(text: string): Reaction | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const folded = fold(text);
  if (WRONG.has(folded)) return { kind: 'wrongAnswer' };
  if (!FEEDBACK_WORD.test(folded)) return undefined;
  const rest = folded.replace(FEEDBACK_WORD, '').trim();
  // "avis des femmes sur la paix" is a search: a reaction names a number.
  if (rest !== '' && !/^\d/.test(rest)) return undefined;
  // "2 10 1" (2.10, useful) after folding turned the separator into a space; "210 1" as typed in numeric mode.
  const m = /^(\d{1,2}) (\d{1,3}) ([12])$/.exec(rest) ?? /^(\d)(\d{1,3}) ([12])$/.exec(rest);
  if (!m) return { kind: 'feedbackUsage' };
  return {
    kind: 'feedback',
    recId: `${Number(m[1])}.${Number(m[2])}`,
    value: m[3] === '1' ? 'useful' : 'unclear',
  };
}
