import { afterAll, beforeAll, expect, it } from 'vitest';
import { encode } from '../../adapters/ussd/layout.js';
import { t } from '../../src/i18n/index.js';
import type { RunningService } from '../support/service.js';
import { describeWithRedis } from '../support/redis.js';
import { FORM, form, Harness, SECRETS } from '../support/reliability.js';

/**
 * Issue 33, point 3: one phone could make the service spend without bound (USSD `3*480*9` in a
 * fresh session sent 4.80's pages by SMS every time: 40 hops, 180 segments in seconds), and
 * "call me back" placed 600 calls for 300 numbers over two instances. Now: an item goes by SMS
 * to a person once a day; SMS segments are capped per number and for the whole service, call
 * backs for the whole service, per UTC day, shared by the instances through Redis; a number is
 * one person however it is written; the line calls back Malian numbers only.
 *
 * Counted, not timed, over two instances on one Redis.
 */
const h = new Harness();
const PERSON_SEGMENTS = 12;
const SERVICE_SEGMENTS = 40;
const SERVICE_CALLS = 50;
const token = SECRETS.WEBHOOK_TOKEN;

describeWithRedis('spending caps over two instances', (redisUrl) => {
  let a: RunningService;
  let b: RunningService;
  const instances = () => [a, b];
  beforeAll(async () => {
    const env = {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `spend${Date.now()}:`,
      // The caps are shared through Redis; a store that times out on a busy machine sends each
      // instance to its memory fallback (its own count), which is another test's subject.
      REDIS_COMMAND_TIMEOUT_MS: '3000',
      WEBHOOK_TOKEN: token,
      PHONE_HASH_KEY: SECRETS.PHONE_HASH_KEY,
      METRICS_TOKEN: SECRETS.METRICS_TOKEN,
      SMS_SEGMENTS_PERSON_PER_DAY: String(PERSON_SEGMENTS),
      SMS_SEGMENTS_SERVICE_PER_DAY: String(SERVICE_SEGMENTS),
      VOICE_CALLBACK: 'on',
      VOICE_CALLBACK_PER_DAY: '2',
      VOICE_CALLBACK_SERVICE_PER_DAY: String(SERVICE_CALLS),
      LOG_LEVEL: 'info',
    };
    a = await h.start(env);
    b = await h.start(env);
  });
  afterAll(async () => {
    const leaks = await h.finish('spending-caps');
    expect(leaks).toEqual([]);
  });

  let session = 0;
  /** A fresh USSD session that dials `path` hop by hop; the last screen. */
  async function dial(s: RunningService, phone: string, path: string[]): Promise<string> {
    const sessionId = `ATUid_spend_${++session}`;
    let screen = '';
    for (let hop = 0; hop <= path.length; hop++) {
      const answer = await h.fetch(`${s.baseUrl}/ussd/${token}`, {
        method: 'POST',
        headers: FORM,
        body: form({
          sessionId,
          serviceCode: '*384*12#',
          phoneNumber: phone,
          text: path.slice(0, hop).join('*'),
        }),
      });
      screen = await answer.text();
    }
    return screen;
  }
  const segmentsTo = async (phone: string) => {
    let total = 0;
    for (const s of instances()) {
      await s.service.sms.flush();
      const pseudonym = s.service.pseudonymize(phone);
      total += s.service.sms
        .outbox!.list()
        .filter((e) => e.to === pseudonym)
        .reduce((n, e) => n + e.segments, 0);
    }
    return total;
  };
  const allSegments = async () => {
    let total = 0;
    for (const s of instances()) {
      await s.service.sms.flush();
      total += s.service.sms.outbox!.list().reduce((n, e) => n + e.segments, 0);
    }
    return total;
  };

  it('when one phone dials 3*480*9 in 40 fresh sessions, written three ways, then 4.80 goes by SMS once and the other sessions say it already went', async () => {
    const forms = [h.phone(1), `00${h.phone(1).slice(1)}`, h.phone(1).slice(4)];
    const already = encode(t('fr', 'ussd.sms.alreadySent'), 'gsm');
    const screens: string[] = [];
    for (let i = 0; i < 40; i++)
      screens.push(await dial(instances()[i % 2]!, forms[i % 3]!, ['3', '480', '9']));
    const once = await segmentsTo(h.phone(1));
    expect(once).toBeGreaterThan(0);
    expect(once).toBeLessThanOrEqual(PERSON_SEGMENTS);
    expect(screens.filter((screen) => screen.includes(already))).toHaveLength(39);
    h.tally.limited += 39;
  });

  it(`when one phone asks for one recommendation after another, then it never costs more than ${PERSON_SEGMENTS} segments a day`, async () => {
    const phone = h.phone(2);
    const limit = encode(t('fr', 'ussd.sms.limit'), 'gsm');
    const screens: string[] = [];
    for (const id of ['215', '101', '102', '103', '104', '105', '106', '107', '108', '109'])
      screens.push(await dial(instances()[screens.length % 2]!, phone, ['3', id, '9']));
    expect(await segmentsTo(phone)).toBeLessThanOrEqual(PERSON_SEGMENTS);
    const refused = screens.filter((screen) => screen.includes(limit)).length;
    expect(refused).toBeGreaterThan(0);
    h.tally.limited += refused;
  });

  it(`when many phones ask, then the service sends at most ${SERVICE_SEGMENTS} segments a day, and /metrics and the console say so`, async () => {
    for (let n = 10; n < 30; n++) await dial(instances()[n % 2]!, h.phone(n), ['3', '480', '9']);
    const total = await allSegments();
    expect(total).toBeLessThanOrEqual(SERVICE_SEGMENTS);
    // Whole texts only: what is left under the cap is less than one more text of 4.80.
    expect(total).toBeGreaterThan(SERVICE_SEGMENTS - (await segmentsTo(h.phone(1))));
    let refused = 0;
    for (const s of instances()) {
      const metrics = await (
        await h.fetch(`${s.baseUrl}/metrics`, {
          headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` },
        })
      ).text();
      // Every instance reports the shared total, and the cap; each counts what it refused.
      expect(metrics).toContain(`dim_spend_today{kind="sms_segments"} ${total}`);
      expect(metrics).toContain(`dim_spend_cap{kind="sms_segments",scope="service"} ${SERVICE_SEGMENTS}`);
      refused += Number(
        /dim_spend_refused_total\{kind="sms_segments",scope="service"\} (\d+)/.exec(metrics)?.[1] ?? 0,
      );
    }
    expect(refused).toBeGreaterThan(0);
    h.tally.limited += refused;
    // The console's dashboard shows the day against the cap.
    const console = await a.service.spending.caps.today();
    expect(console.sms).toBe(total);
  });

  it(`when 300 numbers each miss 3 calls over both instances, then ${SERVICE_CALLS} call backs are placed in all, at most 2 per number`, async () => {
    let missed = 0;
    // 25 callers at a time, each one's 3 calls in turn, alternating instances: the caps are
    // tested under concurrency, and 900 requests do not queue one by one on a busy machine.
    const caller = async (n: number) => {
      for (let k = 0; k < 3; k++) {
        const call = missed++;
        await h.fetch(`${instances()[call % 2]!.baseUrl}/voice/${token}`, {
          method: 'POST',
          headers: FORM,
          body: form({
            isActive: '1',
            sessionId: `ATVId_spend_${call}`,
            direction: 'Inbound',
            callerNumber: h.phone(1000 + n),
            destinationNumber: '+22320000000',
          }),
        });
      }
    };
    for (let first = 0; first < 300; first += 25)
      await Promise.all(Array.from({ length: 25 }, (_, i) => caller(first + i)));
    // A forged caller number from abroad is never called.
    await h.fetch(`${a.baseUrl}/voice/${token}`, {
      method: 'POST',
      headers: FORM,
      body: form({
        isActive: '1',
        sessionId: 'ATVId_spend_abroad',
        direction: 'Inbound',
        callerNumber: '+33612345678',
        destinationNumber: '+22320000000',
      }),
    });
    const placed = [];
    for (const s of instances()) {
      await s.service.callBacks.callbacks.flush();
      placed.push(...s.service.callBacks.outbox!.list());
    }
    expect(placed).toHaveLength(SERVICE_CALLS);
    const perPerson = new Map<string, number>();
    for (const call of placed) perPerson.set(call.to, (perPerson.get(call.to) ?? 0) + 1);
    expect(Math.max(...perPerson.values())).toBeLessThanOrEqual(2);
    expect(placed.some((call) => call.to === a.service.pseudonymize('+33612345678'))).toBe(false);
    h.tally.limited += 900 - SERVICE_CALLS;
  }, 120_000);
});
