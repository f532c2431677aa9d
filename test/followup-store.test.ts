import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileFollowUpStore, FOLLOW_UP_FILE } from '../adapters/followup/file-store.js';
import { RedisFollowUpStore } from '../adapters/followup/redis-store.js';
import { createRedisConnection } from '../adapters/stores/redis-client.js';
import {
  FollowUpConflictError,
  FollowUpValidationError,
  NOTE_MAX,
  type FollowUpInput,
} from '../src/followup/model.js';
import { followUpReply } from '../src/followup/reply.js';
import { followUpLines } from '../src/reply/followup.js';
import { MemoryFollowUpStore, type FollowUpStore } from '../src/followup/store.js';
import type { Clock } from '../src/ports/index.js';
import { describeWithRedis } from './support/redis.js';

const clock: Clock = { now: () => Date.parse('2026-01-15T10:00:00Z') };

const announced: FollowUpInput = {
  status: 'announced',
  date: '2025-08-07',
  source: 'Charte pour la paix et la réconciliation nationale',
  note: 'Observatoire de mise en oeuvre annoncé.',
  editor: 'awa.editrice',
};

function followUpStoreContract(make: () => Promise<{ store: FollowUpStore; dispose(): Promise<void> }>) {
  let store: FollowUpStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await make());
  });
  afterEach(async () => {
    await dispose();
  });

  it('when nothing was published, then latest is undefined and history empty', async () => {
    expect(await store.latest('2.10')).toBeUndefined();
    expect(await store.history('2.10')).toEqual([]);
    expect(await store.all()).toEqual([]);
  });

  it('when two edits are published, then both versions are kept and the latest is the second', async () => {
    const first = await store.publish('2.10', announced);
    const second = await store.publish('2.10', {
      ...announced,
      status: 'in_progress',
      date: '2025-12-01',
      source: 'https://www.sgg-mali.ml/JO/2025/mali-jo-2025-12.pdf',
      note: '',
      editor: 'moussa',
    });
    expect(first.version).toBe(1);
    expect(second.version).toBe(2);
    expect((await store.latest('2.10'))?.status).toBe('in_progress');
    const history = await store.history('2.10');
    expect(history.map((v) => [v.version, v.status, v.editor])).toEqual([
      [1, 'announced', 'awa.editrice'],
      [2, 'in_progress', 'moussa'],
    ]);
    expect(history[0]!.publishedAt).toBe('2026-01-15T10:00:00.000Z');
  });

  it('when several recommendations have entries, then all() gives the latest of each in id order', async () => {
    await store.publish('3.2', announced);
    await store.publish('2.10', announced);
    await store.publish('2.9', announced);
    await store.publish('2.10', { ...announced, status: 'done' });
    expect((await store.all()).map((v) => [v.recommendationId, v.version, v.status])).toEqual([
      ['2.9', 1, 'announced'],
      ['2.10', 2, 'done'],
      ['3.2', 1, 'announced'],
    ]);
  });

  it('when an editor publishes on a stale version, then it is refused as a conflict', async () => {
    await store.publish('1.4', announced, { expectedVersion: 0 });
    await store.publish('1.4', { ...announced, status: 'done' }, { expectedVersion: 1 });
    await expect(store.publish('1.4', announced, { expectedVersion: 1 })).rejects.toBeInstanceOf(
      FollowUpConflictError,
    );
    expect((await store.history('1.4')).length).toBe(2);
  });

  it('when ten publications race, then versions are 1..10 with none lost', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.publish('4.1', { ...announced, note: `n${i}` })),
    );
    const history = await store.history('4.1');
    expect(history.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(history.map((v) => v.note)).size).toBe(10);
  });

  it('when the input is invalid, then nothing is published and the problems are named', async () => {
    const bad: Array<[Partial<FollowUpInput>, RegExp]> = [
      [{ status: 'maybe' as never }, /status/],
      [{ date: '2025-02-30' }, /date does not exist/],
      [{ date: '07/08/2025' }, /YYYY-MM-DD/],
      [{ date: '2023-01-01' }, /before the report/],
      [{ source: 'http://example.org/charte' }, /https/],
      [{ source: 'https://user:pw@example.org/x' }, /credentials/],
      [{ source: 'https://intranet/x' }, /not public/],
      [{ source: 'javascript:alert(1)' }, /https/],
      [{ source: 'ab' }, /too short/],
      [{ note: 'x'.repeat(NOTE_MAX + 1) }, /longer than 280/],
      [{ editor: '' }, /editor/],
      [{ editor: '<script>' }, /editor/],
    ];
    for (const [patch, problem] of bad) {
      const error = await store.publish('2.10', { ...announced, ...patch }).catch((e: unknown) => e);
      expect(error, JSON.stringify(patch)).toBeInstanceOf(FollowUpValidationError);
      expect((error as Error).message).toMatch(problem);
    }
    await expect(store.publish('2.1.0', announced)).rejects.toBeInstanceOf(FollowUpValidationError);
    expect(await store.history('2.10')).toEqual([]);
  });

  it('when a note of exactly 280 characters is published, then it is kept whole', async () => {
    const note = 'é'.repeat(NOTE_MAX);
    expect((await store.publish('5.1', { ...announced, note })).note).toBe(note);
  });

  it('when there is no entry, then the reply is the honest catalog line in each language', async () => {
    const reply = await followUpReply(store, '2.10');
    expect(reply).toEqual({ kind: 'followUp', recommendationId: '2.10', entry: null });
    expect(followUpLines(reply, 'fr')).toContain('Aucune information officielle de suivi à ce jour.');
    expect(followUpLines(reply, 'en')).toContain('No official follow-up information to date.');
  });

  it('when there is an entry, then the reply shows its status, date, source and note', async () => {
    await store.publish('2.10', announced);
    // The date as French writes it.
    const lines = followUpLines(await followUpReply(store, '2.10'), 'fr');
    expect(lines).toEqual([
      'Suivi de la recommandation 2.10',
      'État : Annoncée (7 août 2025)',
      'Source : Charte pour la paix et la réconciliation nationale',
      'Note de notre équipe : Observatoire de mise en oeuvre annoncé.',
    ]);
    const general = await followUpReply(store, null);
    expect(general).toEqual({ kind: 'followUpGeneral', published: 1 });
  });
}

describe('follow-up store in memory', () => {
  followUpStoreContract(async () => ({ store: new MemoryFollowUpStore(clock), dispose: async () => {} }));
});

describe('follow-up store in a file (embedded mode)', () => {
  let dir: string;
  followUpStoreContract(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dim-followup-'));
    const store = new FileFollowUpStore(dir, clock);
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  it('when the service restarts, then every version is read back from the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-followup-'));
    try {
      const before = new FileFollowUpStore(dataDir, clock);
      await before.publish('2.10', announced);
      await before.publish('2.10', { ...announced, status: 'done' });
      await before.close();
      const after = new FileFollowUpStore(dataDir, clock);
      expect((await after.history('2.10')).map((v) => v.status)).toEqual(['announced', 'done']);
      // Written atomically: no temporary file left beside it.
      expect(readdirSync(dataDir)).toEqual([FOLLOW_UP_FILE]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when the file is corrupt, then start-up fails loudly instead of serving nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dim-followup-'));
    try {
      writeFileSync(join(dataDir, FOLLOW_UP_FILE), '{"format":1,"versions":');
      expect(() => new FileFollowUpStore(dataDir, clock)).toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeWithRedis('follow-up store in Redis', (redisUrl) => {
  followUpStoreContract(async () => {
    const redis = createRedisConnection(
      { REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: 2000 },
      { patient: true },
    );
    const prefix = `t${randomUUID().slice(0, 8)}:`;
    const store = new RedisFollowUpStore(redis, prefix, clock);
    return {
      store,
      dispose: async () => {
        const keys = await redis.keys(`${prefix}*`);
        for (const key of keys) expect(await redis.ttl(key), key).toBe(-1); // no TTL, on purpose
        await store.close();
      },
    };
  });
});
