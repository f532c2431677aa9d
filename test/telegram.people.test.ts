import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../adapters/stores/rate-limiter.js';
import { LIST_LABEL_MAX } from '../adapters/telegram/layout.js';
import { t } from '../src/i18n/index.js';
import {
  BOT_INFO,
  botHarness,
  buttonsOf,
  inlineQuery,
  sent,
  textMessage,
  textOf,
  USER,
  type ApiCall,
  type Harness,
} from './support/telegram.js';

/** Issue 21: Telegram as people use it, on recorded Bot API calls. */

type Step = Omit<Update, 'update_id'>;
const chat = { id: USER.id, type: 'private' as const, first_name: USER.first_name };
const group = { id: -100555, type: 'supergroup' as const, title: 'Famille' };
const dataOf = (call: ApiCall | undefined) => buttonsOf(call).map((b) => String(b.callback_data));
const shown = (calls: ApiCall[]) =>
  calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');

function message(extra: Record<string, unknown>, where: object = chat): Step {
  return { message: { message_id: 7, date: 0, chat: where, from: USER, ...extra } } as Step;
}

/** A tap on a button of a message the bot sent: Telegram sends that message (and its buttons) back. */
function tapOn(on: ApiCall, data: string, messageId = 900): Step {
  return {
    callback_query: {
      id: `cb${Math.random().toString(36).slice(2)}`,
      from: USER,
      chat_instance: 'ci',
      data,
      message: {
        message_id: messageId,
        date: 0,
        chat,
        text: textOf(on),
        reply_markup: on.payload.reply_markup,
      },
    },
  } as Step;
}

async function open215(h: Harness): Promise<ApiCall> {
  return sent(await h.send(textMessage('2.15')))[0]!;
}

describe('telegram: an opened recommendation stays in the chat', () => {
  it.each([
    ['Thème', 't:2:1'],
    ['Menu', 'h'],
    ['▶', 'n:2.16'],
    ['◀', 'n:2.14'],
  ])(
    'when %s is tapped on a recommendation, then a new message answers and the recommendation is not edited',
    async (_, data) => {
      const h = botHarness();
      const reco = await open215(h);
      expect(dataOf(reco)).toContain(data);
      const calls = await h.send(tapOn(reco, data));
      expect(
        calls.filter((c) => c.method === 'editMessageText' || c.method === 'editMessageReplyMarkup'),
      ).toEqual([]);
      expect(sent(calls)).toHaveLength(1);
    },
  );

  it('when Menu is tapped on the theme list reached from a recommendation, then that list (not the recommendation) is edited', async () => {
    const h = botHarness();
    const reco = await open215(h);
    const list = sent(await h.send(tapOn(reco, 't:2:1')))[0]!;
    const calls = await h.send(tapOn(list, 'h', 901));
    const edit = calls.find((c) => c.method === 'editMessageText');
    expect(edit?.payload.message_id).toBe(901);
  });
});

describe('telegram: reading has its own budget', () => {
  it('when theme 4 is read with ▶ from 4.1 to the end, then all 81 open though the message budget is 30 a minute', async () => {
    const h = botHarness({ limiter: new MemoryRateLimiter(30), readingLimiter: new MemoryRateLimiter(120) });
    let current = sent(await h.send(textMessage('4.1')))[0]!;
    const seen = ['4.1'];
    for (;;) {
      const next = buttonsOf(current).find((b) => String(b.text).endsWith('▶'));
      if (!next) break;
      const calls = await h.send(tapOn(current, String(next.callback_data)));
      const answered = calls.find((c) => c.method === 'answerCallbackQuery');
      expect(answered?.payload.text, `refused after ${seen.at(-1)}`).toBeUndefined();
      current = shown(calls)[0]!;
      seen.push(/Recommandation (\d\.\d+)/.exec(textOf(current))![1]!);
    }
    expect(seen).toHaveLength(h.engine.recommendationsOf(4).length);
    expect(seen.at(-1)).toBe('4.81');
  });

  it('when reading taps pass the reading budget, then they are refused with the notice: abuse stays capped', async () => {
    const h = botHarness({ limiter: new MemoryRateLimiter(30), readingLimiter: new MemoryRateLimiter(5) });
    const reco = await open215(h);
    const answers: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      // Taps on seven messages: the same tap on one message is one tap (issue 37).
      const calls = await h.send(tapOn(reco, 'n:2.16', 900 + i));
      answers.push(calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text);
    }
    expect(answers.slice(0, 5).every((a) => a === undefined)).toBe(true);
    expect(String(answers[5])).toContain('Trop de demandes');
  });

  it('when an inline query is typed key by key past the message budget, then every key is answered on the reading budget', async () => {
    const h = botHarness({ limiter: new MemoryRateLimiter(5), readingLimiter: new MemoryRateLimiter(120) });
    const typed = 'réconciliation nationale';
    for (let k = 1; k <= typed.length; k++) {
      const [answer] = await h.send(inlineQuery(typed.slice(0, k)));
      expect((answer!.payload.results as unknown[]).length, typed.slice(0, k)).toBeGreaterThan(0);
    }
  });

  it('when typed messages pass the message budget, then reading taps still have theirs', async () => {
    const h = botHarness({ limiter: new MemoryRateLimiter(2), readingLimiter: new MemoryRateLimiter(10) });
    const reco = await open215(h);
    await h.send(textMessage('eau'));
    await h.send(textMessage('route')); // the third typed message: over
    const calls = await h.send(tapOn(reco, 'n:2.16'));
    expect(shown(calls)).toHaveLength(1);
  });
});

describe('telegram: every kind of message gets a fitting answer', () => {
  const voice = message({ voice: { file_id: 'v', file_unique_id: 'v', duration: 3 } });

  it('when a voice note arrives, then one short line says the bot reads text', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(voice));
    expect(textOf(reply)).toBe('Je ne lis que le texte : écrivez un numéro (2.15) ou un mot (eau).');
  });

  it('when a voice note arrives and a voice line is configured, then its number is given on that line', async () => {
    const h = botHarness({ voicePhoneNumber: '+223 20 00 00 00' });
    const text = textOf(sent(await h.send(voice))[0]);
    expect(text).toContain('+223 20 00 00 00');
    expect(text.split('\n')).toHaveLength(1);
  });

  it('when a photo captioned "eau" arrives, then the caption is searched like a typed message', async () => {
    const h = botHarness();
    const photo = message({
      photo: [{ file_id: 'p', file_unique_id: 'p', width: 9, height: 9 }],
      caption: 'eau',
    });
    expect(textOf(sent(await h.send(photo))[0])).toContain('Résultats pour «\u00a0eau\u00a0»');
  });

  it.each([
    ['a location', { location: { latitude: 12.6, longitude: -8 } }, 'positions'],
    [
      'a sticker',
      { sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1 } },
      'numéro',
    ],
    [
      'a photo without caption',
      { photo: [{ file_id: 'p', file_unique_id: 'p', width: 9, height: 9 }] },
      'légende',
    ],
  ])('when %s arrives, then a one-line pointer answers, not the help', async (_, extra, word) => {
    const h = botHarness();
    const text = textOf(sent(await h.send(message(extra)))[0]);
    expect(text).toContain(word);
    expect(text).not.toContain('/themes');
    expect(text.split('\n')).toHaveLength(1);
  });
});

describe('telegram: in a group, only what is addressed to the bot', () => {
  it('when an ordinary message is written in a group, then the bot stays silent', async () => {
    const h = botHarness();
    expect(await h.send(message({ text: 'bonjour à tous' }, group))).toEqual([]);
    expect(await h.send(message({ text: '2.15' }, group))).toEqual([]);
  });

  it('when the bot is mentioned, replied to, or sent a command in a group, then it answers', async () => {
    const h = botHarness();
    const mention = `@${BOT_INFO.username}`;
    const mentioned = message(
      { text: `${mention} 2.15`, entities: [{ type: 'mention', offset: 0, length: mention.length }] },
      group,
    );
    expect(textOf(sent(await h.send(mentioned))[0])).toContain('Recommandation 2.15');
    const reply = message(
      { text: 'eau', reply_to_message: { message_id: 3, date: 0, chat: group, from: BOT_INFO, text: 'x' } },
      group,
    );
    expect(textOf(sent(await h.send(reply))[0])).toContain('eau');
    const command = message(
      { text: `/themes@${BOT_INFO.username}`, entities: [{ type: 'bot_command', offset: 0, length: 21 }] },
      group,
    );
    expect(textOf(sent(await h.send(command))[0])).toContain('Les 5 thèmes');
  });

  it("when another bot's command is written in a group, then the bot stays silent", async () => {
    const h = botHarness();
    const other = message(
      { text: '/frobnicate@other_bot', entities: [{ type: 'bot_command', offset: 0, length: 21 }] },
      group,
    );
    expect(sent(await h.send(other))).toEqual([]);
  });
});

describe('telegram: a command with a wrong argument gets its usage', () => {
  it.each([
    ['/theme eau', '/theme'],
    ['/reco eau', '/reco'],
  ])(
    'when %s is sent, then the usage of the command answers, never the words echoed as a query',
    async (cmd, usage) => {
      const h = botHarness();
      const text = textOf(sent(await h.send(textMessage(cmd)))[0]);
      expect(text).toContain(usage);
      expect(text).not.toMatch(/Rien trouvé|Résultats/);
      expect(text).not.toContain('theme eau');
    },
  );
});

describe('telegram: numbers that are no recommendation', () => {
  it('when 300 is typed, then the reply says the report holds 300 recommendations in 5 themes', async () => {
    const h = botHarness();
    const text = textOf(sent(await h.send(textMessage('300')))[0]);
    expect(text).toContain('300 recommandations en 5 thèmes');
    expect(text).not.toContain('3.0');
  });

  it('when 10 is typed, then the reply asks "Vouliez-vous dire 1.10 ?" with a button that opens it', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('10')));
    expect(textOf(reply)).toMatch(/^Vouliez-vous dire 1\.10[ ,]/);
    expect(dataOf(reply)[0]).toBe('r:1.10');
  });
});

describe('telegram: the language chooser and the inline help', () => {
  it('when the chooser is shown, then it has a Menu button', async () => {
    const h = botHarness();
    const chooser = sent(await h.send(textMessage('/langue')))[0];
    expect(dataOf(chooser)).toContain('h');
  });

  it('when the inline answer finds nothing, then its button opens the help (not the home screen)', async () => {
    const h = botHarness();
    const answer = (await h.send(inlineQuery('zzzzqqq'))).find((c) => c.method === 'answerInlineQuery')!;
    const parameter = (answer.payload.button as { start_parameter: string }).start_parameter;
    const [reply] = sent(await h.send(textMessage(`/start ${parameter}`)));
    expect(textOf(reply)).toContain('<b>Aide</b>');
  });
});

describe('telegram: reads well', () => {
  it('when one or several results are found, then the count sentence is singular or plural, never "(s)"', async () => {
    const h = botHarness();
    const many = textOf(sent(await h.send(textMessage('/recherche eau')))[0]);
    expect(many).toMatch(/\d+ recommandations trouvées\. Touchez-en une/);
    expect(many).not.toContain('(s)');
  });

  it('when /start is sent, then the welcome says the 300 recommendations once and reads naturally', async () => {
    const h = botHarness();
    const text = textOf(sent(await h.send(textMessage('/start')))[0]);
    expect(text.match(/300 recommandations/g)).toHaveLength(1);
    expect(text).not.toContain('vous fait lire');
  });

  it('when About is shown, then the report date and place are said once', async () => {
    const h = botHarness();
    const text = textOf(sent(await h.send(textMessage('/apropos')))[0]);
    expect(text.match(/10 mai 2024/g)).toHaveLength(1);
  });

  it('when every theme list page and the theme menu are drawn, then every list button label is at most 35 characters', async () => {
    const h = botHarness();
    const labels: string[] = [];
    for (const theme of h.engine.corpus.themes) {
      const pages = Math.ceil(h.engine.recommendationsOf(theme.number).length / 8);
      for (let page = 0; page < pages; page++) {
        const calls = await h.send(
          tapOn({ method: 'sendMessage', payload: { text: 'x' } }, `t:${theme.number}:${page}`),
        );
        labels.push(...buttonsOf(shown(calls)[0]).map((b) => String(b.text)));
      }
    }
    labels.push(...buttonsOf(sent(await h.send(textMessage('/themes')))[0]).map((b) => String(b.text)));
    expect(labels.length).toBeGreaterThan(300);
    expect(LIST_LABEL_MAX).toBe(35);
    const tooLong = labels.filter((label) => [...label].length > 35);
    expect(tooLong).toEqual([]);
  });
});

describe('telegram: the report repeats itself, and the bot says so', () => {
  it('when 4.11 and 5.65 are opened, then each names its twin (4.57, 5.21) under the report text; 2.15 names none', async () => {
    const h = botHarness();
    const [r411] = sent(await h.send(textMessage('4.11')));
    expect(textOf(r411)).toContain(t('fr', 'repeat.same', { id: '4.57' }));
    const [r565] = sent(await h.send(textMessage('5.65')));
    expect(textOf(r565)).toContain(t('fr', 'repeat.same', { id: '5.21' }));
    const [r215] = sent(await h.send(textMessage('2.15')));
    expect(textOf(r215)).not.toContain('NB :');
  });
});
