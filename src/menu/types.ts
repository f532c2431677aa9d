import type { Lang } from '../core/types.js';
import type { MessageKey } from '../i18n/index.js';
import type { FeedbackValue } from '../ports/analytics.js';

/**
 * The rendering-neutral menu model: where a person is (a `Place`), what that place offers (a
 * `MenuNode`: options with keys, paged lists, paged text, prompts) and how an input moves them
 * (machine.ts). Labels are data (catalog keys with parameters, or ids of the corpus), never
 * pre-rendered strings: USSD lays them out in GSM-7 screens, a voice line speaks them.
 */

/** Where a person is in the menus. Plain data, persisted by the channel. */
export type Place =
  | { at: 'home'; resume?: Snapshot }
  | { at: 'themes'; page: number }
  /** The recommendations of one theme, list page `page` (0-based). */
  | { at: 'theme'; theme: number; page: number }
  /**
   * One recommendation, text page `page`; `full`: the report's text, asked from our summary (a
   * language with summaries: Bambara).
   */
  | { at: 'rec'; id: string; page: number; full?: true }
  | { at: 'search' }
  /**
   * Search hits by id: what the person typed is never stored, only what it found. `close`: the
   * hits are "close results", not an exact answer; `theme`: the theme a topic word named, offered
   * as a row after the hits.
   */
  | { at: 'results'; ids: string[]; page: number; close?: true; theme?: number }
  /** "By number": 215, or a theme digit and then its number on the next step. */
  | { at: 'number' }
  | { at: 'numberIn'; theme: number }
  | { at: 'about'; page: number }
  | { at: 'lang' }
  /**
   * The answer to "send by SMS": `id` is a recommendation's, or `ABOUT_BY_SMS` for the About
   * text; `outcome` is filled in once the sender answered.
   */
  | { at: 'sms'; id: string; outcome?: SmsOutcome }
  /**
   * The one-key reaction to a recommendation: "1 useful / 2 not clear" (no `value` yet), then the
   * thanks once chosen (`value`).
   */
  | { at: 'feedback'; id: string; value?: FeedbackValue }
  /** The goodbye (the session ends). */
  | { at: 'bye' };

/** What "send by SMS" sends from the About screen, in place of a recommendation's id. */
export const ABOUT_BY_SMS = 'about';
/** The places shown over several pages. */
type PagedPlace = Extract<Place, { page: number }>;
/**
 * What became of a "send by SMS": `alreadySent`, the same item reached the person earlier today;
 * `limit`, a daily cap on SMS segments (the person's or the service's) is reached.
 */
export type SmsOutcome = 'sent' | 'optedOut' | 'failed' | 'pending' | 'alreadySent' | 'limit';

/** The current place and the way back to the places before it (browser-like history). */
export interface Snapshot {
  place: Place;
  back: Place[];
}

/** A one-line hint shown with the same place after an unexpected input. */
export type Hint =
  | { hint: 'invalid' }
  | { hint: 'themeRange' }
  | { hint: 'recRange'; theme: number; number: number; max: number }
  /** Nothing found; `suggestion` is the searcher's (a word of the corpus, not the person's text). */
  | { hint: 'none'; suggestion?: string }
  /** A subject the report does not speak of (weather, prices, Wagner). */
  | { hint: 'notInReport' }
  /** Thanks, a greeting, "ok": a kind word and what to type. */
  | { hint: 'smallTalk' };

/** The persisted state. Version 2: readable field names (version 1 used `k`, `t`, `p`...). */
export interface MenuState extends Snapshot {
  version: 2;
  lang: Lang;
  hint?: Hint;
}

/** Side effects the pure machine asks for; the channel performs them. */
export type Effect =
  | { kind: 'sms'; id: string }
  | { kind: 'lang'; lang: Lang }
  /** A reaction to count (the channel records it for the console). */
  | { kind: 'feedback'; id: string; value: FeedbackValue };

/** What an option does when chosen. */
export type Action =
  | { go: Place }
  | { lang: Lang }
  | { sms: string }
  | { resume: Snapshot }
  | { hint: Hint }
  | { feedback: { id: string; value: FeedbackValue } };

/**
 * Something to say or show, as data. A renderer turns it into text (USSD, SMS) or a prompt
 * (voice) in the person's language.
 */
export type Label =
  /**
   * A catalog sentence; a renderer may add `page` and `pages` to the parameters. `shortOf`: the
   * theme whose short name (ours, in the person's language) fills `{short}`.
   */
  | { msg: MessageKey; params?: Record<string, string | number>; shortOf?: number }
  /** A theme's short name (ours, from the corpus). */
  | { theme: number }
  /** A recommendation's short label (ours); `withId` prefixes its number ("2.15 ..."). */
  | { rec: string; withId?: boolean }
  /** The report's words for a recommendation: its text, then each item on its own line. */
  | { recText: string; full?: true }
  /** Our note and summary about the Dialogue. */
  | { about: true }
  /** A language's own name ("Français", "English"). */
  | { language: Lang }
  /** A word the searcher proposes (a word of the corpus). */
  | { word: string };

export interface Option {
  /** The key a person types or presses. */
  key: string;
  label: Label;
  action: Action;
}

/** What a place offers. Navigation (back, home, more) is the channel's and not listed here. */
export type MenuNode =
  /** A short menu shown whole: home, language. `quit` labels the back key when it ends the session. */
  | { kind: 'menu'; place: Place; title: Label; options: Option[]; quit?: Label }
  /**
   * A numbered list the channel pages (at most `perPage` rows a page); every option is valid on
   * every page. `note`: a line under the rows (how to choose by typing a number).
   */
  | { kind: 'list'; place: PagedPlace; title: Label; options: Option[]; perPage: number; note?: Label }
  /** Long text the channel pages; `options` (e.g. "send by SMS") are offered on every page. */
  | { kind: 'text'; place: PagedPlace; title: Label; body: Label; options: Option[] }
  /** Free input: `accept` says where it leads. */
  | { kind: 'prompt'; place: Place; title: Label; prompt: Label; accept: (input: string) => Action }
  /** A sentence and the navigation keys only. */
  | { kind: 'notice'; place: Place; title: Label; text: Label }
  /** The session ends on this. */
  | { kind: 'end'; place: Place; text: Label };

/** The channel's navigation keys (configurable for USSD, fixed DTMF keys for voice). */
export interface MenuKeys {
  back: string;
  home: string;
  more: string;
  /** "Send by SMS" on a recommendation. */
  sms: string;
  /** The report's text, offered under our summary. */
  text: string;
  /** "Resume" on the first menu after a drop. */
  resume: string;
  /** "Your opinion" on a recommendation (then 1 useful / 2 not clear). */
  feedback: string;
}

/**
 * How a channel cuts a node into pages, asked by the machine to know whether `more` leads
 * somewhere and whether a text's options are offered. Cheap by contract: no screen is laid out.
 */
export interface Geometry {
  pages(node: MenuNode, lang: Lang): number;
  /** Whether the options of a text node are offered on this channel (a tiny screen may drop them). */
  offersOptions(node: MenuNode, lang: Lang): boolean;
}
