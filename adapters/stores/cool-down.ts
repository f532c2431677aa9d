import type { Logger, Metrics } from '../../src/ports/index.js';

/**
 * "Redis failed: this instance decides from its memory for a while", shared by the rate limiter
 * and the spending caps. After a failure the caller stays on memory for `coolDownMs` (default
 * 5 s): a frozen Redis (every command waits for REDIS_COMMAND_TIMEOUT_MS) then costs one timeout
 * per cool-down, not one per request. Counted as a store error under `label`, logged once per
 * outage.
 */
export class CoolDown {
  private until = 0;

  constructor(
    private readonly options: {
      label: string;
      /** The log line of the first failure of an outage. */
      message: string;
      coolDownMs?: number;
      logger?: Logger;
      metrics?: Metrics;
    },
  ) {}

  /** True while the memory decides. */
  get active(): boolean {
    return Date.now() < this.until;
  }

  /** Redis answered again: the next failure is a new outage (logged). */
  recovered(): void {
    this.until = 0;
  }

  failed(error: unknown): void {
    const first = this.until === 0;
    this.until = Date.now() + (this.options.coolDownMs ?? 5000);
    this.options.metrics?.storeError(this.options.label);
    if (first)
      this.options.logger?.warn({ err: { message: (error as Error).message } }, this.options.message);
  }
}
