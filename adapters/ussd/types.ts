import type { Engine, Lang } from '../../src/core/types.js';

/**
 * Where a person is in the menus. Plain data (JSON in the session store), short keys because
 * every hop reads and writes it. Nothing here names a gateway.
 */
export type Screen =
  | { k: 'home'; resume?: Snapshot }
  | { k: 'themes'; p?: number }
  /** The recommendations of theme `t`, list page `p` (0-based). */
  | { k: 'theme'; t: number; p: number }
  /** One recommendation, text page `p`. */
  | { k: 'rec'; id: string; p: number }
  | { k: 'search' }
  /** Search hits by id: what the person typed is never stored, only what it found. */
  | { k: 'results'; ids: string[]; p: number }
  /** "By number": 215, or a theme digit and then its number on the next screen. */
  | { k: 'number' }
  | { k: 'numberIn'; t: number }
  | { k: 'about'; p: number }
  | { k: 'lang' }
  /** The answer to "send by SMS"; `o` is filled in by the router once the sender answered. */
  | { k: 'sms'; id: string; o?: SmsOutcome }
  /** The goodbye screen (END). */
  | { k: 'bye' };

export type SmsOutcome = 'sent' | 'optedOut' | 'failed' | 'pending';

/** The current screen and the way back to the screens before it (browser-like history). */
export interface Snapshot {
  cur: Screen;
  stack: Screen[];
}

/** A one-line hint drawn on top of the same screen after an unexpected input. */
export type Hint =
  | { h: 'invalid' }
  | { h: 'themeRange' }
  | { h: 'recRange'; t: number; n: number; max: number }
  /** Nothing found; `s` is the searcher's suggestion (a word of the corpus, not the person's text). */
  | { h: 'none'; s?: string }
  | { h: 'notInReport' };

export interface MachineState extends Snapshot {
  v: 1;
  lang: Lang;
  hint?: Hint;
}

/** Side effects the pure machine asks for; the session layer performs them. */
export type Effect = { kind: 'sms'; id: string } | { kind: 'lang'; lang: Lang };

export interface HopResult {
  state: MachineState;
  text: string;
  end: boolean;
  effects: Effect[];
}

export interface UssdKeys {
  back: string;
  home: string;
  more: string;
  /** "Send by SMS" on a recommendation: the first of 9, 8, 7 that is no navigation key. */
  sms: string;
  /** "Resume" on the first screen after a drop. */
  resume: string;
}

/** Everything the pure machine reads. Same context + same inputs = same screens. */
export interface UssdContext {
  engine: Engine;
  maxChars: number;
  alphabet: 'gsm' | 'ascii';
  keys: UssdKeys;
  /** Whether "send by SMS" is offered (an SMS sender is wired). */
  smsEnabled: boolean;
}

/** What a gateway dialect hands the neutral core for one hop. */
export interface NeutralHop {
  sessionId: string;
  phone: string;
  /**
   * Full-history gateways (Africa's Talking): every input of the session so far. The core
   * applies only the ones it has not seen yet, and can replay them all when the store is down.
   */
  history?: string[];
  /** Latest-input gateways: the inputs of this hop (dial-string extras on the first hop). */
  inputs?: string[];
  /** Latest-input gateways say when a session starts; full-history ones do not need to. */
  isNew?: boolean;
}

export interface NeutralScreen {
  text: string;
  end: boolean;
}
