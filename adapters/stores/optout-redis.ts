import type { Logger, OptOutRegistry } from '../../src/ports/index.js';
import type { RedisConnection } from './redis-client.js';

/**
 * The opt-out list in Redis: one SET of pseudonyms, the only key without a TTL. Use a patient
 * client (offline queue on, many retries) so a STOP written while Redis restarts waits for it
 * instead of failing; durability across a Redis restart comes from its AOF (appendfsync always).
 *
 * An opt-out is honoured in this process at once, before Redis confirms; a write that still
 * fails is retried in the background until it lands, so a STOP is never forgotten while the
 * process lives. When Redis cannot answer `has`, the answer is "opted out": sending nothing
 * to someone who may have said STOP is the safe error.
 */
export class RedisOptOutRegistry implements OptOutRegistry {
  private readonly pendingOut = new Set<string>();
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly logger: Logger,
    private readonly key = 'dim:sms:optout',
    private readonly retryEveryMs = 2000,
    /**
     * The patient client would wait for Redis to come back (offline queue, many retries; no
     * timeout while Redis is frozen): a check waits at most this long, then counts as failed,
     * so a webhook keeps its deadline.
     */
    private readonly hasDeadlineMs = 500,
  ) {}

  async has(pseudonym: string): Promise<boolean> {
    if (this.pendingOut.has(pseudonym)) return true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.hasDeadlineMs} ms`)),
        this.hasDeadlineMs,
      );
    });
    try {
      return (await Promise.race([this.redis.sismember(this.key, pseudonym), deadline])) === 1;
    } catch (error) {
      this.logger.error(
        { pseudonym, err: { message: (error as Error).message } },
        'opt-out check failed: treated as opted out',
      );
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  async add(pseudonym: string): Promise<void> {
    this.pendingOut.add(pseudonym);
    try {
      await this.redis.sadd(this.key, pseudonym);
      this.pendingOut.delete(pseudonym);
    } catch (error) {
      this.logger.error(
        { pseudonym, err: { message: (error as Error).message } },
        'opt-out write failed: retrying',
      );
      this.retryLater(pseudonym);
      throw error;
    }
  }

  private retryLater(pseudonym: string): void {
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      if (!this.pendingOut.has(pseudonym)) return; // START came in meanwhile.
      this.redis.sadd(this.key, pseudonym).then(
        () => this.pendingOut.delete(pseudonym),
        () => this.retryLater(pseudonym),
      );
    }, this.retryEveryMs);
    timer.unref();
    this.retries.add(timer);
  }

  async remove(pseudonym: string): Promise<void> {
    this.pendingOut.delete(pseudonym);
    await this.redis.srem(this.key, pseudonym);
  }

  async close(): Promise<void> {
    for (const timer of this.retries) clearTimeout(timer);
    this.redis.disconnect();
  }
}
