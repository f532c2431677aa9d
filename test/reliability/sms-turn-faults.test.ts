import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileOptOutRegistry } from '../../adapters/stores/optout-file.js';
import { MemorySessionStore } from '../../adapters/stores/memory-store.js';
import { DELIVERY_PENDING_TTL_SECONDS } from '../../src/conversation/deliveries.js';
import type { OptOutRegistry, SessionStore } from '../../src/ports/index.js';
import { startSmsHarness, type SmsHarness } from '../support/sms.js';

/**
 * The SMS hole: a message acknowledged and never answered when the store fails between the
 * seen-mark and the answer. Each step of one SMS turn is failed in turn, through the store the
 * service really uses (and its opt-out registry): the gateway hears 503 (so it delivers again),
 * and its redelivery of the same message id is answered, once.
 *
 * Steps of a turn: claim the seen-mark (SET NX) and read language, context and pages (one
 * script on Redis), the opt-out beside it → decide → save context and pages and mark answered
 * (one command, not waited on) → send. The store below has no script: each step fails alone.
 */
type Op = 'get' | 'set' | 'delete' | 'setIfAbsent';
interface Fault {
  op: Op;
  key: RegExp;
  times: number;
  /** The operation runs, then its answer is lost (a reply lost when Redis went down). */
  after?: boolean;
}

class FaultyStore implements SessionStore {
  faults: Fault[] = [];
  constructor(private readonly inner: SessionStore) {}
  private async run<T>(op: Op, key: string, work: () => Promise<T>): Promise<T> {
    const fault = this.faults.find((f) => f.op === op && f.key.test(key) && f.times > 0);
    if (!fault) return work();
    fault.times -= 1;
    if (fault.after) await work();
    throw new Error(`injected: store ${op} failed`);
  }
  get<T>(key: string) {
    return this.run('get', key, () => this.inner.get<T>(key));
  }
  set<T>(key: string, value: T, ttl: number) {
    return this.run('set', key, () => this.inner.set(key, value, ttl));
  }
  delete(key: string) {
    return this.run('delete', key, () => this.inner.delete(key));
  }
  setIfAbsent<T>(key: string, value: T, ttl: number) {
    return this.run('setIfAbsent', key, () => this.inner.setIfAbsent(key, value, ttl));
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

class FaultyOptOuts implements OptOutRegistry {
  failHas = 0;
  constructor(private readonly inner: OptOutRegistry) {}
  has(pseudonym: string) {
    if (this.failHas > 0) {
      this.failHas -= 1;
      return Promise.reject(new Error('injected: opt-out registry failed'));
    }
    return this.inner.has(pseudonym);
  }
  add = (pseudonym: string) => this.inner.add(pseudonym);
  remove = (pseudonym: string) => this.inner.remove(pseudonym);
  close = () => this.inner.close();
}

let now = Date.parse('2026-12-01T08:00:00Z');
const clock = { now: () => now };
const store = new FaultyStore(new MemorySessionStore(clock));
let optOuts: FaultyOptOuts;
let sms: SmsHarness;

beforeAll(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'dim-sms-faults-'));
  optOuts = new FaultyOptOuts(new FileOptOutRegistry(dir, clock));
  sms = await startSmsHarness({}, dir, { store, clock, optOuts });
});
afterAll(async () => {
  await sms?.stop();
});

let n = 0;
const newPhone = () => `+2237200${String(++n).padStart(4, '0')}`;
async function deliver(phone: string, id: string, text = 'eau') {
  const before = (await sms.outbox()).length;
  const { status, body } = await sms.incoming(text, { from: phone, id });
  const replies = (await sms.outbox()).slice(before).filter((e) => e.to === sms.service.pseudonymize(phone));
  return { status, status2: body.status, replies };
}

/** The seen-mark, under the sender's hash tag (read with the rest in one script: turn-state.ts). */
const MARK = /^sms:\{.*\}:msg:/;
const LANG = /^pref:\{/;
const PAGES = /^sms:\{.*\}:pages$/;

describe('SMS: a store fault at each step of a turn never leaves a message acknowledged and unanswered', () => {
  const cases: Array<[string, () => void]> = [
    ['the seen-mark cannot be written', () => store.faults.push({ op: 'setIfAbsent', key: MARK, times: 1 })],
    [
      'the seen-mark is written but its answer is lost',
      () => store.faults.push({ op: 'setIfAbsent', key: MARK, times: 1, after: true }),
    ],
    ['the language cannot be read', () => store.faults.push({ op: 'get', key: LANG, times: 1 })],
    ['the opt-out list cannot be read', () => void (optOuts.failHas = 1)],
  ];
  it.each(cases)(
    'when %s, then the gateway hears 503 and its redelivery is answered once',
    async (_what, inject) => {
      const phone = newPhone();
      const id = `fault-${n}`;
      inject();
      // A theme: several pages, so the turn saves pages (the last step that can fail).
      const first = await deliver(phone, id, 't2');
      expect(first.status).toBe(503);
      expect(first.replies).toHaveLength(0);
      const again = await deliver(phone, id, 't2');
      expect(again.status).toBe(200);
      expect(again.status2).toBe('accepted');
      expect(again.replies).toHaveLength(1);
      const third = await deliver(phone, id, 't2');
      expect(third.status2).toBe('duplicate');
      expect(third.replies).toHaveLength(0);
      expect(store.faults.every((fault) => fault.times === 0) && optOuts.failHas === 0).toBe(true);
    },
  );

  it('when the mark landed and the store stays down past every attempt to take it back, then the mark expires by itself and the redelivery is answered', async () => {
    const phone = newPhone();
    const id = `fault-long-${n}`;
    store.faults.push({ op: 'setIfAbsent', key: MARK, times: 1, after: true });
    store.faults.push({ op: 'delete', key: MARK, times: 1000 }); // the take-back never succeeds
    expect((await deliver(phone, id)).status).toBe(503);
    // Within the pending window a redelivery is taken for the one in progress...
    expect((await deliver(phone, id)).status2).toBe('duplicate');
    now += (DELIVERY_PENDING_TTL_SECONDS + 1) * 1000;
    // ...past it, the message is answered.
    const later = await deliver(phone, id);
    expect(later.status2).toBe('accepted');
    expect(later.replies).toHaveLength(1);
    store.faults = [];
  });

  it('when the pages cannot be saved, then the message is still answered once (the writes after the answer are not waited on)', async () => {
    const phone = newPhone();
    const id = `fault-pages-${n}`;
    store.faults.push({ op: 'set', key: PAGES, times: 1 });
    const first = await deliver(phone, id, 't2');
    expect([first.status, first.status2, first.replies.length]).toEqual([200, 'accepted', 1]);
    expect((await deliver(phone, id, 't2')).status2).toBe('duplicate');
    expect(store.faults.every((fault) => fault.times === 0)).toBe(true);
    // SUITE has nothing to turn: the cost of the lost write, not a lost or doubled answer.
    const next = await deliver(phone, `fault-pages-next-${n}`, 'SUITE');
    expect(next.replies).toHaveLength(1);
  });

  it('when marking the message answered fails, then it is still answered, and a redelivery in the window is not answered twice', async () => {
    const phone = newPhone();
    const id = `fault-answered-${n}`;
    store.faults.push({ op: 'set', key: MARK, times: 1 });
    const first = await deliver(phone, id);
    expect(first.status).toBe(200);
    expect(first.replies).toHaveLength(1);
    expect((await deliver(phone, id)).status2).toBe('duplicate');
  });

  it('when a message was answered, then its mark outlives the pending window: a late redelivery is still a duplicate', async () => {
    const phone = newPhone();
    const id = `ok-${n}`;
    expect((await deliver(phone, id)).replies).toHaveLength(1);
    now += (DELIVERY_PENDING_TTL_SECONDS + 1) * 1000;
    const late = await deliver(phone, id);
    expect(late.status2).toBe('duplicate');
    expect(late.replies).toHaveLength(0);
  });
});
