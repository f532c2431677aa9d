import type { Lang, Reply } from '../core/types.js';
import type { Analytics, AnalyticsEvent, PersonRef } from '../ports/index.js';
import { normaliseQuery } from './normalise.js';

/**
 * The analytics events of one engine reply shown to someone, the same for every channel: the
 * reply itself (its kind, the theme and recommendation shown) and, for a search that found
 * nothing or only a list of close results, a `searchMiss` with the normalised words only.
 */
function replyEvents(
  reply: Reply,
  where: { person: PersonRef; channel: string; lang: Lang },
): AnalyticsEvent[] {
  const { person, channel, lang } = where;
  const shown: { theme?: number; recId?: string } =
    reply.kind === 'recommendation'
      ? { theme: reply.recommendation.theme, recId: reply.recommendation.id }
      : reply.kind === 'theme'
        ? { theme: reply.theme.number }
        : {};
  const events: AnalyticsEvent[] = [{ type: 'reply', person, channel, lang, kind: reply.kind, ...shown }];
  // Found nothing, spoke of something the report does not name, or only close results.
  const missed = reply.kind === 'noResults' || reply.kind === 'notInReport';
  if (missed || (reply.kind === 'searchResults' && reply.close)) {
    const miss = missed ? 'none' : 'close';
    const normalisedWords = normaliseQuery(reply.query);
    if (normalisedWords !== '')
      events.push({ type: 'searchMiss', person, channel, lang, outcome: miss, normalisedWords });
  }
  return events;
}

export function recordReply(
  analytics: Analytics,
  reply: Reply,
  where: { person: PersonRef; channel: string; lang: Lang },
): void {
  for (const event of replyEvents(reply, where)) analytics.record(event);
}

/**
 * What a search showed, kept a few minutes so "wrong answer" right after can name it: the ids
 * it returned, never its words (issue 33: "ou est mon fils … arrete a Kidal" must not sit in
 * the store under a pseudonym; the words of searches that miss reach the console only through
 * the 5-people rule of the misses table).
 */
export interface LastSearch {
  resultIds: string[];
}

/** The result ids of a search reply, or undefined when the reply is not a search's answer. */
export function searchShown(reply: Reply): LastSearch | undefined {
  if (reply.kind === 'searchResults') return { resultIds: reply.hits.map((h) => h.recommendation.id) };
  if (reply.kind === 'recommendation' && reply.query !== undefined)
    return { resultIds: [reply.recommendation.id] };
  if (reply.kind === 'noResults') return { resultIds: [] };
  return undefined;
}
