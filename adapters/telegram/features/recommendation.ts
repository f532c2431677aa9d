import { commandNames } from '../commands.js';
import { Composer } from 'grammy';
import { t } from '../../../src/i18n/index.js';
import { langOf, type BotContext } from '../context.js';
import { renderPrompt } from '../render.js';
import { recommendationScreen, sendReply, show } from '../reply.js';
import { onAction } from './on-action.js';

/** /reco 2.15 and the buttons that open a recommendation (new message) or step to its neighbour (in place). */
export function recommendationFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.reco'), async (ctx) => {
    const arg = ctx.match.trim();
    if (!arg) return show(ctx, renderPrompt(langOf(ctx), 'number'));
    await sendReply(ctx, ctx.deps.engine.answer(arg));
  });

  for (const kind of ['open', 'show', 'reportText'] as const) {
    onAction(composer, kind, async (ctx, action) => {
      const lang = langOf(ctx);
      const rec = ctx.deps.engine.recommendation(action.id);
      if (!rec) {
        await ctx.answerCallbackQuery({ text: t(lang, 'tg.unknownButton') });
        return;
      }
      await ctx.answerCallbackQuery();
      ctx.deps.metrics.replySent('telegram', 'recommendation');
      // Opening from a list sends a new message so the list stays usable; ◀ ▶ replace in place.
      // The report's text (asked from a summary) comes as a new message under the summary.
      await show(
        ctx,
        recommendationScreen(ctx, rec, lang, kind === 'reportText'),
        kind === 'show' ? 'edit' : 'reply',
      );
    });
  }

  return composer;
}
