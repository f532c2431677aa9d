/**
 * The voice channel's own vocabulary, named after no gateway. A gateway dialect
 * (dialects/*.ts) parses its callback into a `VoiceRequest` and renders a `VoiceTurn` into its
 * markup; the line (router.ts, and menu.ts, the menu model's renderer) only ever sees these types.
 */

import type { Lang } from '../../src/core/types.js';

/**
 * A language a caller can hear: any language of the catalogs (VOICE_LANGS chooses and orders
 * them). One with `meta.speech` is synthesised; the others (Bambara) are recordings only.
 */
export type VoiceLang = Lang;

/** What an audio file says: a UI prompt (`home`, `press.1`) or a recommendation reading (`2.15`). */
export type AudioKind = 'prompt' | 'rec';

export interface AudioRef {
  lang: VoiceLang;
  kind: AudioKind;
  key: string;
}

/**
 * One thing the caller hears: audio files played one after the other (the line asks for
 * references; the channel turns them into URLs), or text read by the gateway's own
 * text-to-speech (Africa's Talking `Say` reads English only: used for the fault apology).
 */
export type Prompt = { kind: 'audio'; urls: string[] } | { kind: 'say'; text: string };

interface DigitsRequest {
  /** What is played while waiting: a key interrupts it. */
  prompt: Prompt;
  /** Stop after this many keys; absent: wait for `finishOnKey` or the timeout. */
  numDigits?: number;
  timeoutSeconds: number;
  finishOnKey?: string;
  /** Absolute URL the keys are posted to; absent: the number's callback URL. */
  callbackUrl?: string;
  /** How many more times the same request is made when no key comes (then `after` plays). */
  repeat: number;
}

/**
 * One answer to the gateway: optional prompts, optional digits request (with its silent
 * repeats), then what plays when no key came (or simply the last words), then how it ends.
 */
export interface VoiceTurn {
  before: Prompt[];
  digits?: DigitsRequest;
  after: Prompt[];
  end: { kind: 'hangup' } | { kind: 'redirect'; url: string } | { kind: 'reject' };
}

/** A callback from the gateway, gateway-neutral. */
export type VoiceRequest =
  | {
      kind: 'active';
      sessionId: string;
      caller: string;
      destination?: string;
      /** Who placed the call: the person (`inbound`) or the line, calling back (`outbound`). */
      direction?: 'inbound' | 'outbound';
      /** The keys pressed after a digits request; undefined on the first request of a call. */
      digits?: string;
      recordingUrl?: string;
    }
  | {
      kind: 'ended';
      sessionId: string;
      caller: string;
      durationSeconds?: number;
      amount?: number;
      currency?: string;
    };
