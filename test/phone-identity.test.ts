import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPseudonym } from '../adapters/telegram/context.js';
import { createPseudonymizer } from '../src/privacy/pseudonym.js';
import { isMaliNumber, phoneIdentity, toE164 } from '../src/privacy/phone.js';
import { startSmsHarness, type SmsHarness } from './support/sms.js';

/**
 * Issue 33, point 3: `0022376000002`, `76000002` and `+2230076000002` were three pseudonyms for
 * one person (three budgets, three caps, and a STOP sent from one form did not hold for another).
 * One normaliser (src/privacy/phone.ts) now stands before every hash of a number.
 */
const FORMS = [
  '+22376000002',
  '22376000002',
  '0022376000002',
  '76000002',
  '+2230076000002',
  '+223 76 00 00 02',
];

describe('one Malian number, one pseudonym', () => {
  it.each(FORMS)('when the number is written %s, then it reads as +22376000002', (form) => {
    expect(toE164(form)).toBe('+22376000002');
    expect(phoneIdentity(form)).toBe('22376000002');
    expect(isMaliNumber(form)).toBe(true);
  });

  it('when every form is pseudonymised, then all give the pseudonym of the E.164 form (the one stored before)', () => {
    const pseudonymize = createPseudonymizer('phone-identity-key-0123456789');
    const pseudonyms = new Set(FORMS.map((form) => pseudonymize(form)));
    expect(pseudonyms.size).toBe(1);
  });

  it('when numbers of other countries or no number at all come in, then they are not read as Malian', () => {
    expect(toE164('+33612345678')).toBe('+33612345678');
    expect(toE164('0033612345678')).toBe('+33612345678');
    expect(isMaliNumber('+33612345678')).toBe(false);
    expect(toE164('+2237600000')).toBeUndefined(); // seven national digits
    expect(toE164('36000')).toBeUndefined(); // a short code
    expect(toE164('not a number')).toBeUndefined();
    expect(phoneIdentity('36000')).toBe('36000');
  });

  it('when a Telegram chat id has eight digits, then it is hashed as an id, not as a Malian number', () => {
    const pseudonymize = createPseudonymizer('phone-identity-key-0123456789');
    expect(chatPseudonym(pseudonymize, 76000002)).not.toBe(pseudonymize('+22376000002'));
  });
});

describe('a STOP holds for every way the number is written', () => {
  let sms: SmsHarness;
  beforeAll(async () => {
    sms = await startSmsHarness({ LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await sms.stop();
  });

  it('when STOP comes from 0022376000002, then messages from 76000002 and +22376000002 get nothing', async () => {
    expect((await sms.incoming('STOP', { from: '0022376000002' })).status).toBe(200);
    const before = (await sms.outbox()).length;
    await sms.incoming('eau', { from: '+22376000002' });
    await sms.incoming('2.15', { from: '76000002' });
    expect((await sms.outbox()).length).toBe(before);
  });
});
