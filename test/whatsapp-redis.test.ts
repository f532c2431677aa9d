import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithRedis } from './support/redis.js';
import { notification, startWhatsAppService, text, wamid, type WhatsAppHarness } from './support/whatsapp.js';

describeWithRedis('WhatsApp on two instances sharing Redis', (redisUrl) => {
  let a: WhatsAppHarness;
  let b: WhatsAppHarness;
  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `wa-${randomBytes(4).toString('hex')}:` };
    a = await startWhatsAppService(env, { configuredStore: true });
    b = await startWhatsAppService(env, { configuredStore: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  const replies = () => a.graph.calls.length + b.graph.calls.length;

  describe('deliveries', () => {
    it('when Meta delivers the same message to both instances at once, then it is answered once', async () => {
      const once = text('2.15', {
        from: '22370000030',
        id: wamid('22370000030'),
        timestamp: a.clock.seconds,
      });
      const [ra, rb] = await Promise.all([a.post(notification([once])), b.post(notification([once]))]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      await Promise.all([a.service.whatsapp!.flush(), b.service.whatsapp!.flush()]);
      expect(replies()).toBe(1);
    });

    it('when a person writes through one instance, then a broadcast from the other finds their window open; STOP on one silences both', async () => {
      await a.deliver(notification([text('bonjour', { from: '22370000031', timestamp: a.clock.seconds })]));
      const note = { type: 'text' as const, text: { body: 'Information.' } };
      expect(await b.service.whatsapp!.notify('22370000031', [note])).toBe('sent');
      await b.deliver(notification([text('STOP', { from: '22370000031', timestamp: b.clock.seconds })]));
      const before = replies();
      await a.deliver(notification([text('2.1', { from: '22370000031', timestamp: a.clock.seconds })]));
      expect(replies()).toBe(before);
      expect(await a.service.whatsapp!.notify('22370000031', [note])).toBe('optedOut');
    });
  });
});
