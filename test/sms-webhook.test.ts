import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../adapters/logging.js';
import { createService } from '../adapters/service.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { loadConfig } from '../src/config.js';
import { isGsm7, toGsm7 } from '../src/text/gsm7.js';
import { describeWithRedis } from './support/redis.js';
import { LogCapture } from './support/service.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const good = {
  from: '+22370000009',
  to: '36000',
  text: 'aide',
  date: '2024-05-10',
  linkId: 'l1',
  networkCode: '61001',
};
let ids = 0;
const id = () => `bad-input-${++ids}`;

describe('SMS webhook: bad input', () => {
  let sms: SmsHarness;
  beforeAll(async () => {
    sms = await startSmsHarness();
  });
  afterAll(async () => {
    await sms.stop();
  });

  const rejected: Array<[string, string, number]> = [
    ['no field at all', '', 400],
    ['from missing', form({ text: 'aide', id: 'x1' }), 400],
    ['from empty', form({ from: '', text: 'aide', id: 'x2' }), 400],
    ['text missing', form({ from: good.from, id: 'x3' }), 400],
    ['id missing', form({ from: good.from, text: 'aide' }), 400],
    ['id empty', form({ from: good.from, text: 'aide', id: '' }), 400],
    ['id with spaces', form({ from: good.from, text: 'aide', id: 'a b' }), 400],
    ['malformed number (letters)', form({ from: 'abcdefgh', text: 'aide', id: 'x4' }), 400],
    ['malformed number (too short)', form({ from: '+12', text: 'aide', id: 'x5' }), 400],
    ['malformed number (too long)', form({ from: '+1234567890123456789', text: 'aide', id: 'x6' }), 400],
    ['from repeated', 'from=%2B22370000001&from=%2B22370000002&text=aide&id=x7', 400],
    ['text repeated', 'from=%2B22370000001&text=aide&text=stop&id=x8', 400],
    ['more than 30 fields', Array.from({ length: 40 }, (_, i) => `f${i}=1`).join('&'), 413],
    ['a body over 16 kB', form({ ...good, id: 'x9', text: 'a'.repeat(17_000) }), 413],
  ];
  for (const [what, body, status] of rejected) {
    it(`when the form has ${what}, then the answer is ${status} and nothing is sent`, async () => {
      const before = (await sms.outbox()).length;
      const response = await sms.post('/sms', body);
      expect(response.status).toBe(status);
      expect((await sms.outbox()).length).toBe(before);
    });
  }

  it('when a JSON body carries fields that are not strings, then the answer is 400', async () => {
    const body = JSON.stringify({ from: 22370000009, text: ['aide'], id: { x: 1 } });
    const response = await sms.post('/sms', body, 'application/json');
    expect(response.status).toBe(400);
  });

  it('when the form declares a charset the parser does not speak, then the answer is a 4xx, not a 500', async () => {
    const response = await sms.post(
      '/sms',
      form({ ...good, id: id() }),
      'application/x-www-form-urlencoded; charset=koi8-r',
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  const polite: Array<[string, string, RegExp]> = [
    ['an empty text', '', /^Message vide/],
    ['a 10 kB text', 'mot '.repeat(2500), /^Message trop long/],
    ['emoji only', '😀🙏🇲🇱', /^Message vide|^Rien trouvé/],
    ['emoji in words', 'eau 😀 potable', /./],
  ];
  for (const [what, text, expected] of polite) {
    it(`when a person sends ${what}, then they get a polite GSM-7 reply within budget`, async () => {
      const before = (await sms.outbox()).length;
      const response = await sms.incoming(text, { from: '+22370000010' });
      expect(response.status).toBe(200);
      const sent = (await sms.outbox()).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.text).toMatch(expected);
      expect(isGsm7(sent[0]!.text)).toBe(true);
      expect(sent[0]!.segments).toBeLessThanOrEqual(sms.config.SMS_MAX_SEGMENTS);
    });
  }

  it('when bytes are not UTF-8 or percent-escapes are broken, then the answer is a 400 with nothing sent, or a polite GSM-7 reply: never a 500', async () => {
    for (const text of ['%FF%FE%FD', '%C3%28', '%', '%%41', '%E2%82', '%E0%A4%A']) {
      const before = (await sms.outbox()).length;
      const response = await sms.post('/sms', `from=%2B22370000011&id=${id()}&text=${text}`);
      expect([200, 400]).toContain(response.status);
      const sent = (await sms.outbox()).slice(before);
      expect(sent).toHaveLength(response.status === 200 ? 1 : 0);
      for (const entry of sent) expect(isGsm7(entry.text)).toBe(true);
    }
  });

  it('when a number comes without "+" or with spaces, then it is accepted as the same person', async () => {
    const before = (await sms.outbox()).length;
    expect((await sms.post('/sms', form({ ...good, from: '223 70 00 00 12', id: id() }))).status).toBe(200);
    const sent = (await sms.outbox()).slice(before);
    expect(sent[0]!.to).toBe(sms.service.pseudonymize('+22370000012'));
  });

  it('when a delivery report arrives, then it is logged by message id and pseudonym, never the number', async () => {
    const ok = await sms.post(
      '/sms/delivery',
      form({
        id: 'ATXid_dr1',
        status: 'Failed',
        phoneNumber: '+22370000013',
        failureReason: 'AbsentSubscriber',
        retryCount: '1',
      }),
    );
    expect(ok.status).toBe(200);
    const line = sms.logs.lines.find((l) => l.includes('ATXid_dr1'));
    expect(line).toBeDefined();
    expect(line).toContain(sms.service.pseudonymize('+22370000013'));
    expect(line).toContain('AbsentSubscriber');
    expect(sms.logs.text).not.toContain('70000013');
    expect((await sms.post('/sms/delivery', form({ status: 'Success' }))).status).toBe(400);
    expect((await sms.post('/sms/optout', form({ senderId: 'X' }))).status).toBe(400);
    expect((await sms.post('/sms/optout', form({ phoneNumber: 'nope' }))).status).toBe(400);
  });

  it('when all that bad input has been sent, then a good message is still answered', async () => {
    const response = await sms.incoming('2.15', { from: '+22370000014' });
    expect(response.status).toBe(200);
    const last = (await sms.outbox()).at(-1)!;
    expect(last.text).toContain(toGsm7(sms.service.engine.recommendation('2.15')!.text));
  });
});

describe('SMS webhook: store down, token, production', () => {
  it('when the store cannot answer, then the gateway gets a 503 (not a 500) and a redelivery is processed once it is back', async () => {
    class FlakyStore extends MemorySessionStore {
      down = true;
      override async setIfAbsent<T>(key: string, value: T, ttl: number): Promise<boolean> {
        if (this.down) throw new Error('store unreachable');
        return super.setIfAbsent(key, value, ttl);
      }
      override async get<T>(key: string): Promise<T | undefined> {
        if (this.down) throw new Error('store unreachable');
        return super.get<T>(key);
      }
    }
    const store = new FlakyStore();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join('/tmp', `dim-sms-flaky-${process.pid}`),
    });
    const service = createService(config, createLogger('silent', new LogCapture()), { store });
    const port = await service.listen();
    try {
      const body = form({ ...good, id: 'flaky-1' });
      const post = () =>
        fetch(`http://127.0.0.1:${port}/sms`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
      expect((await post()).status).toBe(503);
      store.down = false;
      const again = await post();
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'accepted', kind: 'help' });
      expect(((await (await post()).json()) as { status: string }).status).toBe('duplicate');
    } finally {
      await service.close();
    }
  });

  it('when WEBHOOK_TOKEN is set, then /sms without it is a 404 and /sms/<token> works', async () => {
    const token = 'tok_abcdefghijklmnopqrstuvwxyz';
    const sms = await startSmsHarness({ WEBHOOK_TOKEN: token });
    try {
      expect((await sms.post('/sms', form({ ...good, id: id() }))).status).toBe(404);
      expect((await sms.post('/sms/wrong-token-wrong-token', form({ ...good, id: id() }))).status).toBe(404);
      expect((await sms.post(`/sms/${token}`, form({ ...good, id: id() }))).status).toBe(200);
      expect((await sms.post(`/sms/${token}/delivery`, form({ id: 'd1', status: 'Success' }))).status).toBe(
        200,
      );
    } finally {
      await sms.stop();
    }
  });

  it("when the outbox is asked for one phone, then it lists that phone's replies only, and a bad number gets a 400", async () => {
    const sms = await startSmsHarness();
    try {
      await sms.incoming('AIDE', { from: '+22370000031' });
      await sms.incoming('T2', { from: '+22370000032' });
      await sms.outbox();
      const mine = (await (await fetch(`${sms.baseUrl}/dev/outbox?to=%2B22370000031`)).json()) as Array<{
        to: string;
      }>;
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((entry) => entry.to))).toEqual(
        new Set([sms.service.pseudonymize('+22370000031')]),
      );
      const all = (await (await fetch(`${sms.baseUrl}/dev/outbox`)).json()) as unknown[];
      expect(all.length).toBeGreaterThan(mine.length);
      expect((await fetch(`${sms.baseUrl}/dev/outbox?to=abc`)).status).toBe(400);
      expect((await fetch(`${sms.baseUrl}/dev/outbox?to=1&to=2`)).status).toBe(400);
    } finally {
      await sms.stop();
    }
  });

  it('when PHONE_HASH_KEY is unset outside production, then a key is created once under DATA_DIR and reused', async () => {
    const sms = await startSmsHarness();
    const pseudonym = sms.service.pseudonymize('+22370000015');
    await sms.stop(true);
    expect(existsSync(join(sms.dataDir, 'phone-hash.key'))).toBe(true);
    const again = await startSmsHarness({}, sms.dataDir);
    expect(again.service.pseudonymize('+22370000015')).toBe(pseudonym);
    await again.stop();
  });
});

describeWithRedis('SMS in production mode', (redisUrl) => {
  it('when the service runs in production without gateway credentials, then GET /dev/outbox does not exist', async () => {
    const sms = await startSmsHarness({
      NODE_ENV: 'production',
      REDIS_URL: redisUrl,
      WEBHOOK_TOKEN: 'tok_abcdefghijklmnopqrstuvwxyz',
      PHONE_HASH_KEY: 'k'.repeat(32),
    });
    try {
      const response = await fetch(`${sms.baseUrl}/dev/outbox`);
      expect(response.status).toBe(404);
      expect(existsSync(join(sms.dataDir, 'phone-hash.key'))).toBe(false);
    } finally {
      await sms.stop();
    }
  });
});
