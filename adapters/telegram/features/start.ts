import { Composer } from 'grammy';
import { commandNames } from '../commands.js';
import { langOf, type BotContext } from '../context.js';
import { renderHelp, renderHome, renderPrompt } from '../render.js';
import { countKind, sendReply, show } from '../reply.js';
import { onAction } from './on-action.js';

/** /start (with deep links such as r2_15 or t2), /aide, /help, /menu and the main menu buttons. */
export function startFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    const payload = ctx.match.trim();
    // The inline "no recommendation found" button opens the bot with "help": the help it is.
    if (payload === 'help') {
      ctx.deps.metrics.replySent('telegram', 'help');
      return show(ctx, renderHelp(langOf(ctx), ctx.me.username));
    }
    if (payload) {
      // Deep links are written so the engine reads them: r2_15 is recommendation 2.15, t2 theme 2.
      const intent = ctx.deps.engine.parse(payload);
      if (intent.kind === 'recommendation' || intent.kind === 'theme') {
        return sendReply(ctx, ctx.deps.engine.respond(intent));
      }
    }
    countKind(ctx, 'home');
    await show(ctx, renderHome(ctx.deps.engine, langOf(ctx), ctx.me.username, true));
  });

  composer.command(commandNames('tg.command.help'), async (ctx) => {
    countKind(ctx, 'help');
    await show(ctx, renderHelp(langOf(ctx), ctx.me.username));
  });

  composer.command('menu', async (ctx) => {
    countKind(ctx, 'home');
    await show(ctx, renderHome(ctx.deps.engine, langOf(ctx), ctx.me.username, false));
  });

  onAction(composer, 'home', async (ctx) => {
    await ctx.answerCallbackQuery();
    countKind(ctx, 'home');
    await show(ctx, renderHome(ctx.deps.engine, langOf(ctx), ctx.me.username, false), 'edit');
  });

  onAction(composer, 'prompt', async (ctx, action) => {
    await ctx.answerCallbackQuery();
    // A new message: the menu stays above, and the prompt sits right where the user types.
    await show(ctx, renderPrompt(langOf(ctx), action.what));
  });

  return composer;
}
