/**
 * `npm run bench:broadcast`: one broadcast to a national audience through fake gateways that
 * enforce their documented limits (test/support/fake-gateways.ts), on two worker processes, one
 * of them SIGKILLed mid-way (and started again, as a supervisor would) and Redis crashed
 * (SIGKILL) and restarted once. Prints what bench/RESULTS.md keeps.
 *
 *   npm run bench:broadcast                                   # 100,000 subscribers, real limits (~17 min)
 *   BENCH_SPEED=10 npm run bench:broadcast                    # gateways and limiters 10× faster
 *   BENCH_SUBSCRIBERS=5000 BENCH_SPEED=10 npm run bench:broadcast
 *
 * Audience: 60 % SMS, 30 % Telegram, 10 % WhatsApp (one in two with an open 24-hour window),
 * three languages in turn, 2 % opted out after subscribing. Gateways fail BENCH_FAIL_SHARE of
 * requests at random (5xx) and answer 50 ms after a request. Redis: append-only, fsync always
 * (docker-compose.yml's setting; what exactly-once through a Redis crash needs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DOCUMENTED_LIMITS, limitBoundSeconds, type GatewayLimits } from '../adapters/broadcast/limits.js';
import { RedisOptOutRegistry } from '../adapters/stores/optout-redis.js';
import { createRedisConnection } from '../adapters/stores/redis-client.js';
import { RedisSessionStore } from '../adapters/stores/redis-store.js';
import { RedisSubscriptionStore } from '../adapters/subscriptions/redis-store.js';
import { createServiceWindow } from '../adapters/whatsapp/state.js';
import type { BroadcastDraft } from '../src/broadcast/model.js';
import { createAddressCipher } from '../src/privacy/address-cipher.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import type { Lang } from '../src/core/refs.js';
import type { SubscriptionChannel } from '../src/subscriptions/model.js';
import { gatewayBroadcaster, type GatewaySetup } from '../test/support/broadcast-gateways.js';
import {
  startFakeAfricasTalking,
  startFakeTelegram,
  startFakeWhatsApp,
  type FakeGateway,
} from '../test/support/fake-gateways.js';
import { startRedisServer } from '../test/support/redis-server.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const SPEED = Number(process.env.BENCH_SPEED ?? 1);
const FAIL_SHARE = Number(process.env.BENCH_FAIL_SHARE ?? 0.05);
const KILL_AT = 0.4;
const REDIS_CRASH_AT = 0.7;
const SUBSCRIBERS_KEY = 'bench-subscribers-key-0123456789abcdef0123';
const LANGS: Lang[] = ['fr', 'bm', 'en'];
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const draft: BroadcastDraft = {
  messages: {
    fr: 'Suivi 2.10 : la Charte pour la paix est annoncée. Envoyez SUIVI 2.10 pour le détail.',
    bm: 'Kunnafoni 2.10: Hɛrɛ Karti fɔra. SUIVI 2.10 ci ka a bɛɛ lajɛ.',
    en: 'Follow-up 2.10: the Charter for peace is announced. Send FOLLOW 2.10 for details.',
  },
  audience: { kind: 'all' },
};

const limits: GatewayLimits = {
  sms: { ...DOCUMENTED_LIMITS.sms, requestsPerSecond: DOCUMENTED_LIMITS.sms.requestsPerSecond * SPEED },
  telegram: {
    ...DOCUMENTED_LIMITS.telegram,
    requestsPerSecond: DOCUMENTED_LIMITS.telegram.requestsPerSecond * SPEED,
  },
  whatsapp: {
    ...DOCUMENTED_LIMITS.whatsapp,
    requestsPerSecond: DOCUMENTED_LIMITS.whatsapp.requestsPerSecond * SPEED,
  },
};

function channelOf(i: number): SubscriptionChannel {
  const tenth = i % 10;
  return tenth < 6 ? 'sms' : tenth < 9 ? 'telegram' : 'whatsapp';
}
function addressOf(i: number, channel: SubscriptionChannel): string {
  if (channel === 'sms') return `+2237${String(i).padStart(7, '0')}`;
  if (channel === 'telegram') return String(500_000_000 + i);
  return `2236${String(i).padStart(7, '0')}`;
}
/** 2 %, spread over the channels (a block of ten holds all three). */
const optedOut = (i: number) => Math.floor(i / 10) % 50 === 7;

/** Peak resident memory of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main() {
  const redisServer = await startRedisServer({ appendonly: true, appendfsync: 'always' });
  const redisUrl = redisServer.url;
  const prefix = 'dim:';
  const settings = { REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: 5000 };
  const redis = createRedisConnection(settings, { patient: true });
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
  const pseudonymize = createPseudonymizer('bench-phone-hash-key-0123456789');
  const cipher = createAddressCipher(SUBSCRIBERS_KEY);
  const store = new RedisSubscriptionStore(redis, prefix);
  const optOut = new RedisOptOutRegistry(redis, silent, `${prefix}sms:optout`, 5000, 10_000);
  const window = createServiceWindow(new RedisSessionStore(redis, prefix, 5000), { now: Date.now });

  log(`seeding ${SUBSCRIBERS} subscribers`);
  const windows = new Set<string>();
  const expected: Record<SubscriptionChannel, string[]> = { sms: [], telegram: [], whatsapp: [] };
  const since = new Date().toISOString();
  for (let start = 0; start < SUBSCRIBERS; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, SUBSCRIBERS - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (i) => {
        const channel = channelOf(i);
        const address = addressOf(i, channel);
        const pseudonym = pseudonymize(address);
        await store.put({
          pseudonym,
          all: true,
          themes: [],
          lang: LANGS[i % 3]!,
          channel,
          sealedAddress: cipher.seal(address, pseudonym),
          since,
        });
        if (channel === 'whatsapp' && i % 20 === 9) {
          await window.refresh(pseudonym, Math.floor(Date.now() / 1000));
          windows.add(address);
        }
        // STOP after subscribing: the send-time check must catch it.
        if (optedOut(i)) await optOut.add(pseudonym);
        else expected[channel].push(address);
      }),
    );
  }

  const gateways: Record<SubscriptionChannel, FakeGateway> = {
    sms: await startFakeAfricasTalking({
      perSecond: limits.sms.requestsPerSecond,
      maxRecipients: limits.sms.recipientsPerRequest,
      failShare: FAIL_SHARE,
      latencyMs: 50,
      seed: 11,
    }),
    telegram: await startFakeTelegram({
      perSecond: limits.telegram.requestsPerSecond,
      failShare: FAIL_SHARE,
      latencyMs: 50,
      seed: 12,
    }),
    whatsapp: await startFakeWhatsApp({
      perSecond: limits.whatsapp.requestsPerSecond,
      failShare: FAIL_SHARE,
      latencyMs: 50,
      seed: 13,
      openWindows: windows,
    }),
  };
  const setup: GatewaySetup & { lockDurationMs: number; stalledIntervalMs: number } = {
    redisUrl,
    prefix,
    subscribersKey: SUBSCRIBERS_KEY,
    atUrl: gateways.sms.url,
    telegramUrl: gateways.telegram.url,
    whatsappUrl: gateways.whatsapp.url,
    whatsappTemplate: 'dim_news',
    limits,
    backoffMs: 1000,
    // The service's defaults (30 s): a killed worker's jobs wait that long before another takes them.
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
  };

  const workers: ChildProcess[] = [];
  const peaks: number[] = [0, 0];
  const spawnWorker = (slot: number) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/broadcast-gateways-child.ts'], {
        env: { ...process.env, SETUP: JSON.stringify(setup) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers[slot] = child;
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve(child);
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL' && signal !== 'SIGTERM') reject(new Error(`worker exited ${code}`));
      });
    });
  await Promise.all([spawnWorker(0), spawnWorker(1)]);
  const sampler = setInterval(() => {
    workers.forEach((w, slot) => (peaks[slot] = Math.max(peaks[slot]!, peakRssMb(w?.pid))));
  }, 500);

  const producer = gatewayBroadcaster(setup);
  const sendable = {
    sms: expected.sms.length,
    telegram: expected.telegram.length,
    whatsapp: expected.whatsapp.length,
  };
  const minimum = limitBoundSeconds(sendable, limits);
  log(`limit-bound minimum ${minimum.toFixed(0)} s; starting`);
  const load1 = loadavg()[0]!;
  const t0 = Date.now();
  const id = await producer.start(draft);
  const queuedSeconds = (Date.now() - t0) / 1000;
  log(`queued in ${queuedSeconds.toFixed(1)} s`);
  let killed = false;
  let crashed = false;
  let killedAt = 0;
  let crashedAt = 0;
  let redisMemoryPeak = 0;
  for (;;) {
    const progress = await producer.progress(id);
    if (!progress) throw new Error('no broadcast record');
    const share = 1 - progress.pending / progress.total;
    const info = await redis.info('memory').catch(() => '');
    redisMemoryPeak = Math.max(redisMemoryPeak, Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0));
    if (!killed && share >= KILL_AT) {
      killed = true;
      killedAt = (Date.now() - t0) / 1000;
      peaks[0] = Math.max(peaks[0]!, peakRssMb(workers[0]!.pid));
      workers[0]!.kill('SIGKILL');
      log(`worker 1 SIGKILLed at ${(share * 100).toFixed(0)} %; starting it again`);
      void spawnWorker(0);
    }
    if (killed && !crashed && share >= REDIS_CRASH_AT) {
      crashed = true;
      crashedAt = (Date.now() - t0) / 1000;
      log(`Redis SIGKILLed at ${(share * 100).toFixed(0)} %; restarting`);
      await redisServer.restart({ crash: true });
    }
    if (progress.done) break;
    if (Date.now() - t0 > 4 * 3600_000) throw new Error('gave up after 4 hours');
    await sleep(1000);
  }
  const seconds = (Date.now() - t0) / 1000;
  const load2 = loadavg()[0]!;
  clearInterval(sampler);
  workers.forEach((w, slot) => (peaks[slot] = Math.max(peaks[slot]!, peakRssMb(w?.pid))));
  const progress = (await producer.progress(id))!;
  const memory = await redis.info('memory');

  let duplicates = 0;
  let losses = 0;
  const perGateway: Record<string, unknown> = {};
  for (const channel of ['sms', 'telegram', 'whatsapp'] as const) {
    const gateway = gateways[channel];
    for (const [, count] of gateway.received) if (count > 1) duplicates += count - 1;
    const lost = expected[channel].filter((address) => !gateway.received.has(address)).length;
    losses += lost;
    const stats = gateway.stats();
    const span = Math.max(0.001, (stats.lastAt - stats.firstAt) / 1000);
    perGateway[channel] = {
      recipients: expected[channel].length,
      delivered: stats.delivered,
      requests: stats.requests,
      throttled429: stats.throttled,
      failed5xx: stats.failed,
      lost,
      msgsPerSecond: Number((stats.delivered / span).toFixed(1)),
      limit: limits[channel].requestsPerSecond * limits[channel].recipientsPerRequest,
      peakPerSecond: stats.peakPerSecond,
      askedAgainDuringWait: stats.duringWait,
    };
  }
  const result = {
    subscribers: SUBSCRIBERS,
    speed: SPEED,
    failShare: FAIL_SHARE,
    limitBoundMinimumSeconds: Number(minimum.toFixed(1)),
    secondsToFinish: Number(seconds.toFixed(1)),
    ratioToMinimum: Number((seconds / minimum).toFixed(3)),
    queuedSeconds: Number(queuedSeconds.toFixed(1)),
    workerKilledAtSeconds: killedAt,
    redisCrashedAtSeconds: crashedAt,
    tally: progress,
    duplicates,
    losses,
    perGateway,
    peakRssMbPerWorker: peaks.map((p) => Number(p.toFixed(0))),
    redis: {
      usedMemoryPeakMbSampled: Number((redisMemoryPeak / 1048576).toFixed(1)),
      usedMemoryMbAtEnd: Number((Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0) / 1048576).toFixed(1)),
    },
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model,
      loadavg1AtStart: load1,
      loadavg1AtEnd: load2,
      node: process.version,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  for (const w of workers) w?.kill('SIGTERM');
  await producer.close();
  for (const gateway of Object.values(gateways)) await gateway.close();
  redis.disconnect();
  await sleep(500);
  await redisServer.stop();
  process.exit(duplicates === 0 && losses === 0 ? 0 : 1);
}

await main();
