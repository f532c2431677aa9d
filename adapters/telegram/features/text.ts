import { Composer } from 'grammy';
import { t } from '../../../src/i18n/index.js';
import { langOf, type BotContext } from '../context.js';
import { renderHelp } from '../render.js';
import { answerText } from '../conversation.js';
import { show } from '../reply.js';

/**
 * What is left: plain text goes to the engine (a number opens that recommendation, words
 * search); an unknown command or a sticker gets the help; an unknown button a short notice.
 * Install last.
 */
export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (text.startsWith('/')) return show(ctx, renderHelp(langOf(ctx), ctx.me.username));
    await answerText(ctx, text);
  });

  // Private chats only: in a group, joins and photos are not addressed to the bot.
  composer.chatType('private').on('message', async (ctx) => {
    await show(ctx, renderHelp(langOf(ctx), ctx.me.username));
  });

  composer.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: t(langOf(ctx), 'tg.unknownButton') });
  });

  return composer;
}
