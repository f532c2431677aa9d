import { Composer } from 'grammy';
import { commandNames } from '../commands.js';
import { say } from '../../../src/reply/index.js';
import type { Recommendation } from '../../../src/core/types.js';
import { langOf, type BotContext } from '../context.js';
import { renderPrompt } from '../render.js';
import { searchById, searchScreen, sendReply, show } from '../reply.js';
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
      await ctx.answerCallbackQuery({ text: say.listExpired(lang) });
      return;
    }
    await ctx.answerCallbackQuery();
    // The list's title names what the search understood: the message already shows it, and the
    // query is never stored, so the page keeps the title of the message it replaces.
    const shown = ctx.callbackQuery?.message?.text?.split('\n')[0]?.slice(0, 200);
    const reply = {
      kind: 'searchResults' as const,
      query: '',
      echo: '',
      hits: recs.map((recommendation) => ({ recommendation, score: 0 })),
    };
    await show(ctx, searchScreen(ctx, reply, lang, action.token, action.page, shown), 'edit');
  });

  return composer;
}
