import { Composer } from 'grammy';
import { commandNames } from '../commands.js';
import { t } from '../../../src/i18n/index.js';
import type { Recommendation } from '../../../src/core/types.js';
import { langOf, type BotContext } from '../context.js';
import { renderPrompt } from '../render.js';
import { clampPage, searchResultsKeyboard } from '../render-lists.js';
import { describeError, isNotModified, searchById, sendReply, show } from '../reply.js';
import { onAction } from './on-action.js';

/** /recherche, /search and the page buttons of a result list. */
export function searchFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(commandNames('tg.command.search'), async (ctx) => {
    const query = ctx.match.trim();
    if (!query) return show(ctx, renderPrompt(langOf(ctx), 'search'));
    await sendReply(ctx, ctx.deps.engine.respond({ kind: 'search', query }));
  });

  onAction(composer, 'searchPage', async (ctx, action) => {
    const lang = langOf(ctx);
    const ids = searchById(ctx, action.token);
    const recs = (ids ?? [])
      .map((id) => ctx.deps.engine.recommendation(id))
      .filter((rec): rec is Recommendation => rec !== undefined);
    if (!ids || recs.length === 0) {
      await ctx.answerCallbackQuery({ text: t(lang, 'tg.expired') });
      return;
    }
    await ctx.answerCallbackQuery();
    // The text (with the query) stays as it is: only the buttons change, so the query is never stored.
    const page = clampPage(action.page, recs.length);
    try {
      await ctx.editMessageReplyMarkup({
        reply_markup: { inline_keyboard: searchResultsKeyboard(lang, recs, action.token, page) },
      });
    } catch (error) {
      if (!isNotModified(error)) ctx.log.warn({ err: describeError(error) }, 'could not page a result list');
    }
  });

  return composer;
}
