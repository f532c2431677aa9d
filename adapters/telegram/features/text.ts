import { Composer, type Filter } from 'grammy';
import { say, unsupportedPlan, type Unsupported } from '../../../src/reply/index.js';
import { langOf, type BotContext } from '../context.js';
import { renderHelp, renderPlan } from '../render.js';
import { answerText } from '../conversation.js';
import { show } from '../reply.js';

type MessageContext = Filter<BotContext, 'message'>;

/**
 * What is left: plain text (or a photo's, video's or document's caption) goes to the engine (a
 * number opens that recommendation, words search); an unknown command gets the help; a voice
 * note, a sticker, a location or a bare picture a one-line pointer; an unknown button a short
 * notice. In a group the bot only answers what is addressed to it: a mention of it, or a reply
 * to one of its messages (commands are answered by the features before). Install last.
 */
export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('message', async (ctx, next) => {
    if (ctx.chat.type === 'private') return next();
    const text = ctx.message.text ?? ctx.message.caption;
    if (text === undefined) return;
    // A command for another bot of the group (/start@other_bot) is not ours.
    const command = /^\/\w+@(\w+)/.exec(text);
    if (command && command[1]!.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    if (command || addressedToBot(ctx)) return next();
  });

  composer.on('message:text', async (ctx) => {
    const text = addressedText(ctx.message.text, ctx.me.username);
    if (text.startsWith('/')) return show(ctx, renderHelp(langOf(ctx), ctx.me.username));
    await answerText(ctx, text);
  });

  // A caption is what the person wrote: read as the text of the message.
  composer.on(
    ['message:photo', 'message:video', 'message:document', 'message:animation'],
    async (ctx, next) => {
      const caption = addressedText(ctx.message.caption ?? '', ctx.me.username);
      if (caption.trim() === '') return next();
      await answerText(ctx, caption);
    },
  );

  composer.on(['message:voice', 'message:audio', 'message:video_note'], async (ctx) => {
    const lang = langOf(ctx);
    ctx.deps.metrics.replySent('telegram', 'help');
    await show(ctx, renderPlan(unsupportedPlan('voice', lang, ctx.deps.voicePhoneNumber), lang));
  });

  composer.on('message:sticker', (ctx) => pointer(ctx, 'sticker'));
  composer.on(['message:location', 'message:venue'], (ctx) => pointer(ctx, 'location'));
  composer.on(['message:photo', 'message:video', 'message:document', 'message:animation'], (ctx) =>
    pointer(ctx, 'media'),
  );

  // Other private messages (contacts, polls…) get the help; in a group, joins are not for us.
  composer.chatType('private').on('message', async (ctx) => {
    await show(ctx, renderHelp(langOf(ctx), ctx.me.username));
  });

  composer.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: say.buttonExpired(langOf(ctx)) });
  });

  return composer;
}

async function pointer(ctx: MessageContext, what: Unsupported): Promise<void> {
  const lang = langOf(ctx);
  ctx.deps.metrics.replySent('telegram', 'help');
  await show(ctx, renderPlan(unsupportedPlan(what, lang), lang));
}

/** In a group: "@bot …" (a mention entity naming us) or a reply to one of our messages. */
function addressedToBot(ctx: MessageContext): boolean {
  if (ctx.message.reply_to_message?.from?.id === ctx.me.id) return true;
  const text = ctx.message.text ?? ctx.message.caption ?? '';
  const entities = ctx.message.entities ?? ctx.message.caption_entities ?? [];
  const mention = `@${ctx.me.username}`.toLowerCase();
  return entities.some(
    (e) => e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === mention,
  );
}

/**
 * What was said to the bot, without its name: "@dim_bot eau" is "eau"; in "Awa tu peux demander
 * à @dim_bot pour la santé ?" the words after the mention are the question ("pour la santé ?"),
 * those before it speak to someone else; "la santé, @dim_bot ?" keeps the words before it.
 */
export function addressedText(text: string, username: string): string {
  const mention = new RegExp(`@${username}\\b`, 'gi');
  const tidy = (part: string) => part.replace(mention, ' ').replace(/\s+/g, ' ').trim();
  const at = text.search(mention);
  if (at < 0) return tidy(text);
  const after = tidy(text.slice(at + username.length + 1));
  return /[\p{L}\p{N}]/u.test(after) ? after : tidy(text.slice(0, at));
}
