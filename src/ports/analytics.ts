/**
 * What operators may learn about use, as aggregates only. Channels report events through this
 * port; adapters/analytics/ turns them into counters per day and HyperLogLog sketches. Nothing
 * here ever carries a phone number or a message's text: the person is their pseudonym (used for
 * unique counts, never listed), a search is its normalised words (src/analytics/normalise.ts).
 */

/** A pseudonym (`p_...`, from src/privacy/pseudonym.ts); null only where a caller cannot know it. */
export type PersonRef = string | null;

export type FeedbackValue = 'useful' | 'unclear';
type SmsEncoding = 'GSM-7' | 'UCS-2';

export type AnalyticsEvent =
  /** A reply of the engine's `kind` (Reply.kind) shown on a channel, in a language. */
  | {
      type: 'reply';
      person: PersonRef;
      channel: string;
      lang: string;
      kind: string;
      /** The theme shown (a theme reply, or the theme of a recommendation). */
      theme?: number;
      /** The recommendation shown ("2.10"). */
      recId?: string;
    }
  /** A search that found nothing (`none`) or only close results (`close`). */
  | {
      type: 'searchMiss';
      person: PersonRef;
      channel: string;
      lang: string;
      outcome: 'none' | 'close';
      /** normaliseQuery(text): the adapters normalise again, so raw text never gets stored. */
      normalisedWords: string;
    }
  /** A USSD or voice menu screen reached, or the session dropped while on it. */
  | { type: 'screen'; person: PersonRef; channel: string; screen: string; event: 'reached' | 'dropped' }
  /** One SMS handed to the gateway: its billed segments and encoding. */
  | { type: 'smsSent'; person: PersonRef; count: number; encoding: SmsEncoding }
  /** The one-key reaction after a recommendation. */
  | { type: 'feedback'; person: PersonRef; channel: string; recId: string; value: FeedbackValue }
  /**
   * "Wrong answer" after a search: the ids it returned (what a person's last search is kept as,
   * never its words); `normalisedWords` only where a channel still has them in hand.
   */
  | {
      type: 'wrongAnswer';
      person: PersonRef;
      channel: string;
      normalisedWords?: string;
      resultIds: string[];
    };

export interface Analytics {
  /** Never throws and never waits: a failure to count must not cost anyone an answer. */
  record(event: AnalyticsEvent): void;
}

/** For a service whose console is off: nothing is counted. */
export const noAnalytics: Analytics = { record: () => {} };

/** Several sinks (the console's store, Prometheus) fed by one call. */
export function fanOut(...sinks: Analytics[]): Analytics {
  return { record: (event) => sinks.forEach((sink) => sink.record(event)) };
}
