import type { About, Corpus, Recommendation, Theme } from '../content/schema.js';
import type { FollowUpVersion } from '../followup/model.js';
import type { FollowUpAnswer } from '../followup/turn.js';
import type { FeedbackValue } from '../ports/analytics.js';
import type { Lang, RecRef } from './refs.js';

export type { Corpus, Recommendation, Theme };

export type { Lang } from './refs.js';

/** What small talk was: a greeting, thanks, or an "ok", "oui", 👍. */
export type SmallTalk = 'greeting' | 'thanks' | 'ack';

/**
 * What a person meant, whatever channel they typed it on (src/core/intents.ts reads it). The
 * intents below `callback` need the conversation (what was just shown, the person's news
 * subscription): the text conversation resolves them (src/conversation/context.ts); the engine
 * alone answers them as well as it can without that context.
 */
export type Intent =
  | { kind: 'empty' }
  | { kind: 'help' }
  | { kind: 'home' }
  | { kind: 'themes' }
  /** `digits`: the bare number typed ("3", "la 3"): right after a list it picks from the list. */
  | { kind: 'theme'; theme: number; digits?: string }
  /**
   * `digits`: the bare number as typed ("300", "10") when that is how it came, to suggest real ids
   * (and, right after a list, to pick from it); `reportText`: the report's own French text asked
   * for ("TEXTE 2.15") where a summary is shown.
   */
  | { kind: 'recommendation'; theme: number; number: number; digits?: string; reportText?: true }
  /** `item`: "la suivante", "next one": the next recommendation, not the next page of an answer. */
  | { kind: 'next'; item?: true }
  | { kind: 'previous'; item?: true }
  | { kind: 'back' }
  | { kind: 'about' }
  | { kind: 'stop' }
  | { kind: 'start' }
  /** `lang` is null for "langue"/"language" without a choice: the channel offers both. */
  | { kind: 'language'; lang: Lang | null }
  /** Greetings, thanks, ok, an emoji alone. */
  | { kind: 'smallTalk'; what: SmallTalk }
  /** "APPEL", "RAPPEL", "CALL ME": call me back (a voice call the person does not pay for). */
  | { kind: 'callback' }
  | { kind: 'search'; query: string }
  /**
   * "SUIVI 2.10", "c'est appliqué ?", "is it done?": what became of a recommendation; `current`:
   * the one just read (or the general answer when none); null: the recommendations in general.
   * `query`: the words as a search, for who has no conversation to answer it (USSD, the API).
   */
  | { kind: 'followUp'; recommendation: RecRef | 'current' | null; query?: string }
  /** ABONNE (T3), "je veux m'abonner au thème 3": news, all or one theme. */
  | { kind: 'subscribe'; theme: number | null }
  | { kind: 'unsubscribe'; theme: number | null }
  /** AVIS 2.10 1 (useful) / 2 (not clear); `feedbackUsage`: AVIS that cannot be read. */
  | { kind: 'feedback'; recId: string; value: FeedbackValue }
  | { kind: 'feedbackUsage' }
  /** FAUX / WRONG: the result just given is wrong. */
  | { kind: 'wrongAnswer' }
  /** "le 3e", "the last one", "fɔlɔ": an item of the list just shown. */
  | { kind: 'pick'; position: number | 'last' }
  /** "cette recommandation", "le texte": the recommendation just read (its report text when asked). */
  | { kind: 'current'; reportText?: true };

export interface SearchHit {
  recommendation: Recommendation;
  /** 0..1, higher is better; comparable within one query only. */
  score: number;
}

export interface SearchOutcome {
  query: string;
  /** Best first. */
  hits: SearchHit[];
  /** one: a clear winner (hits[0]); several: a short list; none: nothing close. */
  verdict: 'one' | 'several' | 'none';
  /** A corrected query ("vouliez-vous dire ...") when the words looked misspelt. */
  suggestion?: string;
  /** The list is "close results": some words matched loosely or not at all. */
  close?: boolean;
  /** A topic word named a whole theme ("insécurité" → 4): the answer offers it. */
  theme?: number;
  /** The query names a subject the report never speaks of (Wagner, prix du riz, ...). */
  notInReport?: boolean;
  /**
   * What may be shown back of the query: the words the search understood (matched or corrected,
   * in the report's spelling), or with `notInReport` the words known to be absent. Never a word
   * it did not know: an insult or a name is not quoted back. Absent: nothing to show.
   */
  echo?: string;
}

/** How a search reads the words it is given. */
export interface SearchOptions {
  /**
   * The last word may be unfinished: someone is still typing (Telegram's inline mode asks at
   * every key). It also matches as the start of the words the search reads ("fem" → femmes),
   * the most used first, and a start that begins no such word yet is left out: the results
   * narrow as the word grows, they never drop to nothing halfway through it.
   */
  partial?: boolean;
}

export interface Searcher {
  search(query: string, limit?: number, options?: SearchOptions): SearchOutcome;
  /** The language a word belongs to in the lexicon when it is not French ("water" → en). */
  languageOf?(word: string): Lang | undefined;
  /**
   * Whether the search reads a word (the report's, a lexicon key or phrase word, a stopword): the
   * parser keeps it in a search; a word it does not read weighs as unknown and is left out.
   */
  searchable?(word: string): boolean;
}

/**
 * A channel-neutral answer. Channels render it under their own limits (USSD screen, SMS
 * segments, Telegram message) and page it themselves; navigation, opt-out and language are
 * returned as replies for the channel to act on with its own session.
 */
export type Reply =
  | { kind: 'help' }
  | { kind: 'home' }
  | { kind: 'themes'; themes: Theme[] }
  | { kind: 'theme'; theme: Theme; recommendations: Recommendation[] }
  | {
      kind: 'recommendation';
      recommendation: Recommendation;
      theme: Theme;
      query?: string;
      /** The report's text was asked for: no summary first, even in a language that has one. */
      reportText?: true;
      /**
       * The follow-up an editor published for it (status, date, source): our information, never
       * the report's words; every channel shows it under the recommendation. Absent: none.
       */
      followUp?: FollowUpVersion;
    }
  | {
      kind: 'searchResults';
      /** What was typed: asked again for more results and counted, never shown. */
      query: string;
      /** What may be shown of it: the words the search understood ("eau potable"), never others. */
      echo: string;
      hits: SearchHit[];
      suggestion?: string;
      /** "Résultats proches": not an exact answer, the closest the report has. */
      close?: boolean;
      /** The theme the query's topic word names, offered before the items. */
      theme?: Theme;
    }
  /** Thanks, greetings, "ok", an emoji: a short kind reply saying what the service covers. */
  | { kind: 'smallTalk'; what: SmallTalk }
  /**
   * A subject the report does not speak of (weather, prices, Wagner), said only when the search is
   * sure (a word the lexicon lists as absent); `echo` names it with those words alone, never with
   * the rest of what was typed.
   */
  | { kind: 'notInReport'; query: string; echo: string }
  /** Nothing understood or found: said without quoting the message (`query` is for counts only). */
  | { kind: 'noResults'; query: string; suggestion?: string; themes: Theme[] }
  /** A theme or recommendation number that does not exist; says what the valid range is. */
  | {
      kind: 'outOfRange';
      theme: number;
      number?: number;
      themeCount: number;
      maxNumber?: number;
      /** Real ids a bare number was probably meant as ("10" → 1.10), nearest first. */
      suggestions?: string[];
      /** Set when the bare number typed is the report's count of recommendations ("300"). */
      total?: number;
    }
  | { kind: 'about'; about: About }
  | { kind: 'navigation'; direction: 'next' | 'previous' | 'back' }
  | { kind: 'optOut' }
  | { kind: 'optIn' }
  | { kind: 'language'; lang: Lang | null }
  /**
   * A call back was asked for. A channel that knows the person's number places it (the text
   * conversation asks the message's `callBack`); one that reaches a renderer says it is not offered.
   */
  | { kind: 'callback' }
  /** SUIVI 2.10, ABONNE, DESABONNE (src/followup/turn.ts), answered by the text conversation. */
  | { kind: 'followUp'; answer: FollowUpAnswer }
  | { kind: 'empty' };

export interface Engine {
  readonly corpus: Corpus;
  parse(text: string): Intent;
  /**
   * The intent and the language the words are written in (when they say; `weak`: said by command
   * words only, src/core/intents.ts).
   */
  understand(text: string): { intent: Intent; lang?: Lang; weak?: true };
  /** The recommendation after (1) or before (-1) this one in the report's order (1.41 → 2.1). */
  neighbour(id: string, step: 1 | -1): Recommendation | undefined;
  /**
   * The same intent gives the same reply, but for the follow-up attached to a recommendation,
   * which an editor may have published since (read from memory, see src/followup/snapshot.ts).
   */
  respond(intent: Intent): Reply;
  /** parse then respond. */
  answer(text: string): Reply;
  /** The one search policy; `options.partial` for words still being typed (inline mode). */
  search(query: string, limit?: number, options?: SearchOptions): SearchOutcome;
  theme(theme: number): Theme | undefined;
  recommendationsOf(theme: number): Recommendation[];
  /** By id ("2.15") or by theme and number. */
  recommendation(idOrTheme: string | number, number?: number): Recommendation | undefined;
  /** The follow-up published for a recommendation (ours, with its source), or undefined. */
  followUpOf(recommendationId: string): FollowUpVersion | undefined;
}
