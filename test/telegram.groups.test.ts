import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { addressedText } from '../adapters/telegram/features/text.js';
import { TAP_WINDOW_SECONDS } from '../adapters/telegram/once.js';
import { t } from '../src/i18n/index.js';
import type { AnalyticsEvent, Clock } from '../src/ports/index.js';
import { BOT_INFO, botHarness, buttonsOf, callback, sent, textOf, type ApiCall } from './support/telegram.js';

/** Issue 37's rules on recorded Bot API calls (the e2e tests run them against the Bot API test server). */
type Step = Omit<Update, 'update_id'>;
const group = { id: -1004445556667, type: 'supergroup' as const, title: 'Famille' };
const moussa = { id: 81001, is_bot: false, first_name: 'Moussa', language_code: 'fr' };
const fanta = { id: 81002, is_bot: false, first_name: 'Fanta', language_code: 'en' };
const mention = `@${BOT_INFO.username}`;
let messageId = 10;

function say(from: typeof moussa, text: string, where: object = group): Step {
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }]
    : text.includes(mention)
      ? [{ type: 'mention', offset: text.indexOf(mention), length: mention.length }]
      : [];
  return { message: { message_id: ++messageId, date: 0, chat: where, from, text, entities } } as Step;
}

function tap(from: typeof moussa, on: ApiCall, data: string, where: object = group): Step {
  const button = buttonsOf(on).find((b) => String(b.callback_data).startsWith(data));
  return {
    callback_query: {
      id: `cb${++messageId}`,
      from,
      chat_instance: 'ci',
      data: String(button?.callback_data ?? data),
      message: {
        message_id: 900,
        date: 0,
        chat: where,
        text: textOf(on),
        reply_markup: on.payload.reply_markup,
      },
    },
  } as Step;
}

const answersOf = (calls: ApiCall[]) =>
  calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload.text);

describe('telegram: what is said to the bot in a sentence', () => {
  it.each([
    [`${mention} eau`, 'eau'],
    [`Awa tu peux demander à ${mention} pour la santé ?`, 'pour la santé ?'],
    [`la santé, ${mention} ?`, 'la santé,'],
    [`${mention.toUpperCase()} 2.15`, '2.15'],
    ['eau potable', 'eau potable'],
  ])('when %j is written, then %j is read', (text, read) => {
    expect(addressedText(text, BOT_INFO.username)).toBe(read);
  });
});

describe('telegram: each member of a group has their own conversation', () => {
  it('when Moussa gets a list and Fanta says "le 3e", then Fanta is asked which one; Moussa\'s "le 3e" opens his third', async () => {
    const h = botHarness();
    const [list] = sent(await h.send(say(moussa, `${mention} femmes`)));
    const third = buttonsOf(list).filter((b) => String(b.callback_data).startsWith('r:'))[2]!;
    const id = String(third.callback_data).slice(2).split('~')[0]!;
    const [forFanta] = sent(await h.send(say(fanta, `${mention} le 3e`)));
    expect(textOf(forFanta)).not.toContain(`Recommendation ${id}`);
    const [forMoussa] = sent(await h.send(say(moussa, `${mention} le 3e`)));
    expect(textOf(forMoussa)).toContain(`Recommandation ${id}`);
  });

  it('when the bot answers in a private chat, then nothing is threaded or tagged', async () => {
    const h = botHarness();
    const me = { id: moussa.id, type: 'private' as const, first_name: 'Moussa' };
    const [reply] = sent(await h.send(say(moussa, '/theme 2', me)));
    expect(reply!.payload.reply_parameters).toBeUndefined();
    expect(buttonsOf(reply).every((b) => !String(b.callback_data ?? '').includes('~'))).toBe(true);
  });
});

describe("telegram: a group's buttons act for whoever opened them", () => {
  it("when Fanta taps Moussa's reaction button, then her own reaction is counted; his menu button only hints", async () => {
    const events: AnalyticsEvent[] = [];
    const h = botHarness({ analytics: { record: (e) => events.push(e) } });
    const [reco] = sent(await h.send(say(moussa, `${mention} 2.15`)));
    const reacted = await h.send(tap(fanta, reco!, 'f:2.15:1'));
    expect(answersOf(reacted)).toEqual([t('en', 'feedback.thanks', { id: '2.15' })]);
    expect(events.filter((e) => e.type === 'feedback')).toHaveLength(1);
    const stepped = await h.send(tap(fanta, reco!, 'n:2.16'));
    expect(answersOf(stepped)).toEqual([t('en', 'tg.notYours', { bot: BOT_INFO.username })]);
    expect(sent(stepped)).toEqual([]);
    expect(stepped.some((c) => c.method.startsWith('edit'))).toBe(false);
  });

  it('when a button sent before owners were tagged is tapped in a group, then it acts as it always did', async () => {
    const h = botHarness();
    const old = {
      method: 'sendMessage',
      payload: { text: 'x', reply_markup: { inline_keyboard: [[{ text: '3', callback_data: 't:3:0' }]] } },
    };
    const calls = await h.send(tap(fanta, old, 't:3:0'));
    expect(textOf(calls.find((c) => c.method === 'editMessageText'))).toContain('Theme 3');
  });
});

describe('telegram: a tap once per person, message and button, for a few seconds', () => {
  it('when the same tap comes again after the window, then it acts again (the store keeps it TAP_WINDOW_SECONDS)', async () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now };
    const h = botHarness({ store: new MemorySessionStore(clock) });
    const tapOnList = callback('r:2.15');
    expect(sent(await h.send({ ...tapOnList }))).toHaveLength(1);
    expect(sent(await h.send({ ...tapOnList }))).toHaveLength(0);
    now += TAP_WINDOW_SECONDS * 1000 + 1;
    expect(sent(await h.send({ ...tapOnList }))).toHaveLength(1);
  });
});
