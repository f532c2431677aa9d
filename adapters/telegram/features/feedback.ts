import { Composer } from 'grammy';
import { say } from '../../../src/reply/index.js';
import { noAnalytics } from '../../../src/ports/index.js';
import { storeKeys } from '../../../src/ports/keys.js';
import { langOf, personOf, userPseudonym, type BotContext } from '../context.js';
import { storeLastSearches } from '../../../src/conversation/last-search.js';
import { countKind, searchById } from '../reply.js';
import { onAction } from './on-action.js';

/** A reaction counts once per person and recommendation; the mark is kept as long as a language choice. */
const REACTION_TTL_SECONDS = 180 * 24 * 3600;

/**
 * The reactions: the two buttons under a recommendation (useful / not clear) and "wrong answer"
 * under a result list. Counted for the console (pseudonym, recommendation id, the list's
 * normalised words and ids); the person gets a short thanks as the tap's answer, no new message.
 * A reaction counts once per person and recommendation (a SET NX in the store: any instance, any
 * chat); tapping it again is thanked again and not counted.
 */
export function feedbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const analyticsOf = (ctx: BotContext) => ctx.deps.analytics ?? noAnalytics;

  onAction(composer, 'feedback', async (ctx, action) => {
    const lang = langOf(ctx);
    if (!ctx.deps.engine.recommendation(action.id)) {
      await ctx.answerCallbackQuery({ text: say.buttonExpired(lang) });
      return;
    }
    countKind(ctx, 'feedback');
    if (await firstReaction(ctx, action.id, action.value))
      analyticsOf(ctx).record({
        type: 'feedback',
        person: personOf(ctx),
        channel: 'telegram',
        recId: action.id,
        value: action.value === 1 ? 'useful' : 'unclear',
      });
    await ctx.answerCallbackQuery({ text: say.feedbackThanks(lang, action.id) });
  });

  onAction(composer, 'wrong', async (ctx, action) => {
    const lang = langOf(ctx);
    const ids = searchById(ctx, action.token);
    if (!ids) {
      await ctx.answerCallbackQuery({ text: say.listExpired(lang) });
      return;
    }
    // The list's ids are in the session; nothing of what was typed is kept anywhere. The
    // short-lived last-search record is taken (one report per search).
    const person = personOf(ctx);
    if (person)
      await storeLastSearches(ctx.deps.store)
        .take('telegram', person)
        .catch(() => undefined);
    countKind(ctx, 'wrongAnswer');
    analyticsOf(ctx).record({ type: 'wrongAnswer', person, channel: 'telegram', resultIds: ids });
    await ctx.answerCallbackQuery({ text: say.wrongThanks(lang) });
  });

  return composer;
}

/** The person's first reaction to this recommendation? Counted when the store cannot say. */
async function firstReaction(ctx: BotContext, recId: string, value: 1 | 2): Promise<boolean> {
  const user = userPseudonym(ctx);
  if (!user) return true;
  try {
    return await ctx.deps.store.setIfAbsent(
      storeKeys.telegramReaction(user, recId),
      value,
      REACTION_TTL_SECONDS,
    );
  } catch {
    ctx.deps.metrics.storeError('tg.reaction');
    return true;
  }
}
