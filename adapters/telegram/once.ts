import { createHash } from 'node:crypto';
import type { NextFunction } from 'grammy';
import type { Message } from 'grammy/types';
import { storeKeys } from '../../src/ports/keys.js';
import { chatPseudonym, userPseudonym, type BotContext } from './context.js';
import { describeError } from './reply.js';

/**
 * What must happen once, whichever instance gets it: each is a SET NX with a TTL in the shared
 * store (Redis when there are several instances), never process memory. If the store is down
 * the update is served: a double answer beats silence.
 */

/** Telegram re-delivers an update it thinks we missed; one day covers its retry window. */
const UPDATE_DEDUPE_TTL_SECONDS = 24 * 3600;
/** A double tap (two taps 80 ms apart) is one; a tap on the same button seconds later is a new one. */
export const TAP_WINDOW_SECONDS = 3;
/** An edit is answered as new text when made within this time of the message (a typo fixed). */
const EDIT_WINDOW_SECONDS = 10 * 60;

/** First time for this key? true when the store cannot say. */
async function first(ctx: BotContext, key: string, ttlSeconds: number, what: string): Promise<boolean> {
  try {
    return await ctx.deps.store.setIfAbsent(key, 1, ttlSeconds);
  } catch (error) {
    ctx.deps.metrics.storeError('setIfAbsent');
    ctx.log.warn({ err: describeError(error) }, `telegram: ${what} dedupe unavailable`);
    return true;
  }
}

/** A digest of where something happened: the chat's pseudonym (never its id) and the parts named. */
function digest(ctx: BotContext, ...parts: Array<string | number>): string {
  const chat = ctx.chat ? chatPseudonym(ctx.deps.pseudonymize, ctx.chat.id) : '';
  return createHash('sha256')
    .update([chat, ...parts].join('\n'))
    .digest('base64url')
    .slice(0, 22);
}

/** A repeated update_id is dropped. */
export async function handleOnce(ctx: BotContext, next: NextFunction): Promise<void> {
  const key = storeKeys.telegramUpdate(ctx.update.update_id);
  if (!(await first(ctx, key, UPDATE_DEDUPE_TTL_SECONDS, 'update'))) {
    ctx.log.info({}, 'telegram: repeated update ignored');
    return;
  }
  await next();
}

/**
 * A tap is handled once per person, message and button within TAP_WINDOW_SECONDS: a quick
 * double tap opens one recommendation, counts one reaction. The message counts as it stood when
 * tapped (Telegram sends it with the tap): after an edit in place, ◀ then ▶ again is a new tap.
 * The repeated tap is still answered (the spinner stops: `answerEveryCallback` in bot.ts), silently.
 */
export async function tapOnce(ctx: BotContext, next: NextFunction): Promise<void> {
  const tap = ctx.callbackQuery;
  const user = userPseudonym(ctx);
  if (!tap || !user) return next();
  const where = tap.message?.message_id ?? tap.inline_message_id ?? '';
  const shown =
    tap.message && 'text' in tap.message ? `${tap.message.edit_date ?? ''}${tap.message.text}` : '';
  const key = storeKeys.telegramTap(user, digest(ctx, where, tap.data ?? tap.game_short_name ?? '', shown));
  if (!(await first(ctx, key, TAP_WINDOW_SECONDS, 'tap'))) {
    ctx.log.info({}, 'telegram: repeated tap ignored');
    return;
  }
  await next();
}

/**
 * An edited message is answered as new text, once per edit (its date), when the edit came within
 * EDIT_WINDOW_SECONDS of the message: fixing a typo gets the answer, touching up yesterday's
 * message does not. Edits without text (a live location moving) are not for us. The update is
 * then read as a message, so every rule for messages applies: commands, what a group addresses
 * to the bot, the reply to the message in a group.
 */
export async function editsAsNewText(ctx: BotContext, next: NextFunction): Promise<void> {
  const edited = ctx.update.edited_message;
  if (!edited) return next();
  if (edited.text === undefined && edited.caption === undefined) return;
  const editedAt = edited.edit_date ?? edited.date;
  if (editedAt - edited.date > EDIT_WINDOW_SECONDS) return;
  const user = userPseudonym(ctx);
  if (user) {
    const key = storeKeys.telegramEdit(user, digest(ctx, edited.message_id, editedAt));
    if (!(await first(ctx, key, EDIT_WINDOW_SECONDS, 'edit'))) return;
  }
  // grammY reads ctx.message and its filters from the update itself.
  const update = ctx.update as { message?: Message; edited_message?: Message };
  update.message = edited;
  delete update.edited_message;
  await next();
}
