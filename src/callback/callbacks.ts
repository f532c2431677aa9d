import type { CallPlacer, Clock, Logger, SessionStore } from '../ports/index.js';
import { storeKeys } from '../ports/keys.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';
import { isMaliNumber, toE164 } from '../privacy/phone.js';
import type { SpendingCaps } from '../spending/caps.js';

/**
 * "Call me back" for people with no credit, channel-neutral: a missed call to the voice line
 * or an SMS `APPEL` asks for it, and the line calls the person, who then hears the line as on
 * any call (the gateway posts the answered call to POST /voice). An operator option
 * (VOICE_CALLBACK), at most VOICE_CALLBACK_PER_DAY calls per person per day and
 * VOICE_CALLBACK_SERVICE_PER_DAY for the whole service (`caps`), to Malian numbers only.
 *
 * Counting: one store key per call back of the day, `cb:{<pseudonym>}:<day>:<n>` for n in
 * 1..N, each claimed with setIfAbsent and kept until the end of the day. Claiming is atomic per
 * key, so two requests at the same moment (two instances) cannot both take the last one, and
 * the port needs no counter. The day is UTC, which is Mali's time all year (GMT, no summer time).
 *
 * The call is placed after the request is answered (the voice gateway waits for its XML, the
 * SMS webhook for its 200): `request` resolves once the call back is counted, and `flush()`
 * waits for the calls under way. A call the gateway refuses or that fails is not retried: a
 * person must never be rung twice for one request, and the day's count stays spent.
 */

type CallbackTrigger = 'missedCall' | 'sms';

/** `queued`: a call is on its way; `limit`: the day's call backs are spent; `off`: the option is off. */
export type CallbackOutcome = 'queued' | 'limit' | 'off';

/** What became of a queued call back at the gateway. */
type PlacementOutcome = 'placed' | 'refused' | 'failed';

export interface CallbackRequests {
  readonly enabled: boolean;
  /** Counts and queues a call back to `phone` (in clear: given to the placer, never kept). Throws when the store cannot be reached. */
  request(phone: string, trigger: CallbackTrigger): Promise<CallbackOutcome>;
  /** Resolves when every call back queued so far has been handed to the gateway. */
  flush(): Promise<void>;
}

export interface CallbacksDeps {
  enabled: boolean;
  /** At most this many call backs per person per (UTC) day. */
  perDay: number;
  store: SessionStore;
  placer: CallPlacer;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  logger: Logger;
  /**
   * How long to wait before dialling after a missed call: the person's phone must be free again
   * after the gateway rejected the call. An SMS request is dialled at once.
   */
  missedCallDelayMs?: number;
  /**
   * The service's daily cap on calls, shared by every instance (issue 33): past it nobody is
   * called back until tomorrow, whatever each person's own count.
   */
  caps?: SpendingCaps;
  /** Counts outcomes (Prometheus in the service): `capped` past the service's cap, `invalid` for a number the line does not call. */
  onOutcome?: (
    trigger: CallbackTrigger,
    outcome: CallbackOutcome | PlacementOutcome | 'capped' | 'invalid',
  ) => void;
}

const DEFAULT_MISSED_CALL_DELAY_MS = 2000;

/** `YYYY-MM-DD` of the UTC day and the seconds left in it (at least 1). */
export function dayOf(now: number): { day: string; secondsLeft: number } {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return {
    day: date.toISOString().slice(0, 10),
    secondsLeft: Math.max(1, Math.ceil((midnight - now) / 1000)),
  };
}

/** A gateway's words without any phone number in them (SDK errors quote the number they refuse). */
export function withoutNumbers(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, '<number>').slice(0, 200);
}

export function createCallbacks(deps: CallbacksDeps): CallbackRequests {
  const { store, placer, pseudonymize, clock, logger } = deps;
  const pending = new Set<Promise<unknown>>();
  const count = deps.onOutcome ?? (() => {});

  /** The first free call back of the day for this person, or undefined when all are taken. */
  const claim = async (pseudonym: string): Promise<number | undefined> => {
    const { day, secondsLeft } = dayOf(clock.now());
    for (let n = 1; n <= deps.perDay; n++) {
      if (await store.setIfAbsent(storeKeys.callback(pseudonym, day, n), 1, secondsLeft)) return n;
    }
    return undefined;
  };

  const place = async (phone: string, pseudonym: string, trigger: CallbackTrigger, delayMs: number) => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      const result = await placer.call({ to: phone });
      if (result.status === 'queued') {
        count(trigger, 'placed');
        logger.info({ pseudonym, trigger, callId: result.callId }, 'call back placed');
      } else {
        count(trigger, 'refused');
        logger.warn({ pseudonym, trigger, detail: withoutNumbers(result.detail ?? '') }, 'call back refused');
      }
    } catch (error) {
      count(trigger, 'failed');
      const reason = withoutNumbers(error instanceof Error ? error.message : String(error));
      logger.error({ pseudonym, trigger, reason }, 'call back failed');
    }
  };

  return {
    enabled: deps.enabled,
    async request(phone, trigger) {
      if (!deps.enabled) return 'off';
      const pseudonym = pseudonymize(phone);
      // The line calls Malian numbers only, in E.164: a forged or foreign caller number costs nothing.
      const to = toE164(phone);
      if (!to || !isMaliNumber(to)) {
        count(trigger, 'invalid');
        logger.info({ pseudonym, trigger }, 'call back not queued: not a Malian number');
        return 'off';
      }
      const n = await claim(pseudonym);
      if (n === undefined) {
        count(trigger, 'limit');
        logger.info({ pseudonym, trigger, perDay: deps.perDay }, 'call back not queued: daily limit reached');
        return 'limit';
      }
      const reserved = deps.caps ? await deps.caps.reserve('call', pseudonym, 1) : { ok: true as const };
      if (!reserved.ok) {
        // This person's call back of the day is given back: the service's cap said no, not theirs.
        const { day } = dayOf(clock.now());
        await store.delete(storeKeys.callback(pseudonym, day, n)).catch(() => {});
        count(trigger, 'capped');
        logger.warn({ pseudonym, trigger }, 'call back not queued: the service’s daily cap is reached');
        return 'limit';
      }
      count(trigger, 'queued');
      logger.info({ pseudonym, trigger, n }, 'call back queued');
      const delay = trigger === 'missedCall' ? (deps.missedCallDelayMs ?? DEFAULT_MISSED_CALL_DELAY_MS) : 0;
      const work = place(to, pseudonym, trigger, delay);
      pending.add(work);
      void work.finally(() => pending.delete(work));
      return 'queued';
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
