/**
 * THE SEAM FOR ISSUE 13. This module is the WhatsApp channel's whole conversation: "incoming
 * message → messages to send", with language, opt-out (STOP/START) and paging kept in the store.
 * It exists only until the shared, channel-neutral conversation use case (`src/conversation/`)
 * lands: then `createWhatsAppTurn` is replaced by a call to that use case (its text input and
 * its reply, rendered by render.ts), and nothing else in adapters/whatsapp/ changes. The
 * channel (index.ts) only knows the `WhatsAppTurn` type below.
 */
import type { Engine, Intent, Lang, Reply } from '../../src/core/types.js';
import type { SessionStore } from '../../src/ports/index.js';
import { t } from '../../src/i18n/index.js';
import { decodeChoice, type Choice } from './ids.js';
import type { OutgoingMessage } from './limits.js';
import type { WhatsAppInput } from './parse.js';
import { LIST_PAGE_SIZE, createWhatsAppRenderer, pageCount } from './render.js';
import {
  CURSOR_TTL_SECONDS,
  LANG_PREF_TTL_SECONDS,
  OPT_OUT_TTL_SECONDS,
  cursorKey,
  langKey,
  optOutKey,
  preferredLang,
  type Cursor,
} from './state.js';

/** Longer than any question typed on a phone: answered politely, never searched. */
export const MAX_INCOMING_CHARS = 1000;

export interface TurnInput {
  pseudonym: string;
  input: WhatsAppInput;
}

export interface TurnOutput {
  /** The reply's kind, for metrics and logs (never the text). */
  kind: string;
  /** In order; empty: send nothing (an opted-out person, a second STOP). */
  messages: OutgoingMessage[];
}

export type WhatsAppTurn = (message: TurnInput) => Promise<TurnOutput>;

export interface WhatsAppTurnDeps {
  engine: Engine;
  store: SessionStore;
}

export function createWhatsAppTurn({ engine, store }: WhatsAppTurnDeps): WhatsAppTurn {
  const renderer = createWhatsAppRenderer(engine);

  const setCursor = (pseudonym: string, cursor: Cursor | undefined) =>
    cursor
      ? store.set<Cursor>(cursorKey(pseudonym), cursor, CURSOR_TTL_SECONDS)
      : store.delete(cursorKey(pseudonym));

  /** An engine reply rendered, with the cursor "next" will follow. */
  async function answer(pseudonym: string, lang: Lang, reply: Reply, page = 0): Promise<TurnOutput> {
    if (reply.kind === 'theme') {
      const last = pageCount(reply.recommendations.length) - 1;
      const clamped = Math.min(Math.max(0, page), last);
      await setCursor(pseudonym, { kind: 'theme', theme: reply.theme.number, page: clamped });
      return { kind: reply.kind, messages: renderer.render(reply, lang, clamped) };
    }
    if (reply.kind === 'recommendation')
      await setCursor(pseudonym, { kind: 'recommendation', id: reply.recommendation.id });
    return { kind: reply.kind, messages: renderer.render(reply, lang) };
  }

  const recommendationReply = (id: string): Reply | undefined => {
    const recommendation = engine.recommendation(id);
    const theme = recommendation && engine.theme(recommendation.theme);
    return recommendation && theme ? { kind: 'recommendation', recommendation, theme } : undefined;
  };

  async function next(pseudonym: string, lang: Lang): Promise<TurnOutput> {
    const cursor = await store.get<Cursor>(cursorKey(pseudonym));
    if (cursor?.kind === 'theme') {
      const reply = engine.respond({ kind: 'theme', theme: cursor.theme });
      if (reply.kind === 'theme' && cursor.page + 1 < pageCount(reply.recommendations.length))
        return answer(pseudonym, lang, reply, cursor.page + 1);
    }
    if (cursor?.kind === 'recommendation') return afterRecommendation(pseudonym, lang, cursor.id);
    return { kind: 'navigation', messages: renderer.render({ kind: 'navigation', direction: 'next' }, lang) };
  }

  /** "précédent": the previous page of a theme's list; "retour": up one level (card → its list page → themes). */
  async function previousOrBack(
    pseudonym: string,
    lang: Lang,
    direction: 'previous' | 'back',
  ): Promise<TurnOutput> {
    const cursor = await store.get<Cursor>(cursorKey(pseudonym));
    if (cursor?.kind === 'theme' && direction === 'previous' && cursor.page > 0)
      return answer(pseudonym, lang, engine.respond({ kind: 'theme', theme: cursor.theme }), cursor.page - 1);
    if (direction === 'back' && cursor?.kind === 'recommendation') {
      const rec = engine.recommendation(cursor.id);
      if (rec) {
        const index = engine.recommendationsOf(rec.theme).findIndex((r) => r.id === rec.id);
        const page = Math.floor(Math.max(0, index) / LIST_PAGE_SIZE);
        return answer(pseudonym, lang, engine.respond({ kind: 'theme', theme: rec.theme }), page);
      }
    }
    if (direction === 'back' && cursor?.kind === 'theme')
      return answer(pseudonym, lang, engine.respond({ kind: 'themes' }));
    if (direction === 'back') return answer(pseudonym, lang, engine.respond({ kind: 'home' }));
    return { kind: 'navigation', messages: renderer.render({ kind: 'navigation', direction }, lang) };
  }

  async function afterRecommendation(pseudonym: string, lang: Lang, id: string): Promise<TurnOutput> {
    const following = renderer.after(id);
    const reply = following && recommendationReply(following.id);
    if (!reply)
      return {
        kind: 'navigation',
        messages: [{ type: 'text', text: { body: t(lang, 'wa.lastRecommendation') } }],
      };
    return answer(pseudonym, lang, reply);
  }

  async function choose(pseudonym: string, lang: Lang, choice: Choice): Promise<TurnOutput> {
    switch (choice.kind) {
      case 'home':
      case 'help':
      case 'about':
      case 'themes':
        return answer(pseudonym, lang, engine.respond({ kind: choice.kind }));
      case 'languageMenu':
        return { kind: 'language', messages: renderer.languageMenu(lang) };
      case 'language':
        return intent(pseudonym, lang, { kind: 'language', lang: choice.lang });
      case 'theme':
        return answer(pseudonym, lang, engine.respond({ kind: 'theme', theme: choice.theme }), choice.page);
      case 'open':
      case 'fullText':
      case 'share': {
        const reply = recommendationReply(choice.id);
        if (!reply || reply.kind !== 'recommendation') break;
        if (choice.kind === 'open') return answer(pseudonym, lang, reply);
        await setCursor(pseudonym, { kind: 'recommendation', id: choice.id });
        const messages =
          choice.kind === 'fullText'
            ? renderer.fullText(reply.recommendation, lang)
            : renderer.share(reply.recommendation, lang);
        return { kind: choice.kind, messages };
      }
      case 'next':
        return afterRecommendation(pseudonym, lang, choice.id);
    }
    return { kind: 'expired', messages: [{ type: 'text', text: { body: t(lang, 'wa.expired') } }] };
  }

  async function intent(pseudonym: string, lang: Lang, parsed: Intent): Promise<TurnOutput> {
    if (parsed.kind === 'next') return next(pseudonym, lang);
    if (parsed.kind === 'previous' || parsed.kind === 'back')
      return previousOrBack(pseudonym, lang, parsed.kind);
    if (parsed.kind === 'language' && parsed.lang) {
      await store.set(langKey(pseudonym), parsed.lang, LANG_PREF_TTL_SECONDS);
      return {
        kind: 'language',
        messages: [
          ...renderer.render({ kind: 'language', lang: parsed.lang }, parsed.lang),
          ...renderer.home(parsed.lang),
        ],
      };
    }
    return answer(pseudonym, lang, engine.respond(parsed));
  }

  return async ({ pseudonym, input }) => {
    const [lang, optedOut] = await Promise.all([
      preferredLang(store, pseudonym),
      store.get<number>(optOutKey(pseudonym)).then((v) => v !== undefined),
    ]);
    const parsed: Intent | undefined =
      input.kind === 'text'
        ? input.text.length > MAX_INCOMING_CHARS
          ? undefined
          : engine.parse(input.text)
        : undefined;

    if (parsed?.kind === 'stop') {
      if (optedOut) return { kind: 'stop', messages: [] }; // confirmed once, then silence
      await store.set(optOutKey(pseudonym), 1, OPT_OUT_TTL_SECONDS);
      await store.delete(cursorKey(pseudonym));
      return { kind: 'optOut', messages: renderer.render({ kind: 'optOut' }, lang) };
    }
    if (parsed?.kind === 'start') {
      if (optedOut) await store.delete(optOutKey(pseudonym));
      return { kind: 'optIn', messages: renderer.render({ kind: 'optIn' }, lang) };
    }
    // Opted out: nothing is sent, and nothing is kept about the message either.
    if (optedOut) return { kind: 'optedOut', messages: [] };

    if (input.kind === 'unsupported') {
      const key = input.what === 'audio' ? 'wa.audio' : 'wa.unsupported';
      return { kind: 'unsupported', messages: [{ type: 'text', text: { body: t(lang, key) } }] };
    }
    if (input.kind === 'choice') {
      const choice = decodeChoice(input.id);
      if (!choice)
        return { kind: 'expired', messages: [{ type: 'text', text: { body: t(lang, 'wa.expired') } }] };
      return choose(pseudonym, lang, choice);
    }
    if (!parsed)
      return { kind: 'tooLong', messages: [{ type: 'text', text: { body: t(lang, 'wa.tooLong') } }] };
    return intent(pseudonym, lang, parsed);
  };
}
