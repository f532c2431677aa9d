import type { Engine } from '../../src/core/types.js';

export type { Effect, Snapshot, SmsOutcome } from '../../src/menu/index.js';
import type { Effect, MenuKeys, MenuState } from '../../src/menu/index.js';

/** The persisted state of a USSD session: the menu model's state (version 2, readable names). */
export type MachineState = MenuState;

export interface HopResult {
  state: MachineState;
  text: string;
  end: boolean;
  effects: Effect[];
}

/**
 * The USSD navigation keys: the menu model's keys (`MenuKeys`), from the configuration; the
 * option keys are the first of their candidates that is no navigation key (`ussdKeys`).
 */
export type UssdKeys = MenuKeys;

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
