import type { About, Corpus, Recommendation, Theme } from '../content/schema.js';
import type { FollowUpVersion } from '../followup/model.js';
import type { FollowUpAnswer } from '../followup/turn.js';

export type { About, Corpus, Recommendation, Theme };

/**
 * A supported language's code ("fr", "en"): the list is data (content/i18n, see src/i18n), so
 * the type is a string; values from outside are checked with `isLang`/`toLang` from src/i18n.
 */
export type Lang = string;

/** What a person meant, whatever channel they typed it on. */
export type Intent =
  | { kind: 'empty' }
  | { kind: 'help' }
  | { kind: 'home' }
  | { kind: 'themes' }
  | { kind: 'theme'; theme: number }
  /**
   * `digits`: the bare number as typed ("300", "10") when that is how it came, to suggest real ids;
   * `reportText`: the report's own French text asked for ("TEXTE 2.15") where a summary is shown.
   */
  | { kind: 'recommendation'; theme: number; number: number; digits?: string; reportText?: true }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'back' }
  | { kind: 'about' }
  | { kind: 'stop' }
  | { kind: 'start' }
  /** `lang` is null for "langue"/"language" without a choice: the channel offers both. */
  | { kind: 'language'; lang: Lang | null }
  /** Thanks, greetings, ok, an emoji alone. */
  | { kind: 'smallTalk' }
  /** "APPEL", "RAPPEL", "CALL ME": call me back (a voice call the person does not pay for). */
  | { kind: 'callback' }
  | { kind: 'search'; query: string };

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
}

export interface Searcher {
  search(query: string, limit?: number): SearchOutcome;
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
      query: string;
      hits: SearchHit[];
      suggestion?: string;
      /** "Résultats proches": not an exact answer, the closest the report has. */
      close?: boolean;
      /** The theme the query's topic word names, offered before the items. */
      theme?: Theme;
    }
  /** Thanks, greetings, "ok", an emoji: a short kind reply saying what the service covers. */
  | { kind: 'smallTalk' }
  /** A subject the report does not speak of (weather, prices, Wagner): said honestly. */
  | { kind: 'notInReport'; query: string }
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
   * The same intent gives the same reply, but for the follow-up attached to a recommendation,
   * which an editor may have published since (read from memory, see src/followup/snapshot.ts).
   */
  respond(intent: Intent): Reply;
  /** parse then respond. */
  answer(text: string): Reply;
  search(query: string, limit?: number): SearchOutcome;
  theme(theme: number): Theme | undefined;
  recommendationsOf(theme: number): Recommendation[];
  /** By id ("2.15") or by theme and number. */
  recommendation(idOrTheme: string | number, number?: number): Recommendation | undefined;
  /** The follow-up published for a recommendation (ours, with its source), or undefined. */
  followUpOf(recommendationId: string): FollowUpVersion | undefined;
}
