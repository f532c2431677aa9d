import {
  createTextConversation,
  type TextChannel,
  type TextConversation,
} from '../../src/conversation/text-conversation.js';
import { storeLastSearches } from '../../src/conversation/last-search.js';
import { storeConversationMemory } from '../../src/conversation/memory.js';
import { langOf, personOf, type BotContext } from './context.js';
import { escapeHtml, renderNotice } from './render.js';
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

/** The person's language lives in their grammY session (saved by the session middleware). */
function conversationOf(ctx: BotContext): TextConversation {
  const language = {
    get: async () => langOf(ctx),
    set: async (_pseudonym: string, lang: string) => {
      if (ctx.chat && ctx.from) ctx.session.lang = lang;
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
    // What was just said, to this person in this chat; the language is their session's or Telegram's.
    memory: storeConversationMemory(ctx.deps.store, language),
  });
}

/** One text message: parse → use case → render → send. */
export async function answerText(ctx: BotContext, text: string): Promise<void> {
  // In a group, each member has their own conversation (personOf): "le 3e" is in their own list.
  const pseudonym = personOf(ctx) ?? '';
  // News reach the chat the person subscribed from (its id is sealed before it is stored).
  const reachAt = ctx.chat ? { channel: 'telegram' as const, address: String(ctx.chat.id) } : undefined;
  const result = await conversationOf(ctx).turn({ pseudonym, text, ...(reachAt ? { reachAt } : {}) });
  if (result.status !== 'accepted') return;
  // A language the person's words said sticks for them, buttons included (their session keeps
  // it): in a group, for them alone.
  if (ctx.chat && ctx.from && result.lang !== langOf(ctx)) ctx.session.lang = result.lang;
  for (const out of result.out) {
    if (out.kind === 'reply') await renderReply(ctx, out.reply, 'reply', result.lang);
    else if (out.kind === 'notice')
      await show(ctx, renderNotice(out.key, out.params, result.lang, ctx.me.username));
    // Pages are kept only where the channel pages by SMS: never here.
    else await show(ctx, { text: escapeHtml(out.text) });
  }
}
