import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/index.js';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from './support/fake-bot-api.js';
import { startService, type RunningService } from './support/service.js';
import { BOT_INFO, USER } from './support/telegram.js';

/**
 * Issue 37 on the project's fake Bot API (test/support/fake-bot-api.ts), the service polling it.
 * The Bot API test server (telegram-test-api) cannot say these: it sends no inline query and no
 * edited message (its updates are messages and taps only) and knows no answerInlineQuery.
 */
const TOKEN = '123456:INLINE-token';
const SOURCE = 'Décret n°2025-0456 du 9 août 2025';

let api: FakeBotApi;
let running: RunningService;
// The follow-up published below goes to a file under DATA_DIR: a folder of this file's own, or
// every service started later (in any test file) would show it.
let dataDir: string;
let updateId = 100;
const now = () => Math.floor(Date.now() / 1000);
const chat = { id: USER.id, type: 'private' as const, first_name: USER.first_name };
const group = { id: -1009876543210, type: 'supergroup' as const, title: 'Famille' };

/** Hands the bot one update and waits until it has made `count` more calls of `method`. */
async function deliver(update: object, method: string, count = 1): Promise<RecordedCall[]> {
  const before = api.calls.filter((c) => c.method === method).length;
  api.updates.push({ update_id: ++updateId, ...update });
  const deadline = Date.now() + 8000;
  for (;;) {
    const calls = api.calls.filter((c) => c.method === method);
    if (calls.length >= before + count) return calls.slice(before);
    if (Date.now() > deadline) throw new Error(`no ${method} within 8 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends in the chat, after whatever came before: once its answer is there, the ones before were handled. */
async function sentSince(where: { id: number; type: string }, update: object): Promise<string[]> {
  const before = api.calls.length;
  api.updates.push({ update_id: ++updateId, ...update });
  const marker = { message_id: 1, date: now(), chat: where, from: USER, text: '/aide' };
  if (where.type !== 'private') {
    marker.text = `/aide@${BOT_INFO.username}`;
  }
  const calls = await deliver(
    { message: { ...marker, entities: [{ type: 'bot_command', offset: 0, length: marker.text.length }] } },
    'sendMessage',
  );
  return api.calls
    .slice(before)
    .filter((c) => c.method === 'sendMessage' && c !== calls.at(-1))
    .map((c) => String(c.payload.text));
}

function edited(text: string | undefined, at: { date: number; edit: number }, where: object = chat, id = 40) {
  return {
    edited_message: {
      message_id: id,
      date: at.date,
      edit_date: at.edit,
      chat: where,
      from: USER,
      ...(text === undefined ? { location: { latitude: 12.6, longitude: -8 } } : { text }),
    },
  };
}

async function inline(query: string, from: object = USER) {
  const [answer] = await deliver(
    { inline_query: { id: `iq${++updateId}`, from, query, offset: '' } },
    'answerInlineQuery',
  );
  return answer!.payload as {
    results: Array<{
      id: string;
      title: string;
      input_message_content: { message_text: string };
      reply_markup: { inline_keyboard: Array<Array<{ text: string }>> };
    }>;
    button?: unknown;
  };
}

beforeAll(async () => {
  api = await startFakeBotApi();
  dataDir = mkdtempSync(join(tmpdir(), 'dim-tg-inline-'));
  running = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, DATA_DIR: dataDir });
  await running.service.followUp.followUps.publish('2.10', {
    status: 'in_progress',
    date: '2025-08-09',
    source: SOURCE,
    note: '',
    editor: 'Awa',
  });
  await running.service.followUpSnapshot.refresh();
});
afterAll(async () => {
  await running?.close();
  await api?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('telegram: an edited message is answered as new text', () => {
  it('when polling starts, then edited messages are among the updates Telegram is asked for', async () => {
    const poll = await api.waitFor('getUpdates');
    expect(poll.payload.allowed_updates).toEqual(expect.arrayContaining(['message', 'edited_message']));
  });

  it('when a message is corrected within the time limit, then the corrected text is answered, once per edit', async () => {
    const date = now() - 60;
    const edit = now();
    const [first] = await deliver(edited('2.15', { date, edit }), 'sendMessage');
    expect(String(first!.payload.text)).toContain('Recommandation 2.15');
    // The same edit again (Telegram sends it under another update_id): not answered twice.
    expect(await sentSince(chat, edited('2.15', { date, edit }))).toEqual([]);
    // Another edit of the same message: answered.
    const [second] = await deliver(edited('2.16', { date, edit: edit + 1 }), 'sendMessage');
    expect(String(second!.payload.text)).toContain('Recommandation 2.16');
  });

  it('when an edit comes after the time limit, or carries no text (a live location), then nothing is answered', async () => {
    expect(await sentSince(chat, edited('2.17', { date: now() - 3600, edit: now() }, chat, 41))).toEqual([]);
    expect(await sentSince(chat, edited(undefined, { date: now() - 10, edit: now() }, chat, 42))).toEqual([]);
  });

  it('when a group message naming the bot is corrected, then the answer replies to it; another edit in the group is not for the bot', async () => {
    const date = now() - 30;
    const text = `@${BOT_INFO.username} 3.1`;
    const naming = edited(text, { date, edit: now() }, group, 43);
    (naming.edited_message as Record<string, unknown>).entities = [
      { type: 'mention', offset: 0, length: BOT_INFO.username.length + 1 },
    ];
    const [answer] = await deliver(naming, 'sendMessage');
    expect(String(answer!.payload.text)).toContain('Recommandation 3.1');
    expect(answer!.payload.reply_parameters).toMatchObject({ message_id: 43 });
    expect(await sentSince(group, edited('bonjour à tous', { date, edit: now() }, group, 44))).toEqual([]);
  });
});

describe('telegram: inline mode while typing', () => {
  it('when "réconciliation nationale" is typed key by key, then every answer offers recommendations, 20 at most', async () => {
    const typed = 'réconciliation nationale';
    const counts: number[] = [];
    for (let k = 1; k <= typed.length; k++) {
      const answer = await inline(typed.slice(0, k));
      counts.push(answer.results.length);
      expect(answer.results.length, typed.slice(0, k)).toBeGreaterThan(0);
      expect(answer.results.length).toBeLessThanOrEqual(20);
    }
    expect(counts.at(-1)).toBeGreaterThan(0);
  });

  it('when f, fe, fem and femm are typed, then the recommendations on women are offered', async () => {
    const women = running.service.engine.search('femmes', 50).hits.map((h) => h.recommendation.id);
    for (const typed of ['f', 'fe', 'fem', 'femm']) {
      const offered = (await inline(typed)).results.map((r) => r.id);
      expect(
        offered.some((id) => women.includes(id)),
        typed,
      ).toBe(true);
    }
    expect((await inline('femm')).results.map((r) => r.id)).toEqual(women);
  });

  it('when a recommendation with a published follow-up is shared, then the message sent carries the follow-up line', async () => {
    const [result] = (await inline('2.10')).results;
    const sentText = result!.input_message_content.message_text;
    expect(sentText).toContain(t('fr', 'followup.status.in_progress'));
    expect(sentText).toContain('Décret n°2025-0456');
    expect(sentText).not.toContain('Awa');
    expect(sentText.length).toBeLessThanOrEqual(4096);
  });

  it('when the person chose Bambara in the bot, then the inline answer is in Bambara though Telegram is in French', async () => {
    const someone = { ...USER, id: 777123 };
    await deliver(
      {
        message: {
          message_id: 5,
          date: now(),
          chat: { id: someone.id, type: 'private', first_name: 'A' },
          from: someone,
          text: '/langue bm',
          entities: [{ type: 'bot_command', offset: 0, length: '/langue'.length }],
        },
      },
      'sendMessage',
    );
    const [result] = (await inline('2.15', someone)).results;
    expect(result!.reply_markup.inline_keyboard[0]![0]!.text).toBe(t('bm', 'tg.button.openInBot'));
  });
});
