import { understand as understandText, type Understood } from './intents.js';
import type {
  Corpus,
  Engine,
  Intent,
  Recommendation,
  Reply,
  SearchOptions,
  SearchOutcome,
  Searcher,
  Theme,
} from './types.js';

import type { FollowUpLookup } from '../followup/snapshot.js';
import { MAX_QUERY_LENGTH } from './limits.js';

/** Longer queries are cut (src/core/limits.ts, the one definition). */
export { MAX_QUERY_LENGTH };
/** A search answer lists at most this many recommendations ("one of these"). */
export const MAX_SEARCH_HITS = 5;

/** Accepts "2.15" and the ways people write it ("2,15", "2-15", "2/15", " 2.15 "). */
const MAX_NEARBY = 3;
const ID = /^\s*(\d)\s*[.,/-]\s*(\d{1,3})\s*$/;

/**
 * The channel-neutral engine: what to answer to what a person typed. `respond` reads the corpus
 * and asks the searcher, which is deterministic for a given corpus and lexicon; a recommendation
 * gets the follow-up `followUp` knows for it (published by an editor, held in memory).
 */
export function createEngine(
  corpus: Corpus,
  searcher: Searcher,
  options: { followUp?: FollowUpLookup } = {},
): Engine {
  const themes = [...corpus.themes].sort((a, b) => a.number - b.number);
  const themeByNumber = new Map<number, Theme>(themes.map((theme) => [theme.number, theme]));
  const byId = new Map<string, Recommendation>(corpus.recommendations.map((r) => [r.id, r]));
  const byTheme = new Map<number, Recommendation[]>(
    themes.map((theme) => [
      theme.number,
      corpus.recommendations.filter((r) => r.theme === theme.number).sort((a, b) => a.number - b.number),
    ]),
  );
  const themeCount = themes.length;

  const recommendation = (idOrTheme: string | number, number?: number): Recommendation | undefined => {
    if (typeof idOrTheme === 'number') {
      return number === undefined ? undefined : byId.get(`${idOrTheme}.${number}`);
    }
    const match = ID.exec(idOrTheme);
    return match ? byId.get(`${Number(match[1])}.${Number(match[2])}`) : undefined;
  };

  /**
   * The one search policy every channel gets (USSD, SMS, Telegram, the API): the searcher's
   * answer, and when it finds nothing, the same words without stray numbers ("eau 2",
   * "route 3 kidal": a number can sink every match).
   */
  const search = (raw: string, limit?: number, options?: SearchOptions): SearchOutcome => {
    const query = raw.slice(0, MAX_QUERY_LENGTH).trim();
    const outcome = searcher.search(query, limit, options);
    const withoutNumbers = query
      .replace(/(^|\s)\d+(?=\s|$)/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (
      outcome.verdict === 'none' &&
      !outcome.notInReport &&
      withoutNumbers !== '' &&
      withoutNumbers !== query
    ) {
      const retry = searcher.search(withoutNumbers, limit, options);
      if (retry.verdict !== 'none') return { ...retry, query };
    }
    return outcome;
  };

  const answerSearch = (raw: string): Reply => {
    const query = raw.slice(0, MAX_QUERY_LENGTH).trim();
    if (query === '') return { kind: 'empty' };
    const outcome = search(query, MAX_SEARCH_HITS);
    const hits = outcome.hits.slice(0, MAX_SEARCH_HITS);
    const suggestion = outcome.suggestion ? { suggestion: outcome.suggestion } : {};
    const best = hits[0];
    if (best && outcome.verdict === 'one') {
      const theme = themeByNumber.get(best.recommendation.theme);
      if (theme) return { kind: 'recommendation', recommendation: best.recommendation, theme, query };
    }
    if (best && outcome.verdict !== 'none') {
      const theme = outcome.theme === undefined ? undefined : themeByNumber.get(outcome.theme);
      return {
        kind: 'searchResults',
        query,
        echo: outcome.echo ?? '',
        hits,
        ...suggestion,
        ...(outcome.close ? { close: true } : {}),
        ...(theme ? { theme } : {}),
      };
    }
    // "Not in the report" only when the search is sure (a word the lexicon lists as absent);
    // anything else was not understood, which is said without claiming what the report lacks.
    if (outcome.notInReport) return { kind: 'notInReport', query, echo: outcome.echo ?? '' };
    return { kind: 'noResults', query, themes, ...suggestion };
  };

  /**
   * A bare number that names no recommendation: the report's count ("300") is answered as such;
   * otherwise the real ids one typed digit away (one digit missing: "10" → 1.10), the ones in
   * the typed theme first. Computed from the corpus, so it follows the content.
   */
  const nearby = (digits: string | undefined): { suggestions?: string[]; total?: number } => {
    if (!digits) return {};
    if (Number(digits) === corpus.recommendations.length) return { total: corpus.recommendations.length };
    // How many single-digit insertions lead to each id: "10" reaches 1.10 two ways (1|10, 1|1|0), 1.20 one.
    const ways = new Map<string, number>();
    for (let at = 0; at <= digits.length; at++) {
      for (let d = 0; d <= 9; d++) {
        const candidate = `${digits.slice(0, at)}${d}${digits.slice(at)}`;
        const id = `${candidate[0]}.${candidate.slice(1)}`;
        // No leading zero: "1.01" is not how an id is written.
        if (candidate[1] !== '0' && byId.has(id)) ways.set(id, (ways.get(id) ?? 0) + 1);
      }
    }
    const ids = [...ways.keys()].sort(
      (a, b) =>
        ways.get(b)! - ways.get(a)! ||
        byId.get(a)!.theme - byId.get(b)!.theme ||
        byId.get(a)!.number - byId.get(b)!.number,
    );
    const sameTheme = ids.filter((id) => id[0] === digits[0]);
    const suggestions = (sameTheme.length > 0 ? sameTheme : ids).slice(0, MAX_NEARBY);
    return suggestions.length > 0 ? { suggestions } : {};
  };

  /** The reply an intent gets from the corpus and the search, before any follow-up is attached. */
  const bareReply = (intent: Intent): Reply => {
    switch (intent.kind) {
      case 'empty':
        return { kind: 'empty' };
      case 'help':
        return { kind: 'help' };
      case 'home':
        return { kind: 'home' };
      case 'themes':
        return { kind: 'themes', themes };
      case 'theme': {
        const theme = themeByNumber.get(intent.theme);
        if (!theme) return { kind: 'outOfRange', theme: intent.theme, themeCount };
        return { kind: 'theme', theme, recommendations: [...(byTheme.get(theme.number) ?? [])] };
      }
      case 'recommendation': {
        const theme = themeByNumber.get(intent.theme);
        if (!theme) {
          return {
            kind: 'outOfRange',
            theme: intent.theme,
            number: intent.number,
            themeCount,
            ...nearby(intent.digits),
          };
        }
        const found = byId.get(`${intent.theme}.${intent.number}`);
        if (!found) {
          const maxNumber = byTheme.get(theme.number)?.length ?? 0;
          return {
            kind: 'outOfRange',
            theme: intent.theme,
            number: intent.number,
            themeCount,
            maxNumber,
            ...nearby(intent.digits),
          };
        }
        return {
          kind: 'recommendation',
          recommendation: found,
          theme,
          ...(intent.reportText ? { reportText: true as const } : {}),
        };
      }
      case 'search':
        return answerSearch(intent.query);
      case 'smallTalk':
        return { kind: 'smallTalk', what: intent.what };
      case 'followUp':
        // Without a conversation (USSD's prompt, the API) a named one is opened, its follow-up
        // under it; "suivi du dialogue" is searched (1.41 is the recommendation on that follow-up).
        if (typeof intent.recommendation === 'object' && intent.recommendation !== null)
          return bareReply({ kind: 'recommendation', ...intent.recommendation });
        return intent.query ? answerSearch(intent.query) : { kind: 'help' };
      case 'subscribe':
      case 'unsubscribe':
      case 'feedback':
      case 'feedbackUsage':
      case 'wrongAnswer':
      case 'pick':
      case 'current':
        // They need the conversation (src/conversation): alone, the engine says what to send.
        return { kind: 'help' };
      case 'next':
      case 'previous':
      case 'back':
        return { kind: 'navigation', direction: intent.kind };
      case 'about':
        return { kind: 'about', about: corpus.about };
      case 'stop':
        return { kind: 'optOut' };
      case 'start':
        return { kind: 'optIn' };
      case 'language':
        return { kind: 'language', lang: intent.lang };
      case 'callback':
        return { kind: 'callback' };
    }
  };

  /** Every recommendation answer, whichever intent led there, carries its follow-up. */
  const withFollowUp = (reply: Reply): Reply => {
    if (reply.kind !== 'recommendation' || !options.followUp) return reply;
    const followUp = options.followUp(reply.recommendation.id);
    return followUp ? { ...reply, followUp } : reply;
  };
  const respond = (intent: Intent): Reply => withFollowUp(bareReply(intent));

  // The parser asks the search what it knows: a word's language, and whether a search uses it.
  const parsing = {
    ...(searcher.languageOf ? { wordLang: searcher.languageOf.bind(searcher) } : {}),
    ...(searcher.searchable ? { searchable: searcher.searchable.bind(searcher) } : {}),
  };
  const understand = (text: string): Understood => understandText(text, parsing);

  /** Report order: 1.41 is followed by 2.1; undefined past either end. */
  const ordered = themes.flatMap((theme) => byTheme.get(theme.number) ?? []);
  const position = new Map(ordered.map((r, i) => [r.id, i]));
  const neighbour = (id: string, step: 1 | -1): Recommendation | undefined => {
    const at = position.get(id);
    return at === undefined ? undefined : ordered[at + step];
  };

  return {
    corpus,
    parse: (text) => understand(text).intent,
    understand,
    respond,
    answer: (text) => respond(understand(text).intent),
    neighbour,
    search,
    theme: (n) => themeByNumber.get(n),
    recommendationsOf: (n) => [...(byTheme.get(n) ?? [])],
    recommendation,
    followUpOf: (id) => options.followUp?.(id),
  };
}
