import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS, telegramWebhookEnv } from '../support/reliability.js';
import { textMessage } from '../support/telegram.js';

/**
 * Gateways deliver again when they are unsure, sometimes at the same moment; USSD session ids
 * may come back with another phone. Every duplicate is answered at most once; a session id
 * never lets one phone see or change another's session.
 */
const h = new Harness();
const token = SECRETS.WEBHOOK_TOKEN;
const HOOK_PATH = '/tg/dup-hook';

function scenarios(label: string, extraEnv: () => Record<string, string>) {
  describe(label, () => {
    let s: RunningService;
    let api: FakeBotApi;
    beforeAll(async () => {
      api = await startFakeBotApi();
      s = await h.start({
        WEBHOOK_TOKEN: token,
        PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
        ...telegramWebhookEnv(HOOK_PATH, api.url),
        REDIS_KEY_PREFIX: `dup${Date.now()}${Math.random().toString(36).slice(2, 6)}:`,
        ...extraEnv(),
      });
      await api.waitFor('setWebhook');
    });
    afterAll(async () => {
      await api?.close();
    });

    const sms = (fields: Record<string, string>) =>
      h.fetch(`${s.baseUrl}/sms/${token}`, { method: 'POST', headers: FORM, body: form(fields) });
    const ussd = (sessionId: string, phone: string, text: string) =>
      h
        .fetch(`${s.baseUrl}/ussd/${token}`, {
          method: 'POST',
          headers: FORM,
          body: form({ sessionId, serviceCode: '*384*12#', phoneNumber: phone, networkCode: '99999', text }),
        })
        .then(async (response) => ({ status: response.status, body: await response.text() }));
    const sentTo = (phone: string) => {
      const pseudonym = s.service.pseudonymize(phone);
      return s.service.sms.outbox!.list().filter((entry) => entry.to === pseudonym).length;
    };

    it('when the same SMS is delivered ten times at once, then it is processed and answered once', async () => {
      const phone = h.phone(900);
      const fields = {
        from: phone,
        to: '36000',
        text: '2.15',
        id: `dup-burst-${Date.now()}`,
        date: '2026-11-28',
      };
      const responses = await Promise.all(Array.from({ length: 10 }, () => sms(fields)));
      const outcomes = await Promise.all(
        responses.map(async (r) => ((await r.json()) as { status: string }).status),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
      await s.service.sms.flush();
      expect(sentTo(phone)).toBe(1);
    });

    it('when an SMS is delivered again later, then it is not answered twice', async () => {
      const phone = h.phone(901);
      const fields = {
        from: phone,
        to: '36000',
        text: 'eau',
        id: `dup-late-${Date.now()}`,
        date: '2026-11-28',
      };
      expect((await sms(fields)).status).toBe(200);
      await s.service.sms.flush();
      for (let i = 0; i < 3; i++)
        expect(((await (await sms(fields)).json()) as { status: string }).status).toBe('duplicate');
      await s.service.sms.flush();
      expect(sentTo(phone)).toBe(1);
    });

    it('when a STOP is delivered several times and sent twice at once, then one confirmation and the person stays opted out', async () => {
      const phone = h.phone(902);
      const first = {
        from: phone,
        to: '36000',
        text: 'STOP',
        id: `dup-stop-${Date.now()}`,
        date: '2026-11-28',
      };
      // Three copies of one message, and a second STOP (another message) at the same moment.
      await Promise.all([sms(first), sms(first), sms(first), sms({ ...first, id: `${first.id}-b` })]);
      await s.service.sms.flush();
      expect(sentTo(phone)).toBe(1);
      // A second STOP (another message) later: no second confirmation, and nothing else is sent.
      await sms({ ...first, id: `${first.id}-again` });
      await sms({ ...first, id: `${first.id}-word`, text: 'eau' });
      await s.service.sms.flush();
      expect(sentTo(phone)).toBe(1);
      expect(await s.service.sms.optOuts.has(s.service.pseudonymize(phone))).toBe(true);
    });

    it('when a USSD hop is posted twice (gateway retry), then both answers are the same screen', async () => {
      const phone = h.phone(903);
      const session = `ATUid_dup_${Date.now()}`;
      await ussd(session, phone, '');
      await ussd(session, phone, '1');
      const [a, b] = await Promise.all([ussd(session, phone, '1*2'), ussd(session, phone, '1*2')]);
      expect(a.status).toBe(200);
      expect(b.body).toBe(a.body);
      const again = await ussd(session, phone, '1*2');
      expect(again.body).toBe(a.body);
      expect((await ussd(session, phone, '1*2*98')).body).toMatch(/^CON /);
    });

    it('when a session id is reused by another phone, then that phone gets its own session and the first is untouched', async () => {
      const owner = h.phone(904);
      const intruder = h.phone(905);
      const session = `ATUid_reuse_${Date.now()}`;
      await ussd(session, owner, '');
      await ussd(session, owner, '1');
      const ownerScreen = await ussd(session, owner, '1*2');
      const home = await ussd(`ATUid_fresh_${Date.now()}`, intruder, '');
      // The other phone, same session id, first hop: never the owner's screen.
      const intruded = await ussd(session, intruder, '');
      expect(intruded.status).toBe(200);
      expect(intruded.body).not.toBe(ownerScreen.body);
      // Either a session of its own (the home menu) or a clean END refusing the session.
      if (!intruded.body.startsWith('END ')) expect(intruded.body).toBe(home.body);
      // Continuing with the owner's history: answered from the intruder's own (empty) state.
      const continued = await ussd(session, intruder, '1*2*98');
      expect(continued.status).toBeLessThan(500);
      // The owner goes on where they were.
      const next = await ussd(session, owner, '1*2*98');
      expect(next.status).toBe(200);
      const direct = await ussd(`ATUid_check_${Date.now()}`, h.phone(906), '1*2*98');
      expect(next.body).toBe(direct.body);
    });

    it('when the same Telegram update is delivered three times, then the bot answers once', async () => {
      const from = { id: 5550001, first_name: 'U', language_code: 'fr' };
      const before = api.calls.filter((c) => c.method === 'sendMessage').length;
      const update = JSON.stringify({ update_id: 424242, ...textMessage('/reco 2.15', from) });
      const post = () =>
        h.fetch(`${s.baseUrl}${HOOK_PATH}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET,
          },
          body: update,
        });
      const statuses = [(await post()).status, ...(await Promise.all([post(), post()])).map((r) => r.status)];
      expect(statuses).toEqual([200, 200, 200]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(api.calls.filter((c) => c.method === 'sendMessage').length - before).toBe(1);
    });
  });
}

afterAll(async () => {
  const leaks = await h.finish('duplicates');
  expect(leaks).toEqual([]);
});

scenarios('duplicates and reused sessions, memory', () => ({}));
describeWithRedis('duplicates and reused sessions, Redis', (redisUrl) => {
  scenarios('one instance on Redis', () => ({ REDIS_URL: redisUrl }));
});
