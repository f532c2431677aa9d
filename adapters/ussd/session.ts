import type { Lang } from '../../src/core/types.js';
import { DeadlineExceeded, withDeadline } from '../../src/core/deadline.js';
import { t } from '../../src/i18n/index.js';
import type { Clock, Logger, Metrics, SessionStore } from '../../src/ports/index.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { encode } from './layout.js';
import { initialState, isResumable, render, replay, transition } from './machine.js';
import type {
  Effect,
  MachineState,
  NeutralHop,
  NeutralScreen,
  SmsOutcome,
  Snapshot,
  UssdContext,
} from './types.js';

/**
 * The USSD session around the pure machine: loads and saves state in the session store,
 * binds a session to the phone that opened it, remembers where a dropped session was and
 * the person's language. Nothing is kept in process memory, so any instance serves any hop.
 *
 * Keys (the pseudonym in a hash tag keeps one person's keys in one Redis Cluster slot):
 * - `ussd:s:<sessionId>`    the session (owner pseudonym, inputs seen, state), TTL USSD_SESSION_TTL_SECONDS
 * - `ussd:{<p>}:last`       where the last session was and whether it ended normally, TTL USSD_RESUME_WINDOW_SECONDS
 * - `pref:{<p>}:lang`       the language chosen on any channel, TTL 180 days (shared with SMS)
 */

export const LANG_TTL_SECONDS = 180 * 24 * 3600;
export const sessionKey = (sessionId: string) => `ussd:s:${sessionId}`;
export const lastKey = (pseudonym: string) => `ussd:{${pseudonym}}:last`;
export const langKey = (pseudonym: string) => `pref:{${pseudonym}}:lang`;

export type SendRecommendationBySms = (
  phone: string,
  recommendationId: string,
  lang: Lang,
) => Promise<'sent' | 'optedOut' | 'failed'>;

export interface SessionRecord {
  owner: string;
  /** How many inputs of a full-history gateway's `text` this session has already applied. */
  consumed: number;
  state: MachineState;
}

export interface LastRecord {
  sessionId: string;
  snapshot: Snapshot;
  /** True when the session ended on purpose (our END, or the gateway's "Success"). */
  ended: boolean;
  at: number;
}

export interface UssdCoreDeps {
  ctx: UssdContext;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  sessionTtlSeconds: number;
  resumeWindowSeconds: number;
  /** A store call slower than this counts as "store down": the gateway will not wait. */
  storeDeadlineMs: number;
  /** The SMS sender's answer is awaited this long; after that the screen says "on its way". */
  smsDeadlineMs?: number;
  sendRecommendationBySms?: SendRecommendationBySms;
}

export interface UssdCore {
  /** `pseudonym`: the phone's pseudonym when the caller already has it (computed once per request). */
  handleHop(hop: NeutralHop, pseudonym?: string): Promise<NeutralScreen>;
  /** A gateway told us the session is over; `normal` false means it dropped. */
  sessionEnded(sessionId: string, phone: string, normal: boolean): Promise<void>;
  /** A clean END apology in the default language, for requests the core cannot serve. */
  apology(key: 'ussd.error.generic' | 'ussd.error.badRequest' | 'ussd.error.tooLong'): NeutralScreen;
}

export function createUssdCore(deps: UssdCoreDeps): UssdCore {
  const { ctx, store, logger, metrics } = deps;
  const end = (key: Parameters<typeof t>[1], lang: Lang = 'fr'): NeutralScreen => ({
    text: encode(t(lang, key), ctx.alphabet),
    end: true,
  });
  const timed = <T>(promise: Promise<T>) => withDeadline(promise, deps.storeDeadlineMs);

  async function sendSms(phone: string, id: string, lang: Lang): Promise<SmsOutcome> {
    if (!deps.sendRecommendationBySms) return 'failed';
    try {
      return await withDeadline(deps.sendRecommendationBySms(phone, id, lang), deps.smsDeadlineMs ?? 4000);
    } catch (error) {
      if (error instanceof DeadlineExceeded) return 'pending';
      logger.warn({ err: (error as Error).message }, 'ussd: sending a recommendation by SMS failed');
      return 'failed';
    }
  }

  async function perform(effect: Effect, state: MachineState, pseudonym: string | undefined, phone: string) {
    if (effect.kind === 'lang') {
      if (!pseudonym) return state;
      await timed(store.set(langKey(pseudonym), effect.lang, LANG_TTL_SECONDS)).catch(() =>
        metrics.storeError('ussd.lang'),
      );
      return state;
    }
    const outcome = await sendSms(phone, effect.id, state.lang);
    return state.cur.k === 'sms' && state.cur.id === effect.id
      ? { ...state, cur: { ...state.cur, o: outcome } }
      : state;
  }

  /** Store unreachable: a full-history gateway's session goes on by replaying its inputs. */
  async function degraded(hop: NeutralHop): Promise<NeutralScreen> {
    metrics.storeError('ussd.session');
    if (!hop.history) {
      logger.warn({ dialect: 'latest-input' }, 'ussd: session store unreachable, session cannot continue');
      return end('ussd.error.generic');
    }
    logger.warn(
      { dialect: 'full-history', inputs: hop.history.length },
      'ussd: session store unreachable, replaying the input history',
    );
    const replayed = replay(hop.history, ctx);
    let state = replayed.state;
    for (const effect of replayed.effects)
      if (effect.kind === 'sms') state = await perform(effect, state, undefined, hop.phone);
    metrics.replySent('ussd', state.cur.k);
    return render(state, ctx);
  }

  async function newSessionState(
    hop: NeutralHop,
    pseudonym: string,
    extras: string[],
  ): Promise<MachineState> {
    const [lang, last] = await Promise.all([
      timed(store.get<Lang>(langKey(pseudonym))),
      timed(store.get<LastRecord>(lastKey(pseudonym))),
    ]);
    const resume =
      extras.length === 0 &&
      last &&
      !last.ended &&
      last.sessionId !== hop.sessionId &&
      isResumable(last.snapshot)
        ? last.snapshot
        : undefined;
    return initialState(lang === 'en' || lang === 'fr' ? lang : 'fr', resume);
  }

  async function handleHop(hop: NeutralHop, known?: string): Promise<NeutralScreen> {
    const pseudonym = known ?? deps.pseudonymize(hop.phone);
    let record: SessionRecord | undefined;
    let state: MachineState;
    let pending: string[];
    try {
      record = await timed(store.get<SessionRecord>(sessionKey(hop.sessionId)));
      if (record && record.owner !== pseudonym) {
        // Never show anything of another person's session.
        logger.warn({}, 'ussd: session id presented by a different phone');
        return end('ussd.error.session');
      }
      // A latest-input gateway's "new session" starts over even if it reuses an id it sent before.
      if (record && hop.isNew) record = undefined;
      if (record) {
        state = record.state;
        pending = hop.history ? hop.history.slice(record.consumed) : (hop.inputs ?? []);
      } else {
        if (!hop.history && !hop.isNew) return end('ussd.error.expired');
        pending = hop.history ?? hop.inputs ?? [];
        state = await newSessionState(hop, pseudonym, pending);
      }
    } catch {
      return degraded(hop);
    }

    for (const input of pending) {
      const next = transition(state, input, ctx);
      state = next.state;
      if (state.hint?.h === 'none' || state.hint?.h === 'notInReport') metrics.searchWithoutResult('ussd');
      for (const effect of next.effects) state = await perform(effect, state, pseudonym, hop.phone);
    }
    const consumed = hop.history
      ? Math.max(record?.consumed ?? 0, hop.history.length)
      : (record?.consumed ?? 0) + pending.length;
    const screen = render(state, ctx);

    const saved: SessionRecord = { owner: pseudonym, consumed, state };
    const last: LastRecord = {
      sessionId: hop.sessionId,
      snapshot: { cur: state.cur, stack: state.stack },
      ended: screen.end,
      at: deps.clock.now(),
    };
    await Promise.all([
      timed(store.set(sessionKey(hop.sessionId), saved, deps.sessionTtlSeconds)),
      deps.resumeWindowSeconds > 0
        ? timed(store.set(lastKey(pseudonym), last, deps.resumeWindowSeconds))
        : Promise.resolve(),
    ]).catch(() => {
      metrics.storeError('ussd.save');
      logger.warn({}, 'ussd: could not save the session; the next hop will replay or start over');
    });
    metrics.replySent('ussd', state.cur.k);
    return screen;
  }

  async function sessionEnded(sessionId: string, phone: string, normal: boolean): Promise<void> {
    const pseudonym = deps.pseudonymize(phone);
    try {
      const last = await timed(store.get<LastRecord>(lastKey(pseudonym)));
      if (!last || last.sessionId !== sessionId || deps.resumeWindowSeconds <= 0) return;
      await timed(
        store.set(lastKey(pseudonym), { ...last, ended: last.ended || normal }, deps.resumeWindowSeconds),
      );
    } catch {
      metrics.storeError('ussd.events');
      logger.warn({}, 'ussd: could not record the end of a session');
    }
  }

  return { handleHop, sessionEnded, apology: (key) => end(key) };
}
