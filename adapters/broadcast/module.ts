import type { FollowUpDeps } from '../../src/followup/turn.js';
import { storeKeys } from '../../src/ports/keys.js';
import type { SubscriptionChannel } from '../../src/subscriptions/model.js';
import type { ServiceModule } from '../module.js';
import type { Platform } from '../platform.js';
import { RedisOptOutRegistry } from '../stores/optout-redis.js';
import type { BroadcastWorker } from './broadcaster.js';
import { createFollowUpModule, type FollowUpModule } from './compose.js';
import type { ChannelSender } from './gateway-senders.js';
import { anyOptOut, channelBroadcastSender } from './senders.js';

/**
 * Follow-ups, subscriptions and broadcasts (issue 20) as a module: the subscriptions with
 * SUBSCRIBERS_KEY, the broadcaster with REDIS_URL (a worker runs in each instance). A broadcast
 * job asks for its channel's sender when it runs: the channels' modules register theirs
 * (`senders`) once they exist.
 */
export function create(
  ctx: Platform,
  deps: { smsOptOutsOverridden: boolean },
): ServiceModule & {
  followUp: FollowUpModule;
  deps: FollowUpDeps;
  senders: Partial<Record<SubscriptionChannel, ChannelSender>>;
} {
  const { config, corpus, engine, logger, optOuts } = ctx;
  const newsRedis = ctx.redis.client('news');
  const senders: Partial<Record<SubscriptionChannel, ChannelSender>> = {};
  const lists = (['sms', ...(optOuts.whatsapp ? ['whatsapp' as const] : [])] as const).map((channel) =>
    // The worker has no webhook deadline: it reads the same SETs with a patient 10 s check,
    // so a loaded Redis does not silently skip subscribers as "opted out" (the channels' 500 ms).
    newsRedis && !(channel === 'sms' && deps.smsOptOutsOverridden)
      ? new RedisOptOutRegistry(
          newsRedis,
          logger,
          `${config.REDIS_KEY_PREFIX}${storeKeys.optOuts(channel)}`,
          2000,
          10_000,
        )
      : channel === 'sms'
        ? optOuts.sms
        : optOuts.whatsapp!,
  );
  const followUp = createFollowUpModule(config, {
    ...(newsRedis ? { redis: newsRedis } : {}),
    followUps: ctx.followUps,
    optOut: optOuts.sms,
    broadcastOptOut: anyOptOut(lists),
    sender: channelBroadcastSender(senders),
    themeCount: corpus.themes.length,
    logger,
  });
  let worker: BroadcastWorker | undefined;
  return {
    followUp,
    senders,
    deps: {
      followUps: ctx.followUps,
      ...(followUp.subscriptions ? { subscriptions: followUp.subscriptions } : {}),
      themeCount: corpus.themes.length,
      recommendationCount: (theme) => {
        const count = engine.recommendationsOf(theme).length;
        return count > 0 ? count : undefined;
      },
    },
    routes: [],
    start: async () => {
      if (followUp.broadcaster && !worker) worker = followUp.broadcaster.createWorker();
    },
    close: async () => {
      await worker?.close();
      await followUp.broadcaster?.close();
    },
  };
}
