import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTag, keySlot, personKey } from '../adapters/stores/key-slot.js';
import {
  createRedisConnection,
  parseHostPorts,
  redisTopology,
  RedisConfigError,
  type RedisConnection,
} from '../adapters/stores/redis-client.js';
import { RedisRateLimiter } from '../adapters/stores/rate-limiter.js';
import { RedisSessionStore } from '../adapters/stores/redis-store.js';
import { RedisUssdHops } from '../adapters/stores/ussd-hops.js';
import { storeKeys } from '../src/ports/keys.js';
import { storeTurnState } from '../src/conversation/turn-state.js';
import { loadConfig } from '../src/config.js';
import { describeWithRedis } from './support/redis.js';
import { freePort, redisServerAvailable } from './support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A redis-server (or sentinel) of this test, on its own port and directory. */
class Process {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(kind: 'server' | 'sentinel', extra: string[] = []): Promise<Process> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), `dim-${kind}-`));
    const base = [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'protected-mode no', 'save ""'];
    const file = join(dir, `${kind}.conf`);
    writeFileSync(file, [...base, ...extra].join('\n') + '\n');
    const args = kind === 'sentinel' ? [file, '--sentinel'] : [file];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    const started = new Process(port, dir, child);
    await until(
      `${kind} on ${port}`,
      async () => {
        const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
        probe.on('error', () => {});
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } finally {
          probe.disconnect();
        }
      },
      5000,
    );
    return started;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function settings(env: Record<string, string>) {
  return loadConfig({ NODE_ENV: 'test', REDIS_COMMAND_TIMEOUT_MS: '500', ...env });
}

async function whenReady(redis: RedisConnection, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('Redis topology from the configuration', () => {
  it('when host:port lists are given in every accepted form, then they parse with default ports', () => {
    expect(parseHostPorts('10.0.0.1:26380, sentinel-b ,[::1]:26381,redis://c:7000', 26379, 'X')).toEqual([
      { host: '10.0.0.1', port: 26380 },
      { host: 'sentinel-b', port: 26379 },
      { host: '::1', port: 26381 },
      { host: 'c', port: 7000 },
    ]);
  });

  it('when an entry is malformed, then it is refused naming the variable', () => {
    for (const bad of ['a:b', 'host:70000', 'host:0', ':6379', ',', 'a:1:2']) {
      expect(() => parseHostPorts(bad, 6379, 'REDIS_CLUSTER_NODES')).toThrow(/REDIS_CLUSTER_NODES/);
    }
    expect(() => parseHostPorts('a:b', 6379, 'X')).toThrow(RedisConfigError);
  });

  it('when cluster nodes, sentinels and a URL are all set, then cluster wins, then sentinel, then the URL', () => {
    const url = 'redis://user:p%40ss@redis:6379/2';
    const all = settings({
      REDIS_URL: url,
      REDIS_SENTINELS: 's1,s2:26380',
      REDIS_SENTINEL_NAME: 'dim',
      REDIS_CLUSTER_NODES: 'n1:7000,n2:7001',
    });
    expect(redisTopology(all)).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      auth: { username: 'user', password: 'p@ss', db: 2, tls: false },
    });
    expect(redisTopology({ ...all, REDIS_CLUSTER_NODES: undefined })).toMatchObject({
      kind: 'sentinel',
      name: 'dim',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      auth: { password: 'p@ss', db: 2 },
    });
    expect(redisTopology({ ...all, REDIS_CLUSTER_NODES: undefined, REDIS_SENTINELS: undefined })).toEqual({
      kind: 'single',
      url,
    });
  });

  it('when REDIS_CLUSTER_NODES is set, then the connection is a Cluster client seeded with those nodes', () => {
    const cluster = createRedisConnection(
      settings({ REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2' }),
    ) as Cluster;
    try {
      expect(cluster).toBeInstanceOf(Cluster);
      expect((cluster as unknown as { startupNodes: unknown[] }).startupNodes).toEqual([
        { host: '127.0.0.1', port: 1 },
        { host: '127.0.0.1', port: 2 },
      ]);
      expect(cluster.options.enableOfflineQueue).toBe(false);
      expect(cluster.options.redisOptions?.commandTimeout).toBe(500);
    } finally {
      cluster.disconnect();
    }
  });

  it('when REDIS_SENTINELS is set, then the connection is a Sentinel client asking for the named master', () => {
    const redis = createRedisConnection(
      settings({ REDIS_SENTINELS: '127.0.0.1:1', REDIS_SENTINEL_NAME: 'dim' }),
    ) as Redis;
    try {
      expect(redis).toBeInstanceOf(Redis);
      expect(redis.options.sentinels).toEqual([{ host: '127.0.0.1', port: 1 }]);
      expect(redis.options.name).toBe('dim');
      expect(redis.options.enableOfflineQueue).toBe(false);
    } finally {
      redis.disconnect();
    }
  });
});

describe('hash tags keep one person in one slot', () => {
  it('when the slot of known keys is computed, then it equals what Redis Cluster documents', () => {
    // Values from the Redis Cluster specification and `CLUSTER KEYSLOT`.
    expect(keySlot('123456789')).toBe(0x31c3 % 16384);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(hashTag('foo{}{bar}')).toBe('foo{}{bar}');
    expect(hashTag('foo{{bar}}zap')).toBe('{bar');
    expect(hashTag('foo{bar}{zap}')).toBe('bar');
  });

  it("when keys of one person are built with the prefix, then they share a slot; another person's usually does not", () => {
    const prefix = 'dim:';
    const a = 'p_3kq9x';
    const keys = [personKey('ussd', a, 'last'), personKey('sms', a, 'pages'), personKey('tg', a, 'session')];
    const slots = new Set(keys.map((k) => keySlot(prefix + k)));
    expect(slots.size).toBe(1);
    expect(keys[0]).toBe('ussd:{p_3kq9x}:last');
    const others = Array.from({ length: 50 }, (_, i) => keySlot(`${prefix}ussd:{p_other${i}}:last`));
    expect(new Set(others).size).toBeGreaterThan(40);
  });

  it('when a pseudonym holds a brace, then personKey refuses it', () => {
    expect(() => personKey('ussd', 'p_{x', 'last')).toThrow(RangeError);
  });
});

describeWithRedis('single Redis by URL', (redisUrl) => {
  it('when REDIS_URL is set, then the store reads back what it wrote, with a TTL', async () => {
    const redis = createRedisConnection(settings({ REDIS_URL: redisUrl }));
    const prefix = `topo:${randomUUID()}:`;
    const store = new RedisSessionStore(redis, prefix);
    try {
      await store.set(personKey('ussd', 'p_single', 'last'), { screen: 'home' }, 30);
      expect(await store.get(personKey('ussd', 'p_single', 'last'))).toEqual({ screen: 'home' });
      expect(await (redis as Redis).pttl(`${prefix}ussd:{p_single}:last`)).toBeGreaterThan(25_000);
      await store.delete(personKey('ussd', 'p_single', 'last'));
    } finally {
      await store.close();
    }
  });
});

const realRedis = redisServerAvailable();

describe.skipIf(!realRedis)('Sentinel with a real redis-server --sentinel', () => {
  let master: Process;
  let replica: Process;
  let sentinel: Process;
  beforeAll(async () => {
    // Diskless full sync waits 5 s by default before starting: start the replica's sync at once.
    master = await Process.start('server', ['repl-diskless-sync-delay 0']);
    replica = await Process.start('server', [`replicaof 127.0.0.1 ${master.port}`]);
    sentinel = await Process.start('sentinel', [
      `sentinel monitor dim 127.0.0.1 ${master.port} 1`,
      'sentinel down-after-milliseconds dim 1000',
      'sentinel failover-timeout dim 5000',
    ]);
  });
  afterAll(async () => {
    await sentinel?.stop();
    await replica?.stop();
    await master?.stop();
  });

  it('when the configuration names the sentinel, then writes reach the master; when the master dies, then they reach the promoted replica', async () => {
    const redis = createRedisConnection(
      settings({ REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'dim' }),
    );
    const store = new RedisSessionStore(redis, 'sentinel:');
    const direct = new Redis({ port: master.port, host: '127.0.0.1' });
    try {
      await whenReady(redis);
      await store.set(personKey('sms', 'p_s', 'pages'), ['page 1'], 60);
      expect(await direct.get('sentinel:sms:{p_s}:pages')).toBe('["page 1"]');
      // Replication is asynchronous: a write the replica has not received is lost in a fail-over.
      const replicated = await direct.wait(1, 3000);
      expect(replicated).toBe(1);
      direct.disconnect();

      await master.stop();
      // Sentinel notices after down-after-milliseconds, promotes the replica; ioredis asks again.
      await until(
        'a write after fail-over',
        () => store.set('after', 'failover', 60).then(() => true),
        20_000,
      );
      const promoted = new Redis({ port: replica.port, host: '127.0.0.1' });
      try {
        expect(await promoted.get('sentinel:after')).toBe('"failover"');
        expect(await promoted.get('sentinel:sms:{p_s}:pages')).toBe('["page 1"]');
      } finally {
        promoted.disconnect();
      }
    } finally {
      direct.disconnect();
      await store.close();
    }
  }, 40_000);
});

const clusterTools = realRedis && spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!clusterTools)('Cluster with three real nodes', () => {
  const nodes: Process[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await Process.start('server', [
          'cluster-enabled yes',
          'cluster-config-file nodes.conf',
          'cluster-node-timeout 2000',
          'appendonly no',
        ]),
      );
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (create.status !== 0) throw new Error(`cluster create failed: ${create.stdout}${create.stderr}`);
    await until(
      'cluster_state:ok on every node',
      async () => {
        for (const node of nodes) {
          const info = spawnSync('redis-cli', ['-p', String(node.port), 'cluster', 'info'], {
            encoding: 'utf8',
          });
          if (!info.stdout.includes('cluster_state:ok')) return undefined;
        }
        return true;
      },
      15_000,
    );
  }, 40_000);
  afterAll(async () => {
    for (const node of nodes) await node.stop();
  });

  it("when the store runs over the cluster, then a person's keys share one slot on the server and a transaction over them is allowed", async () => {
    const cluster = createRedisConnection(
      settings({ REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(',') }),
    ) as Cluster;
    const store = new RedisSessionStore(cluster, 'dim:');
    try {
      await whenReady(cluster);
      const people = Array.from({ length: 20 }, (_, i) => `p_person${i}`);
      for (const p of people) {
        await store.set(personKey('ussd', p, 'last'), { p }, 60);
        await store.set(personKey('sms', p, 'pages'), [p], 60);
        expect(await store.get(personKey('ussd', p, 'last'))).toEqual({ p });
        const slotA = await cluster.cluster('KEYSLOT', `dim:${personKey('ussd', p, 'last')}`);
        const slotB = await cluster.cluster('KEYSLOT', `dim:${personKey('sms', p, 'pages')}`);
        expect(slotA).toBe(slotB);
        expect(slotA).toBe(keySlot(`dim:${personKey('sms', p, 'pages')}`));
      }
      // Keys spread over the nodes: several masters hold some of these people.
      const owners = new Set(
        await Promise.all(
          people.map(async (p) => {
            const slot = keySlot(`dim:${personKey('ussd', p, 'last')}`);
            const slots = (await cluster.cluster('SLOTS')) as unknown as Array<
              [number, number, [string, number]]
            >;
            return slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
          }),
        ),
      );
      expect(owners.size).toBeGreaterThan(1);
      // MULTI over two keys of one person: legal only because they share a slot.
      const p = people[0]!;
      const result = await cluster
        .multi()
        .get(`dim:${personKey('ussd', p, 'last')}`)
        .get(`dim:${personKey('sms', p, 'pages')}`)
        .exec();
      expect(result?.map(([error]) => error)).toEqual([null, null]);
      // Two people's keys in different slots are refused together (by the server, or by ioredis's
      // auto-pipelining before it sends them): the convention matters.
      const q = people.find((x) => keySlot(`dim:ussd:{${x}}:last`) !== keySlot(`dim:ussd:{${p}}:last`))!;
      await expect(cluster.mget(`dim:ussd:{${p}}:last`, `dim:ussd:{${q}}:last`)).rejects.toThrow(
        /CROSSSLOT|same slot/,
      );
    } finally {
      await store.close();
    }
  }, 30_000);

  it("when USSD hops run over the cluster, then the hop's one script (budget, session, last, language) is accepted on every person's slot and a session goes on", async () => {
    const cluster = createRedisConnection(
      settings({ REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(',') }),
    ) as Cluster;
    const store = new RedisSessionStore(cluster, 'dim:');
    const hops = new RedisUssdHops(store, new RedisRateLimiter(cluster, 3, { prefix: 'dim:' }), 2000);
    try {
      await whenReady(cluster);
      const people = Array.from({ length: 12 }, (_, i) => `p_hop${i}`);
      const slots = new Set(people.map((p) => keySlot(`dim:${storeKeys.ussdSession(p, 'ATUid_1')}`)));
      expect(slots.size).toBeGreaterThan(1);
      for (const p of people) {
        const budget = storeKeys.personBudget('phone', p);
        // Every key of the script in the person's slot (the limiter's counter included).
        for (const key of [
          storeKeys.ussdSession(p, 'ATUid_1'),
          storeKeys.ussdLast(p),
          storeKeys.languagePreference(p),
        ])
          expect(keySlot(`dim:${key}`)).toBe(keySlot(`dim:rl:${budget}:1`));
        const first = await hops.open({ pseudonym: p, sessionId: 'ATUid_1', continuing: false, budget });
        expect(first).toMatchObject({
          reached: true,
          budget: { allowed: true },
          session: undefined,
          personRead: true,
        });
        await hops.save({
          pseudonym: p,
          sessionId: 'ATUid_1',
          session: { value: { owner: p, consumed: 0 }, ttlSeconds: 60 },
          last: { value: { sessionId: 'ATUid_1' }, ttlSeconds: 60 },
          lang: { value: 'en', ttlSeconds: 60 },
          owner: { value: { owner: p }, ttlSeconds: 60 },
        });
        const next = await hops.open({ pseudonym: p, sessionId: 'ATUid_1', continuing: true, budget });
        expect(next).toMatchObject({
          reached: true,
          session: { owner: p },
          fromOwnerKey: false,
          personRead: false,
        });
        await hops.open({ pseudonym: p, sessionId: 'ATUid_1', continuing: true, budget });
        const over = await hops.open({ pseudonym: p, sessionId: 'ATUid_1', continuing: true, budget });
        expect(over).toMatchObject({ reached: true, budget: { allowed: false }, lang: 'en' });
      }
    } finally {
      await store.close();
    }
  }, 30_000);

  it("when SMS turns run over the cluster, then the turn's one script (budget, seen-mark, language, context, pages) is accepted on every person's slot and the budget holds", async () => {
    const cluster = createRedisConnection(
      settings({ REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(',') }),
    ) as Cluster;
    const store = new RedisSessionStore(cluster, 'dim:');
    const turns = storeTurnState(store, { script: new RedisRateLimiter(cluster, 2, { prefix: 'dim:' }) });
    try {
      await whenReady(cluster);
      const people = Array.from({ length: 12 }, (_, i) => `p_sms${i}`);
      expect(
        new Set(people.map((p) => keySlot(`dim:${storeKeys.languagePreference(p)}`))).size,
      ).toBeGreaterThan(1);
      for (const p of people) {
        const budget = storeKeys.personBudget('phone', p);
        await store.set(storeKeys.languagePreference(p), 'en', 60);
        const delivery = (id: string) => ({ gateway: 'at', messageId: id });
        const first = await turns.open('sms', p, delivery('m1'), budget);
        expect(first).toMatchObject({ budget: { allowed: true }, claimed: true, lang: 'en' });
        // The same message again: counted, not claimed (a duplicate).
        expect(await turns.open('sms', p, delivery('m1'), budget)).toMatchObject({
          budget: { allowed: true },
          claimed: false,
        });
        const over = await turns.open('sms', p, delivery('m2'), budget);
        expect(over).toMatchObject({ budget: { allowed: false }, claimed: false });
        // Refused before its claim: the message's mark was never set.
        expect(await store.get(storeKeys.personDelivery('sms', p, 'at', 'm2'))).toBeUndefined();
      }
    } finally {
      await store.close();
    }
  }, 30_000);
});
