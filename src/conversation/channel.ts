import type { Lang, Reply } from '../core/types.js';
import type { CallbackOutcome } from '../callback/callbacks.js';
import type { MessageKey } from '../i18n/index.js';
import type { SubscriptionChannel } from '../subscriptions/model.js';
import type { RateDecision } from '../ports/rate.js';

/**
 * What a text channel and the text conversation (src/conversation/text-conversation.ts) hand
 * each other: the channel's abilities, one incoming message, what to send out.
 */

/** What a channel can do; the use case reads `paging` and `optOut`, renderers the rest. */
export interface TextChannel {
  /** Metrics label and store-key scope: "sms", "telegram", "whatsapp". */
  name: string;
  /**
   * `stored`: long answers are cut by the channel's renderer into pages kept here, and a typed
   * NEXT/SUITE sends the next one (SMS). `buttons`: the renderer pages with buttons, so a typed
   * NEXT gets a `navigation` reply telling how (Telegram).
   */
  paging: 'stored' | 'buttons';
  /** Whether STOP puts the person on the opt-out list (SMS must; on Telegram one blocks the bot). */
  optOut: boolean;
  /** Longest message the channel sends, in its own unit (informational: the renderer enforces it). */
  maxChars: number;
  alphabet: 'gsm7' | 'unicode';
  /**
   * A message longer than this is answered with `message.tooLong`, never parsed or searched (SMS:
   * MAX_INCOMING_CHARS). Absent: the channel's own cap applies (Telegram's 4096) and the engine
   * cuts a search at MAX_QUERY_LENGTH.
   */
  maxIncomingChars?: number;
  /**
   * How many results a search answer lists (the channel pages them: SMS on SUITE, Telegram with
   * buttons); absent: the engine's first few. The list remembered for "2" or "le 3e" is this one.
   */
  resultsShown?: number;
}

export interface IncomingText {
  pseudonym: string;
  text: string;
  /** The gateway's message id, with the gateway's name: the turn is then done once per message. */
  delivery?: { gateway: string; messageId: string };
  /**
   * Asks for a call back to the sender (the channel knows the number; this turn never sees it).
   * Absent: the channel cannot place one, and APPEL is answered "not offered".
   */
  callBack?: () => Promise<CallbackOutcome>;
  /**
   * Where news can reach this person (ABONNE): the channel and its address in clear (a phone
   * number, a chat id), sealed by the subscription store before it is kept. Absent: the
   * channel cannot carry broadcasts, and ABONNE says so.
   */
  reachAt?: { channel: SubscriptionChannel; address: string };
  /**
   * The person's budget key (RATE_LIMIT_PER_MINUTE) when the channel leaves the counting to the
   * turn (SMS): counted in the turn's one round trip (turn-state.ts; needs `turnState`).
   */
  budget?: string;
}

/** What to send, for the channel's renderer. */
export type Outgoing =
  /** An engine answer (the renderer lays it out; with `stored` paging this is never returned). */
  | { kind: 'reply'; reply: Reply }
  /** A page already rendered and kept (first page of a new answer, or the one NEXT asked for). */
  | { kind: 'page'; text: string }
  /** One catalog sentence. `evenIfOptedOut`: the STOP confirmation, the only one an opted-out person gets. */
  | {
      kind: 'notice';
      key: MessageKey;
      params?: Record<string, string | number>;
      evenIfOptedOut?: boolean;
    };

export type TurnResult =
  | { status: 'duplicate' }
  /** Over the person's budget (`IncomingText.budget`): nothing was read, claimed or decided. */
  | { status: 'rateLimited'; decision: RateDecision }
  | {
      status: 'accepted';
      /** What the message was (for the log): an intent or reply kind, "optedOut", "tooLong". */
      kind: string;
      lang: Lang;
      out: Outgoing[];
      /**
       * Awaited by the sender before anything goes out, false: send nothing. STOP's confirmation
       * waits for the opt-out to be durable, and goes out once for two STOPs at the same moment.
       */
      ready?: () => Promise<boolean>;
    };
