import { Composer } from 'grammy';
import { commandNames } from '../commands.js';
import type { BotContext } from '../context.js';
import { sendReply } from '../reply.js';
import { onAction } from './on-action.js';

/** /apropos, /about and the About button. */
export function aboutFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.about'), async (ctx) => {
    await sendReply(ctx, ctx.deps.engine.respond({ kind: 'about' }));
  });

  onAction(composer, 'about', async (ctx) => {
    await ctx.answerCallbackQuery();
    await sendReply(ctx, ctx.deps.engine.respond({ kind: 'about' }), 'edit');
  });

  return composer;
}
