import type { Audience, Subscription } from './model.js';
import { inAudience } from './model.js';

/** Where subscriptions live. Implementations: memory (tests, base of the file store), file, Redis. */
export interface SubscriptionStore {
  get(pseudonym: string): Promise<Subscription | undefined>;
  put(subscription: Subscription): Promise<void>;
  delete(pseudonym: string): Promise<boolean>;
  /** Pseudonyms in the audience, each once. */
  audience(audience: Audience): Promise<Subscription[]>;
  close(): Promise<void>;
}

export class MemorySubscriptionStore implements SubscriptionStore {
  protected readonly records = new Map<string, Subscription>();

  async get(pseudonym: string): Promise<Subscription | undefined> {
    return this.records.get(pseudonym);
  }

  async put(subscription: Subscription): Promise<void> {
    this.records.set(subscription.pseudonym, subscription);
    await this.persist();
  }

  async delete(pseudonym: string): Promise<boolean> {
    const existed = this.records.delete(pseudonym);
    if (existed) await this.persist();
    return existed;
  }

  async audience(audience: Audience): Promise<Subscription[]> {
    return [...this.records.values()].filter((s) => inAudience(s, audience));
  }

  protected async persist(): Promise<void> {}

  async close(): Promise<void> {}
}
