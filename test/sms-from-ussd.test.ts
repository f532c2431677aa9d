import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';

let sms: SmsHarness;
beforeAll(async () => {
  sms = await startSmsHarness();
});
afterAll(async () => {
  await sms.stop();
});

/** One USSD session as Africa's Talking drives it: `text` is every input so far joined by `*`. */
async function dial(phone: string, sessionId: string, inputs: string[]): Promise<string> {
  let screen = '';
  for (let i = 0; i <= inputs.length; i++) {
    const form = new URLSearchParams({
      sessionId,
      serviceCode: '*384*12#',
      phoneNumber: phone,
      networkCode: '61001',
      text: inputs.slice(0, i).join('*'),
    });
    const response = await fetch(`${sms.baseUrl}/ussd`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    screen = await response.text();
  }
  return screen;
}

describe('SMS asked for from a USSD recommendation screen', () => {
  it('when a person on 2.15 chooses "send by SMS", then the report text of 2.15 reaches their phone by SMS, once', async () => {
    const phone = '+22370000041';
    const screen = await dial(phone, 'ussd-sms-1', ['3', '215']);
    const option = /^(\d+) .*SMS/im.exec(screen)?.[1];
    expect(option, screen).toBeDefined();
    const before = (await sms.outbox()).length;
    await dial(phone, 'ussd-sms-2', ['3', '215', option!]);
    const sent = (await sms.outbox()).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(sms.service.pseudonymize(phone));
    expect(sent[0]!.text).toContain(toGsm7(sms.service.engine.recommendation('2.15')!.text));
    expect(sent[0]!.encoding).toBe('GSM-7');
  });

  it('when a person on the USSD About screen chooses 9, then the About text reaches their phone by SMS and the screen says so', async () => {
    const phone = '+22370000043';
    const about = await dial(phone, 'ussd-sms-5', ['4']);
    expect(about.split('\n')).toContain(`9 ${toGsm7(t('fr', 'ussd.nav.sms'))}`);
    const before = (await sms.outbox()).length;
    const confirmation = await dial(phone, 'ussd-sms-6', ['4', '9']);
    expect(confirmation).toContain(toGsm7(t('fr', 'ussd.sms.aboutSent')));
    const sent = (await sms.outbox()).slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((entry) => entry.to === sms.service.pseudonymize(phone))).toBe(true);
    const summary = toGsm7(t('fr', 'about.summary')).slice(0, 40);
    expect(sent.map((entry) => entry.text).join(' ')).toContain(summary);
  });

  it('when a person who sent STOP asks from USSD, then no SMS is sent', async () => {
    const phone = '+22370000042';
    await sms.incoming('STOP', { from: phone });
    const screen = await dial(phone, 'ussd-sms-3', ['3', '215']);
    const option = /^(\d+) .*SMS/im.exec(screen)?.[1];
    expect(option, screen).toBeDefined();
    const before = (await sms.outbox()).length;
    await dial(phone, 'ussd-sms-4', ['3', '215', option!]);
    expect((await sms.outbox()).slice(before)).toEqual([]);
  });
});
