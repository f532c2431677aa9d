import type { NextFunction, Transformer } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { say } from '../../src/reply/index.js';
import { decode, splitOwner, withOwner } from './callback-data.js';
import { isGroup, langOf, userPseudonym, type BotContext } from './context.js';

/**
 * A bot in a group talks with several people at once. Two rules make that work (issue 37):
 * - every answer is a reply to the message of the person who asked (Telegram threads it under
 *   their message and tells them), a tap's answer a reply to the message the menu answered;
 * - every button of a group's message says whose it is (a tag of the member who opened it, in its
 *   callback data), and acts only for them: another member's tap gets a short private hint.
 * Private chats are left as they are: one person, no threads, no tags.
 */

/** Methods that send or rewrite a message with buttons. */
const WITH_BUTTONS = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup']);

/** The tag of a user in a group's buttons: part of their keyed pseudonym (nothing to reverse). */
function ownerTag(userPseudonym: string): string {
  return userPseudonym.replace(/^p_/, '').slice(0, 8);
}

/**
 * The message an answer in a group replies to: the asker's message; for a tap, the message the
 * tapped menu answered (Telegram sends it with the tap), else the menu itself.
 */
function askersMessage(ctx: BotContext): number | undefined {
  const tapped = ctx.callbackQuery?.message;
  if (tapped) {
    const answered = 'reply_to_message' in tapped ? tapped.reply_to_message : undefined;
    return answered?.message_id ?? tapped.message_id;
  }
  return ctx.message?.message_id;
}

/** Every callback button of a keyboard tagged with its owner; url and inline buttons as they are. */
function tagged(keyboard: InlineKeyboardButton[][], owner: string): InlineKeyboardButton[][] {
  return keyboard.map((row) =>
    row.map((b) => ('callback_data' in b ? { ...b, callback_data: withOwner(b.callback_data, owner) } : b)),
  );
}

/** In a group: replies threaded under the asker's message and buttons tagged, on every call of this update. */
export async function groupReplies(ctx: BotContext, next: NextFunction): Promise<void> {
  const user = userPseudonym(ctx);
  if (!isGroup(ctx.chat) || !user) return next();
  const chatId = ctx.chat!.id;
  const replyTo = askersMessage(ctx);
  const owner = ownerTag(user);
  const transformer: Transformer = (prev, method, payload, signal) => {
    const call = payload as Record<string, unknown>;
    if (!WITH_BUTTONS.has(method) || call.chat_id !== chatId) return prev(method, payload, signal);
    const out: Record<string, unknown> = { ...call };
    if (method === 'sendMessage' && replyTo !== undefined && call.reply_parameters === undefined)
      // Sent all the same if the asker has deleted their message meanwhile.
      out.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true };
    const markup = call.reply_markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined;
    if (markup?.inline_keyboard)
      out.reply_markup = { ...markup, inline_keyboard: tagged(markup.inline_keyboard, owner) };
    return prev(method, out as typeof payload, signal);
  };
  ctx.api.config.use(transformer);
  await next();
}

/**
 * A button in a group acts for whoever opened its menu; anyone else is told so, privately and in
 * their own language (answerCallbackQuery), and nothing changes. A reaction (👍 / 🤔) is each
 * person's own, counted for who taps it. Buttons without a tag (sent before tags existed) act as
 * they always did. Installed after the session: the hint is in the tapper's language.
 */
export async function ownersOnly(ctx: BotContext, next: NextFunction): Promise<void> {
  const data = ctx.callbackQuery?.data;
  const user = userPseudonym(ctx);
  if (!data || !user || !isGroup(ctx.chat)) return next();
  const { owner } = splitOwner(data);
  if (owner === undefined || owner === ownerTag(user) || decode(data)?.kind === 'feedback') return next();
  ctx.deps.metrics.replySent('telegram', 'notYours');
  await ctx.answerCallbackQuery({ text: say.notYours(langOf(ctx), ctx.me.username) });
}
