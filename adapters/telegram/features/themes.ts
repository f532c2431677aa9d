import { commandNames } from '../commands.js';
import { Composer } from 'grammy';
import { t } from '../../../src/i18n/index.js';
import { langOf, type BotContext } from '../context.js';
import { sendReply, show, themeScreen, themesScreen } from '../reply.js';
import { onAction } from './on-action.js';

/** /themes, /theme 2 and the theme list buttons, paged in place. */
export function themesFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.themes'), async (ctx) => {
    await sendReply(ctx, ctx.deps.engine.respond({ kind: 'themes' }));
  });

  composer.command(commandNames('tg.command.theme'), async (ctx) => {
    const arg = ctx.match.trim();
    const { engine } = ctx.deps;
    // "theme 2" is how the engine reads a theme; anything else it makes of it is answered as such.
    await sendReply(ctx, arg ? engine.answer(`theme ${arg}`) : engine.respond({ kind: 'themes' }));
  });

  onAction(composer, 'themes', async (ctx) => {
    await ctx.answerCallbackQuery();
    ctx.deps.metrics.replySent('telegram', 'themes');
    await show(ctx, themesScreen(ctx, langOf(ctx)), 'edit');
  });

  onAction(composer, 'theme', async (ctx, action) => {
    const lang = langOf(ctx);
    const screen = themeScreen(ctx, action.theme, action.page, lang);
    if (!screen) {
      await ctx.answerCallbackQuery({ text: t(lang, 'tg.unknownButton') });
      return;
    }
    await ctx.answerCallbackQuery();
    ctx.deps.metrics.replySent('telegram', 'theme');
    await show(ctx, screen, 'edit');
  });

  return composer;
}
