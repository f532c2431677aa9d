import { Composer } from 'grammy';
import { commandNames } from '../commands.js';
import { type BotContext, langOf } from '../context.js';
import { renderPlanned } from '../render.js';
import { countKind, sendReply, show } from '../reply.js';
import { onAction } from './on-action.js';

/** /langue, /language [fr|en] and the language buttons; the choice lives in the chat's session. */
export function languageFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.language'), async (ctx) => {
    const intent = ctx.deps.engine.parse(ctx.match.trim());
    if (intent.kind === 'language' && intent.lang)
      return sendReply(ctx, { kind: 'language', lang: intent.lang });
    countKind(ctx, 'language');
    await show(ctx, chooser(ctx));
  });

  onAction(composer, 'chooseLanguage', async (ctx) => {
    await ctx.answerCallbackQuery();
    countKind(ctx, 'language');
    await show(ctx, chooser(ctx), 'edit');
  });

  onAction(composer, 'setLanguage', async (ctx, action) => {
    await ctx.answerCallbackQuery();
    await sendReply(ctx, { kind: 'language', lang: action.lang }, 'edit');
  });

  return composer;
}

const chooser = (ctx: BotContext) =>
  renderPlanned(ctx.deps.engine, { kind: 'language', lang: null }, langOf(ctx), ctx.me.username);
