import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { BOT_USERNAME, startTestChat, type Person, type TestChat } from './support/bot-api-test-server.js';

/**
 * Issue 37 against the Bot API test server (telegram-test-api), the service polling it: a group
 * of three, and quick thumbs in a private chat. Every answer and edit is read from the server.
 */
const GROUP = -1001234567890;
const moussa: Person = { id: 71001, name: 'Moussa', lang: 'fr' };
const fanta: Person = { id: 71002, name: 'Fanta', lang: 'fr' };
const awa: Person = { id: 71003, name: 'Awa', lang: 'fr' };
const seydou: Person = { id: 71004, name: 'Seydou', lang: 'fr' };
const bot = `@${BOT_USERNAME}`;

let chat: TestChat;
beforeAll(async () => {
  chat = await startTestChat();
});
afterAll(() => chat?.close());

describe('telegram in a group, against the Bot API test server', () => {
  it('when Moussa asks the bot in the group, then the answer is a reply to his message', async () => {
    const asked = await chat.say(moussa, `${bot} 2.15`, GROUP);
    const [answer] = await chat.waitForMessages(GROUP, 1);
    expect(answer!.text).toContain('Recommandation 2.15');
    expect(answer!.replyTo).toBe(asked);
  });

  it("when Fanta switches to English with /language@bot en, then her answers are in English and Moussa's stay French", async () => {
    const before = chat.messages(GROUP).length;
    const asked = await chat.say(fanta, `/language@${BOT_USERNAME} en`, GROUP);
    const confirmed = (await chat.waitForMessages(GROUP, before + 1))[before]!;
    expect(confirmed.text).toContain('Language: English');
    expect(confirmed.replyTo).toBe(asked);

    const moussaAsks = await chat.say(moussa, `${bot} eau`, GROUP);
    const forMoussa = (await chat.waitForMessages(GROUP, before + 2))[before + 1]!;
    expect(forMoussa.replyTo).toBe(moussaAsks);
    expect(forMoussa.text).toContain('Résultats pour');

    await chat.say(fanta, `${bot} eau`, GROUP);
    const forFanta = (await chat.waitForMessages(GROUP, before + 3))[before + 2]!;
    expect(forFanta.text).toContain('Results for');
  });

  it('when Fanta taps a button of the menu Moussa opened, then it stays as it is and only she is told, in English', async () => {
    const before = chat.messages(GROUP).length;
    const asked = await chat.say(moussa, `/theme@${BOT_USERNAME} 3`, GROUP);
    const menu = (await chat.waitForMessages(GROUP, before + 1))[before]!;
    expect(menu.replyTo).toBe(asked);
    expect(menu.text).toContain('Thème 3');
    const answered = chat.calls.filter((c) => c.method === 'answerCallbackQuery').length;

    await chat.tap(fanta, menu, 't:3:1');
    const [hint] = (await chat.waitForCalls('answerCallbackQuery', answered + 1)).slice(answered);
    expect(hint!.text).toBe(t('en', 'tg.notYours', { bot: BOT_USERNAME }));
    expect(String(hint!.text).length).toBeLessThanOrEqual(200);
    // Everything Fanta did in the group is handled once her help is there: the menu is untouched.
    const help = await chat.settle(fanta, GROUP);
    const after = chat.messages(GROUP).filter((m) => m.id !== help.id);
    expect(after).toHaveLength(before + 1);
    expect(after[before]).toEqual(menu);

    // Moussa's own tap pages his menu, in place, in French.
    await chat.tap(moussa, menu, 't:3:1');
    const paged = await chat.waitFor('the menu on its page 2', () => {
      const now = chat.messages(GROUP).find((m) => m.id === menu.id)!;
      return now.buttons[0]!.callback_data!.startsWith('r:3.9~') ? now : undefined;
    });
    expect(paged.text).toContain('Thème 3');
    expect(chat.messages(GROUP)).toHaveLength(before + 2);
  });

  it('when Awa names the bot in the middle of a sentence, then the words after its name are searched and no name is echoed', async () => {
    const before = chat.messages(GROUP).length;
    const asked = await chat.say(awa, `Moussa tu peux demander à ${bot} pour la santé ?`, GROUP);
    const answer = (await chat.waitForMessages(GROUP, before + 1))[before]!;
    expect(answer.replyTo).toBe(asked);
    expect(answer.text).toContain('santé');
    expect(answer.text).not.toContain(BOT_USERNAME);
    expect(answer.text).not.toContain('Moussa');
    expect(answer.text).not.toContain('compris');
  });
});

describe('telegram under quick thumbs, against the Bot API test server', () => {
  const counter = async (value: string) => {
    const metrics =
      await chat.running.service.prometheus.registry.getSingleMetricAsString('dim_feedback_total');
    const line = metrics
      .split('\n')
      .find((l) => l.includes('channel="telegram"') && l.includes(`value="${value}"`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('when a list entry is tapped twice 80 ms apart, then the recommendation is sent once', async () => {
    await chat.say(seydou, '/theme 4');
    const [list] = await chat.waitForMessages(seydou.id, 1);
    const answered = chat.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    await chat.tap(seydou, list!, 'r:4.1');
    await pause(80);
    await chat.tap(seydou, list!, 'r:4.1');
    // Both taps are answered (no spinner left), one recommendation is sent.
    await chat.waitForCalls('answerCallbackQuery', answered + 2);
    const help = await chat.settle(seydou);
    const shown = chat.messages(seydou.id).filter((m) => m.id !== help.id);
    expect(shown.filter((m) => m.text.includes('Recommandation 4.1'))).toHaveLength(1);
    expect(shown).toHaveLength(2);
  });

  it('when 👍 is double-tapped and the other reaction tapped after, then one reaction is counted', async () => {
    const reco = chat.messages(seydou.id).find((m) => m.text.includes('Recommandation 4.1'))!;
    const useful = await counter('useful');
    const unclear = await counter('unclear');
    const answered = chat.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    await chat.tap(seydou, reco, 'f:4.1:1');
    await pause(80);
    await chat.tap(seydou, reco, 'f:4.1:1');
    await chat.waitForCalls('answerCallbackQuery', answered + 2);
    await chat.tap(seydou, reco, 'f:4.1:2');
    const thanks = (await chat.waitForCalls('answerCallbackQuery', answered + 3)).slice(answered);
    expect(thanks[0]!.text).toBe(t('fr', 'feedback.thanks', { id: '4.1' }));
    expect(thanks[2]!.text).toBe(t('fr', 'feedback.thanks', { id: '4.1' }));
    expect(await counter('useful')).toBe(useful + 1);
    expect(await counter('unclear')).toBe(unclear);
  });

  it('when theme 4 is paged and read with ◀ ▶, then the list and the reader are edited in place, and the opened recommendation stays', async () => {
    const helps = new Set<number>();
    const settled = async () => {
      helps.add((await chat.settle(seydou)).id);
      return chat.messages(seydou.id).filter((m) => !helps.has(m.id));
    };
    const before = await settled();
    const [list] = before;
    const reco = before.find((m) => m.text.includes('Recommandation 4.1'))!;
    const current = (id: number) => chat.messages(seydou.id).find((m) => m.id === id)!;
    const untilShows = (id: number, what: string) =>
      chat.waitFor(`${what} in message ${id}`, () =>
        current(id).text.includes(what) ? current(id) : undefined,
      );

    await chat.tap(seydou, list!, 't:4:1');
    const paged = await chat.waitFor('the list on its page 2', () =>
      current(list!.id).buttons[0]!.callback_data === 'r:4.9' ? current(list!.id) : undefined,
    );
    expect(paged.text).toContain('Thème 4');

    await chat.tap(seydou, reco, 'n:4.2');
    let reader = await chat.waitFor('the reader', () =>
      chat
        .messages(seydou.id)
        .find((m) => m.id > reco.id && !helps.has(m.id) && m.text.includes('Recommandation 4.2')),
    );
    expect(await settled()).toHaveLength(before.length + 1);
    for (const next of ['4.3', '4.4', '4.5']) {
      await chat.tap(seydou, reader, `v:${next}`);
      reader = await untilShows(reader.id, `Recommandation ${next}`);
    }
    await chat.tap(seydou, reader, 'v:4.4');
    await untilShows(reader.id, 'Recommandation 4.4');
    const after = await settled();
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((m) => m.id === reco.id)).toEqual(reco);
    expect(after.find((m) => m.id === list!.id)).toEqual(paged);
  });
});
