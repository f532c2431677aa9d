import { commandNames } from '../commands.js';
import { Composer } from 'grammy';
import { say, usagePlan } from '../../../src/reply/index.js';
import { langOf, type BotContext } from '../context.js';
import { countKind, countShown, sendReply, show, themeScreen, themesScreen } from '../reply.js';
import { onAction } from './on-action.js';
import { renderPlan } from '../render.js';

/** /themes, /theme 2 and the theme list buttons, paged in place. */
export function themesFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.themes'), async (ctx) => {
    await sendReply(ctx, ctx.deps.engine.respond({ kind: 'themes' }));
  });

  composer.command(commandNames('tg.command.theme'), async (ctx) => {
    const arg = ctx.match.trim();
    const { engine } = ctx.deps;
    if (!arg) return sendReply(ctx, engine.respond({ kind: 'themes' }));
    // "theme 2" is how the engine reads a theme. Anything else (/theme eau) gets the command's
    // usage: never a search answer echoing words that were not typed as a query.
    const reply = engine.answer(`theme ${arg}`);
    if (reply.kind === 'theme' || reply.kind === 'outOfRange') return sendReply(ctx, reply);
    ctx.deps.metrics.replySent('telegram', 'help');
    const lang = langOf(ctx);
    await show(ctx, renderPlan(usagePlan('theme', lang, engine.corpus.themes.length), lang));
  });

  onAction(composer, 'themes', async (ctx) => {
    await ctx.answerCallbackQuery();
    countKind(ctx, 'themes');
    await show(ctx, themesScreen(ctx, langOf(ctx)), 'edit');
  });

  onAction(composer, 'theme', async (ctx, action) => {
    const lang = langOf(ctx);
    const screen = themeScreen(ctx, action.theme, action.page, lang);
    if (!screen) {
      await ctx.answerCallbackQuery({ text: say.buttonExpired(lang) });
      return;
    }
    await ctx.answerCallbackQuery();
    countShown(ctx, { kind: 'theme', theme: ctx.deps.engine.theme(action.theme)!, recommendations: [] });
    await show(ctx, screen, 'edit');
  });

  return composer;
}
