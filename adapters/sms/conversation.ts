import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { FollowUpDeps } from '../../src/followup/turn.js';
import type { Engine, Lang, Reply } from '../../src/core/types.js';
import { recordReply } from '../../src/analytics/events.js';
import { storeTurnState, type TurnBudget } from '../../src/conversation/turn-state.js';
import { storeLastSearches } from '../../src/conversation/last-search.js';
import { storeConversationMemory } from '../../src/conversation/memory.js';
import { storePages } from '../../src/conversation/pages.js';
import { storeLanguagePreferences } from '../../src/conversation/preferences.js';
import {
  createTextConversation,
  type Outgoing,
  type TextChannel,
} from '../../src/conversation/text-conversation.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import { ABOUT_BY_SMS } from '../../src/menu/index.js';
import {
  noAnalytics,
  type Analytics,
  type Clock,
  type Logger,
  type Metrics,
  type OptOutRegistry,
  type RateDecision,
  type SessionStore,
  type SmsSender,
} from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import type { SentToday, SpendingCaps } from '../../src/spending/caps.js';
import { createSmsRenderer, renderNotice, type Ucs2Langs } from './render.js';
import { smsPageRenderer } from './page-refs.js';
import { countSegments } from './segments.js';
import { firstStopConfirmation, forgetStopConfirmation } from './stop-marks.js';

import { MAX_INCOMING_CHARS } from '../../src/core/limits.js';

/**
 * The SMS channel as a translator around the text conversation (src/conversation):
 * webhook fields → IncomingText → turn() → GSM-7 pages → the SMS sender.
 */
const SMS_CHANNEL: TextChannel = {
  name: 'sms',
  paging: 'stored',
  optOut: true,
  maxChars: 160,
  alphabet: 'gsm7',
  maxIncomingChars: MAX_INCOMING_CHARS,
  // Every result, paged on SUITE (femmes has 9, jeunes 14): "7" picks the seventh.
  resultsShown: Number.MAX_SAFE_INTEGER,
};

interface IncomingSms {
  /** The sender's number in clear: used to reply and to pseudonymise, nothing else. */
  from: string;
  text: string;
  messageId: string;
  gateway: string;
  /** The sender's pseudonym when the caller already computed it for this request. */
  pseudonym?: string;
  /** The sender's budget key, counted in the turn's one round trip (the gateway left it to us). */
  budget?: string;
}

type IncomingOutcome =
  | { status: 'duplicate' }
  | { status: 'accepted'; kind: string }
  | { status: 'rateLimited'; decision: RateDecision };

export interface SmsConversationDeps {
  engine: Engine;
  store: SessionStore;
  optOuts: OptOutRegistry;
  sender: SmsSender;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics: Metrics;
  /** The console's aggregates; nothing is counted when absent. */
  analytics?: Analytics;
  maxSegments: number;
  /**
   * SMS_UCS2_LANGS: the languages whose SMS keep their own letters in UCS-2; the others (and
   * all by default) are GSM-7, their letters in the older spelling (catalog `meta.letters`).
   */
  ucs2Langs?: Ucs2Langs;
  /** "Call me back" (APPEL): absent, the SMS answers that it is not offered. */
  callbacks?: CallbackRequests;
  /** SUIVI, ABONNE, DESABONNE (src/followup/turn.ts); absent: those words are searched. */
  followUp?: FollowUpDeps;
  /** When what was just said goes stale (src/conversation/context.ts); the system clock by default. */
  clock?: Clock;
  /**
   * Daily caps on SMS segments (per number and service-wide) checked before every send but the
   * STOP confirmation, and "sent to you today" for what another channel asks to send by SMS.
   */
  spending?: { caps: SpendingCaps; sentToday: SentToday };
  /**
   * How the person's budget is counted in the turn's read (turn-state.ts): by the Redis script,
   * or by the memory limiter before it. Absent: a message with a budget key fails (not counted).
   */
  budget?: TurnBudget;
}

/** What a "send by SMS" became: sent, refused (STOP), failed, already sent today, or over a daily cap. */
type BySmsOutcome = 'sent' | 'optedOut' | 'failed' | 'alreadySent' | 'limit';
type Delivery = 'sent' | 'optedOut' | 'refused' | 'limit';

export interface SmsConversation {
  /**
   * Decides the answer and saves the session, then resolves: the webhook can be acknowledged.
   * The send itself (with its retries) runs on; `flush()` waits for it. Throws when the store
   * cannot be reached (the seen-mark is then taken back so a redelivery is processed).
   */
  handleIncomingSms(message: IncomingSms): Promise<IncomingOutcome>;
  /** The whole text of one recommendation, every page now (asked from a USSD screen). */
  sendRecommendationBySms(phone: string, recommendationId: string, lang: Lang): Promise<BySmsOutcome>;
  /**
   * One short notice from the catalog (`error.rateLimited`) in the person's language, never to
   * an opted-out number. The send runs on like a reply (`flush()` waits for it); resolves
   * false when the store or the sender could not be asked.
   */
  sendNotice(phone: string, key: 'error.rateLimited'): Promise<boolean>;
  /** Resolves when every send started so far has finished. */
  flush(): Promise<void>;
}

export function createSmsConversation(deps: SmsConversationDeps): SmsConversation {
  const { engine, store, optOuts, sender, pseudonymize, logger, metrics, maxSegments } = deps;
  const analytics = deps.analytics ?? noAnalytics;
  const pending = new Set<Promise<unknown>>();
  const ucs2Langs = deps.ucs2Langs ?? new Set<Lang>();
  const render = createSmsRenderer({ maxSegments, engine, ucs2Langs });
  const memory = storeConversationMemory(store);
  const conversation = createTextConversation({
    engine,
    channel: SMS_CHANNEL,
    metrics,
    analytics,
    lastSearches: storeLastSearches(store),
    language: storeLanguagePreferences(store),
    memory,
    ...(deps.clock ? { now: () => deps.clock!.now() } : {}),
    optOuts,
    // The person's budget, seen-mark, language, what was just said and paging state in one
    // script on the person's slot; the turn's writes in one more, not waited on (src/conversation/turn-state.ts).
    turnState: storeTurnState(store, deps.budget),
    // SUITE renders the answer again from ids (page-refs.ts): no page text is kept.
    pages: storePages(store, smsPageRenderer({ engine, paginate: render, ucs2Langs })),
    paginate: (reply, lang) => render(reply, lang),
    firstStopConfirmation: (pseudonym) => firstStopConfirmation(store, pseudonym),
    forgetStopConfirmation: (pseudonym) => forgetStopConfirmation(store, pseudonym),
    ...(deps.followUp ? { followUp: deps.followUp } : {}),
  });

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => {});
    return work;
  };

  /**
   * One SMS to one person. Nothing goes to an opted-out number except the STOP confirmation, and
   * nothing past the day's caps on segments (the STOP confirmation always goes).
   */
  async function deliver(
    to: string,
    pseudonym: string,
    text: string,
    confirmingStop = false,
    /** The segments were reserved already (all the pages of one "send by SMS" at once). */
    prepaid = false,
  ): Promise<Delivery> {
    if (!confirmingStop && (await optOuts.has(pseudonym))) {
      logger.info({ pseudonym }, 'sms not sent: opted out');
      return 'optedOut';
    }
    const { segments, encoding } = countSegments(text);
    // UCS-2 is expected only for the languages of SMS_UCS2_LANGS; anything else is a bug.
    if (encoding !== 'GSM-7' && ucs2Langs.size === 0)
      logger.warn({ pseudonym, encoding }, 'sms reply is not GSM-7');
    const caps = confirmingStop || prepaid ? undefined : deps.spending?.caps;
    const reserved = caps ? await caps.reserve('sms', pseudonym, segments) : { ok: true as const };
    if (!reserved.ok) {
      logger.warn({ pseudonym, segments, cap: reserved.cap }, 'sms not sent: daily cap reached');
      return 'limit';
    }
    const result = await sender.send({ to, text });
    if (result.status !== 'sent') {
      await caps?.release('sms', pseudonym, segments).catch(() => {});
      return 'refused';
    }
    metrics.smsSegmentsSent(segments, encoding);
    analytics.record({ type: 'smsSent', person: pseudonym, count: segments, encoding });
    logger.info({ pseudonym, messageId: result.messageId, segments }, 'sms sent');
    return 'sent';
  }

  /** What "send by SMS" from another channel sends: a recommendation, or the About text. */
  const bySmsReply = (id: string): Reply | undefined => {
    if (id === ABOUT_BY_SMS) return { kind: 'about', about: engine.corpus.about };
    const recommendation = engine.recommendation(id);
    const theme = recommendation && engine.theme(recommendation.theme);
    return recommendation && theme ? { kind: 'recommendation', recommendation, theme } : undefined;
  };

  /** The renderer: what the conversation says to send, as one SMS text. */
  const textOf = (out: Outgoing, lang: Lang): string => {
    if (out.kind === 'page') return out.text;
    if (out.kind === 'notice') return renderNotice(out.key, out.params, lang, ucs2Langs);
    return render(out.reply, lang)[0] ?? '';
  };

  return {
    async handleIncomingSms({ from, text, messageId, gateway, pseudonym: known, budget }) {
      const pseudonym = known ?? pseudonymize(from);
      const { callbacks } = deps;
      const result = await conversation.turn({
        pseudonym,
        text,
        delivery: { gateway, messageId },
        reachAt: { channel: 'sms', address: from },
        ...(callbacks ? { callBack: () => callbacks.request(from, 'sms') } : {}),
        ...(budget ? { budget } : {}),
      });
      if (result.status === 'rateLimited') return result;
      if (result.status === 'duplicate') {
        logger.info({ pseudonym, messageId }, 'sms already processed: duplicate delivery ignored');
        return { status: 'duplicate' };
      }
      logger.info({ pseudonym, messageId, kind: result.kind }, 'sms received');
      const { out, lang, ready } = result;
      if (out.length > 0 || ready) {
        track(
          (async () => {
            if (ready && !(await ready())) return;
            for (const message of out) {
              const confirmingStop = message.kind === 'notice' && message.evenIfOptedOut === true;
              if ((await deliver(from, pseudonym, textOf(message, lang), confirmingStop)) !== 'sent') return;
            }
          })().catch((error: unknown) =>
            logger.error({ pseudonym, err: { message: (error as Error).message } }, 'sms reply failed'),
          ),
        );
      }
      return { status: 'accepted', kind: result.kind };
    },

    // USSD's About screen asks for its text the same way, by the id `ABOUT_BY_SMS`.
    sendRecommendationBySms(phone, recommendationId, lang) {
      const pseudonym = pseudonymize(phone);
      const sentToday = deps.spending?.sentToday;
      return track(
        (async (): Promise<BySmsOutcome> => {
          if (await optOuts.has(pseudonym)) return 'optedOut';
          const reply = bySmsReply(recommendationId);
          if (!reply) return 'failed';
          // Once a day per item and person: a dial string repeated in fresh sessions costs once.
          if (sentToday && !(await sentToday.claim(pseudonym, recommendationId))) {
            logger.info({ pseudonym }, 'sms by request not sent: already sent today');
            return 'alreadySent';
          }
          const pages = render(reply, lang, 'allAtOnce');
          // All its pages or none: a text cut by a cap after its first page helps nobody.
          const caps = deps.spending?.caps;
          const segments = pages.map((page) => countSegments(page).segments);
          const total = segments.reduce((sum, n) => sum + n, 0);
          const reserved = caps ? await caps.reserve('sms', pseudonym, total) : { ok: true as const };
          if (!reserved.ok) {
            await sentToday?.forget(pseudonym, recommendationId).catch(() => {});
            logger.warn(
              { pseudonym, segments: total, cap: reserved.cap },
              'sms by request not sent: daily cap reached',
            );
            return 'limit';
          }
          // In order, one after the other: a failed page stops the rest rather than leave a gap.
          for (const [i, page] of pages.entries()) {
            const delivered = await deliver(phone, pseudonym, page, false, true);
            if (delivered === 'sent') continue;
            // What was not sent is given back; a text that did not go at all may be asked again.
            await caps
              ?.release(
                'sms',
                pseudonym,
                segments.slice(i).reduce((a, n) => a + n, 0),
              )
              .catch(() => {});
            if (i === 0) await sentToday?.forget(pseudonym, recommendationId).catch(() => {});
            return delivered === 'optedOut' ? 'optedOut' : 'failed';
          }
          metrics.replySent('sms', reply.kind);
          recordReply(analytics, reply, { person: pseudonym, channel: 'sms', lang });
          return 'sent';
        })().catch((error: unknown) => {
          logger.error({ pseudonym, err: { message: (error as Error).message } }, 'sms by request failed');
          return 'failed' as const;
        }),
      );
    },

    sendNotice(phone, key) {
      const pseudonym = pseudonymize(phone);
      return track(
        (async () => {
          // The conversation's language (the one the person's words or choice set), as replies use.
          const lang = await memory
            .read(pseudonym)
            .then((memo) => memo.state?.lang ?? memo.lang)
            .catch((): Lang => REFERENCE_LANG);
          return (await deliver(phone, pseudonym, renderNotice(key, undefined, lang, ucs2Langs))) === 'sent';
        })().catch((error: unknown) => {
          logger.error({ pseudonym, err: { message: (error as Error).message } }, 'sms notice failed');
          return false;
        }),
      );
    },

    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
