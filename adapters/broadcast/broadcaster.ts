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
  type BroadcastSender,
  type DryRun,
  type FinalState,
  type SegmentCounter,
} from '../../src/broadcast/model.js';
import type { SubscriptionStore } from '../../src/subscriptions/store.js';
import type { RedisConnection } from '../stores/redis-client.js';

/**
 * Broadcasts on BullMQ, in the project's Redis. A broadcast is:
 *
 * 1. a record `dim:bc:{<id>}:meta` (texts, audience, total) and the frozen list of recipients'
 *    pseudonyms `dim:bc:{<id>}:recipients`, written once (start is idempotent per id);
 * 2. one job per recipient, jobId `<id>.<pseudonym>` (BullMQ refuses `:` in custom ids), whose
 *    data is the broadcast id and the pseudonym only: no number, no text in the queue;
 * 3. workers on any number of instances, sharing BullMQ's rate limiter
 *    ({max: BROADCAST_RATE_PER_SECOND, duration: 1000} is global to the queue), retrying a
 *    failed send with exponential backoff;
 * 4. per recipient, a state in the hash `dim:bc:{<id>}:state` and a tally `dim:bc:{<id>}:tally`
 *    (sent, failed, skipped_optout, skipped_unsubscribed, uncertain), moved together by one
 *    script that counts a recipient only on its first final state.
 *
 * Exactly once: BullMQ delivers a job at least once (a killed worker's job is stalled, then
 * taken by another worker). Before sending, the worker claims the recipient (`sending`); a job
 * that finds its recipient final does nothing, and one that finds a claim left by a dead
 * worker resends only when the sender is idempotent (the gateway drops a repeated key), else
 * counts it `uncertain` and does not resend. Opt-out is checked again right before each send.
 *
 * Keys of one broadcast share the hash tag `{<id>}`. Under Redis Cluster give BullMQ a
 * hash-tagged prefix (`{dim:bull}`), as BullMQ requires there.
 */
const QUEUE_NAME = 'broadcasts';

export interface BroadcasterOptions {
  /** For the broadcast's own keys (meta, recipients, state, tally). */
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
  ratePerSecond: number;
  attempts?: number;
  backoffMs?: number;
  logger: Logger;
  now?: () => number;
}

export interface WorkerTuning {
  concurrency?: number;
  /** How long a job's lock lasts; a killed worker's jobs are taken over after it (BullMQ default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

interface JobData {
  broadcastId: string;
  pseudonym: string;
}

interface Meta {
  id: string;
  draft: BroadcastDraft;
  total: number;
  createdAt: string;
}

/** Marks a recipient final and counts it, once; returns 1 when this call did. */
const FINALIZE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current ~= 'sending' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 1
`;

const ID = /^b[0-9a-z]{6,40}$/;

export function newBroadcastId(now: number = Date.now()): string {
  return `b${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

export function createBroadcaster(options: BroadcasterOptions) {
  const { redis, subscriptions, optOut, cipher, sender, logger } = options;
  const prefix = options.keyPrefix ?? 'dim:';
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 2000;
  const now = options.now ?? Date.now;
  const key = (id: string, name: string) => `${prefix}bc:{${id}}:${name}`;
  const queue = new Queue<JobData>(QUEUE_NAME, {
    connection: options.connection(),
    prefix: options.queuePrefix ?? `${prefix}bull`,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      // The tally and the state hash are the record; finished jobs need not stay in Redis.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
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

  async function finalize(id: string, pseudonym: string, state: FinalState): Promise<void> {
    await redis.eval(FINALIZE, 2, key(id, 'state'), key(id, 'tally'), pseudonym, state);
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
    let cursor = '0';
    do {
      const [next, pseudonyms] = await redis.sscan(key(id, 'recipients'), cursor, 'COUNT', 500);
      cursor = next;
      // An existing job id is not added twice; a finished (removed) one is re-added, finds its
      // recipient final and does nothing.
      await queue.addBulk(
        pseudonyms.map((pseudonym) => ({
          name: 'deliver',
          data: { broadcastId: id, pseudonym },
          opts: { jobId: `${id}.${pseudonym}` },
        })),
      );
    } while (cursor !== '0');
  }

  async function deliver(job: Job<JobData>): Promise<FinalState | 'already'> {
    const { broadcastId: id, pseudonym } = job.data;
    const record = await meta(id);
    if (!record) throw new Error(`broadcast ${id}: no record`);
    const state = await redis.hget(key(id, 'state'), pseudonym);
    if (state !== null && state !== 'sending') return 'already';
    if (state === 'sending' && !sender.idempotent) {
      // A worker died between claiming and confirming: the message may have gone out.
      await finalize(id, pseudonym, 'uncertain');
      return 'uncertain';
    }
    if (await optOut.has(pseudonym)) {
      await finalize(id, pseudonym, 'skipped_optout');
      return 'skipped_optout';
    }
    const subscription = await subscriptions.get(pseudonym);
    if (!subscription) {
      await finalize(id, pseudonym, 'skipped_unsubscribed');
      return 'skipped_unsubscribed';
    }
    await redis.hset(key(id, 'state'), pseudonym, 'sending');
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let address: string;
    try {
      address = cipher.open(subscription.sealedAddress, pseudonym);
    } catch {
      logger.error({ broadcastId: id, pseudonym }, 'broadcast: sealed address does not open (key changed?)');
      await finalize(id, pseudonym, 'failed');
      return 'failed';
    }
    let outcome;
    try {
      outcome = await sender.send(
        address,
        textFor(record.draft, subscription.lang),
        subscription.channel,
        job.id!,
      );
    } catch (error) {
      // Unknown whether it went out: an idempotent sender may try again; otherwise the claim
      // stays and the next attempt counts it uncertain.
      logger.warn(
        { broadcastId: id, pseudonym, err: { message: (error as Error).message } },
        'broadcast send threw',
      );
      if (sender.idempotent && !lastAttempt) throw error;
      await finalize(id, pseudonym, sender.idempotent ? 'failed' : 'uncertain');
      return sender.idempotent ? 'failed' : 'uncertain';
    }
    if (outcome.status === 'sent') {
      await finalize(id, pseudonym, 'sent');
      return 'sent';
    }
    if (outcome.retry && !lastAttempt) {
      // The sender says nothing went out: release the claim and let BullMQ retry with backoff.
      await redis.hdel(key(id, 'state'), pseudonym);
      throw new Error(`send refused, will retry: ${outcome.detail ?? ''}`);
    }
    await finalize(id, pseudonym, 'failed');
    return 'failed';
  }

  return {
    queue,

    /** What a send would do, without sending: recipients, segments per language, cost. */
    async dryRun(draft: BroadcastDraft): Promise<DryRun> {
      const { recipients, optedOut } = await recipientsOf(draft);
      return planBroadcast(draft, recipients, optedOut, options.countSegments, options.costPerSegment);
    },

    /**
     * Freezes the audience and queues one job per recipient. Idempotent per id: starting an
     * id again (a retried HTTP request, a restart during enqueueing) re-queues only what is
     * missing and never sends twice; with another message it is refused
     * (BroadcastConflictError): the first message is what that id sends.
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
        const pseudonyms = (await subscriptions.audience(draft.audience)).map((r) => r.pseudonym);
        for (let i = 0; i < pseudonyms.length; i += 1000)
          await redis.sadd(key(id, 'recipients'), ...pseudonyms.slice(i, i + 1000));
        const record: Meta = {
          id,
          draft,
          total: pseudonyms.length,
          createdAt: new Date(now()).toISOString(),
        };
        // Recipients first, record last: a record means a complete list.
        const created = await redis.set(key(id, 'meta'), JSON.stringify(record), 'NX');
        if (created === 'OK') await redis.sadd(`${prefix}bc:index`, id);
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

    /** A worker for this instance; BullMQ shares the queue and its rate limit between all of them. */
    createWorker(tuning: WorkerTuning = {}): Worker<JobData> {
      const worker = new Worker<JobData>(QUEUE_NAME, deliver, {
        connection: options.connection(),
        prefix: options.queuePrefix ?? `${prefix}bull`,
        concurrency: tuning.concurrency ?? Math.min(50, Math.max(1, options.ratePerSecond)),
        limiter: { max: options.ratePerSecond, duration: 1000 },
        lockDuration: tuning.lockDurationMs ?? 30_000,
        stalledInterval: tuning.stalledIntervalMs ?? 30_000,
        // A stalled job is one whose worker died; taking it over is the point, not an error.
        maxStalledCount: 100,
      });
      worker.on('error', (error) =>
        logger.error({ err: { message: error.message } }, 'broadcast worker error'),
      );
      return worker;
    },

    async close(): Promise<void> {
      await queue.close();
    },
  };
}

export type Broadcaster = ReturnType<typeof createBroadcaster>;
