import { Composer } from 'grammy';
import { recLabel } from '../../../src/content/localized.js';
import { recommendationUrl } from '../../../src/content/public-links.js';
import type { InlineQueryResultArticle } from 'grammy/types';
import type { Lang, Recommendation } from '../../../src/core/types.js';
import { isLang, langFromLocale } from '../../../src/i18n/index.js';
import { chrome } from '../../../src/reply/index.js';
import { userPseudonym, type BotContext, type SessionData } from '../context.js';
import { deepLink, recommendationText, splitMessage } from '../render.js';
import { countKind } from '../reply.js';
import { sessionKey } from '../session.js';

/** Telegram shows at most 50; 20 a batch keeps the answer fast, more come with next_offset. */
const INLINE_BATCH = 20;
const INLINE_MAX = 50;
const DESCRIPTION_MAX = 120;

/**
 * `@bot eau` offers matching recommendations, `@bot 2.15` that one, `@bot 2` theme 2, to send in
 * any chat. Telegram asks at every key: the last word is searched as still being typed (`fem`
 * finds femmes), so the results narrow as the words grow and never drop to nothing halfway.
 */
export function inlineFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('inline_query', async (ctx) => {
    const { engine } = ctx.deps;
    const lang = await storedLang(ctx);
    const query = ctx.inlineQuery.query.trim();
    if (!query) {
      await ctx.answerInlineQuery([], {
        cache_time: 300,
        button: { text: chrome(lang).inline.hint, start_parameter: 'inline' },
      });
      return;
    }
    const intent = engine.parse(query);
    let recs: Recommendation[];
    if (intent.kind === 'recommendation') {
      const rec = engine.recommendation(intent.theme, intent.number);
      recs = rec ? [rec] : [];
    } else if (intent.kind === 'theme') {
      recs = engine.recommendationsOf(intent.theme);
    } else {
      recs = engine
        .search(intent.kind === 'search' ? intent.query : query, INLINE_MAX, { partial: true })
        .hits.map((h) => h.recommendation);
    }
    recs = recs.slice(0, INLINE_MAX);
    const offset = Math.min(Number.parseInt(ctx.inlineQuery.offset || '0', 10) || 0, recs.length);
    const batch = recs.slice(offset, offset + INLINE_BATCH);
    const nextOffset = offset + INLINE_BATCH < recs.length ? String(offset + INLINE_BATCH) : '';
    // Labelled by the engine's reply kind, like every channel's answers.
    const kind =
      intent.kind === 'recommendation' || intent.kind === 'theme'
        ? intent.kind
        : recs.length > 0
          ? 'searchResults'
          : 'noResults';
    countKind(ctx, kind);
    if (recs.length === 0) ctx.deps.metrics.searchWithoutResult('telegram');
    await ctx.answerInlineQuery(
      batch.map((rec) => article(ctx, rec, lang)),
      {
        // Personal: the language of the answer follows the user's Telegram language.
        cache_time: 300,
        is_personal: true,
        next_offset: nextOffset,
        ...(recs.length === 0 ? { button: { text: chrome(lang).inline.none, start_parameter: 'help' } } : {}),
      },
    );
  });

  return composer;
}

function article(ctx: BotContext, rec: Recommendation, lang: Lang): InlineQueryResultArticle {
  const preview = rec.text.length > DESCRIPTION_MAX ? `${rec.text.slice(0, DESCRIPTION_MAX - 1)}…` : rec.text;
  return {
    type: 'article',
    id: rec.id,
    // Our label, shown as a list entry; the message sent is the report's text.
    title: `${rec.id} · ${recLabel(rec, lang)}`,
    description: preview,
    input_message_content: {
      // Every recommendation fits one message with its follow-up (tested); a longer one would
      // send its first part.
      message_text: splitMessage(recommendationText(lang, rec, ctx.deps.engine.followUpOf(rec.id)))[0]!,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    },
    reply_markup: {
      inline_keyboard: [
        // With the public site, the shared message links its page too (for who has no Telegram bot).
        ...(ctx.deps.publicPageBase
          ? [
              [
                {
                  text: chrome(lang).inline.openPage,
                  url: recommendationUrl(ctx.deps.publicPageBase, rec.id, lang),
                },
              ],
            ]
          : []),
        [{ text: chrome(lang).inline.openInBot, url: deepLink(ctx.me.username, rec.id) }],
      ],
    },
  };
}

/**
 * The language the person chose (their session, read, not rewritten: an inline query comes at
 * every key), else Telegram's. A store that fails is not worth an empty answer: Telegram's then.
 */
async function storedLang(ctx: BotContext): Promise<Lang> {
  const user = userPseudonym(ctx);
  const session = user
    ? await ctx.deps.store.get<SessionData>(sessionKey(user)).catch(() => undefined)
    : undefined;
  return isLang(session?.lang) ? session.lang : langFromLocale(ctx.from?.language_code);
}
