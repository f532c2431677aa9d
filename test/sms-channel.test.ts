import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGsm7, isGsm7 } from '../src/text/gsm7.js';
import { t } from '../src/i18n/index.js';
import { startSmsHarness, PHONE, type SmsHarness } from './support/sms.js';

let sms: SmsHarness;
beforeAll(async () => {
  sms = await startSmsHarness();
});
afterAll(async () => {
  await sms.stop();
});

let phoneCounter = 100;
/** Each case its own person, so language and pages from one case do not leak into another. */
const newPhone = () => `+2237000${String(++phoneCounter).padStart(4, '0')}`;

async function lastReplyTo(phone: string, text: string) {
  const before = (await sms.outbox()).length;
  const { status, body } = await sms.incoming(text, { from: phone });
  const box = await sms.outbox();
  const mine = box.slice(before).filter((entry) => entry.to === sms.service.pseudonymize(phone));
  return { status, kind: body.kind, replies: mine };
}

describe('SMS keywords (French and English, any case, with or without accents)', () => {
  const table: Array<[string, string]> = [
    ['AIDE', 'help'],
    ['aide', 'help'],
    ['Aide', 'help'],
    ['HELP', 'help'],
    ['?', 'help'],
    ['THEMES', 'themes'],
    ['thèmes', 'themes'],
    ['Thèmes', 'themes'],
    ['MENU', 'home'],
    ['menu', 'home'],
    ['T2', 'theme'],
    ['t2', 'theme'],
    ['THEME 2', 'theme'],
    ['thème 2', 'theme'],
    ['2.15', 'recommendation'],
    ['215', 'recommendation'],
    ['T2R15', 'recommendation'],
    ['2,15', 'recommendation'],
    ['INFO', 'about'],
    ['info', 'about'],
    ['FR', 'language'],
    ['EN', 'language'],
    ['SUITE', 'next'],
    ['suite', 'next'],
    ['PLUS', 'next'],
    ['NEXT', 'next'],
  ];
  for (const [text, kind] of table) {
    it(`when a person sends "${text}", then it is understood as ${kind} and one GSM-7 reply goes back`, async () => {
      const phone = newPhone();
      const { status, kind: got, replies } = await lastReplyTo(phone, text);
      expect(status).toBe(200);
      expect(got).toBe(kind);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.encoding).toBe('GSM-7');
      expect(isGsm7(replies[0]!.text)).toBe(true);
      expect(replies[0]!.segments).toBeLessThanOrEqual(sms.config.SMS_MAX_SEGMENTS);
    });
  }

  for (const text of ['STOP', 'stop', 'ARRET', 'arrêt', 'Arrêt']) {
    it(`when a person sends "${text}", then it is an opt-out confirmed once`, async () => {
      const phone = newPhone();
      const { kind, replies } = await lastReplyTo(phone, text);
      expect(kind).toBe('stop');
      expect(replies.map((r) => r.text)).toEqual([
        toGsm7('Vous ne recevrez plus de messages. Envoyez START pour revenir.'),
      ]);
    });
  }

  it('when a person sends a recommendation number, then the reply is the report text of that recommendation', async () => {
    const { replies } = await lastReplyTo(newPhone(), '215');
    const recommendation = sms.service.engine.recommendation('2.15')!;
    expect(replies[0]!.text).toContain(toGsm7(recommendation.text));
    expect(replies[0]!.text).toContain('2.15');
  });

  it('when a person sends words, then they are searched and the reply lists ids with labels or gives the clear winner', async () => {
    const { kind, replies } = await lastReplyTo(newPhone(), 'corruption');
    expect(['searchResults', 'recommendation']).toContain(kind);
    expect(replies[0]!.text).toMatch(/\b2\.2[01]\b/);
  });

  it('when a person sends EN, then later replies to that number are in English until FR', async () => {
    const phone = newPhone();
    expect((await lastReplyTo(phone, 'EN')).replies[0]!.text).toBe('Language: English.');
    expect((await lastReplyTo(phone, 'aide')).replies[0]!.text).toMatch(/^Send a number/);
    expect((await lastReplyTo(phone, 'fr')).replies[0]!.text).toBe(toGsm7('Langue : français.'));
    expect((await lastReplyTo(phone, 'help')).replies[0]!.text).toMatch(/^Envoyez un numéro/);
  });
});

describe('SMS paging with SUITE', () => {
  it('when 4.80 is asked for, then it arrives whole over several replies, each fetched with SUITE, and SUITE after the end goes on to 4.81', async () => {
    const phone = newPhone();
    const first = await lastReplyTo(phone, '4.80');
    const pages = [first.replies[0]!.text];
    const total = Number(/^\(1\/(\d+)\)/.exec(pages[0]!)?.[1]);
    expect(total).toBeGreaterThanOrEqual(3);
    for (let i = 2; i <= total; i++) {
      const next = await lastReplyTo(phone, i % 2 ? 'SUITE' : 'suite');
      expect(next.kind).toBe('next');
      pages.push(next.replies[0]!.text);
      expect(next.replies[0]!.text.startsWith(`(${i}/${total}) `)).toBe(true);
    }
    const recommendation = sms.service.engine.recommendation('4.80')!;
    const read = pages
      .map((p) => p.replace(/^\(\d+\/\d+\) /, '').replace(/\nEnvoyez SUITE\.$/, ''))
      .join('\n');
    for (const item of recommendation.items!) expect(read).toContain(toGsm7(item));
    // Its pages read, what follows a recommendation is the next one (issue 29: "la suite").
    const after = await lastReplyTo(phone, 'SUITE');
    expect(after.replies[0]!.text).toMatch(/^Rapport, 4\.81 :/);
    // After the last recommendation of the report, there is nothing more.
    await lastReplyTo(phone, '5.68');
    expect((await lastReplyTo(phone, 'SUITE')).replies[0]!.text).toBe(toGsm7("Il n'y a pas de suite."));
  });

  it('when a new question comes between pages, then SUITE continues the new answer, not the old one', async () => {
    const phone = newPhone();
    await lastReplyTo(phone, 'T4');
    await lastReplyTo(phone, '2.15');
    const after = await lastReplyTo(phone, 'SUITE');
    expect(after.replies[0]!.text).toMatch(/^Rapport, 2\.16 :/);
  });

  it('when nothing was read and SUITE is sent, then there is nothing more to send', async () => {
    const after = await lastReplyTo(newPhone(), 'SUITE');
    expect(after.replies[0]!.text).toMatch(/^Il n'y a pas de suite/);
  });
});

describe('SMS opt-out and duplicates', () => {
  it('when a person sends STOP, then nothing more is sent to that number until START, and a second STOP is not confirmed again', async () => {
    const phone = newPhone();
    expect((await lastReplyTo(phone, 'STOP')).replies).toHaveLength(1);
    for (const text of ['aide', '2.15', 'SUITE', 'STOP', 'eau']) {
      const { status, replies } = await lastReplyTo(phone, text);
      expect(status).toBe(200);
      expect(replies).toEqual([]);
    }
    const restart = await lastReplyTo(phone, 'START');
    expect(restart.replies.map((r) => r.text)).toEqual([
      toGsm7("C'est noté : vous recevez de nouveau nos réponses. Envoyez AIDE pour l'aide."),
    ]);
    expect((await lastReplyTo(phone, 'aide')).replies).toHaveLength(1);
  });

  it('when the gateway opts a number out in bulk, then nothing is sent to it', async () => {
    const phone = newPhone();
    const form = new URLSearchParams({ senderId: 'DIALOGUE', phoneNumber: phone });
    expect((await sms.post('/sms/optout', form.toString())).status).toBe(200);
    expect((await lastReplyTo(phone, 'aide')).replies).toEqual([]);
    expect(await sms.service.sms.sendRecommendationBySms(phone, '2.15', 'fr')).toBe('optedOut');
  });

  it('when the gateway delivers the same message id twice, then one reply is sent', async () => {
    const phone = newPhone();
    const before = (await sms.outbox()).length;
    const id = `ATXid_dup_${Date.now()}`;
    const results = await Promise.all([
      sms.incoming('aide', { from: phone, id }),
      sms.incoming('aide', { from: phone, id }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.body.status).sort()).toEqual(['accepted', 'duplicate']);
    const later = await sms.incoming('aide', { from: phone, id });
    expect(later.body.status).toBe('duplicate');
    const box = await sms.outbox();
    expect(box.slice(before).filter((e) => e.to === sms.service.pseudonymize(phone))).toHaveLength(1);
  });

  it('when USSD asks for a recommendation by SMS, then every page of it is sent at once, without SUITE', async () => {
    const phone = newPhone();
    const before = (await sms.outbox()).length;
    expect(await sms.service.sms.sendRecommendationBySms(phone, '4.80', 'fr')).toBe('sent');
    const sent = (await sms.outbox()).slice(before);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    sent.forEach((entry, i) => {
      expect(entry.text.startsWith(`(${i + 1}/${sent.length}) `)).toBe(true);
      expect(entry.text).not.toContain('SUITE');
    });
    expect(await sms.service.sms.sendRecommendationBySms(phone, '9.99', 'fr')).toBe('failed');
  });
});

describe('SMS privacy', () => {
  it('when messages have been exchanged, then neither the outbox, the logs nor the store hold the number or the text', async () => {
    const phone = '+22376543210';
    await sms.incoming('corruption des juges', { from: phone });
    const box = await sms.outbox();
    expect(JSON.stringify(box)).not.toContain('76543210');
    expect(sms.logs.text).not.toContain('76543210');
    expect(sms.logs.text).not.toContain('corruption des juges');
    expect(box.some((e) => e.to === sms.service.pseudonymize(phone))).toBe(true);
    expect(PHONE).not.toBe(phone);
  });
});

describe('SMS reactions (AVIS 2.10 1, FAUX), parsed by the shared conversation', () => {
  const counter = async (name: string, labels: string) => {
    const text = await sms.service.prometheus.registry.metrics();
    const m = new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  const fr = (key: Parameters<typeof t>[1], params: Record<string, string | number> = {}) =>
    toGsm7(t('fr', key, params));

  it('when a recommendation is read by SMS, then its last page tells how to react with AVIS', async () => {
    const { replies } = await lastReplyTo(newPhone(), '2.10');
    const pages = replies.map((r) => r.text).join('\n');
    expect(pages).toContain(fr('feedback.hint', { id: '2.10' }));
  });

  it('when a person sends "AVIS 2.10 1" then "avis 2,10 2", then each is thanked and counted per value', async () => {
    const phone = newPhone();
    const useful = await counter('dim_feedback_total', 'channel="sms",value="useful"');
    const unclear = await counter('dim_feedback_total', 'channel="sms",value="unclear"');
    const first = await lastReplyTo(phone, 'AVIS 2.10 1');
    expect(first.kind).toBe('feedback');
    expect(first.replies.map((r) => r.text)).toEqual([fr('feedback.thanks', { id: '2.10' })]);
    expect((await lastReplyTo(phone, 'avis 2,10 2')).kind).toBe('feedback');
    expect(await counter('dim_feedback_total', 'channel="sms",value="useful"')).toBe(useful + 1);
    expect(await counter('dim_feedback_total', 'channel="sms",value="unclear"')).toBe(unclear + 1);
  });

  it('when AVIS names no recommendation or no value, then the reply explains the form and nothing is counted', async () => {
    const before = await counter('dim_feedback_total', 'channel="sms",value="useful"');
    for (const text of ['AVIS', 'AVIS 9.99 1', 'avis 2.10 7']) {
      const { kind, replies } = await lastReplyTo(newPhone(), text);
      expect(kind).toBe('feedbackUsage');
      expect(replies.map((r) => r.text)).toEqual([fr('feedback.usage')]);
    }
    expect(await counter('dim_feedback_total', 'channel="sms",value="useful"')).toBe(before);
  });

  it('when FAUX follows a result list, then it is thanked and counted once; FAUX again or without a search explains', async () => {
    const phone = newPhone();
    const before = await counter('dim_wrong_answer_reports_total', 'channel="sms"');
    expect((await lastReplyTo(phone, 'eau')).kind).toBe('searchResults');
    const report = await lastReplyTo(phone, 'FAUX');
    expect(report.kind).toBe('wrongAnswer');
    expect(report.replies.map((r) => r.text)).toEqual([fr('wrong.thanks')]);
    expect((await lastReplyTo(phone, 'faux')).replies.map((r) => r.text)).toEqual([fr('wrong.nothing')]);
    expect((await lastReplyTo(newPhone(), 'FAUX')).replies.map((r) => r.text)).toEqual([fr('wrong.nothing')]);
    expect(await counter('dim_wrong_answer_reports_total', 'channel="sms"')).toBe(before + 1);
  });
});
