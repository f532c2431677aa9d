import type { Engine } from '../../src/core/types.js';

export type { Effect, Snapshot, SmsOutcome } from '../../src/menu/index.js';
import type { Effect, MenuKeys, MenuState } from '../../src/menu/index.js';

export interface HopResult {
  state: MenuState;
  text: string;
  end: boolean;
  effects: Effect[];
}

/** Everything the pure machine reads. Same context + same inputs = same screens. */
export interface UssdContext {
  engine: Engine;
  maxChars: number;
  alphabet: 'gsm' | 'ascii';
  /** The navigation keys, from the configuration (`ussdKeys` in router.ts). */
  keys: MenuKeys;
  /** Whether "send by SMS" is offered (an SMS sender is wired). */
  smsEnabled: boolean;
}

/** What a gateway dialect hands the sessions (session.ts) for one hop. */
export interface NeutralHop {
  sessionId: string;
  phone: string;
  /**
   * Full-history gateways (Africa's Talking): every input of the session so far. The sessions
   * apply only the ones they have not seen yet, and can replay them all when the store is down.
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
