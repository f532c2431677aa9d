export interface RateDecision {
  allowed: boolean;
  /** Requests left in the current window. */
  remaining: number;
  /** Milliseconds until the window resets. */
  retryAfterMs: number;
}

/** Per-person (pseudonym, Telegram user) or per-address budgets, shared across instances. */
export interface RateLimiter {
  hit(key: string): Promise<RateDecision>;
  /**
   * Gives back one hit of the current window: a budget that counts failures only (sign-in)
   * counts every attempt while it is checked, and refunds the ones that succeeded, so attempts
   * made at the same moment cannot all slip under the limit. Best effort.
   */
  refund?(key: string): Promise<void>;
}
