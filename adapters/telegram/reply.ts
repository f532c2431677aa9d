import { randomBytes } from 'node:crypto';
import { GrammyError } from 'grammy';
import type { Lang, Recommendation, Reply, SearchHit } from '../../src/core/types.js';
import { recordReply, searchShown } from '../../src/analytics/events.js';
import { storeLastSearches } from '../../src/conversation/last-search.js';
import { noAnalytics } from '../../src/ports/index.js';
import { langOf, personOf, type BotContext } from './context.js';
import { pageOf, renderPlanned, splitMessage, type Rendered } from './render.js';

/** How many result lists a chat keeps for paging; older list buttons then say "expired". */
const SEARCHES_KEPT = 5;
/** More results than this are not worth paging on a phone: refine the words instead. */
export const SEARCH_RESULTS_KEPT = 40;

/**
 * `reply`: a new message. `edit`: from a button, the tapped message edited in place, unless it
 * is an opened recommendation. `replace`: the tapped message edited in place whatever it is (the
 * reader, whose ◀ ▶ step through a theme in one message).
 */
export type Mode = 'reply' | 'edit' | 'replace';

/** Sends (or, from a button, edits in place) one rendered screen; long texts go as several messages. */
export async function show(ctx: BotContext, rendered: Rendered, mode: Mode = 'reply'): Promise<void> {
  const parts = splitMessage(rendered.text);
  const markup = rendered.keyboard ? { inline_keyboard: rendered.keyboard } : undefined;
  // An opened recommendation stays in the chat (to re-read, forward, quote): a tap on it never
  // rewrites it, the next screen comes as a new message.
  const inPlace = mode === 'replace' || (mode === 'edit' && !tappedOnRecommendation(ctx));
  if (inPlace && parts.length === 1 && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(parts[0]!, {
        parse_mode: 'HTML',
        reply_markup: markup,
        link_preview_options: { is_disabled: true },
      });
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      // Too old to edit, or deleted: a new message still answers the tap.
      ctx.log.warn({ err: describeError(error) }, 'edit failed, sending a new message');
    }
  }
  for (const [index, part] of parts.entries()) {
    await ctx.reply(part, {
      parse_mode: 'HTML',
      reply_markup: index === parts.length - 1 ? markup : undefined,
      link_preview_options: { is_disabled: true },
    });
  }
}

/** A recommendation is the only screen with a Share (switch_inline_query) button: Telegram sends the markup back with the tap. */
function tappedOnRecommendation(ctx: BotContext): boolean {
  const message = ctx.callbackQuery?.message as
    { reply_markup?: { inline_keyboard?: unknown[][] } } | undefined;
  const rows = message?.reply_markup?.inline_keyboard ?? [];
  return rows.some((row) =>
    row.some((b) => typeof b === 'object' && b !== null && 'switch_inline_query' in b),
  );
}

function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && String(error.description ?? '').includes('message is not modified');
}

export function describeError(error: unknown): { message: string; code?: number } {
  // Telegram's details after the second colon may quote the message ("...start tag \"x\""): cut them.
  if (error instanceof GrammyError) {
    // Bot API look-alikes (test servers, proxies) may send no description at all.
    const description = typeof error.description === 'string' ? error.description : '';
    return { message: description.split(':').slice(0, 2).join(':'), code: error.error_code };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** A recommendation, with the page of its theme's list the theme button goes back to. */
export function recommendationScreen(
  ctx: BotContext,
  rec: Recommendation,
  lang: Lang,
  reportText = false,
  stepping = false,
): Rendered {
  const { engine } = ctx.deps;
  const index = engine.recommendationsOf(rec.theme).findIndex((r) => r.id === rec.id);
  const followUp = engine.followUpOf(rec.id);
  const reply: Reply = {
    kind: 'recommendation',
    recommendation: rec,
    theme: engine.theme(rec.theme)!,
    ...(reportText ? { reportText: true as const } : {}),
    ...(followUp ? { followUp } : {}),
  };
  return renderPlanned(engine, reply, lang, ctx.me.username, {
    themePage: pageOf(Math.max(0, index)),
    stepping,
  });
}

/** One page of a theme's list, paged in place by its ◀ ▶ buttons. */
export function themeScreen(
  ctx: BotContext,
  themeNumber: number,
  page: number,
  lang: Lang,
): Rendered | undefined {
  const { engine } = ctx.deps;
  const reply = engine.respond({ kind: 'theme', theme: themeNumber });
  if (reply.kind !== 'theme') return undefined;
  return renderPlanned(engine, reply, lang, ctx.me.username, {
    paging: { page, at: (p) => ({ kind: 'theme', theme: themeNumber, page: p }) },
  });
}

export function themesScreen(ctx: BotContext, lang: Lang): Rendered {
  const { engine } = ctx.deps;
  return renderPlanned(engine, engine.respond({ kind: 'themes' }), lang, ctx.me.username);
}

/**
 * One page of a result list. The list's words are in the message (its title names what the
 * search understood); a page asked by a button keeps the title the message already shows
 * (`title`), since the query is never stored.
 */
export function searchScreen(
  ctx: BotContext,
  reply: Extract<Reply, { kind: 'searchResults' }>,
  lang: Lang,
  token: string,
  page: number,
  title?: string,
): Rendered {
  return renderPlanned(ctx.deps.engine, reply, lang, ctx.me.username, {
    paging: { page, at: (p) => ({ kind: 'searchPage', token, page: p }) },
    token,
    ...(title !== undefined ? { title } : {}),
  });
}

/** Keeps the result ids (not the query) under a fresh short token, for the page buttons. */
function rememberSearch(ctx: BotContext, ids: string[]): string {
  const token = randomBytes(6).toString('base64url');
  const kept = (ctx.session.searches ?? []).slice(-(SEARCHES_KEPT - 1));
  ctx.session.searches = [...kept, { token, ids }];
  return token;
}

export function searchById(ctx: BotContext, token: string): string[] | undefined {
  return ctx.session.searches?.find((s) => s.token === token)?.ids;
}

/**
 * Counts one answer shown by a button or command: Prometheus by kind, and the console's
 * aggregates with the chat's pseudonym, language and what was shown.
 */
export function countShown(ctx: BotContext, reply: Reply): void {
  ctx.deps.metrics.replySent('telegram', reply.kind);
  if (reply.kind === 'noResults' || reply.kind === 'notInReport')
    ctx.deps.metrics.searchWithoutResult('telegram');
  recordReply(ctx.deps.analytics ?? noAnalytics, reply, {
    person: personOf(ctx),
    channel: 'telegram',
    lang: langOf(ctx),
  });
}

/** Counts an answer that is no engine reply (a menu, a language change) by its kind. */
export function countKind(ctx: BotContext, kind: string): void {
  ctx.deps.metrics.replySent('telegram', kind);
  (ctx.deps.analytics ?? noAnalytics).record({
    type: 'reply',
    person: personOf(ctx),
    channel: 'telegram',
    lang: langOf(ctx),
    kind,
  });
}

/**
 * The engine answers a search with a handful of hits (a USSD screen's worth). Telegram pages,
 * so it asks the same search for more and keeps the engine's hits first, in the engine's order.
 */
function widen(ctx: BotContext, query: string, hits: SearchHit[]): Recommendation[] {
  const recs = hits.map((hit) => hit.recommendation);
  const seen = new Set(recs.map((r) => r.id));
  for (const hit of ctx.deps.engine.search(query, SEARCH_RESULTS_KEPT).hits) {
    if (!seen.has(hit.recommendation.id)) recs.push(hit.recommendation);
    seen.add(hit.recommendation.id);
  }
  return recs.slice(0, SEARCH_RESULTS_KEPT);
}

/** Counts (metrics by `Reply.kind`) and renders an engine reply: buttons and commands use it. */
export async function sendReply(ctx: BotContext, reply: Reply, mode: Mode = 'reply'): Promise<void> {
  countShown(ctx, reply);
  // Like the conversation does for typed text: what a /search showed, for "wrong answer".
  const shown = searchShown(reply);
  const person = personOf(ctx);
  if (shown && person)
    await storeLastSearches(ctx.deps.store)
      .save('telegram', person, shown)
      .catch(() => ctx.deps.metrics.storeError('tg.lastSearch'));
  return renderReply(ctx, reply, mode);
}

/**
 * Telegram's renderer: any engine reply as a message with its buttons (new, or edited in place
 * from a button), laid out from its plan (src/reply). Counts nothing: the caller (the text
 * conversation, or `sendReply`) does.
 */
export async function renderReply(
  ctx: BotContext,
  reply: Reply,
  mode: Mode = 'reply',
  language?: Lang,
): Promise<void> {
  // The conversation's language when it answered typed text (the words may say another).
  const lang = language ?? langOf(ctx);
  const { engine } = ctx.deps;
  switch (reply.kind) {
    case 'theme':
      return show(ctx, themeScreen(ctx, reply.theme.number, 0, lang)!, mode);
    case 'recommendation':
      return show(ctx, recommendationScreen(ctx, reply.recommendation, lang, reply.reportText), mode);
    case 'searchResults': {
      const recs = widen(ctx, reply.query, reply.hits);
      const token = rememberSearch(
        ctx,
        recs.map((r) => r.id),
      );
      const all = { ...reply, hits: recs.map((recommendation) => ({ recommendation, score: 0 })) };
      return show(ctx, searchScreen(ctx, all, lang, token, 0), mode);
    }
    case 'language':
      // Confirmed in the new language, with its menu: the next tap is already in that language.
      if (reply.lang !== null) ctx.session.lang = reply.lang;
      return show(ctx, renderPlanned(engine, reply, reply.lang ?? lang, ctx.me.username), mode);
    default:
      return show(ctx, renderPlanned(engine, reply, lang, ctx.me.username), mode);
  }
}
