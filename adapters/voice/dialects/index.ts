import type { VoiceRequest, VoiceTurn } from '../types.js';
import * as africastalking from './africastalking.js';

/**
 * Voice gateway dialects as a table, like the USSD dialects: each says how its callback is
 * parsed, how a turn is written, what its answers' content type is and what it can nest. A
 * TwiML-like dialect (Twilio, Telnyx TeXML, SignalWire) is one more row: `Gather` takes several
 * `Say`/`Play` children (promptsPerDigits > 1), `Hangup` exists, the keys arrive as `Digits`.
 * See docs/voice-gateways.md.
 */
export interface VoiceDialect {
  name: string;
  contentType: string;
  /** How many prompts a digits request may nest; with 1 the channel joins audio into one URL. */
  promptsPerDigits: number;
  /** The field of the callback that carries the caller's number (for the per-person limit). */
  callerField: string;
  parse(body: unknown): { ok: true; value: VoiceRequest } | { ok: false; problem: string };
  render(turn: VoiceTurn): string;
}

export const dialects = {
  africastalking: {
    name: 'africastalking',
    contentType: africastalking.CONTENT_TYPE,
    promptsPerDigits: africastalking.PROMPTS_PER_DIGITS,
    callerField: 'callerNumber',
    parse: africastalking.parseRequest,
    render: africastalking.renderTurn,
  },
} satisfies Record<string, VoiceDialect>;

export type DialectName = keyof typeof dialects;
