import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../src/core/normalize.js';
import { t, type MessageKey } from '../src/i18n/index.js';
import { startFakeBotApi, type FakeBotApi } from './support/fake-bot-api.js';
import { textMessage } from './support/telegram.js';
import { notification, startWhatsAppService, text, type WhatsAppHarness } from './support/whatsapp.js';

/**
 * Issue 29: the same dialogues, typed on SMS, Telegram and WhatsApp of ONE real service, give the
 * same answers: the same recommendation opened, the same first results, the same sentence, in the
 * same language. Each channel lays its answer out its own way (GSM-7 pages, HTML and buttons,
 * WhatsApp lists); what is compared is what the person is told, read back from what was sent.
 */
const TOKEN = '123456:CHANNELS-token';
const SECRET = 'webhook_Secret-channels';
const HOOK = '/tg/channels-hook';

let harness: WhatsAppHarness;
let bot: FakeBotApi;
let update = 40_000;
let person = 0;

const DIALOGUES: string[][] = [
  ['recommandation n°2.10'],
  ['la 215 svp'],
  ['2.11', "c'est appliqué ?"],
  ['eau potable', '2'],
  ['T2', '5'],
  ['2.10', 'la suivante'],
  ['Bonjour'],
  ['merci beaucoup'],
  ['comment ça marche ?'],
  ["c'est quoi le dialogue inter-maliens ?"],
  ['le prix du riz'],
  ['espece de crapaud'],
  ['what does the report say about water', '2'],
  ['i ni ce'],
  ['le 3e'],
  ['ABONNE'],
  ['tell me about recommendation 3.45', 'is it done?'],
];

/** What a person is told, as one line per sentence: "open 2.10 [fr]", "list 3.13,3.15 [en]". */
interface Told {
  what: string;
  lang: string;
}

/** The sentences that say what an answer is, per channel where channels word it their own way. */
const SAYS: Array<[string, MessageKey[]]> = [
  ['follow', ['followup.title']],
  ['followGeneral', ['followup.general']],
  ['open', ['sms.recommendation.header', 'summary.title', 'recommendation.title']],
  ['list', ['search.resultsTitle', 'search.closeTitle', 'search.resultsTitleBare', 'search.closeTitleBare']],
  ['notInReport', ['search.notInReport']],
  ['notUnderstood', ['search.none']],
  ['greeting', ['smallTalk.greeting']],
  ['thanks', ['smallTalk.reply']],
  ['ack', ['smallTalk.ack']],
  ['pick', ['pick.none', 'pick.range']],
  ['which', ['context.none']],
  ['subscribe', ['subscribe.unavailable']],
  ['help', ['sms.help', 'help.title', 'help.text']],
  ['about', ['sms.about.short', 'about.title']],
  ['theme', ['theme.title', 'sms.theme.summary']],
];

/** A placeholder as it reads once folded: an id "2 10", a theme "2", a count, or any words. */
const SHAPES: Record<string, string> = { id: '\\d \\d{1,3}', theme: '\\d', count: '\\d+' };

const templates = SAYS.flatMap(([what, keys]) =>
  ['fr', 'en', 'bm'].flatMap((lang) =>
    keys.map((key) => {
      // Folded on both sides: GSM-7 spellings, HTML entities and quotes do not matter.
      const source = t(lang, key)
        .split(/(\{\w+\})/)
        .map((part) => {
          const name = /^\{(\w+)\}$/.exec(part)?.[1];
          if (name) return `(?:${SHAPES[name] ?? '.+?'})`;
          return fold(part).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .filter((part) => part !== '')
        .join(' ?');
      // Every channel opens its answer with the sentence that says what it is.
      return { what, lang, re: new RegExp(`^${source}`) };
    }),
  ),
);

function told(sent: string): Told {
  // HTML out, folded, and an SMS page counter ("(1/2) ") off the start.
  const html = sent
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/<[^>]+>/g, ' ');
  const folded = fold(html).replace(/^\d+ \d+ /, '');
  // Each id once, in order (a list's first SMS names its first id in how to read one, then lists it).
  const ids = [...new Set([...sent.matchAll(/(?<![\d.])(\d\.\d{1,3})(?![\d.])/g)].map((m) => m[1]!))];
  for (const { what, lang, re } of templates) {
    if (!re.test(folded)) continue;
    if (what === 'open' || what === 'follow') return { what: `${what} ${ids[0]}`, lang };
    // The first two: what a one-segment SMS shows at once.
    if (what === 'list') return { what: `list ${ids.slice(0, 2).join(',')}`, lang };
    return { what, lang };
  }
  return { what: `unrecognised: ${sent.slice(0, 80)}`, lang: '?' };
}

async function sms(texts: string[]): Promise<Told[]> {
  const from = `+2237400${String(++person).padStart(4, '0')}`;
  const out: Told[] = [];
  for (const body of texts) {
    const outbox = harness.service.sms.outbox!;
    const before = outbox.list().length;
    const form = new URLSearchParams({ from, to: '36000', text: body, id: `ch-${++update}` });
    expect((await fetch(`${harness.baseUrl}/sms`, { method: 'POST', body: form })).status).toBe(200);
    await harness.service.sms.flush();
    out.push(told(outbox.list().slice(before)[0]?.text ?? ''));
  }
  return out;
}

async function telegram(texts: string[]): Promise<Told[]> {
  const chat = 700_000 + ++person;
  const out: Told[] = [];
  for (const body of texts) {
    const before = bot.calls.length;
    const response = await fetch(`${harness.baseUrl}${HOOK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: ++update, ...textMessage(body, { id: chat }) }),
    });
    expect(response.status).toBe(200);
    const call = bot.calls
      .slice(before)
      .find((c) => c.method === 'sendMessage' && c.payload.chat_id === chat);
    const keyboard = (call?.payload.reply_markup as { inline_keyboard?: Array<Array<{ text: string }>> })
      ?.inline_keyboard;
    const buttons = (keyboard ?? []).flat().map((button) => button.text);
    out.push(told([String(call?.payload.text ?? ''), ...buttons].join('\n')));
  }
  return out;
}

async function whatsapp(texts: string[]): Promise<Told[]> {
  const from = `2237500${String(++person).padStart(4, '0')}`;
  const out: Told[] = [];
  for (const body of texts) {
    const before = harness.graph.calls.length;
    expect((await harness.deliver(notification([text(body, { from })]))).status).toBe(200);
    const payload = harness.graph.calls.slice(before)[0]?.payload as
      | {
          text?: { body: string };
          interactive?: {
            header?: { text?: string };
            body: { text: string };
            action: {
              sections?: Array<{ rows: Array<{ title: string; description?: string }> }>;
              buttons?: Array<{ reply: { title: string } }>;
            };
          };
        }
      | undefined;
    const interactive = payload?.interactive;
    if (!interactive) {
      out.push(told(payload?.text?.body ?? ''));
      continue;
    }
    const rows = [
      ...(interactive.action.sections ?? []).flatMap((section) => section.rows.map((row) => row.title)),
      ...(interactive.action.buttons ?? []).map((button) => button.reply.title),
    ];
    // A card's header says what it is ("Recommandation 2.10"); a list's header only names the list.
    const asCard = told([interactive.header?.text ?? '', interactive.body.text, ...rows].join('\n'));
    out.push(asCard.lang !== '?' ? asCard : told([interactive.body.text, ...rows].join('\n')));
  }
  return out;
}

beforeAll(async () => {
  bot = await startFakeBotApi();
  harness = await startWhatsAppService({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_URL: `https://bot.example.org${HOOK}`,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: bot.url,
  });
});
afterAll(async () => {
  await harness?.close();
  await bot?.close();
});

describe('the same dialogues on SMS, Telegram and WhatsApp', () => {
  it.each(DIALOGUES.map((dialogue) => [dialogue.join(' → '), dialogue] as const))(
    'when %s is typed on each channel, then each is told the same',
    async (_name, dialogue) => {
      const bySms = await sms(dialogue);
      expect(
        bySms.every((answer) => !answer.what.startsWith('unrecognised')),
        JSON.stringify(bySms),
      ).toBe(true);
      expect(await telegram(dialogue)).toEqual(bySms);
      expect(await whatsapp(dialogue)).toEqual(bySms);
    },
  );

  it('when the answers are read, then they are what the dialogues ask for (not merely the same mistake)', async () => {
    expect(await sms(['recommandation n°2.10'])).toEqual([{ what: 'open 2.10', lang: 'fr' }]);
    expect((await sms(['2.11', "c'est appliqué ?"]))[1]).toEqual({ what: 'follow 2.11', lang: 'fr' });
    expect((await sms(['T2', '5']))[1]).toEqual({ what: 'open 2.5', lang: 'fr' });
    expect((await sms(['what does the report say about water']))[0]!.lang).toBe('en');
    expect(await sms(['i ni ce'])).toEqual([{ what: 'greeting', lang: 'bm' }]);
  });
});
