import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { toGsm7 } from '../src/text/gsm7.js';
import { startFakeBotApi, type FakeBotApi } from './support/fake-bot-api.js';
import { textMessage } from './support/telegram.js';
import { startService } from './support/service.js';
import { AtSession } from './support/ussd.js';
import { notification, startWhatsAppService, text, type WhatsAppHarness } from './support/whatsapp.js';

/**
 * Issue 20 through every channel of ONE real service: an editor's follow-up entry shows under
 * the recommendation on SMS, USSD, Telegram, WhatsApp and the API; SUIVI, ABONNE, DESABONNE
 * and STOP work on the text channels. The entry is published in the store and the snapshot
 * refreshed, as the console does after a save.
 */
const TOKEN = '123456:FOLLOWUP-token';
const SECRET = 'webhook_Secret-followup';
const HOOK = '/tg/followup-hook';
const SOURCE = 'Décret n°2025-0123 du 7 août 2025';

let harness: WhatsAppHarness;
let bot: FakeBotApi;
let updateId = 9000;

async function sms(text: string, from: string): Promise<string[]> {
  const before = harness.service.sms.outbox!.list().length;
  const form = new URLSearchParams({
    from,
    to: '36000',
    text,
    date: '2026-01-15 10:00:00',
    id: `fu-${++updateId}`,
  });
  const response = await fetch(`${harness.baseUrl}/sms`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  await harness.service.sms.flush();
  return harness.service.sms
    .outbox!.list()
    .slice(before)
    .map((entry) => entry.text);
}

async function telegram(text: string, chatId: number): Promise<string[]> {
  const before = bot.calls.length;
  const response = await fetch(`${harness.baseUrl}${HOOK}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({ update_id: ++updateId, ...textMessage(text, { id: chatId }) }),
  });
  expect(response.status).toBe(200);
  return bot.calls
    .slice(before)
    .filter((call) => call.method === 'sendMessage' && call.payload.chat_id === chatId)
    .map((call) => String(call.payload.text));
}

async function whatsapp(body: string, from: string): Promise<string[]> {
  const before = harness.graph.calls.length;
  expect((await harness.deliver(notification([text(body, { from })]))).status).toBe(200);
  return harness.graph.calls.slice(before).map((call) => JSON.stringify(call.payload));
}

beforeAll(async () => {
  bot = await startFakeBotApi();
  harness = await startWhatsAppService({
    SUBSCRIBERS_KEY: 's'.repeat(32),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_URL: `https://bot.example.org${HOOK}`,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: bot.url,
  });
  await harness.service.followUp.followUps.publish('2.10', {
    status: 'in_progress',
    date: '2025-08-07',
    source: SOURCE,
    note: '',
    editor: 'Awa',
  });
  await harness.service.followUpSnapshot.refresh();
});
afterAll(async () => {
  await harness?.close();
  await bot?.close();
});

const inProgress = t('fr', 'followup.status.in_progress');

describe('a published follow-up under the recommendation, on every channel', () => {
  it('when 2.10 is asked by SMS, then the reply carries its status and its source (GSM-7)', async () => {
    const replies = await sms('2.10', '+22370001001');
    const all = replies.join('\n');
    expect(all).toContain(toGsm7(`Suivi : ${inProgress}`));
    expect(all).toContain(toGsm7('Décret n°2025-0123'));
    // The editor's name is ours to know, never shown to the public.
    expect(all).not.toContain('Awa');
  });

  it('when 2.10 is read on USSD to its last page, then the follow-up line is there and every screen fits', async () => {
    const session = new AtSession(harness.baseUrl);
    let answer = await session.dial('3', '210');
    const seen = [answer.screen];
    for (
      let i = 0;
      i < 10 && !answer.screen.includes('Suivi') && answer.lines.some((l) => l.startsWith('98 '));
      i++
    ) {
      answer = await session.type('98');
      seen.push(answer.screen);
    }
    expect(seen.join('\n')).toContain(toGsm7(`Suivi : ${inProgress}`));
    for (const screen of seen) expect(screen.length).toBeLessThanOrEqual(182);
  });

  it('when 2.10 is sent on Telegram, then the message shows the status and the source', async () => {
    const replies = await telegram('2.10', 880001);
    expect(replies.join('\n')).toContain(inProgress);
    expect(replies.join('\n')).toContain('Décret n°2025-0123');
  });

  it('when 2.10 is sent on WhatsApp, then the card is followed by the follow-up line', async () => {
    const sent = await whatsapp('2.10', '22370001002');
    expect(sent.join('\n')).toContain(inProgress);
    expect(sent.join('\n')).toContain('Décret n°2025-0123');
  });

  it('when the API is asked for 2.10, then it carries the follow-up without the editor', async () => {
    const body = (await (await fetch(`${harness.baseUrl}/api/recommendations/2.10`)).json()) as Record<
      string,
      unknown
    >;
    expect(body.followUp).toMatchObject({
      status: 'in_progress',
      date: '2025-08-07',
      source: SOURCE,
      version: 1,
    });
    expect(JSON.stringify(body)).not.toContain('Awa');
  });
});

describe('SUIVI, ABONNE, DESABONNE and STOP on the text channels', () => {
  it('when SUIVI 2.11 is sent and nothing is published for it, then the answer is honest', async () => {
    const replies = await sms('SUIVI 2.11', '+22370001003');
    expect(replies.join('\n')).toContain(toGsm7('Aucune information officielle de suivi à ce jour.'));
    expect((await telegram('suivi 2.11', 880002)).join('\n')).toContain(
      'Aucune information officielle de suivi à ce jour.',
    );
    expect((await whatsapp('ou en est la 2.11', '22370001004')).join('\n')).toContain(
      'Aucune information officielle de suivi à ce jour.',
    );
  });

  it('when SUIVI 2.10 is sent, then the published status and source come back', async () => {
    const replies = await sms('suivi 210', '+22370001005');
    expect(replies.join('\n')).toContain(toGsm7(inProgress));
    expect(replies.join('\n')).toContain(toGsm7(SOURCE));
  });

  it('when ABONNE T3 is sent on SMS, Telegram and WhatsApp, then each person is subscribed to theme 3 on their channel, sealed', async () => {
    const store = harness.service.followUp.subscriptionStore!;
    await sms('ABONNE T3', '+22370001006');
    await telegram('abonne t3', 880003);
    await whatsapp('abonne moi au theme 3', '22370001007');
    const subscribers = await store.audience({ kind: 'theme', theme: 3 });
    const channels = subscribers.map((s) => s.channel).sort();
    expect(channels).toEqual(['sms', 'telegram', 'whatsapp']);
    // No number or chat id in clear in what is stored.
    const stored = JSON.stringify(subscribers);
    for (const raw of ['22370001006', '880003', '22370001007']) expect(stored).not.toContain(raw);
  });

  it('when DESABONNE follows ABONNE, then the person is no longer in any audience and the reply says STOP stops everything', async () => {
    const phone = '+22370001008';
    await sms('ABONNE', phone);
    const pseudonym = harness.service.pseudonymize(phone);
    expect(await harness.service.followUp.subscriptionStore!.get(pseudonym)).toBeDefined();
    const replies = await sms('desabonne', phone);
    expect(replies.join('\n')).toContain(toGsm7(t('fr', 'unsubscribe.done')));
    expect(await harness.service.followUp.subscriptionStore!.get(pseudonym)).toBeUndefined();
    // DESABONNE is not STOP: the person still gets answers.
    expect((await sms('2.10', phone)).length).toBeGreaterThan(0);
  });

  it('when a subscriber sends STOP, then the subscription is gone too and ABONNE is refused until START', async () => {
    const phone = '+22370001009';
    await sms('ABONNE', phone);
    const pseudonym = harness.service.pseudonymize(phone);
    await sms('STOP', phone);
    expect(await harness.service.followUp.subscriptionStore!.get(pseudonym)).toBeUndefined();
    // Opted out: nothing kept, and the one answer says the way back goes through START.
    expect(await sms('ABONNE', phone)).toEqual([toGsm7(t('fr', 'subscribe.optedOut'))]);
    expect(await sms('2.10', phone)).toEqual([]);
    expect(await harness.service.followUp.subscriptionStore!.get(pseudonym)).toBeUndefined();
    await sms('START', phone);
    expect((await sms('ABONNE', phone)).join('\n')).toContain(toGsm7(t('fr', 'subscribe.all')));
  });

  it('when a Telegram subscriber sends STOP, then the subscription is forgotten and the reply says the news ended (Telegram has no opt-out list)', async () => {
    await telegram('ABONNE', 880004);
    const pseudonym = (await harness.service.followUp.subscriptionStore!.audience({ kind: 'all' })).find(
      (s) => s.channel === 'telegram' && s.all,
    )?.pseudonym;
    expect(pseudonym).toBeDefined();
    expect((await telegram('STOP', 880004)).join('\n')).toContain(t('fr', 'unsubscribe.stopped'));
    expect(await harness.service.followUp.subscriptionStore!.get(pseudonym!)).toBeUndefined();
    // No longer a subscriber: STOP says what Telegram users do to receive nothing.
    expect((await telegram('STOP', 880004)).join('\n')).toContain(t('fr', 'stop.info'));
  });
});

describe('without SUBSCRIBERS_KEY (subscriptions off)', () => {
  it('when someone sends "désabonner" by SMS, then it is a STOP as before: confirmed, and nothing is answered after it', async () => {
    const plain = await startService({ LOG_LEVEL: 'warn' });
    try {
      const outbox = plain.service.sms.outbox!;
      const send = async (text: string) => {
        const before = outbox.list().length;
        const form = new URLSearchParams({
          from: '+22370001999',
          to: '36000',
          text,
          id: `nokey-${++updateId}`,
        });
        expect((await fetch(`${plain.baseUrl}/sms`, { method: 'POST', body: form })).status).toBe(200);
        await plain.service.sms.flush();
        return outbox
          .list()
          .slice(before)
          .map((e) => e.text);
      };
      expect(plain.service.followUp.subscriptions).toBeUndefined();
      const confirmation = (await send('désabonner')).join('\n');
      expect(confirmation).not.toContain(toGsm7(t('fr', 'subscribe.unavailable')));
      expect(await plain.service.sms.optOuts.has(plain.service.pseudonymize('+22370001999'))).toBe(true);
      expect(await send('2.10')).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('when someone sends ABONNE by SMS, then they are told subscriptions are not available (not "the report does not speak of ABONNE")', async () => {
    const plain = await startService({ LOG_LEVEL: 'warn' });
    try {
      const form = new URLSearchParams({
        from: '+22370001998',
        to: '36000',
        text: 'ABONNE',
        id: `nokey-${++updateId}`,
      });
      expect((await fetch(`${plain.baseUrl}/sms`, { method: 'POST', body: form })).status).toBe(200);
      await plain.service.sms.flush();
      expect(plain.service.sms.outbox!.list().map((e) => e.text)).toEqual([
        toGsm7(t('fr', 'subscribe.unavailable')),
      ]);
    } finally {
      await plain.close();
    }
  });
});
