import type { Subscription, SubscriptionChannel } from '../../src/subscriptions/model.js';
import type { GatewayLimits } from './limits.js';

/**
 * A broadcast's requests, planned once at start and stored with it (`bc:{<id>}:batches`, one
 * entry `<channel> <p1>,<p2>,...` per request), so that starting the same id again queues the
 * same jobs: a recipient belongs to one job only. Recipients of a request share a channel and a
 * language (one text: what Africa's Talking's bulk `to` needs); pseudonyms only.
 */
export interface Batch {
  channel: SubscriptionChannel;
  pseudonyms: string[];
}

export function planBatches(audience: Subscription[], limits: GatewayLimits): Batch[] {
  const groups = new Map<string, Subscription[]>();
  for (const subscription of audience) {
    const group = `${subscription.channel} ${subscription.lang}`;
    const members = groups.get(group);
    if (members) members.push(subscription);
    else groups.set(group, [subscription]);
  }
  const batches: Batch[] = [];
  for (const group of [...groups.keys()].sort()) {
    const members = groups
      .get(group)!
      .map((s) => s.pseudonym)
      .sort();
    const channel = groups.get(group)![0]!.channel;
    const size = limits[channel].recipientsPerRequest;
    for (let i = 0; i < members.length; i += size)
      batches.push({ channel, pseudonyms: members.slice(i, i + size) });
  }
  return batches;
}

export const encodeBatch = (batch: Batch) => `${batch.channel} ${batch.pseudonyms.join(',')}`;

export function decodeBatch(entry: string): Batch {
  const [channel, list] = entry.split(' ') as [SubscriptionChannel, string];
  return { channel, pseudonyms: list.split(',') };
}
