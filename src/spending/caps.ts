/**
 * What one phone, and the whole service, may cost in a day (issue 33, point 3): SMS segments
 * handed to the gateway and calls placed by "call me back" are billed to the operator, and a
 * USSD dial string (`*384*3*480*9#` in a fresh session, again and again) or a list of numbers
 * could make the service spend without bound. Each reservation is checked against the
 * person's cap and the service's cap of the day, in the shared store, so every instance counts
 * against the same totals.
 *
 * Days are UTC, which is Mali's time all year (GMT, no summer time).
 */
export type SpendKind = 'sms' | 'call';

export interface SpendLimits {
  /** Units one person may cause per day (SMS segments; calls: `undefined`, call backs count their own). */
  person?: number;
  /** Units the whole service may spend per day. */
  service: number;
}

export type Reservation = { ok: true } | { ok: false; cap: 'person' | 'service' };

export interface SpendingCaps {
  readonly limits: Readonly<Record<SpendKind, SpendLimits>>;
  /**
   * Counts `units` for `pseudonym` today when neither cap would be passed; refuses (counting
   * nothing) otherwise. A store that fails does not stop the service: this instance counts in
   * its memory meanwhile.
   */
  reserve(kind: SpendKind, pseudonym: string, units: number): Promise<Reservation>;
  /** Gives back units reserved for something that was not sent after all (the gateway refused). */
  release(kind: SpendKind, pseudonym: string, units: number): Promise<void>;
  /** The service's spending today, as the store counts it (all instances). */
  today(): Promise<Record<SpendKind, number>>;
}

/** `YYYY-MM-DD` of the UTC day and the milliseconds left in it. */
export function utcDay(now: number): { day: string; msLeft: number } {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return { day: date.toISOString().slice(0, 10), msLeft: Math.max(1000, midnight - now) };
}

/**
 * "Sent to you today": one recommendation sent by SMS to one person at most once a day (a USSD
 * "send by SMS" asked again gets "already sent"). `claim` is false when it was already claimed
 * today; `forget` gives the claim back when the send did not happen.
 */
export interface SentToday {
  claim(pseudonym: string, item: string): Promise<boolean>;
  forget(pseudonym: string, item: string): Promise<void>;
}
