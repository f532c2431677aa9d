import { commandNames } from '../commands.js';
import { Composer } from 'grammy';
import { say, usagePlan } from '../../../src/reply/index.js';
import { langOf, type BotContext } from '../context.js';
import { renderPlan, renderPrompt } from '../render.js';
import { countShown, recommendationScreen, sendReply, show } from '../reply.js';
import { onAction } from './on-action.js';

/**
 * /reco 2.15 and the buttons that open a recommendation (a new message, kept in the chat) or step
 * to its neighbour: ◀ ▶ on an opened recommendation send one new message, the reader, whose own
 * ◀ ▶ then edit it in place, so reading a theme through leaves two messages, not one each.
 */
export function recommendationFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.reco'), async (ctx) => {
    const arg = ctx.match.trim();
    if (!arg) return show(ctx, renderPrompt(langOf(ctx), 'number'));
    // A number is what /reco takes; words (/reco eau) get the usage, not a search on them.
    const intent = ctx.deps.engine.parse(arg);
    if (intent.kind === 'recommendation') return sendReply(ctx, ctx.deps.engine.respond(intent));
    ctx.deps.metrics.replySent('telegram', 'help');
    const lang = langOf(ctx);
    await show(ctx, renderPlan(usagePlan('reco', lang, ctx.deps.engine.corpus.themes.length), lang));
  });

  for (const kind of ['open', 'show', 'step', 'reportText'] as const) {
    onAction(composer, kind, async (ctx, action) => {
      const lang = langOf(ctx);
      const rec = ctx.deps.engine.recommendation(action.id);
      if (!rec) {
        await ctx.answerCallbackQuery({ text: say.buttonExpired(lang) });
        return;
      }
      await ctx.answerCallbackQuery();
      countShown(ctx, {
        kind: 'recommendation',
        recommendation: rec,
        theme: ctx.deps.engine.theme(rec.theme)!,
      });
      // Opening from a list sends a new message so the list stays usable; the report's text
      // (asked from a summary) comes as a new message under the summary.
      const stepping = kind === 'show' || kind === 'step';
      await show(
        ctx,
        recommendationScreen(ctx, rec, lang, kind === 'reportText', stepping),
        kind === 'step' ? 'replace' : kind === 'show' ? 'edit' : 'reply',
      );
    });
  }

  return composer;
}
