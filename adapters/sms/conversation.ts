import type { Engine, Lang, Reply } from '../../src/core/types.js';
import { t } from '../../src/i18n/index.js';
import type { Logger, Metrics, OptOutRegistry, SessionStore, SmsSender } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { toGsm7 } from '../../src/text/gsm7.js';
import { createSmsRenderer } from './render.js';
import { countSegments } from './segments.js';
import {
  DEDUPE_TTL_SECONDS,
  STOP_CONFIRMED_TTL_SECONDS,
  stopConfirmedKey,
  dedupeKey,
  preferredLang,
  rememberLang,
  savePages,
  turnPage,
} from './session.js';

/** Longer than any question a person types (≈4 SMS): answered politely, never searched. */
export const MAX_INCOMING_CHARS = 640;

export interface IncomingSms {
  /** The sender's number in clear: used to reply and to pseudonymise, nothing else. */
  from: string;
  text: string;
  messageId: string;
  gateway: string;
  /** The sender's pseudonym when the caller already computed it for this request. */
  pseudonym?: string;
}

export type IncomingOutcome = { status: 'duplicate' } | { status: 'accepted'; kind: string };

export interface SmsConversationDeps {
  engine: Engine;
  store: SessionStore;
  optOuts: OptOutRegistry;
  sender: SmsSender;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics: Metrics;
  maxSegments: number;
}

export interface SmsConversation {
  /**
   * Decides the answer and saves the session, then resolves: the webhook can be acknowledged.
   * The send itself (with its retries) runs on; `flush()` waits for it. Throws when the store
   * cannot be reached (the dedupe mark is then removed so a redelivery is processed).
   */
  handleIncomingSms(message: IncomingSms): Promise<IncomingOutcome>;
  /** The whole text of one recommendation, every page now (asked from a USSD screen). */
  sendRecommendationBySms(
    phone: string,
    recommendationId: string,
    lang: Lang,
  ): Promise<'sent' | 'optedOut' | 'failed'>;
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
  const pending = new Set<Promise<unknown>>();
  const render = createSmsRenderer({ maxSegments, themes: engine.corpus.themes });

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => {});
    return work;
  };

  /** One SMS to one person. Nothing goes to an opted-out number except the STOP confirmation. */
  async function deliver(
    to: string,
    pseudonym: string,
    text: string,
    confirmingStop = false,
  ): Promise<boolean> {
    if (!confirmingStop && (await optOuts.has(pseudonym))) {
      logger.info({ pseudonym }, 'sms not sent: opted out');
      return false;
    }
    const { segments, encoding } = countSegments(text);
    if (encoding !== 'GSM-7') logger.warn({ pseudonym, encoding }, 'sms reply is not GSM-7');
    const result = await sender.send({ to, text });
    if (result.status !== 'sent') return false;
    metrics.smsSegmentsSent(segments, encoding);
    logger.info({ pseudonym, messageId: result.messageId, segments }, 'sms sent');
    return true;
  }

  async function answer(pseudonym: string, lang: Lang, reply: Reply): Promise<string> {
    metrics.replySent('sms', reply.kind);
    if (reply.kind === 'noResults') metrics.searchWithoutResult('sms');
    const pages = render(reply, lang);
    await savePages(store, pseudonym, pages);
    return pages[0] ?? '';
  }

  /** What to send (undefined: nothing), decided with the store; opt-out writes start here. */
  async function decide(
    from: string,
    pseudonym: string,
    text: string,
  ): Promise<{ kind: string; send?: () => Promise<unknown> }> {
    // Both reads at once (every path needs both): one wait instead of two.
    const [storedLang, optedOut] = await Promise.all([
      preferredLang(store, pseudonym),
      optOuts.has(pseudonym),
    ]);
    let lang = storedLang;
    const intent = text.length > MAX_INCOMING_CHARS ? undefined : engine.parse(text);
    const reply = (body: string) => () => deliver(from, pseudonym, body);

    if (intent?.kind === 'stop') {
      const already = optedOut;
      // Registered in memory at once, so a message right behind the STOP is not answered.
      const written = optOuts.add(pseudonym);
      if (already) return { kind: 'stop', send: () => written };
      metrics.replySent('sms', 'optOut');
      const confirmation = toGsm7(t(lang, 'optOut.done'));
      const confirm = async () => {
        await written; // durable first: the confirmation promises what is already true
        // Two STOPs at the same moment both saw "not opted out yet": only the first confirms.
        const first = await store
          .setIfAbsent(stopConfirmedKey(pseudonym), 1, STOP_CONFIRMED_TTL_SECONDS)
          .catch(() => true);
        if (!first) return false;
        return deliver(from, pseudonym, confirmation, true);
      };
      return { kind: 'stop', send: confirm };
    }
    if (intent?.kind === 'start') {
      // Only a real change is journaled: START from someone subscribed costs no write.
      if (optedOut) {
        await optOuts.remove(pseudonym);
        await store.delete(stopConfirmedKey(pseudonym)).catch(() => {}); // a new STOP confirms again
      }
      return { kind: 'start', send: reply(await answer(pseudonym, lang, { kind: 'optIn' })) };
    }
    // Opted out: nothing is sent, and nothing is kept about the message either.
    if (optedOut) return { kind: 'optedOut' };

    if (!intent) return { kind: 'tooLong', send: reply(toGsm7(t(lang, 'sms.tooLong'))) };
    if (intent.kind === 'next' || intent.kind === 'previous') {
      const page = await turnPage(store, pseudonym, intent.kind);
      metrics.replySent('sms', 'navigation');
      const none = intent.kind === 'next' ? t(lang, 'sms.noPages') : t(lang, 'nav.atStart');
      return { kind: intent.kind, send: reply(page ?? toGsm7(none)) };
    }
    if (intent.kind === 'language' && intent.lang) {
      lang = intent.lang;
      await rememberLang(store, pseudonym, lang);
    }
    const response = engine.respond(intent);
    return { kind: response.kind, send: reply(await answer(pseudonym, lang, response)) };
  }

  const forgetMark = (key: string, attempt = 0): void => {
    store.delete(key).catch(() => {
      // Every second for a minute: soon after Redis is back, before the gateway delivers again.
      if (attempt < 60) setTimeout(() => forgetMark(key, attempt + 1), 1000).unref();
    });
  };

  return {
    async handleIncomingSms({ from, text, messageId, gateway, pseudonym: known }) {
      const pseudonym = known ?? pseudonymize(from);
      const key = dedupeKey(gateway, messageId);
      let first: boolean;
      try {
        first = await store.setIfAbsent(key, 1, DEDUPE_TTL_SECONDS);
      } catch (error) {
        // A SET NX that timed out on a frozen Redis still runs when it wakes up, and one whose
        // reply was lost when Redis went down may have landed: take the mark back (queued behind
        // it on a frozen connection, retried for a minute on a dead one), or the gateway's
        // redelivery of this message would be dropped as a duplicate and never answered.
        forgetMark(key);
        throw error;
      }
      if (!first) {
        logger.info({ pseudonym, messageId }, 'sms already processed: duplicate delivery ignored');
        return { status: 'duplicate' };
      }
      let decision;
      try {
        decision = await decide(from, pseudonym, text);
      } catch (error) {
        forgetMark(key); // retried: Redis may have gone down between the mark and the answer
        throw error;
      }
      logger.info({ pseudonym, messageId, kind: decision.kind }, 'sms received');
      if (decision.send) {
        const send = decision.send;
        track(
          send().catch((error: unknown) =>
            logger.error({ pseudonym, err: { message: (error as Error).message } }, 'sms reply failed'),
          ),
        );
      }
      return { status: 'accepted', kind: decision.kind };
    },

    sendRecommendationBySms(phone, recommendationId, lang) {
      const pseudonym = pseudonymize(phone);
      return track(
        (async () => {
          if (await optOuts.has(pseudonym)) return 'optedOut' as const;
          const recommendation = engine.recommendation(recommendationId);
          const theme = recommendation && engine.theme(recommendation.theme);
          if (!recommendation || !theme) return 'failed' as const;
          const reply: Reply = { kind: 'recommendation', recommendation, theme };
          const pages = render(reply, lang, 'allAtOnce');
          metrics.replySent('sms', 'recommendation');
          // In order, one after the other: a failed page stops the rest rather than leave a gap.
          for (const page of pages) if (!(await deliver(phone, pseudonym, page))) return 'failed' as const;
          return 'sent' as const;
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
          const lang = await preferredLang(store, pseudonym).catch((): Lang => 'fr');
          return deliver(phone, pseudonym, toGsm7(t(lang, key)));
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
