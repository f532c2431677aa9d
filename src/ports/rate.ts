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

/**
 * Where a hit of a budget key is counted now, for a store script that counts it together with
 * its own reads (the USSD hop, the SMS turn): same key, same TTL, same decision as `hit`.
 */
export interface BudgetWindow {
  redisKey: string;
  ttlMs: number;
  limit: number;
  decide(count: number): RateDecision;
}

/** A budget counted inside a store's script: its window, and its memory when the store fails. */
export interface ScriptBudget {
  window(key: string): BudgetWindow;
  hitInMemory(key: string, error: unknown): Promise<RateDecision>;
}
