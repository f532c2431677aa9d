import type { CallbackOutcome } from '../callback/callbacks.js';
import { answerFollowUp, type FollowUpDeps } from '../followup/turn.js';
import type { Engine, Intent, Lang, Reply } from '../core/types.js';
import { ConversationError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { recordReply, searchShown } from '../analytics/events.js';
import type { Analytics, LanguagePreferences, Metrics, OptOutRegistry } from '../ports/index.js';
import { noAnalytics } from '../ports/index.js';
import type { IncomingText, Outgoing, TextChannel, TurnResult } from './channel.js';
import {
  fresh,
  readState,
  remember,
  resolve,
  step,
  type ConversationState,
  type Resolved,
} from './context.js';
import type { Deliveries } from './deliveries.js';
import type { LastSearches } from './last-search.js';
import type { ConversationMemory } from './memory.js';
import type { PageStore } from './pages.js';
import type { TurnState } from './turn-state.js';
import { CONVERSATION_TTL_SECONDS } from './memory.js';
import { LANGUAGE_PREFERENCE_TTL_SECONDS } from './preferences.js';
import { storeKeys } from '../ports/keys.js';
import { isLang, toLang } from '../i18n/index.js';
import type { StoreWrite } from '../ports/index.js';

export type { Outgoing, TextChannel } from './channel.js';

/**
 * One turn of a conversation on a TEXT channel (SMS, Telegram, WhatsApp), channel-neutral:
 * an incoming message in, what to send out. The channel adapter is a translator around it:
 *
 *   parse (webhook/update → IncomingText) → turn() → render (Outgoing → its format) → send
 *
 * Dedupe, opt-out, language preference and paging state go through ports; the engine answers.
 */

const CALLBACK_NOTICE: Record<CallbackOutcome, MessageKey> = {
  queued: 'callback.queued',
  limit: 'callback.limit',
  off: 'callback.unavailable',
};

export interface TextConversationDeps {
  engine: Engine;
  channel: TextChannel;
  metrics: Metrics;
  /** The console's aggregates (replies, searches that missed, reactions); none when absent. */
  analytics?: Analytics;
  /** What the last search showed, for "wrong answer" (FAUX/WRONG) right after it. */
  lastSearches?: LastSearches;
  language: LanguagePreferences;
  /** Required when the channel has `optOut`. */
  optOuts?: OptOutRegistry;
  /** Required when messages come with a `delivery` id. */
  deliveries?: Deliveries;
  /** Required with `stored` paging. */
  pages?: PageStore;
  /** The channel's renderer as pages (required with `stored` paging). */
  paginate?: (reply: Reply, lang: Lang) => string[];
  /**
   * Marks a STOP confirmation as sent for this person for a minute; false when it already was.
   * Absent: every STOP from someone not yet opted out is confirmed.
   */
  firstStopConfirmation?: (pseudonym: string) => Promise<boolean>;
  /** Forgets that mark (a new STOP after START confirms again). */
  forgetStopConfirmation?: (pseudonym: string) => Promise<void>;
  /**
   * Follow-up and news (src/followup, src/subscriptions): SUIVI 2.10, ABONNE, DESABONNE. Absent: SUIVI opens the
   * recommendation; without `subscriptions`, ABONNE says news are not offered here and
   * DESABONNE is STOP.
   */
  followUp?: FollowUpDeps;
  /**
   * What was just said (src/conversation/context.ts), read with the language in one round trip.
   * Absent: every message is taken on its own (the language from `language`).
   */
  memory?: ConversationMemory;
  /**
   * The turn's reads in one round trip and its writes in one command not waited on (issue 36;
   * turn-state.ts); it replaces `deliveries` and the reads of `memory`, `language` and `pages`
   * (their writes are gathered into its batch). A STOP's opt-out is still durable before the turn
   * resolves. Absent: each port is asked in turn.
   */
  turnState?: TurnState;
  /** Milliseconds since the epoch (tests move it); Date.now by default. */
  now?: () => number;
}

export interface TextConversation {
  /**
   * Decides the answer and saves its state, then resolves: the webhook can be acknowledged and
   * the answer sent. Throws when the store cannot be reached; the delivery's seen-mark is then
   * taken back, so the gateway's redelivery is answered.
   */
  turn(message: IncomingText): Promise<TurnResult>;
}

/**
 * Where one turn reads and writes: the ports themselves, or (one-trip turns, `turnState`) the
 * reads already made in one round trip and writes gathered for one command sent after.
 */
interface TurnIo {
  memory?: Pick<ConversationMemory, 'read' | 'save'>;
  pages?: Pick<PageStore, 'save' | 'turn'>;
  lastSearches?: Pick<LastSearches, 'save' | 'take'>;
  language: LanguagePreferences;
  read?: {
    memo: { lang: Lang; chosen: boolean; state: ConversationState | undefined };
    optedOut: boolean;
  };
}

export function createTextConversation(deps: TextConversationDeps): TextConversation {
  const { engine, channel, metrics, language } = deps;
  const stored = channel.paging === 'stored';
  if (channel.optOut && !deps.optOuts)
    throw new ConversationError(`${channel.name}: optOut needs an opt-out registry`);
  if (stored && (!deps.pages || !deps.paginate))
    throw new ConversationError(`${channel.name}: stored paging needs pages`);

  const analytics = deps.analytics ?? noAnalytics;
  const clock = deps.now ?? Date.now;
  const counted = (kind: string, pseudonym: string, lang: Lang) => {
    metrics.replySent(channel.name, kind);
    analytics.record({ type: 'reply', person: pseudonym, channel: channel.name, lang, kind });
  };

  /**
   * A search answer lists the engine's first results; a channel that pages lists more (SMS: all
   * of them, on SUITE), in the engine's order and starting with the engine's hits.
   */
  const widened = (reply: Reply): Reply => {
    if (reply.kind !== 'searchResults' || channel.resultsShown === undefined) return reply;
    const all = engine.search(reply.query, channel.resultsShown);
    const sameStart = reply.hits.every((hit, i) => all.hits[i]?.recommendation.id === hit.recommendation.id);
    return all.verdict !== 'none' && sameStart && all.hits.length > reply.hits.length
      ? { ...reply, hits: all.hits }
      : reply;
  };

  /** An engine reply, counted by its kind, as the channel sends it. */
  async function answer(io: TurnIo, pseudonym: string, lang: Lang, reply: Reply): Promise<Outgoing> {
    metrics.replySent(channel.name, reply.kind);
    // "Not in the report" is a search that found nothing, counted like one.
    if (reply.kind === 'noResults' || reply.kind === 'notInReport') metrics.searchWithoutResult(channel.name);
    recordReply(analytics, reply, { person: pseudonym, channel: channel.name, lang });
    const shown = io.lastSearches ? searchShown(reply) : undefined;
    if (shown) await io.lastSearches!.save(channel.name, pseudonym, shown);
    if (!stored) return { kind: 'reply', reply };
    const pages = deps.paginate!(reply, lang);
    await io.pages!.save(channel.name, pseudonym, pages, { reply, lang });
    return { kind: 'page', text: pages[0] ?? '' };
  }

  /** AVIS 2.10 1 / FAUX: counted for the console, thanked with one sentence. */
  async function react(
    io: TurnIo,
    pseudonym: string,
    lang: Lang,
    reaction: Extract<Intent, { kind: 'feedback' | 'feedbackUsage' | 'wrongAnswer' }>,
  ): Promise<Outgoing> {
    const person = pseudonym;
    const where = { person, channel: channel.name };
    if (reaction.kind === 'feedback') {
      if (!engine.recommendation(reaction.recId)) return { kind: 'notice', key: 'feedback.usage' };
      counted('feedback', pseudonym, lang);
      analytics.record({ type: 'feedback', ...where, recId: reaction.recId, value: reaction.value });
      return { kind: 'notice', key: 'feedback.thanks', params: { id: reaction.recId } };
    }
    if (reaction.kind === 'feedbackUsage') return { kind: 'notice', key: 'feedback.usage' };
    const last = io.lastSearches ? await io.lastSearches.take(channel.name, pseudonym) : undefined;
    if (!last) return { kind: 'notice', key: 'wrong.nothing' };
    counted('wrongAnswer', pseudonym, lang);
    analytics.record({ type: 'wrongAnswer', ...where, ...last });
    return { kind: 'notice', key: 'wrong.thanks' };
  }

  /** SUIVI, ABONNE, DESABONNE as the follow-up module answers them (src/followup/turn.ts). */
  async function news(
    intent: Extract<Intent, { kind: 'followUp' | 'subscribe' | 'unsubscribe' }>,
    message: IncomingText,
    lang: Lang,
  ): Promise<Reply> {
    const person = {
      pseudonym: message.pseudonym,
      address: message.reachAt?.address ?? '',
      channel: message.reachAt?.channel,
      lang,
    };
    if (intent.kind === 'followUp') {
      const ref = intent.recommendation === 'current' ? null : intent.recommendation;
      if (!deps.followUp) return engine.respond(intent);
      return {
        kind: 'followUp',
        answer: await answerFollowUp({ kind: 'followUp', recommendation: ref }, deps.followUp, person),
      };
    }
    if (!deps.followUp?.subscriptions)
      return { kind: 'followUp', answer: { kind: 'subscriptionsUnavailable' } };
    return { kind: 'followUp', answer: await answerFollowUp(intent, deps.followUp, person) };
  }

  /**
   * NEXT / SUIVANTE: the next page of the last answer where the channel keeps pages (SMS), and
   * after a recommendation ("la suivante", or SUITE once its pages are read) the next one in the
   * report's order; where nothing follows, a notice (or, on a channel that pages with buttons, a
   * `navigation` reply its renderer answers).
   */
  async function navigate(
    io: TurnIo,
    pseudonym: string,
    intent: Extract<Intent, { kind: 'next' | 'previous' }>,
    state: ConversationState | undefined,
  ): Promise<Resolved | { page: string }> {
    // "La suivante" right after a recommendation is the next one, even while it has pages left.
    if (stored && !(intent.item && state?.rec)) {
      const page = await io.pages!.turn(channel.name, pseudonym, intent.kind);
      if (page !== undefined) return { page };
    }
    if (state?.rec) return step(engine, state, intent.kind);
    if (stored) return { notice: intent.kind === 'next' ? 'sms.noPages' : 'nav.atStart' };
    return { intent };
  }

  async function decide(
    message: IncomingText,
    io: TurnIo,
  ): Promise<{
    result: Omit<Extract<TurnResult, { status: 'accepted' }>, 'status'>;
    save?: () => Promise<void>;
    /** A STOP's opt-out write: durable before the gateway is answered (one-trip turns). */
    durable?: Promise<void>;
  }> {
    const { pseudonym, text, callBack } = message;
    const optOuts = channel.optOut ? deps.optOuts : undefined;
    // Every read at once (every path needs them): the language and what was just said come in
    // one round trip where the store allows it (memory.ts).
    const [memo, optedOut] = io.read
      ? [io.read.memo, io.read.optedOut]
      : await Promise.all([
          io.memory
            ? io.memory.read(pseudonym)
            : io.language.get(pseudonym).then((lang) => ({ lang, chosen: true, state: undefined })),
          optOuts ? optOuts.has(pseudonym) : false,
        ]);
    const now = Math.floor(clock() / 1000);
    const tooLong = channel.maxIncomingChars !== undefined && text.length > channel.maxIncomingChars;
    const understood = tooLong ? undefined : engine.understand(text);
    // The message's own words say its language; else the conversation's, else the person's choice.
    // Command words alone ("help", "wrong") only say it where no language is known yet.
    const known = memo.state?.lang !== undefined || memo.chosen;
    let said = understood?.weak && known ? undefined : understood?.lang;
    let lang = said ?? memo.state?.lang ?? memo.lang;
    let intent = understood?.intent;
    const subscriptions = deps.followUp?.subscriptions;
    // Without subscriptions, DESABONNE is STOP, as the README promises.
    if (intent?.kind === 'unsubscribe' && !subscriptions) intent = { kind: 'stop' };
    const done = (kind: string, out: Outgoing[], reply?: Reply) => ({
      result: { kind, lang, out },
      save: io.memory ? () => io.memory!.save(pseudonym, remember(memo.state, reply, now, said)) : undefined,
    });

    if (intent?.kind === 'stop' && optOuts) {
      // Registered in memory at once, so a message right behind the STOP is not answered.
      const written = optOuts.add(pseudonym);
      // STOP wins over news: the subscription and its sealed address go too. A failure here
      // is covered: the broadcast worker checks this opt-out list again before each send.
      subscriptions?.forget(pseudonym).catch(() => false);
      if (optedOut)
        return {
          result: { kind: 'stop', lang, out: [], ready: () => written.then(() => false) },
          durable: written,
        };
      counted('optOut', pseudonym, lang);
      const ready = async () => {
        await written; // durable first: the confirmation promises what is already true
        if (!deps.firstStopConfirmation) return true;
        // Two STOPs at the same moment both saw "not opted out yet": only the first confirms.
        return deps.firstStopConfirmation(pseudonym).catch(() => true);
      };
      const out: Outgoing[] = [{ kind: 'notice', key: 'optOut.done', evenIfOptedOut: true }];
      return { result: { kind: 'stop', lang, out, ready }, durable: written };
    }
    if (intent?.kind === 'stop') {
      // Where STOP is not an opt-out list (Telegram: one blocks the bot), it still ends news, and
      // says so; a store failure throws, so the gateway's redelivery tries again.
      if (await subscriptions?.forget(pseudonym)) {
        counted('unsubscribe', pseudonym, lang);
        return done('stop', [{ kind: 'notice', key: 'unsubscribe.stopped' }]);
      }
    }
    if (intent?.kind === 'start' && optOuts) {
      // Only a real change is journaled: START from someone subscribed costs no write.
      if (optedOut) {
        await optOuts.remove(pseudonym);
        await deps.forgetStopConfirmation?.(pseudonym).catch(() => {}); // a new STOP confirms again
      }
      return done('start', [await answer(io, pseudonym, lang, { kind: 'optIn' })]);
    }
    if (optedOut) {
      // Nothing is sent and nothing is kept, but to ABONNE: the way back goes through START.
      if (intent?.kind === 'subscribe')
        return {
          result: {
            kind: 'subscribe',
            lang,
            out: [{ kind: 'notice', key: 'subscribe.optedOut', evenIfOptedOut: true }],
          },
        };
      return { result: { kind: 'optedOut', lang, out: [] } };
    }
    if (!intent)
      return { result: { kind: 'tooLong', lang, out: [{ kind: 'notice', key: 'message.tooLong' }] } };

    const state = fresh(memo.state, now);
    let resolved: Resolved | { page: string } = resolve(intent, state);
    if ('intent' in resolved && (resolved.intent.kind === 'next' || resolved.intent.kind === 'previous'))
      resolved = await navigate(io, pseudonym, resolved.intent, state);
    if ('page' in resolved) {
      counted('navigation', pseudonym, lang);
      return done(intent.kind, [{ kind: 'page', text: resolved.page }]);
    }
    if ('notice' in resolved) {
      counted(resolved.notice, pseudonym, lang);
      return done(intent.kind, [
        { kind: 'notice', key: resolved.notice, ...(resolved.params ? { params: resolved.params } : {}) },
      ]);
    }
    const concrete = resolved.intent;
    switch (concrete.kind) {
      case 'feedback':
      case 'feedbackUsage':
      case 'wrongAnswer': {
        const out = await react(io, pseudonym, lang, concrete);
        // An AVIS we could not read is answered with its form: logged as such, not as a reaction.
        const kind = out.kind === 'notice' && out.key === 'feedback.usage' ? 'feedbackUsage' : concrete.kind;
        return done(kind, [out]);
      }
      case 'callback': {
        // Counted and queued before the answer goes out: "we call you back" is already true.
        const outcome = callBack ? await callBack() : 'off';
        counted('callback', pseudonym, lang);
        return done('callback', [{ kind: 'notice', key: CALLBACK_NOTICE[outcome] }]);
      }
      case 'followUp':
      case 'subscribe':
      case 'unsubscribe': {
        const reply = await news(concrete, message, lang);
        return done(concrete.kind, [await answer(io, pseudonym, lang, reply)], reply);
      }
      case 'language':
        if (concrete.lang) {
          lang = said = concrete.lang;
          await io.language.set(pseudonym, lang);
        }
        break;
    }
    const reply = widened(engine.respond(concrete));
    return done(reply.kind, [await answer(io, pseudonym, lang, reply)], reply);
  }

  const direct: TurnIo = {
    ...(deps.memory ? { memory: deps.memory } : {}),
    ...(deps.pages ? { pages: deps.pages } : {}),
    ...(deps.lastSearches ? { lastSearches: deps.lastSearches } : {}),
    language,
  };

  /** One round trip waited on (claim + reads), the opt-out check beside it; the writes after, not waited on. */
  async function oneTrip(message: IncomingText, turnState: TurnState): Promise<TurnResult> {
    const { delivery, pseudonym } = message;
    const optOuts = channel.optOut ? deps.optOuts : undefined;
    const [read, checked] = await Promise.allSettled([
      turnState.open(channel.name, pseudonym, delivery, message.budget),
      optOuts ? optOuts.has(pseudonym) : false,
    ]);
    if (read.status === 'rejected') throw read.reason; // (the open took its own mark back)
    const opened = read.value;
    if (opened.budget && !opened.budget.allowed) return { status: 'rateLimited', decision: opened.budget };
    if (!opened.claimed) return { status: 'duplicate' };
    if (checked.status === 'rejected') {
      if (delivery) turnState.release(channel.name, pseudonym, delivery);
      throw checked.reason;
    }
    const optedOut = checked.value;
    const writes: StoreWrite[] = [];
    const pages = deps.pages;
    const io: TurnIo = {
      read: {
        memo: { lang: toLang(opened.lang), chosen: isLang(opened.lang), state: readState(opened.state) },
        optedOut,
      },
      ...(deps.memory
        ? {
            memory: {
              read: () => Promise.reject(new ConversationError('read in the turn script')),
              save: async (p: string, state: ConversationState) => {
                writes.push({
                  key: storeKeys.conversation(p),
                  value: state,
                  ttlSeconds: CONVERSATION_TTL_SECONDS,
                });
              },
            },
          }
        : {}),
      ...(pages
        ? {
            pages: {
              save: async (c: string, p: string, shown: string[], answer: { reply: Reply; lang: Lang }) => {
                writes.push(pages.entry(c, p, shown, answer));
              },
              turn: async (c: string, p: string, direction: 'next' | 'previous') => {
                const turned = pages.turnFrom(c, p, opened.pages, direction);
                if (turned) writes.push(turned.write);
                return turned?.page;
              },
            },
          }
        : {}),
      ...(deps.lastSearches
        ? {
            lastSearches: {
              take: deps.lastSearches.take,
              save: async (c: string, p: string, search: Parameters<LastSearches['save']>[2]) => {
                writes.push(deps.lastSearches!.entry(c, p, search));
              },
            },
          }
        : {}),
      language: {
        get: () => Promise.reject(new ConversationError('read in the turn script')),
        set: async (p, lang) => {
          writes.push({
            key: storeKeys.languagePreference(p),
            value: lang,
            ttlSeconds: LANGUAGE_PREFERENCE_TTL_SECONDS,
          });
        },
      },
    };
    let decided;
    try {
      decided = await decide(message, io);
      await decided.save?.();
      // STOP: the opt-out is durable before the gateway hears 200 (and before its confirmation).
      await decided.durable;
    } catch (error) {
      if (delivery) turnState.release(channel.name, pseudonym, delivery);
      throw error;
    }
    // Not awaited, sent now (before the answer): a lost write costs the next message its
    // context or its SUITE; the pending mark then expires and a redelivery is answered again.
    turnState.write(channel.name, pseudonym, delivery, writes).catch(() => {});
    return { status: 'accepted', ...decided.result };
  }

  return {
    async turn(message) {
      if (deps.turnState) return oneTrip(message, deps.turnState);
      if (message.budget) throw new ConversationError(`${channel.name}: a budget is counted by turnState`);
      const { delivery } = message;
      const { deliveries } = deps;
      if (delivery && !deliveries)
        throw new ConversationError(`${channel.name}: deliveries need a dedupe store`);
      if (delivery && !(await deliveries!.claim(channel.name, delivery.gateway, delivery.messageId)))
        return { status: 'duplicate' };
      let decision;
      try {
        const decided = await decide(message, direct);
        await decided.save?.();
        decision = decided.result;
      } catch (error) {
        // The store failed between the seen-mark and the answer: take the mark back.
        if (delivery) deliveries!.release(channel.name, delivery.gateway, delivery.messageId);
        throw error;
      }
      if (delivery) {
        // Not awaited: if this write fails the pending mark expires by itself (a redelivery
        // would then be answered twice, which beats silence); the answer is not held up.
        deliveries!.answered(channel.name, delivery.gateway, delivery.messageId).catch(() => {});
      }
      return { status: 'accepted', ...decision };
    },
  };
}
