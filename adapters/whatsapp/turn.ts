/**
 * The WhatsApp channel as a translator around the shared text conversation
 * (src/conversation/text-conversation.ts):
 *
 *   WhatsAppInput → the text it stands for (+ how to show the answer) → turn() → render.ts
 *
 * A typed text goes in as it is; a list row or reply button goes in as the text it stands for
 * ("r:2.15" → "2.15", "t:3:1" → "t3", "lang:en" → "EN"), so dedupe by message id, opt-out
 * (the durable OptOutRegistry), language and the engine are the use case's, once for every
 * channel. What only WhatsApp does stays here and in render.ts: the list page a row asked
 * for, the full text and the share message of a card, the cursor a typed "next" follows.
 * The channel (index.ts) only knows the `WhatsAppTurn` type below.
 */
import { storeDeliveries } from '../../src/conversation/deliveries.js';
import { storeConversationMemory } from '../../src/conversation/memory.js';
import { storeLanguagePreferences } from '../../src/conversation/preferences.js';
import {
  createTextConversation,
  type Outgoing,
  type TextChannel,
} from '../../src/conversation/text-conversation.js';
import { MAX_INCOMING_CHARS } from '../../src/core/limits.js';
import type { Engine, Lang, Reply } from '../../src/core/types.js';
import { languageMenu } from '../../src/i18n/index.js';
import { expiredPlan, lastPlan, noticePlan, unsupportedPlan } from '../../src/reply/index.js';
import type { Analytics, Metrics, OptOutRegistry, SessionStore } from '../../src/ports/index.js';
import type { FollowUpDeps } from '../../src/followup/turn.js';
import { decodeChoice } from './ids.js';
import { WA_LIMITS, type OutgoingMessage } from './limits.js';
import type { WhatsAppInput } from './parse.js';
import {
  LIST_PAGE_SIZE,
  WHATSAPP_SURFACE,
  createWhatsAppRenderer,
  pageCount,
  type WhatsAppRenderer,
} from './render.js';
import {
  createCursors,
  firstStopConfirmation,
  forgetStopConfirmation,
  messageDigest,
  type Cursors,
} from './state.js';

/** What WhatsApp can do, for the use case: buttons page, STOP is kept, 4096 Unicode characters. */
const WHATSAPP_CHANNEL: TextChannel = {
  name: 'whatsapp',
  paging: 'buttons',
  optOut: true,
  maxChars: WA_LIMITS.textBody,
  alphabet: 'unicode',
  maxIncomingChars: MAX_INCOMING_CHARS,
};

export interface TurnInput {
  pseudonym: string;
  input: WhatsAppInput;
  /** Meta's message id (hashed before it becomes a key: it carries the sender's number). */
  messageId?: string;
  /** The sender's WhatsApp id, for ABONNE only (sealed before it is stored). */
  waId?: string;
}

type TurnOutput =
  | { status: 'duplicate' }
  | {
      status: 'accepted';
      /** The reply's kind, for logs (never the text). */
      kind: string;
      /** In order; empty: send nothing (an opted-out person, a second STOP). */
      messages: OutgoingMessage[];
      /** Awaited before anything is sent; false: send nothing (see the use case's `ready`). */
      ready?: () => Promise<boolean>;
      /**
       * Takes this message's seen-mark back (a STOP whose opt-out is not durable yet is
       * answered 503: Meta's redelivery must then be processed, not dropped as a duplicate).
       */
      release?: () => void;
    };

export type WhatsAppTurn = (message: TurnInput) => Promise<TurnOutput>;

export interface WhatsAppTurnDeps {
  engine: Engine;
  store: SessionStore;
  optOuts: OptOutRegistry;
  metrics: Metrics;
  /** The console's aggregates, as SMS and Telegram count theirs. */
  analytics?: Analytics;
  followUp?: FollowUpDeps;
  /** The public site's base URL: a shared recommendation carries its page's address. */
  publicPageBase?: string;
}

/** How to show the use case's answer, beyond "as it is". */
export type View =
  | { kind: 'plain' }
  | { kind: 'page'; page: number }
  | { kind: 'fullText' }
  | { kind: 'share' }
  | { kind: 'last' }
  /** What WhatsApp cannot read, or a button it no longer knows: said instead of an answer. */
  | { kind: 'notice'; what: 'voice' | 'other' | 'expired'; as: string };

const PLAIN: View = { kind: 'plain' };

/** The text a choice stands for: words the intent parser knows in French, as a person would type them. */
export function textOf(input: WhatsAppInput, renderer: WhatsAppRenderer): { text: string; view: View } {
  if (input.kind === 'text') return { text: input.text, view: PLAIN };
  // Not text: an empty turn (deduped, silent when opted out), answered with a pointer.
  if (input.kind === 'unsupported') {
    return {
      text: '',
      view: { kind: 'notice', what: input.what === 'audio' ? 'voice' : 'other', as: 'unsupported' },
    };
  }
  const choice = decodeChoice(input.id);
  const expired: View = { kind: 'notice', what: 'expired', as: 'expired' };
  switch (choice?.kind) {
    case undefined:
      return { text: '', view: expired };
    case 'home':
      return { text: 'menu', view: PLAIN };
    case 'help':
      return { text: 'aide', view: PLAIN };
    case 'about':
      return { text: 'apropos', view: PLAIN };
    case 'themes':
      return { text: 'themes', view: PLAIN };
    case 'languageMenu':
      return { text: 'langue', view: PLAIN };
    case 'language': {
      const entry = languageMenu().find((item) => item.code === choice.lang);
      return entry ? { text: entry.keyword, view: PLAIN } : { text: '', view: expired };
    }
    case 'theme':
      return { text: `t${choice.theme}`, view: { kind: 'page', page: choice.page } };
    case 'open':
      return { text: choice.id, view: PLAIN };
    case 'fullText':
      return { text: choice.id, view: { kind: 'fullText' } };
    case 'share':
      return { text: choice.id, view: { kind: 'share' } };
    case 'next': {
      const following = renderer.after(choice.id);
      return following ? { text: following.id, view: PLAIN } : { text: choice.id, view: { kind: 'last' } };
    }
  }
}

export function createWhatsAppTurn({
  engine,
  store,
  optOuts,
  metrics,
  analytics,
  followUp,
  publicPageBase,
}: WhatsAppTurnDeps): WhatsAppTurn {
  const renderer = createWhatsAppRenderer(engine, publicPageBase);
  const cursors: Cursors = createCursors(store);
  const deliveries = storeDeliveries(store);
  const conversation = createTextConversation({
    engine,
    channel: WHATSAPP_CHANNEL,
    metrics,
    ...(analytics ? { analytics } : {}),
    language: storeLanguagePreferences(store),
    memory: storeConversationMemory(store),
    optOuts,
    deliveries,
    firstStopConfirmation: (pseudonym) => firstStopConfirmation(store, pseudonym),
    forgetStopConfirmation: (pseudonym) => forgetStopConfirmation(store, pseudonym),
    ...(followUp ? { followUp } : {}),
  });

  const recommendationReply = (id: string): Reply | undefined => {
    const recommendation = engine.recommendation(id);
    const theme = recommendation && engine.theme(recommendation.theme);
    return recommendation && theme ? { kind: 'recommendation', recommendation, theme } : undefined;
  };

  /**
   * A typed "next" / "précédent" / "retour": the use case says "navigation" (WhatsApp pages
   * with buttons), and the cursor says where the person was: the next or previous page of a
   * theme's list, the recommendation after the last one read, or one level up.
   */
  async function navigate(
    pseudonym: string,
    direction: 'next' | 'previous' | 'back',
  ): Promise<{ reply: Reply; view: View }> {
    const cursor = await cursors.get(pseudonym);
    const themeReply = (theme: number) => engine.respond({ kind: 'theme', theme });
    if (cursor?.kind === 'theme') {
      const reply = themeReply(cursor.theme);
      const pages = reply.kind === 'theme' ? pageCount(reply.recommendations.length) : 1;
      if (direction === 'next' && cursor.page + 1 < pages)
        return { reply, view: { kind: 'page', page: cursor.page + 1 } };
      if (direction === 'previous' && cursor.page > 0)
        return { reply, view: { kind: 'page', page: cursor.page - 1 } };
      if (direction === 'back') return { reply: engine.respond({ kind: 'themes' }), view: PLAIN };
    }
    if (cursor?.kind === 'recommendation') {
      const rec = engine.recommendation(cursor.id);
      if (rec && direction === 'next') {
        const following = renderer.after(rec.id);
        const reply = following && recommendationReply(following.id);
        return reply
          ? { reply, view: PLAIN }
          : { reply: recommendationReply(rec.id)!, view: { kind: 'last' } };
      }
      if (rec && direction === 'back') {
        const index = engine.recommendationsOf(rec.theme).findIndex((r) => r.id === rec.id);
        const page = Math.floor(Math.max(0, index) / LIST_PAGE_SIZE);
        return { reply: themeReply(rec.theme), view: { kind: 'page', page } };
      }
    }
    if (direction === 'back') return { reply: engine.respond({ kind: 'home' }), view: PLAIN };
    return { reply: { kind: 'navigation', direction }, view: PLAIN };
  }

  /** One engine reply as WhatsApp messages; remembers where a typed "next" goes. */
  async function draw(
    pseudonym: string,
    lang: Lang,
    reply: Reply,
    view: View,
  ): Promise<{ kind: string; messages: OutgoingMessage[] }> {
    if (view.kind === 'notice') {
      const plan = view.what === 'expired' ? expiredPlan(lang) : unsupportedPlan(view.what, lang);
      return { kind: view.as, messages: renderer.plan(plan, lang) };
    }
    if (reply.kind === 'navigation') {
      const target = await navigate(pseudonym, reply.direction);
      if (target.reply.kind !== 'navigation') return draw(pseudonym, lang, target.reply, target.view);
      return { kind: reply.kind, messages: renderer.render(reply, lang) };
    }
    if (reply.kind === 'theme') {
      const last = pageCount(reply.recommendations.length) - 1;
      const page = Math.min(Math.max(0, view.kind === 'page' ? view.page : 0), last);
      await cursors.set(pseudonym, { kind: 'theme', theme: reply.theme.number, page });
      return { kind: reply.kind, messages: renderer.render(reply, lang, page) };
    }
    if (reply.kind === 'recommendation') {
      const rec = reply.recommendation;
      await cursors.set(pseudonym, { kind: 'recommendation', id: rec.id });
      if (view.kind === 'fullText') return { kind: 'fullText', messages: renderer.fullText(rec, lang) };
      if (view.kind === 'share') return { kind: 'share', messages: renderer.share(rec, lang) };
      if (view.kind === 'last') return { kind: 'navigation', messages: renderer.plan(lastPlan(lang), lang) };
    }
    return { kind: reply.kind, messages: renderer.render(reply, lang) };
  }

  async function drawAll(pseudonym: string, lang: Lang, out: Outgoing[], view: View) {
    let kind: string | undefined;
    const messages: OutgoingMessage[] = [];
    for (const item of out) {
      if (item.kind === 'notice')
        messages.push(...renderer.plan(noticePlan(item.key, item.params, lang, WHATSAPP_SURFACE), lang));
      else if (item.kind === 'page')
        messages.push(...renderer.plan({ kind: 'page', lines: [{ text: item.text }], actions: [] }, lang));
      else {
        const drawn = await draw(pseudonym, lang, item.reply, view);
        kind ??= drawn.kind;
        messages.push(...drawn.messages);
      }
    }
    return { kind, messages };
  }

  return async ({ pseudonym, input, messageId, waId }) => {
    const { text, view } = textOf(input, renderer);
    const delivery = messageId ? { gateway: 'meta', messageId: messageDigest(messageId) } : undefined;
    const result = await conversation.turn({
      pseudonym,
      text,
      ...(delivery ? { delivery } : {}),
      ...(waId ? { reachAt: { channel: 'whatsapp' as const, address: waId } } : {}),
    });
    if (result.status === 'duplicate') return result;
    // WhatsApp's budget is counted before the turn (webhook.ts): the turn never refuses one.
    if (result.status !== 'accepted') throw new Error(`whatsapp: unexpected turn ${result.status}`);
    let drawn;
    try {
      drawn = await drawAll(pseudonym, result.lang, result.out, view);
    } catch (error) {
      // The cursor could not be saved: the answer is not decided after all, the redelivery is.
      if (delivery) deliveries.release(WHATSAPP_CHANNEL.name, delivery.gateway, delivery.messageId);
      throw error;
    }
    return {
      status: 'accepted',
      kind: drawn.kind ?? result.kind,
      messages: drawn.messages,
      ...(result.ready ? { ready: result.ready } : {}),
      ...(delivery
        ? { release: () => deliveries.release(WHATSAPP_CHANNEL.name, delivery.gateway, delivery.messageId) }
        : {}),
    };
  };
}
