// The class itself (the package's default export is a CommonJS `exports.default`).
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { t, toLang } from '../../src/i18n/index.js';
import { freePort } from './redis-server.js';
import { startService, type RunningService } from './service.js';

/**
 * The Bot API test server (telegram-test-api) in front of the real service in polling mode, with
 * people who write in one chat (a group, or their private chat) and tap the bot's buttons.
 *
 * What the test server does not do is done here the way Telegram does it: a tap carries the
 * tapped message as it now stands (text, buttons, and the message it replies to), and the
 * server's username for the bot is `TestNameBot`. It answers answerCallbackQuery without keeping
 * the text: the bot's calls are also read on their way out (`calls`), still served by the server.
 */
const TOKEN = '987654:E2E-token';
export const BOT_USERNAME = 'TestNameBot';
const BOT = { id: 666, is_bot: true, first_name: 'Test First name', username: BOT_USERNAME };

export interface Person {
  id: number;
  name: string;
  lang: string;
}

interface BotMessage {
  /** The message id the server gave it. */
  id: number;
  text: string;
  buttons: Array<{ text: string; callback_data?: string }>;
  /** The keyboard as sent (rows of buttons). */
  keyboard: unknown[][];
  /** The message it replies to (reply_parameters), if any. */
  replyTo?: number;
  chatId: number;
}

export interface TestChat {
  server: TelegramServer;
  running: RunningService;
  /** Every Bot API call the bot made (method, payload), in order. */
  calls: Array<{ method: string; payload: Record<string, unknown> }>;
  /** Sends a text as `who` in the chat `chatId` (mentions and commands get their entities); returns its message id. */
  say(who: Person, text: string, chatId?: number): Promise<number>;
  /** Taps the button whose callback data starts with `data` (or whose label is `data`) on a bot message. */
  tap(who: Person, on: BotMessage, data: string): Promise<void>;
  /** The bot's messages in a chat, as they stand now (edits applied), oldest first. */
  messages(chatId: number): BotMessage[];
  /** Waits until the chat holds `count` bot messages. */
  waitForMessages(chatId: number, count: number): Promise<BotMessage[]>;
  /**
   * Waits until everything `who` did before in that chat has been handled: the bot handles one
   * person's updates in order, so once the help it asks for now is there, the rest is done.
   * Returns the help message (tests leave it out of their counts).
   */
  settle(who: Person, chatId?: number): Promise<BotMessage>;
  /** Waits until `probe` gives something (a message as an edit left it, say), and returns it. */
  waitFor<T>(what: string, probe: () => T | undefined): Promise<T>;
  /** Waits until the bot has made `count` calls of `method` in all. */
  waitForCalls(method: string, count: number): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `group`: a supergroup of that id; else each person writes in their private chat. */
export async function startTestChat(env: Record<string, string> = {}): Promise<TestChat> {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const running = await startService({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: server.config.apiURL,
    ...env,
  });
  const calls: TestChat['calls'] = [];
  running.service.telegram!.bot.api.config.use((prev, method, payload, signal) => {
    calls.push({ method, payload: { ...(payload as Record<string, unknown>) } });
    return prev(method, payload, signal);
  });
  const chatOf = (who: Person, chatId: number | undefined) =>
    chatId === undefined || chatId === who.id
      ? { id: who.id, type: 'private' as const, first_name: who.name }
      : { id: chatId, type: 'supergroup' as const, title: 'Famille' };
  const clientOf = (who: Person, chatId: number | undefined) => {
    const chat = chatOf(who, chatId);
    return server.getClient(TOKEN, {
      userId: who.id,
      firstName: who.name,
      userName: who.name.toLowerCase(),
      chatId: chat.id,
      type: chat.type,
      chatTitle: 'title' in chat ? chat.title : who.name,
    });
  };
  const clientChat = (who: Person, chatId: number) => {
    const chat = chatOf(who, chatId);
    return 'title' in chat ? chat : { ...chat, first_name: who.name };
  };
  const from = (who: Person) => ({
    id: who.id,
    is_bot: false,
    first_name: who.name,
    language_code: who.lang,
  });
  const storedUser = (id: number) =>
    server.storage.userMessages.find((u) => u.messageId === id && 'message' in u) as
      { message: { text?: string; from: unknown; chat: unknown; date: number } } | undefined;

  const messages = (chatId: number): BotMessage[] =>
    server.storage.botMessages
      .filter((m) => String(m.message.chat_id) === String(chatId))
      .map((m) => {
        const markup = m.message.reply_markup as
          { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
        const reply = (m.message as { reply_parameters?: { message_id: number } }).reply_parameters;
        return {
          id: m.messageId,
          text: String(m.message.text),
          buttons: (markup?.inline_keyboard ?? []).flat(),
          keyboard: markup?.inline_keyboard ?? [],
          ...(reply ? { replyTo: reply.message_id } : {}),
          chatId,
        };
      });

  const chat: TestChat = {
    server,
    running,
    calls,
    messages,
    async say(who, text, chatId) {
      const client = clientOf(who, chatId);
      const entities: Array<{ type: string; offset: number; length: number }> = [];
      const command = /^\/\S+/.exec(text);
      if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
      const mention = text.indexOf(`@${BOT_USERNAME}`);
      if (mention >= 0 && !command)
        entities.push({ type: 'mention', offset: mention, length: BOT_USERNAME.length + 1 });
      const message = client.makeMessage(text, {
        from: from(who),
        ...(entities.length > 0 ? { entities } : {}),
      });
      await client.sendMessage(message);
      const stored = [...server.storage.userMessages]
        .reverse()
        .find((u) => 'message' in u && u.message.from.id === who.id && u.message.text === text);
      if (!stored) throw new Error('the test server did not keep the message');
      return stored.messageId;
    },
    async tap(who, on, data) {
      const button = on.buttons.find((b) => b.callback_data?.startsWith(data) || b.text === data);
      if (!button?.callback_data) throw new Error(`no button ${data} on message ${on.id}`);
      const now = messages(on.chatId).find((m) => m.id === on.id) ?? on;
      const asked = now.replyTo === undefined ? undefined : storedUser(now.replyTo);
      const client = clientOf(who, on.chatId);
      // Built here: the client's makeCallbackQuery shares one `from` between the tap and its message.
      await client.sendCallback({
        botToken: TOKEN,
        date: Math.floor(Date.now() / 1000),
        data: button.callback_data,
        from: from(who),
        message: {
          message_id: now.id,
          chat: clientChat(who, on.chatId),
          from: BOT,
          date: Math.floor(Date.now() / 1000),
          text: now.text,
          reply_markup: { inline_keyboard: now.keyboard },
          // Telegram sends the message a tapped message replies to (one level deep).
          ...(asked && now.replyTo !== undefined
            ? {
                reply_to_message: {
                  message_id: now.replyTo,
                  from: asked.message.from,
                  chat: asked.message.chat,
                  date: asked.message.date,
                  text: asked.message.text,
                },
              }
            : {}),
        },
      } as never);
    },
    async settle(who, chatId) {
      const where = chatId ?? who.id;
      const asked = await chat.say(who, where === who.id ? '/aide' : `/aide@${BOT_USERNAME}`, chatId);
      const title = `<b>${t(toLang(who.lang), 'help.title')}</b>`;
      // In a group the help replies to its command; in a private chat it is the help after it.
      return until('the help', () =>
        messages(where).find((m) => m.replyTo === asked || (m.id > asked && m.text.startsWith(title))),
      );
    },
    waitFor: (what, probe) => until(what, probe),
    waitForMessages: (chatId, count) =>
      until(`${count} bot messages in chat ${chatId}`, () => {
        const found = messages(chatId);
        return found.length >= count ? found : undefined;
      }),
    waitForCalls: (method, count) =>
      until(`${count} ${method} calls`, () => {
        const found = calls.filter((c) => c.method === method).map((c) => c.payload);
        return found.length >= count ? found : undefined;
      }),
    async close() {
      await running.close();
      await server.stop();
    },
  };
  return chat;
}
