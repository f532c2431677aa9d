import { randomBytes } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger, OptOutRegistry } from '../../src/ports/index.js';
import type { AddressCipher } from '../../src/privacy/address-cipher.js';
import {
  BroadcastConflictError,
  BroadcastValidationError,
  FINAL_STATES,
  draftProblems,
  planBroadcast,
  textFor,
  type BroadcastDraft,
  type BroadcastProgress,
  type BroadcastRecipient,
  type BroadcastSender,
  type DryRun,
  type FinalState,
  type SegmentCounter,
  type SendOutcome,
} from '../../src/broadcast/model.js';
import { SUBSCRIPTION_CHANNELS, type SubscriptionChannel } from '../../src/subscriptions/model.js';
import type { SubscriptionStore } from '../../src/subscriptions/store.js';
import type { RedisConnection } from '../stores/redis-client.js';
import { decodeBatch, encodeBatch, planBatches } from './batches.js';
import { createLedger, isFinal } from './ledger.js';
import { DOCUMENTED_LIMITS, type GatewayLimits } from './limits.js';

/**
 * Broadcasts on BullMQ, in the project's Redis. A broadcast is:
 *
 * 1. a record `dim:bc:{<id>}:meta` (texts, audience, total), the frozen list of recipients'
 *    pseudonyms `dim:bc:{<id>}:recipients` and its requests `dim:bc:{<id>}:batches` (batches.ts),
 *    written once (start is idempotent per id);
 * 2. one job per request to a gateway, in that gateway's queue (`broadcasts-sms`,
 *    `broadcasts-telegram`, `broadcasts-whatsapp`), jobId `<id>.<n>` (BullMQ refuses `:` in custom
 *    ids), whose data is the broadcast id and pseudonyms only: no number, no text in the queue;
 * 3. workers on any number of instances; each gateway's queue has BullMQ's limiter at that
 *    gateway's rate (limits.ts; paced in tenths of a second, `pacing`; kept in Redis, so global
 *    to all instances). A gateway that answers 429 (or a 5xx with a delay) sets the
 *    queue's limit for the time it asked (`queue.rateLimit`: every worker everywhere waits) and
 *    the job goes back to waiting without using an attempt; other temporary failures are retried
 *    with exponential backoff;
 * 4. per recipient, a state and a tally moved by one script per batch (ledger.ts).
 *
 * Exactly once: BullMQ delivers a job at least once (a killed worker's job is stalled, then
 * taken by another worker). Before sending, the job claims its recipients (`sending:<token>`);
 * a recipient found final is skipped, and one found claimed by a dead worker is resent only when
 * the sender is idempotent (the gateway drops a repeated key), else counted `uncertain` and not
 * resent. Opt-out and subscription are checked again right before each send.
 *
 * Keys of one broadcast share the hash tag `{<id>}`. Under Redis Cluster give BullMQ a
 * hash-tagged prefix (`{dim:bull}`), as BullMQ requires there.
 */
const QUEUE_NAMES: Record<SubscriptionChannel, string> = {
  sms: 'broadcasts-sms',
  telegram: 'broadcasts-telegram',
  whatsapp: 'broadcasts-whatsapp',
};

export interface BroadcasterOptions {
  /** For the broadcast's own keys (meta, recipients, batches, state, tally). */
  redis: RedisConnection;
  /** A factory: BullMQ wants its own connections (the worker blocks on one). */
  connection: () => ConnectionOptions;
  keyPrefix?: string;
  /** BullMQ's key prefix. */
  queuePrefix?: string;
  subscriptions: SubscriptionStore;
  optOut: OptOutRegistry;
  cipher: AddressCipher;
  sender: BroadcastSender;
  countSegments: SegmentCounter;
  costPerSegment: number;
  /** Each gateway's rate and request size (limits.ts). */
  limits?: GatewayLimits;
  attempts?: number;
  backoffMs?: number;
  logger: Logger;
  now?: () => number;
}

export interface WorkerTuning {
  /** Jobs in flight per gateway in this process (default: the gateway's requests per second, at most 50). */
  concurrency?: number;
  /** How long a job's lock lasts; a killed worker's jobs are taken over after it (BullMQ default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Only these gateways' queues (default: all). */
  channels?: readonly SubscriptionChannel[];
}

/** The workers of one instance, one per gateway queue. */
export interface BroadcastWorker {
  readonly workers: Worker<JobData>[];
  waitUntilReady(): Promise<void>;
  close(): Promise<void>;
}

interface JobData {
  broadcastId: string;
  pseudonyms: string[];
}

interface Meta {
  id: string;
  draft: BroadcastDraft;
  total: number;
  createdAt: string;
}

/** The plan is written under a temporary key and takes its place with the record, atomically. */
const COMMIT_PLAN = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('DEL', KEYS[3])
  return 0
end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RENAME', KEYS[3], KEYS[2]) end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

const ID = /^b[0-9a-z]{6,40}$/;
/** Telegram asks for up to tens of seconds; a gateway's longer wish is capped here, the job retried after. */
const MAX_WAIT_MS = 5 * 60_000;

/**
 * BullMQ's limiter for a rate: a tenth of a second's share per window rather than a second's
 * share at once, so requests go out evenly (a gateway meters with a bucket: a second's burst at
 * the turn of each second meets its 429s). 30/s: 3 every 100 ms; 5/s: 1 every 200 ms.
 */
export function pacing(perSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(perSecond / 10));
  return { max, duration: Math.round((1000 * max) / perSecond) };
}

export function newBroadcastId(now: number = Date.now()): string {
  return `b${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

export function createBroadcaster(options: BroadcasterOptions) {
  const { redis, subscriptions, optOut, cipher, sender, logger } = options;
  const prefix = options.keyPrefix ?? 'dim:';
  const limits = options.limits ?? DOCUMENTED_LIMITS;
  const attempts = options.attempts ?? 8;
  const backoffMs = options.backoffMs ?? 1000;
  const now = options.now ?? Date.now;
  const queuePrefix = options.queuePrefix ?? `${prefix}bull`;
  const key = (id: string, name: string) => `${prefix}bc:{${id}}:${name}`;
  const ledger = createLedger(redis, key);
  const queues = Object.fromEntries(
    SUBSCRIPTION_CHANNELS.map((channel) => [
      channel,
      new Queue<JobData>(QUEUE_NAMES[channel], {
        connection: options.connection(),
        prefix: queuePrefix,
        defaultJobOptions: {
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          // The tally and the state hash are the record; finished jobs need not stay in Redis.
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      }),
    ]),
  ) as Record<SubscriptionChannel, Queue<JobData>>;
  const metaCache = new Map<string, Meta>();

  async function meta(id: string): Promise<Meta | undefined> {
    const cached = metaCache.get(id);
    if (cached) return cached;
    const raw = await redis.get(key(id, 'meta'));
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Meta;
    metaCache.set(id, parsed);
    return parsed;
  }

  async function recipientsOf(draft: BroadcastDraft) {
    const audience = await subscriptions.audience(draft.audience);
    const opted = await Promise.all(audience.map((s) => optOut.has(s.pseudonym)));
    return {
      recipients: audience.filter((_, i) => !opted[i]),
      optedOut: opted.filter(Boolean).length,
    };
  }

  async function enqueue(id: string): Promise<void> {
    const length = await redis.llen(key(id, 'batches'));
    for (let from = 0; from < length; from += 500) {
      const entries = await redis.lrange(key(id, 'batches'), from, from + 499);
      const byChannel = new Map<
        SubscriptionChannel,
        Array<{ name: string; data: JobData; opts: { jobId: string } }>
      >();
      entries.forEach((entry, i) => {
        const { channel, pseudonyms } = decodeBatch(entry);
        const jobs = byChannel.get(channel) ?? [];
        // An existing job id is not added twice; a finished (removed) one is re-added, finds
        // its recipients final and does nothing.
        jobs.push({
          name: 'deliver',
          data: { broadcastId: id, pseudonyms },
          opts: { jobId: `${id}.${from + i}` },
        });
        byChannel.set(channel, jobs);
      });
      for (const [channel, jobs] of byChannel) await queues[channel].addBulk(jobs);
    }
  }

  /** Sends one request's worth; the outcome per recipient, in order. A throw is an ambiguous send. */
  async function send(recipients: BroadcastRecipient[], text: string, channel: SubscriptionChannel) {
    if (recipients.length > 1 && sender.sendMany) return sender.sendMany(recipients, text, channel);
    return Promise.all(recipients.map((r) => sender.send(r.to, text, channel, r.key, r.pseudonym)));
  }

  async function deliver(job: Job<JobData>, channel: SubscriptionChannel): Promise<void> {
    const { broadcastId: id } = job.data;
    const record = await meta(id);
    if (!record) throw new Error(`broadcast ${id}: no record`);
    const token = randomBytes(6).toString('base64url');
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // Opt-out and subscription first, the claim last: between a claim and its request leaving
    // there is no wait, so a worker killed in between leaves as few `uncertain` as can be.
    const everyone = job.data.pseudonyms;
    const [optedAll, recordsAll] = await Promise.all([
      Promise.all(everyone.map((p) => optOut.has(p))),
      Promise.all(everyone.map((p) => subscriptions.get(p))),
    ]);
    const found = await ledger.claim(id, token, everyone);
    const final: Array<[string, FinalState]> = [];
    const mine: number[] = [];
    everyone.forEach((pseudonym, i) => {
      const state = found[i] ?? '';
      if (state === '') mine.push(i);
      else if (isFinal(state)) return;
      // Claimed by a worker that died between its claim and its confirmation: the message may
      // have gone out. Resent only where the gateway drops a repeated key.
      else if (sender.idempotent) mine.push(i);
      else final.push([pseudonym, 'uncertain']);
    });
    const byText = new Map<string, BroadcastRecipient[]>();
    mine.forEach((i) => {
      const pseudonym = everyone[i]!;
      const subscription = recordsAll[i];
      if (optedAll[i]) return final.push([pseudonym, 'skipped_optout']);
      if (!subscription) return final.push([pseudonym, 'skipped_unsubscribed']);
      let to: string;
      try {
        to = cipher.open(subscription.sealedAddress, pseudonym);
      } catch {
        logger.error(
          { broadcastId: id, pseudonym },
          'broadcast: sealed address does not open (key changed?)',
        );
        return final.push([pseudonym, 'failed']);
      }
      const text = textFor(record.draft, subscription.lang);
      const group = byText.get(text) ?? [];
      group.push({ to, pseudonym, key: `${id}.${pseudonym}` });
      byText.set(text, group);
    });
    const retry: string[] = [];
    let waitMs = 0;
    for (const [text, recipients] of byText) {
      let outcomes: SendOutcome[];
      try {
        outcomes = await send(recipients, text, channel);
      } catch (error) {
        // Unknown whether it went out: an idempotent sender may try again; otherwise the claims
        // stay and the next attempt counts them uncertain.
        logger.warn({ broadcastId: id, err: { message: (error as Error).message } }, 'broadcast send threw');
        if (sender.idempotent && !lastAttempt) retry.push(...recipients.map((r) => r.pseudonym));
        else
          for (const r of recipients) final.push([r.pseudonym, sender.idempotent ? 'failed' : 'uncertain']);
        continue;
      }
      recipients.forEach((recipient, i) => {
        const outcome = outcomes[i] ?? {
          status: 'failed',
          retry: false,
          detail: 'no answer for this recipient',
        };
        if (outcome.status === 'sent') return final.push([recipient.pseudonym, 'sent']);
        const told = outcome.retry ? (outcome.retryAfterMs ?? 0) : 0;
        waitMs = Math.max(waitMs, told);
        // Told to wait: never a final failure (the wait uses no attempt). Otherwise the attempts decide.
        if (outcome.retry && (told > 0 || !lastAttempt)) retry.push(recipient.pseudonym);
        else final.push([recipient.pseudonym, 'failed']);
      });
    }
    await ledger.finalize(id, final);
    if (retry.length === 0) return;
    // Nothing went out to these: give their claims back so the next attempt takes them again.
    await ledger.release(id, token, retry);
    if (waitMs > 0) {
      // Every worker of this gateway, on every instance, waits as long as the gateway asked.
      await queues[channel].rateLimit(Math.min(waitMs, MAX_WAIT_MS));
      throw Worker.RateLimitError();
    }
    throw new Error(`broadcast ${id}: ${retry.length} refused for now, will retry`);
  }

  return {
    queues,
    limits,

    /** What a send would do, without sending: recipients, segments per language, cost. */
    async dryRun(draft: BroadcastDraft): Promise<DryRun> {
      const { recipients, optedOut } = await recipientsOf(draft);
      return planBroadcast(draft, recipients, optedOut, options.countSegments, options.costPerSegment);
    },

    /**
     * Freezes the audience and queues one job per request. Idempotent per id: starting an id
     * again (a retried HTTP request, a restart during enqueueing) re-queues only what is missing
     * and never sends twice; with another message it is refused (BroadcastConflictError): the
     * first message is what that id sends.
     */
    async start(draft: BroadcastDraft, id: string = newBroadcastId(now())): Promise<string> {
      if (!ID.test(id)) throw new BroadcastValidationError(['bad broadcast id']);
      const problems = draftProblems(draft, options.countSegments);
      if (problems.length > 0) throw new BroadcastValidationError(problems);
      const known = await meta(id);
      if (known && JSON.stringify(known.draft) !== JSON.stringify(draft))
        throw new BroadcastConflictError(id);
      if (!known) {
        // Everyone in the audience, opted out or not: the opt-out is checked at send time
        // (a STOP may come in the meantime) and counted as skipped_optout in the tally.
        const audience = await subscriptions.audience(draft.audience);
        const pseudonyms = audience.map((r) => r.pseudonym);
        for (let i = 0; i < pseudonyms.length; i += 1000)
          await redis.sadd(key(id, 'recipients'), ...pseudonyms.slice(i, i + 1000));
        const batches = planBatches(audience, limits).map(encodeBatch);
        const draftKey = key(id, `batches.${randomBytes(4).toString('hex')}`);
        for (let i = 0; i < batches.length; i += 1000)
          await redis.rpush(draftKey, ...batches.slice(i, i + 1000));
        const record: Meta = {
          id,
          draft,
          total: pseudonyms.length,
          createdAt: new Date(now()).toISOString(),
        };
        // Recipients and plan first, record last: a record means a complete plan. Two starts of
        // one id at once: the first record wins with its plan, the other plan is dropped.
        const created = await redis.eval(
          COMMIT_PLAN,
          3,
          key(id, 'meta'),
          key(id, 'batches'),
          draftKey,
          JSON.stringify(record),
        );
        if (created === 1) await redis.sadd(`${prefix}bc:index`, id);
      }
      await enqueue(id);
      logger.info({ broadcastId: id }, 'broadcast queued');
      return id;
    },

    async progress(id: string): Promise<BroadcastProgress | undefined> {
      const record = await meta(id);
      if (!record) return undefined;
      const tally = await redis.hgetall(key(id, 'tally'));
      const n = (state: FinalState) => Number(tally[state] ?? 0);
      const finished = FINAL_STATES.reduce((sum, state) => sum + n(state), 0);
      return {
        id,
        total: record.total,
        sent: n('sent'),
        failed: n('failed'),
        skippedOptOut: n('skipped_optout'),
        skippedUnsubscribed: n('skipped_unsubscribed'),
        uncertain: n('uncertain'),
        pending: record.total - finished,
        done: finished >= record.total,
        createdAt: record.createdAt,
      };
    },

    /** Broadcast ids, newest first (the console's list). */
    async list(): Promise<string[]> {
      return (await redis.smembers(`${prefix}bc:index`)).sort().reverse();
    },

    /** This instance's workers, one per gateway queue; BullMQ shares each queue's limiter between all instances. */
    createWorker(tuning: WorkerTuning = {}): BroadcastWorker {
      const workers = (tuning.channels ?? SUBSCRIPTION_CHANNELS).map((channel) => {
        const limit = limits[channel];
        const worker = new Worker<JobData>(QUEUE_NAMES[channel], (job) => deliver(job, channel), {
          connection: options.connection(),
          prefix: queuePrefix,
          concurrency: tuning.concurrency ?? Math.min(50, Math.max(1, limit.requestsPerSecond)),
          limiter: pacing(limit.requestsPerSecond),
          lockDuration: tuning.lockDurationMs ?? 30_000,
          stalledInterval: tuning.stalledIntervalMs ?? 30_000,
          // A stalled job is one whose worker died; taking it over is the point, not an error.
          maxStalledCount: 100,
        });
        worker.on('error', (error) =>
          logger.error({ channel, err: { message: error.message } }, 'broadcast worker error'),
        );
        return worker;
      });
      return {
        workers,
        waitUntilReady: async () => {
          await Promise.all(workers.map((w) => w.waitUntilReady()));
        },
        close: async () => {
          await Promise.all(workers.map((w) => w.close()));
        },
      };
    },

    async close(): Promise<void> {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

export type Broadcaster = ReturnType<typeof createBroadcaster>;
