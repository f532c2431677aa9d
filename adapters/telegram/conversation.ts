import {
  createTextConversation,
  type TextChannel,
  type TextConversation,
} from '../../src/conversation/text-conversation.js';
import { storeLastSearches } from '../../src/conversation/last-search.js';
import { storeConversationMemory } from '../../src/conversation/memory.js';
import { t } from '../../src/i18n/index.js';
import { chatPseudonym, langOf, type BotContext } from './context.js';
import { renderNotice } from './render.js';
import { renderReply, SEARCH_RESULTS_KEPT, show } from './reply.js';

/**
 * Telegram as a translator around the text conversation (src/conversation): a text message →
 * IncomingText → turn() → Telegram's renderer (HTML and inline buttons, see reply.ts) → the Bot
 * API. No opt-out list (one blocks a bot in Telegram), pages by buttons, and no seen-marks here:
 * every update is deduplicated by update_id before any feature runs (bot.ts).
 */
const TELEGRAM_CHANNEL: TextChannel = {
  name: 'telegram',
  paging: 'buttons',
  optOut: false,
  maxChars: 4096,
  alphabet: 'unicode',
  resultsShown: SEARCH_RESULTS_KEPT,
};

/** The chat's language lives in the grammY session (saved by the session middleware). */
function conversationOf(ctx: BotContext): TextConversation {
  const language = {
    get: async () => langOf(ctx),
    set: async (_pseudonym: string, lang: string) => {
      if (ctx.chat) ctx.session.lang = lang;
    },
  };
  return createTextConversation({
    engine: ctx.deps.engine,
    channel: TELEGRAM_CHANNEL,
    metrics: ctx.deps.metrics,
    ...(ctx.deps.analytics ? { analytics: ctx.deps.analytics } : {}),
    lastSearches: storeLastSearches(ctx.deps.store),
    ...(ctx.deps.followUp ? { followUp: ctx.deps.followUp } : {}),
    language,
    // What was just said, under the chat's pseudonym; the language is the session's or the app's.
    memory: storeConversationMemory(ctx.deps.store, language),
  });
}

/** One text message: parse → use case → render → send. */
export async function answerText(ctx: BotContext, text: string): Promise<void> {
  const pseudonym = ctx.chat ? chatPseudonym(ctx.deps.pseudonymize, ctx.chat.id) : '';
  // News reach the chat the person subscribed from (its id is sealed before it is stored).
  const reachAt = ctx.chat ? { channel: 'telegram' as const, address: String(ctx.chat.id) } : undefined;
  const result = await conversationOf(ctx).turn({ pseudonym, text, ...(reachAt ? { reachAt } : {}) });
  if (result.status !== 'accepted') return;
  // A language the chat's words said sticks for the chat, buttons included (its session keeps it).
  if (ctx.chat && result.lang !== langOf(ctx)) ctx.session.lang = result.lang;
  for (const out of result.out) {
    if (out.kind === 'reply') await renderReply(ctx, out.reply, 'reply', result.lang);
    else if (out.kind === 'notice')
      await show(ctx, renderNotice(result.lang, t(result.lang, out.key, out.params)));
    else await show(ctx, renderNotice(result.lang, out.text));
  }
}
