import type { Lang } from '../core/types.js';

/**
 * A reply decided once for every screen (issue 30): its sentences, its list and what can be done
 * next, already in the person's language. A channel only lays a plan out (GSM-7 pages, USSD
 * screens, HTML with buttons, WhatsApp lists, JSON); it never chooses or writes a sentence.
 *
 * The one thing a plan depends on besides the reply and the language is the screen's `Surface`:
 * where people tap buttons, a plan offers actions and never says "send THEMES"; where they type,
 * its sentences say what to type.
 */
export interface Surface {
  input: 'typed' | 'buttons';
  /** STOP puts the person on an opt-out list here (SMS, WhatsApp); else one blocks the bot. */
  optOut?: boolean;
  /** The bot's name where people use slash commands and mention it in other chats (Telegram). */
  bot?: string;
}

export const TYPED: Surface = { input: 'typed', optOut: true };

/**
 * A piece of text and what it is. `report`: the report's own words, verbatim (never mixed with
 * ours); `ours`: a note of ours about what is shown (a summary is ours, the labels are ours), set
 * apart by a channel that can (italics); `title`: a heading.
 */
export interface Line {
  text: string;
  tone?: 'title' | 'report' | 'ours';
  /** An item of the report's list under a recommendation's text: a channel draws its bullet. */
  item?: true;
  /** Left out by a channel that pays per message when it would cost one more. */
  optional?: true;
  /** Starts a paragraph: a blank line before it on a screen that has room (not an SMS). */
  break?: true;
}

/** Where an action leads, named without any channel's encoding (each channel maps it to its own). */
export type Step =
  | { to: 'home' }
  | { to: 'help' }
  | { to: 'themes' }
  | { to: 'about' }
  | { to: 'languages' }
  | { to: 'language'; lang: Lang }
  | { to: 'theme'; theme: number; page?: number }
  | { to: 'rec'; id: string }
  /** The report's own text, from our summary. */
  | { to: 'reportText'; id: string }
  /** A recommendation's neighbour in the report's order (1.41 → 2.1): `id` is the one to show. */
  | { to: 'next'; id: string }
  | { to: 'previous'; id: string }
  | { to: 'share'; id: string }
  | { to: 'feedback'; id: string; value: 'useful' | 'unclear' }
  | { to: 'prompt'; what: 'search' | 'number' }
  /** "This search's answer is wrong", for the list just shown. */
  | { to: 'wrongAnswer' };

/** An action offered under a reply: a button's words (in the person's language) and its step. */
export interface Action {
  label: string;
  step: Step;
}

/** One entry of a list: a recommendation (by id, with our label) or a theme (by number, our name). */
export type Entry =
  | { kind: 'rec'; id: string; label: string; step: Step }
  | {
      kind: 'theme';
      theme: number;
      /** Our short name in the person's language. */
      label: string;
      /** The report's title of the theme (its own words, French). */
      title: string;
      count: number;
      /** Its size in the person's language: "41 recommandations (1.1 à 1.41)". */
      detail: string;
      step: Step;
      /** Where it is offered alone (a search's topic word): the words of its button. */
      offer?: string;
    };

interface ListPlan {
  entries: Entry[];
  /**
   * How to choose on a typed screen, with an example the list shows ("Envoyez sa place (1, 2…) ou
   * son numéro (2.15)"); a buttons screen lists the same and says "tap".
   */
  choose: string;
  /**
   * Where a typed list is paged: what its first page ends with instead, in one line, how to read
   * one and how to get more ("Lire : 1, 2 ou 2.7. Plus : SUITE"). Two lines would leave a
   * 160-character SMS room for one result under a search's title.
   */
  more?: string;
  /** A theme offered before the entries (a topic word of a search names a whole theme). */
  theme?: Extract<Entry, { kind: 'theme' }>;
}

export interface ReplyPlan {
  /** The reply's kind (metrics, tests), or the notice's key. */
  kind: string;
  /** What comes before the list (or the whole text when there is no list). */
  lines: Line[];
  list?: ListPlan;
  /** What comes after the list (our note on labels). */
  after?: Line[];
  /** Next steps, most useful first; a channel keeps what its buttons allow. */
  actions: Action[];
  /**
   * What a channel that sends a long answer page by page, on request, says first instead, knowing
   * how many pages the rest takes (a theme's size and how to read it; the short About).
   */
  intro?: (pages: number) => Line[];
}
