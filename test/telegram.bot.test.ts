import { describe, expect, it } from 'vitest';
import { themeName } from '../src/content/localized.js';
import { t } from '../src/i18n/index.js';
import type { AnalyticsEvent } from '../src/ports/index.js';
import {
  BOT_INFO,
  botHarness,
  buttonsOf,
  callback,
  inlineQuery,
  sent,
  textMessage,
  textOf,
  USER,
  type ApiCall,
} from './support/telegram.js';

const escaped = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const dataOf = (call: ApiCall | undefined) => buttonsOf(call).map((b) => String(b.callback_data));
const answers = (calls: ApiCall[]) => calls.filter((c) => c.method === 'answerCallbackQuery');

describe('telegram: commands', () => {
  it('when a French user sends /start, then the bot greets in French with the main menu', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/start')));
    expect(textOf(reply)).toContain('Bonjour');
    expect(reply!.payload.parse_mode).toBe('HTML');
    expect(dataOf(reply)).toEqual(['T', 'p:s', 'p:n', 'L', 'a']);
  });

  it('when a user whose Telegram is in English sends /start, then the bot greets in English', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/start', { language_code: 'en-GB' })));
    expect(textOf(reply)).toContain('Hello!');
    expect(buttonsOf(reply)[0]!.text).toContain('Themes');
  });

  it.each(['/aide', '/help'])(
    'when a user sends %s, then the help names the commands and the inline use',
    async (cmd) => {
      const h = botHarness();
      const [reply] = sent(await h.send(textMessage(cmd)));
      expect(textOf(reply)).toContain('/recherche');
      expect(textOf(reply)).toContain(`@${BOT_INFO.username}`);
    },
  );

  it('when a user sends /themes, then the 5 themes are listed by name in the person’s language with one button each', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/themes')));
    for (const theme of h.engine.corpus.themes)
      expect(textOf(reply)).toContain(`<b>${theme.number}.</b> ${escaped(themeName(theme, 'fr'))}`);
    expect(dataOf(reply)).toEqual(['t:1:0', 't:2:0', 't:3:0', 't:4:0', 't:5:0', 'h']);
  });

  it('when a user sends /theme 2, then the first page lists 2.1 to 2.8 and offers the next page', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/theme 2')));
    expect(textOf(reply)).toContain('QUESTIONS POLITIQUES ET INSTITUTIONNELLES');
    const data = dataOf(reply);
    expect(data.slice(0, 8)).toEqual([
      'r:2.1',
      'r:2.2',
      'r:2.3',
      'r:2.4',
      'r:2.5',
      'r:2.6',
      'r:2.7',
      'r:2.8',
    ]);
    expect(data).toContain('t:2:1');
    expect(data).not.toContain('t:2:-1');
  });

  it('when a user sends /theme 9, then the reply names the valid themes', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/theme 9')));
    expect(textOf(reply)).toContain('Le thème 9 n’existe pas : choisissez 1 à 5.');
  });

  it('when a user sends /reco 2.15, then the report text comes verbatim with neighbours, theme and share buttons', async () => {
    const h = botHarness();
    const rec = h.engine.recommendation('2.15')!;
    const [reply] = sent(await h.send(textMessage('/reco 2.15')));
    expect(textOf(reply)).toContain(escaped(rec.text));
    expect(textOf(reply)).toContain('Recommandation 2.15');
    // The label is ours: it is not in the body of the recommendation.
    if (!rec.text.includes(rec.label)) expect(textOf(reply)).not.toContain(escaped(rec.label));
    const buttons = buttonsOf(reply);
    expect(buttons.map((b) => b.callback_data)).toEqual(
      expect.arrayContaining(['n:2.14', 'n:2.16', 't:2:1', 'h']),
    );
    expect(buttons.find((b) => 'switch_inline_query' in b)?.switch_inline_query).toBe('2.15');
  });

  it('when a user sends /reco 2.99, then the reply gives the count of theme 2', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/reco 2.99')));
    expect(textOf(reply)).toContain('2.99');
    expect(textOf(reply)).toContain('51');
  });

  it('when a user sends /reco or /recherche without argument, then the bot asks for a number or words', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('/reco')))[0])).toContain('2.15');
    expect(textOf(sent(await h.send(textMessage('/recherche')))[0])).toContain('mots');
  });

  it('when a user sends /recherche armée, then a paged list of results comes with the query in the title', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/recherche armée')));
    expect(textOf(reply)).toContain('Résultats pour «\u00a0armée\u00a0»');
    const data = dataOf(reply);
    expect(data.filter((d) => d?.startsWith('r:'))).toHaveLength(8);
    expect(data.some((d) => /^s:[\w-]+:1$/.test(String(d)))).toBe(true);
  });

  it('when a user sends /search water in English, then the English command searches too', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/search eau', { language_code: 'en' })));
    expect(textOf(reply)).toMatch(/Results for|Recommendation/);
  });

  it('when a user sends /apropos or /about, then the summary is marked as ours', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('/apropos')))[0])).toContain('pas le texte du rapport');
    expect(textOf(sent(await h.send(textMessage('/about', { language_code: 'en' })))[0])).toContain(
      'not the text of the report',
    );
  });

  it('when an unknown command arrives, then the bot answers with the help; a sticker gets a one-line pointer', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('/frobnicate')))[0])).toContain('/themes');
    const sticker = {
      message: { message_id: 2, date: 0, chat: { id: USER.id, type: 'private' }, from: USER, sticker: {} },
    };
    const pointer = textOf(sent(await h.send(sticker as never))[0]);
    expect(pointer).not.toContain('/themes');
    expect(pointer.split('\n')).toHaveLength(1);
  });
});

describe('telegram: plain text goes to the engine', () => {
  it('when a user types 2.15, then that recommendation opens', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('2.15')))[0])).toContain('Recommandation 2.15');
  });

  it('when a user types words, then a search answers', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('femmes')))[0])).toContain('Résultats pour');
  });

  it('when a user types suite or stop, then Telegram-specific guidance answers', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('suite')))[0])).toContain('boutons');
    expect(textOf(sent(await h.send(textMessage('stop')))[0])).toContain('bloquez');
  });

  it('when a query holds <b>& , then it is never shown as markup, and only the words understood are quoted', async () => {
    const h = botHarness();
    for (const query of ['xyzzy <b>&', 'armée <b>&']) {
      const text = textOf(sent(await h.send(textMessage(`/recherche ${query}`)))[0]);
      expect(text).not.toContain('<b>&');
      expect(text).not.toContain('xyzzy');
    }
    expect(textOf(sent(await h.send(textMessage('/recherche armée <b>&')))[0])).toContain('armée');
  });
});

describe('telegram: buttons', () => {
  it('when a theme page button is tapped, then the list is edited in place and the tap answered', async () => {
    const h = botHarness();
    const calls = await h.send(callback('t:2:1'));
    const edit = calls.find((c) => c.method === 'editMessageText');
    expect(dataOf(edit).slice(0, 8)).toEqual([
      'r:2.9',
      'r:2.10',
      'r:2.11',
      'r:2.12',
      'r:2.13',
      'r:2.14',
      'r:2.15',
      'r:2.16',
    ]);
    expect(dataOf(edit)).toEqual(expect.arrayContaining(['t:2:0', 't:2:2']));
    expect(answers(calls)).toHaveLength(1);
  });

  it('when a page beyond the end is asked (stale button), then the last page shows', async () => {
    const h = botHarness();
    const edit = (await h.send(callback('t:2:99'))).find((c) => c.method === 'editMessageText');
    expect(dataOf(edit)).toContain('r:2.51');
  });

  it('when an entry is tapped, then the recommendation opens in a new message; ◀ ▶ replace it in place', async () => {
    const h = botHarness();
    const open = await h.send(callback('r:2.15'));
    expect(textOf(sent(open)[0])).toContain('Recommandation 2.15');
    const step = await h.send(callback('n:2.16'));
    expect(textOf(step.find((c) => c.method === 'editMessageText'))).toContain('Recommandation 2.16');
    expect(answers(open)).toHaveLength(1);
    expect(answers(step)).toHaveLength(1);
  });

  it('when the first or last of a theme shows, then it has no step beyond the theme', async () => {
    const h = botHarness();
    expect(dataOf(sent(await h.send(textMessage('/reco 1.1')))[0])).not.toContain('n:1.0');
    const last = dataOf(sent(await h.send(textMessage('/reco 1.41')))[0]);
    expect(last).toContain('n:1.40');
    expect(last.some((d) => String(d).startsWith('n:2.'))).toBe(false);
  });

  it('when a search page button is tapped, then the message is redrawn in place with the next results, listed and buttoned', async () => {
    const h = botHarness();
    const [list] = sent(await h.send(textMessage('/recherche armée')));
    const next = dataOf(list).find((d) => /^s:[\w-]+:1$/.test(String(d)))!;
    const calls = await h.send(callback(String(next)));
    // The list is in the message (full labels), so the page changes the text and its buttons, in place.
    const edit = calls.find((c) => c.method === 'editMessageText');
    const firstPage = dataOf(list).filter((d) => String(d).startsWith('r:'));
    const secondPage = dataOf(edit).filter((d) => String(d).startsWith('r:'));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.some((d) => firstPage.includes(d))).toBe(false);
    for (const d of secondPage) expect(textOf(edit)).toContain(`<b>${String(d).slice(2)}</b>`);
    expect(calls.some((c) => c.method === 'sendMessage')).toBe(false);
    expect(answers(calls)).toHaveLength(1);
  });

  it('when a search page button of an unknown or forgotten list is tapped, then the tap is answered with "expired"', async () => {
    const h = botHarness();
    const calls = await h.send(callback('s:gone00:1'));
    expect(answers(calls)).toHaveLength(1);
    expect(answers(calls)[0]!.payload.text).toContain('expiré');
    expect(calls.some((c) => c.method.startsWith('edit'))).toBe(false);
  });

  it('when a chat has searched more than five times, then the oldest list expires and the newest pages', async () => {
    const h = botHarness();
    const tokens: string[] = [];
    for (const q of ['armée', 'femmes', 'jeunes', 'educaton', 'armée', 'femmes']) {
      const [list] = sent(await h.send(textMessage(`/recherche ${q}`)));
      tokens.push(String(dataOf(list).find((d) => String(d).startsWith('s:'))).split(':')[1]!);
    }
    expect(answers(await h.send(callback(`s:${tokens[0]}:0`)))[0]!.payload.text).toContain('expiré');
    expect(answers(await h.send(callback(`s:${tokens[5]}:1`)))[0]!.payload.text).toBeUndefined();
  });

  it.each(['zz', 'r:9.99', 't:7:0', 'r:2.15:extra', 's::1', 'l:de', ''])(
    'when stale or forged data %j is tapped, then the tap is answered with a short notice',
    async (data) => {
      const h = botHarness();
      const calls = await h.send(callback(data));
      expect(answers(calls)).toHaveLength(1);
      expect(String(answers(calls)[0]!.payload.text)).toMatch(/plus valable|expiré/);
    },
  );

  it('when editing fails because nothing changed, then no second message is sent', async () => {
    const h = botHarness();
    h.failNext('editMessageText', 'Bad Request: message is not modified');
    const calls = await h.send(callback('t:2:0'));
    expect(sent(calls)).toHaveLength(0);
    expect(answers(calls)).toHaveLength(1);
  });

  it('when the message is too old to edit, then the screen comes as a new message', async () => {
    const h = botHarness();
    h.failNext('editMessageText', "Bad Request: message can't be edited");
    const calls = await h.send(callback('t:2:0'));
    expect(textOf(sent(calls)[0])).toContain('Thème 2');
  });

  it('when the menu buttons are tapped, then each answers (prompts, about, home, themes)', async () => {
    const h = botHarness();
    for (const data of ['p:s', 'p:n', 'a', 'h', 'T', 'L']) {
      const calls = await h.send(callback(data));
      expect(answers(calls)).toHaveLength(1);
      expect(calls.some((c) => c.method === 'sendMessage' || c.method === 'editMessageText')).toBe(true);
    }
  });
});

describe('telegram: deep links', () => {
  it('when /start r2_15 arrives (t.me link), then recommendation 2.15 opens', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('/start r2_15')))[0])).toContain('Recommandation 2.15');
  });

  it('when /start t3 arrives, then theme 3 opens; an unknown payload greets', async () => {
    const h = botHarness();
    expect(textOf(sent(await h.send(textMessage('/start t3')))[0])).toContain('Thème 3');
    expect(textOf(sent(await h.send(textMessage('/start zzz')))[0])).toContain('Bonjour');
  });
});

describe('telegram: language', () => {
  it('when a user picks English, then later answers are in English whatever Telegram says', async () => {
    const h = botHarness();
    const chooser = sent(await h.send(textMessage('/langue')))[0];
    expect(dataOf(chooser)).toEqual(['l:bm', 'l:fr', 'l:en', 'h']);
    const set = await h.send(callback('l:en'));
    const confirmed = set.find((c) => c.method === 'editMessageText');
    expect(textOf(confirmed)).toContain('Language: English');
    // The confirmation carries the menu, in the new language.
    expect(dataOf(confirmed)).toEqual(['T', 'p:s', 'p:n', 'L', 'a']);
    expect(buttonsOf(confirmed)[0]!.text).toContain('Themes');
    expect(textOf(sent(await h.send(textMessage('/start')))[0])).toContain('Hello!');
  });

  it('when a user sends /language fr, then French is set without a chooser', async () => {
    const h = botHarness();
    const [reply] = sent(await h.send(textMessage('/language fr', { language_code: 'en' })));
    expect(textOf(reply)).toContain('Langue : français');
    expect(textOf(sent(await h.send(textMessage('/start', { language_code: 'en' })))[0])).toContain(
      'Bonjour',
    );
  });
});

describe('telegram: inline mode', () => {
  const answerOf = (calls: ApiCall[]) => calls.find((c) => c.method === 'answerInlineQuery')!.payload;
  type Article = {
    id: string;
    title: string;
    input_message_content: { message_text: string; parse_mode: string };
  };

  it('when a user types @bot armée, then matching recommendations are offered as HTML articles', async () => {
    const h = botHarness();
    const answer = answerOf(await h.send(inlineQuery('armée')));
    const results = answer.results as Article[];
    expect(results.length).toBeGreaterThan(1);
    expect(results.length).toBeLessThanOrEqual(20);
    for (const r of results) {
      expect(r.input_message_content.parse_mode).toBe('HTML');
      expect(r.input_message_content.message_text.length).toBeLessThanOrEqual(4096);
      expect(r.input_message_content.message_text).toContain(escaped(h.engine.recommendation(r.id)!.text));
    }
  });

  it('when a user types @bot 2.15, then exactly that recommendation is offered, with a link back to the bot', async () => {
    const h = botHarness();
    const answer = answerOf(await h.send(inlineQuery('2.15')));
    const results = answer.results as Array<
      Article & { reply_markup: { inline_keyboard: Array<Array<{ url: string }>> } }
    >;
    expect(results.map((r) => r.id)).toEqual(['2.15']);
    expect(results[0]!.reply_markup.inline_keyboard[0]![0]!.url).toBe(
      `https://t.me/${BOT_INFO.username}?start=r2_15`,
    );
  });

  it('when the public site has an address, then the shared article links the page in the user language, and the bot still', async () => {
    const h = botHarness({ publicPageBase: 'https://dialogue.example.ml' });
    const answer = answerOf(await h.send(inlineQuery('2.15', '', { language_code: 'en' })));
    const [article] = answer.results as Array<{
      reply_markup: { inline_keyboard: Array<Array<{ url: string }>> };
    }>;
    const urls = article!.reply_markup.inline_keyboard.flat().map((b) => b.url);
    expect(urls).toEqual([
      'https://dialogue.example.ml/r/2.15?lang=en',
      `https://t.me/${BOT_INFO.username}?start=r2_15`,
    ]);
  });

  it('when a theme has more than 20 entries, then the next ones come with next_offset', async () => {
    const h = botHarness();
    const first = answerOf(await h.send(inlineQuery('t4')));
    expect((first.results as Article[]).map((r) => r.id)[0]).toBe('4.1');
    expect(first.next_offset).toBe('20');
    const second = answerOf(await h.send(inlineQuery('t4', '20')));
    expect((second.results as Article[])[0]!.id).toBe('4.21');
  });

  it('when the inline query is empty or finds nothing, then an empty answer with a hint button is given', async () => {
    const h = botHarness();
    const empty = answerOf(await h.send(inlineQuery('')));
    expect(empty.results).toEqual([]);
    expect(empty.button).toMatchObject({ start_parameter: 'inline' });
    const none = answerOf(await h.send(inlineQuery('xyzzyq')));
    expect(none.results).toEqual([]);
    expect(none.button).toBeDefined();
  });
});

describe('telegram: reactions and what the console counts', () => {
  const recording = () => {
    const events: AnalyticsEvent[] = [];
    return { events, analytics: { record: (event: AnalyticsEvent) => events.push(event) } };
  };

  it('when a recommendation is shown, then two reaction buttons sit under it, and a tap thanks and counts it for that recommendation', async () => {
    const { events, analytics } = recording();
    const h = botHarness({ analytics });
    const shown = await h.send(textMessage('2.10'));
    expect(dataOf(sent(shown)[0]).slice(0, 2)).toEqual(['f:2.10:1', 'f:2.10:2']);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'reply',
        channel: 'telegram',
        lang: 'fr',
        kind: 'recommendation',
        recId: '2.10',
        theme: 2,
      }),
    );
    const tap = await h.send(callback('f:2.10:2'));
    expect(answers(tap)[0]?.payload.text).toBe(t('fr', 'feedback.thanks', { id: '2.10' }));
    const feedback = events.filter((e) => e.type === 'feedback');
    expect(feedback).toEqual([
      expect.objectContaining({ channel: 'telegram', recId: '2.10', value: 'unclear' }),
    ]);
    // The person is the chat's pseudonym, never Telegram's id.
    expect(JSON.stringify(events)).not.toContain(String(USER.id));
    expect(feedback[0]!.person).toMatch(/^p_/);
  });

  it('when a result list is shown, then "wrong answer" sits under it and a tap records the ids it showed, never its words', async () => {
    const { events, analytics } = recording();
    const h = botHarness({ analytics });
    const list = sent(await h.send(textMessage('Où trouver de l’eau ?')))[0];
    const wrong = dataOf(list).find((d) => d.startsWith('w:'));
    expect(wrong).toBeDefined();
    // Every word matched: a list of results, not a miss (issue 12's "close results" would be one).
    expect(events.filter((e) => e.type === 'searchMiss')).toEqual([]);
    const tap = await h.send(callback(wrong!));
    expect(answers(tap)[0]?.payload.text).toBe(t('fr', 'wrong.thanks'));
    const report = events.find((e) => e.type === 'wrongAnswer');
    expect(report).toMatchObject({ channel: 'telegram' });
    expect(report).not.toHaveProperty('normalisedWords');
    expect(report && 'resultIds' in report ? report.resultIds.length : 0).toBeGreaterThan(1);
    expect(JSON.stringify(events)).not.toMatch(/trouver|Où/);
  });

  it('when a reaction button names an unknown recommendation, then the tap is answered and nothing is counted', async () => {
    const { events, analytics } = recording();
    const h = botHarness({ analytics });
    const tap = await h.send(callback('f:9.99:1'));
    expect(answers(tap)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'feedback')).toEqual([]);
  });
});
