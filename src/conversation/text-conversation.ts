import type { CallbackOutcome } from '../callback/callbacks.js';
import { parseFollowUpIntent, type FollowUpIntent } from '../core/followup-intents.js';
import { answerFollowUp, type FollowUpDeps } from '../followup/turn.js';
import { BROADCAST_LANGS, type BroadcastLang, type SubscriptionChannel } from '../subscriptions/model.js';
import type { Engine, Intent, Lang, Reply } from '../core/types.js';
import { isLang } from '../i18n/index.js';
import { looksBambara } from '../i18n/detect.js';
import { ConversationError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { recordReply, searchShown } from '../analytics/events.js';
import type { Analytics, LanguagePreferences, Metrics, OptOutRegistry } from '../ports/index.js';
import { noAnalytics } from '../ports/index.js';
import type { Deliveries } from './deliveries.js';
import type { LastSearches } from './last-search.js';
import type { PageStore } from './pages.js';
import { parseReaction } from './reactions.js';

/**
 * One turn of a conversation on a TEXT channel (SMS, Telegram, WhatsApp next), channel-neutral:
 * an incoming message in, what to send out. The channel adapter is a translator around it:
 *
 *   parse (webhook/update → IncomingText) → turn() → render (Outgoing → its format) → send
 *
 * Dedupe, opt-out, language preference and paging state go through ports; the engine answers.
 */

/** What a channel can do; the use case reads `paging` and `optOut`, renderers the rest. */
export interface TextChannel {
  /** Metrics label and store-key scope: "sms", "telegram", "whatsapp". */
  name: string;
  /**
   * `stored`: long answers are cut by the channel's renderer into pages kept here, and a typed
   * NEXT/SUITE sends the next one (SMS). `buttons`: the renderer pages with buttons, so a typed
   * NEXT gets a `navigation` reply telling how (Telegram).
   */
  paging: 'stored' | 'buttons';
  /** Whether STOP puts the person on the opt-out list (SMS must; on Telegram one blocks the bot). */
  optOut: boolean;
  /** Longest message the channel sends, in its own unit (informational: the renderer enforces it). */
  maxChars: number;
  alphabet: 'gsm7' | 'unicode';
  /**
   * A message longer than this is answered with `sms.tooLong`, never parsed or searched (SMS:
   * MAX_INCOMING_CHARS). Absent: the channel's own cap applies (Telegram's 4096) and the engine
   * cuts a search at MAX_QUERY_LENGTH.
   */
  maxIncomingChars?: number;
}

export interface IncomingText {
  pseudonym: string;
  text: string;
  /** The gateway's message id, with the gateway's name: the turn is then done once per message. */
  delivery?: { gateway: string; messageId: string };
  /**
   * Asks for a call back to the sender (the channel knows the number; this turn never sees it).
   * Absent: the channel cannot place one, and APPEL is answered "not offered".
   */
  callBack?: () => Promise<CallbackOutcome>;
  /**
   * Where news can reach this person (ABONNE): the channel and its address in clear (a phone
   * number, a chat id), sealed by the subscription store before it is kept. Absent: the
   * channel cannot carry broadcasts, and ABONNE says so.
   */
  reachAt?: { channel: SubscriptionChannel; address: string };
}

const CALLBACK_NOTICE: Record<CallbackOutcome, MessageKey> = {
  queued: 'callback.queued',
  limit: 'callback.limit',
  off: 'callback.unavailable',
};

/** What to send, for the channel's renderer. */
export type Outgoing =
  /** An engine answer (the renderer lays it out; with `stored` paging this is never returned). */
  | { kind: 'reply'; reply: Reply }
  /** A page already rendered and kept (first page of a new answer, or the one NEXT asked for). */
  | { kind: 'page'; text: string }
  /** One catalog sentence. `evenIfOptedOut`: the STOP confirmation, the only one an opted-out person gets. */
  | {
      kind: 'notice';
      key: MessageKey;
      params?: Record<string, string | number>;
      evenIfOptedOut?: boolean;
    };

export type TurnResult =
  | { status: 'duplicate' }
  | {
      status: 'accepted';
      /** What the message was (for the log): an intent or reply kind, "optedOut", "tooLong". */
      kind: string;
      lang: Lang;
      out: Outgoing[];
      /**
       * Awaited by the sender before anything goes out, false: send nothing. STOP's confirmation
       * waits for the opt-out to be durable, and goes out once for two STOPs at the same moment.
       */
      ready?: () => Promise<boolean>;
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
   * Follow-up and news (issue 20): SUIVI 2.10, ABONNE, DESABONNE. Absent: those words keep
   * their general meaning (a search; "désabonner" is STOP).
   */
  followUp?: FollowUpDeps;
}

export interface TextConversation {
  /**
   * Decides the answer and saves its state, then resolves: the webhook can be acknowledged and
   * the answer sent. Throws when the store cannot be reached; the delivery's seen-mark is then
   * taken back, so the gateway's redelivery is answered.
   */
  turn(message: IncomingText): Promise<TurnResult>;
}

const BAMBARA = 'bm';

/** News go out in the languages a broadcaster writes; any other reading language gets French. */
function broadcastLang(lang: Lang): BroadcastLang {
  return (BROADCAST_LANGS as readonly string[]).includes(lang) ? (lang as BroadcastLang) : 'fr';
}

export function createTextConversation(deps: TextConversationDeps): TextConversation {
  const { engine, channel, metrics, language } = deps;
  const stored = channel.paging === 'stored';
  if (channel.optOut && !deps.optOuts)
    throw new ConversationError(`${channel.name}: optOut needs an opt-out registry`);
  if (stored && (!deps.pages || !deps.paginate))
    throw new ConversationError(`${channel.name}: stored paging needs pages`);

  const analytics = deps.analytics ?? noAnalytics;
  const counted = (kind: string, pseudonym: string, lang: Lang) => {
    metrics.replySent(channel.name, kind);
    analytics.record({ type: 'reply', person: pseudonym, channel: channel.name, lang, kind });
  };

  /** An engine reply, counted by its kind, as the channel sends it. */
  async function answer(pseudonym: string, lang: Lang, reply: Reply): Promise<Outgoing> {
    metrics.replySent(channel.name, reply.kind);
    // "Not in the report" is a search that found nothing, counted like one.
    if (reply.kind === 'noResults' || reply.kind === 'notInReport') metrics.searchWithoutResult(channel.name);
    recordReply(analytics, reply, { person: pseudonym, channel: channel.name, lang });
    const shown = deps.lastSearches ? searchShown(reply) : undefined;
    if (shown) await deps.lastSearches!.save(channel.name, pseudonym, shown);
    if (!stored) return { kind: 'reply', reply };
    const pages = deps.paginate!(reply, lang);
    await deps.pages!.save(channel.name, pseudonym, pages, { reply, lang });
    return { kind: 'page', text: pages[0] ?? '' };
  }

  /** AVIS 2.10 1 / FAUX: counted for the console, thanked with one sentence. */
  async function react(
    pseudonym: string,
    lang: Lang,
    reaction: NonNullable<ReturnType<typeof parseReaction>>,
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
    const last = deps.lastSearches ? await deps.lastSearches.take(channel.name, pseudonym) : undefined;
    if (!last) return { kind: 'notice', key: 'wrong.nothing' };
    counted('wrongAnswer', pseudonym, lang);
    analytics.record({ type: 'wrongAnswer', ...where, ...last });
    return { kind: 'notice', key: 'wrong.thanks' };
  }

  /**
   * Follow-up words first: with subscriptions on, "désabonne" is about news, not STOP (STOP
   * itself is never claimed). With them off (no SUBSCRIBERS_KEY) ABONNE/DESABONNE keep their
   * general meaning (START/STOP): someone who writes "désabonner" to stop must not be told
   * that subscriptions are unavailable and keep receiving.
   */
  function newsIntent(text: string): FollowUpIntent | undefined {
    if (!deps.followUp) return undefined;
    const parsed = parseFollowUpIntent(text);
    if (!parsed) return undefined;
    if (parsed.kind === 'followUp' || deps.followUp.subscriptions) return parsed;
    // Off: "abonner"/"subscribe" keep their START meaning; any other subscribe word ("ABONNE")
    // is told that subscriptions are not available here, not searched for.
    return parsed.kind === 'subscribe' && engine.parse(text).kind !== 'start' ? parsed : undefined;
  }

  async function decide({
    pseudonym,
    text,
    callBack,
    reachAt,
  }: IncomingText): Promise<Omit<Extract<TurnResult, { status: 'accepted' }>, 'status'>> {
    const optOuts = channel.optOut ? deps.optOuts : undefined;
    // Both reads at once (every path needs both): one wait instead of two.
    const [storedLang, optedOut] = await Promise.all([
      language.get(pseudonym),
      optOuts ? optOuts.has(pseudonym) : false,
    ]);
    let lang = storedLang;
    const tooLong = channel.maxIncomingChars !== undefined && text.length > channel.maxIncomingChars;
    const news = tooLong ? undefined : newsIntent(text);
    const intent: Intent | undefined = tooLong || news ? undefined : engine.parse(text);

    if (intent?.kind === 'stop' && optOuts) {
      // Registered in memory at once, so a message right behind the STOP is not answered.
      const written = optOuts.add(pseudonym);
      // STOP wins over news: the subscription and its sealed address go too. A failure here
      // is covered: the broadcast worker checks this opt-out list again before each send.
      deps.followUp?.subscriptions?.forget(pseudonym).catch(() => {});
      if (optedOut) return { kind: 'stop', lang, out: [], ready: () => written.then(() => false) };
      counted('optOut', pseudonym, lang);
      const ready = async () => {
        await written; // durable first: the confirmation promises what is already true
        if (!deps.firstStopConfirmation) return true;
        // Two STOPs at the same moment both saw "not opted out yet": only the first confirms.
        return deps.firstStopConfirmation(pseudonym).catch(() => true);
      };
      return {
        kind: 'stop',
        lang,
        out: [{ kind: 'notice', key: 'optOut.done', evenIfOptedOut: true }],
        ready,
      };
    }
    // Where STOP is not an opt-out list (Telegram: one blocks the bot), it still ends news;
    // a store failure throws, so the gateway's redelivery tries again.
    if (intent?.kind === 'stop') await deps.followUp?.subscriptions?.forget(pseudonym);
    if (intent?.kind === 'start' && optOuts) {
      // Only a real change is journaled: START from someone subscribed costs no write.
      if (optedOut) {
        await optOuts.remove(pseudonym);
        await deps.forgetStopConfirmation?.(pseudonym).catch(() => {}); // a new STOP confirms again
      }
      return { kind: 'start', lang, out: [await answer(pseudonym, lang, { kind: 'optIn' })] };
    }
    // Opted out: nothing is sent, and nothing is kept about the message either.
    if (optedOut) return { kind: 'optedOut', lang, out: [] };

    if (news) {
      const answered = await answerFollowUp(news, deps.followUp!, {
        pseudonym,
        address: reachAt?.address ?? '',
        channel: reachAt?.channel,
        lang: broadcastLang(lang),
      });
      return {
        kind: news.kind,
        lang,
        out: [await answer(pseudonym, lang, { kind: 'followUp', answer: answered })],
      };
    }
    if (!intent) {
      return { kind: 'tooLong', lang, out: [{ kind: 'notice', key: 'sms.tooLong' }] };
    }
    const reaction = parseReaction(text);
    if (reaction) {
      const out = await react(pseudonym, lang, reaction);
      // An AVIS we could not read is answered with its form: logged as such, not as a reaction.
      const kind = out.kind === 'notice' && out.key === 'feedback.usage' ? 'feedbackUsage' : reaction.kind;
      return { kind, lang, out: [out] };
    }
    if ((intent.kind === 'next' || intent.kind === 'previous') && stored) {
      const page = await deps.pages!.turn(channel.name, pseudonym, intent.kind);
      counted('navigation', pseudonym, lang);
      const none: MessageKey = intent.kind === 'next' ? 'sms.noPages' : 'nav.atStart';
      return {
        kind: intent.kind,
        lang,
        out: [page === undefined ? { kind: 'notice', key: none } : { kind: 'page', text: page }],
      };
    }
    if (intent.kind === 'callback') {
      // Counted and queued before the answer goes out: "we call you back" is already true.
      const outcome = callBack ? await callBack() : 'off';
      counted('callback', pseudonym, lang);
      return { kind: 'callback', lang, out: [{ kind: 'notice', key: CALLBACK_NOTICE[outcome] }] };
    }
    if (intent.kind === 'language' && intent.lang) {
      lang = intent.lang;
      await language.set(pseudonym, lang);
    } else if (lang !== BAMBARA && isLang(BAMBARA) && looksBambara(text)) {
      // Written in Bambara: answered in Bambara, this message only (BM/FR/EN change the choice).
      lang = BAMBARA;
    }
    const reply = engine.respond(intent);
    return { kind: reply.kind, lang, out: [await answer(pseudonym, lang, reply)] };
  }

  return {
    async turn(message) {
      const { delivery } = message;
      const { deliveries } = deps;
      if (delivery && !deliveries)
        throw new ConversationError(`${channel.name}: deliveries need a dedupe store`);
      if (delivery && !(await deliveries!.claim(channel.name, delivery.gateway, delivery.messageId)))
        return { status: 'duplicate' };
      let decision;
      try {
        decision = await decide(message);
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
