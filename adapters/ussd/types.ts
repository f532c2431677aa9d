import type { Engine } from '../../src/core/types.js';

export type { Effect, Snapshot, SmsOutcome } from '../../src/menu/index.js';
import type { Effect, MenuState } from '../../src/menu/index.js';

/** The persisted state of a USSD session: the menu model's state (version 2, readable names). */
export type MachineState = MenuState;

export interface HopResult {
  state: MachineState;
  text: string;
  end: boolean;
  effects: Effect[];
}

/** The USSD navigation keys: the menu model's keys, from the configuration. */
export interface UssdKeys {
  back: string;
  home: string;
  more: string;
  /** "Send by SMS" on a recommendation: the first of 9, 8, 7 that is no navigation key. */
  sms: string;
  /** "Report text" under a summary (Bambara): the first of 8, 7, 6, 5 that is free. */
  text: string;
  /** "Resume" on the first screen after a drop. */
  resume: string;
  /** "Your opinion" on a recommendation: the first of 8, 7, 6 that is neither navigation nor `sms`. */
  feedback: string;
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
