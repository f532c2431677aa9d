import type { Lang } from '../../src/core/types.js';
import {
  endNotice,
  initialState,
  isResumable,
  menuLanguages,
  readMenuState,
  readSnapshotOf,
  type EndNotice,
  type MenuState,
} from '../../src/menu/index.js';
import { DeadlineExceeded, withDeadline } from '../../src/core/deadline.js';
import { REFERENCE_LANG, toLang } from '../../src/i18n/index.js';
import { normaliseQuery } from '../../src/analytics/normalise.js';
import {
  noAnalytics,
  type Analytics,
  type Clock,
  type Logger,
  type Metrics,
  type SessionStore,
  type UssdHopOpened,
  type UssdHopStore,
  type UssdHopUnreachable,
  type UssdHopWrite,
} from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import { LANGUAGE_PREFERENCE_TTL_SECONDS } from '../../src/conversation/preferences.js';
import { storeUssdHops } from '../stores/ussd-hops.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { encode } from './layout.js';
import { render, replay, transition } from './menu.js';
import type { Effect, NeutralHop, NeutralScreen, SmsOutcome, Snapshot, UssdContext } from './types.js';

/**
 * The USSD session around the pure machine: loads and saves state in the session store,
 * binds a session to the phone that opened it, remembers where a dropped session was and
 * the person's language. Nothing is kept in process memory, so any instance serves any hop.
 *
 * Keys (the pseudonym in a hash tag keeps one person's keys in one Redis Cluster slot, so one
 * script reads them with the person's budget: src/ports/ussd-hops.ts):
 * - `ussd:{<p>}:s:<sessionId>` the session (owner pseudonym, inputs seen, state), TTL USSD_SESSION_TTL_SECONDS
 * - `ussd:{<p>}:last`          where the last session was and whether it ended normally, TTL USSD_RESUME_WINDOW_SECONDS
 * - `pref:{<p>}:lang`          the language chosen on any channel (src/conversation/preferences.ts)
 * - `ussd:s:<sessionId>`       the id's owner, written on a session's first hop (the first layout's session key)
 */

const lastKey = storeKeys.ussdLast;

/** Sends a recommendation's text by SMS; the id `ABOUT_BY_SMS` (src/menu) sends the About text. */
export type SendRecommendationBySms = (
  phone: string,
  recommendationId: string,
  lang: Lang,
) => Promise<Exclude<SmsOutcome, 'pending'>>;

interface SessionRecord {
  owner: string;
  /** How many inputs of a full-history gateway's `text` this session has already applied. */
  consumed: number;
  state: MenuState;
}

interface LastRecord {
  /** The snapshot's version: 2, readable names (anything else is not read back). */
  version: 2;
  sessionId: string;
  snapshot: Snapshot;
  /** True when the session ended on purpose (our END, or the gateway's "Success"). */
  ended: boolean;
  at: number;
}

export interface UssdSessionsDeps {
  ctx: UssdContext;
  store: SessionStore;
  /** The hop's reads and writes in one round trip each; default: the same steps over `store`, no budget. */
  hops?: UssdHopStore;
  pseudonymize: Pseudonymizer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** The console's aggregates: screens reached and dropped on, replies, searches that missed, reactions. */
  analytics?: Analytics;
  sessionTtlSeconds: number;
  resumeWindowSeconds: number;
  /** A store call slower than this counts as "store down": the gateway will not wait. */
  storeDeadlineMs: number;
  /** The SMS sender's answer is awaited this long; after that the screen says "on its way". */
  smsDeadlineMs?: number;
  sendRecommendationBySms?: SendRecommendationBySms;
}

export interface UssdSessions {
  /**
   * `pseudonym`: the phone's pseudonym when the caller already has it (computed once per request);
   * `budget`: the person's budget key when the gateway left the counting to this hop's read.
   */
  handleHop(hop: NeutralHop, pseudonym?: string, budget?: string): Promise<NeutralScreen>;
  /** A gateway told us the session is over; `normal` false means it dropped. */
  sessionEnded(sessionId: string, phone: string, normal: boolean): Promise<void>;
  /** A clean END apology in the default language, for requests the sessions cannot serve. */
  apology(notice: Extract<EndNotice, 'generic' | 'badRequest' | 'tooLong'>): NeutralScreen;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A stored session. Undefined when it is not a session record; a record whose state cannot be
 * read keeps its owner (so another phone still cannot take it) and starts over.
 */
function readRecord(raw: unknown): (Omit<SessionRecord, 'state'> & { state?: MenuState }) | undefined {
  if (!isObject(raw) || typeof raw.owner !== 'string') return undefined;
  const state = readMenuState(raw.state);
  const consumed = typeof raw.consumed === 'number' && Number.isInteger(raw.consumed) ? raw.consumed : 0;
  return { owner: raw.owner, consumed: Math.max(0, consumed), ...(state ? { state } : {}) };
}

/** "Where was I"; undefined when unreadable (no resume offer then). */
function readLast(raw: unknown): LastRecord | undefined {
  if (!isObject(raw) || typeof raw.sessionId !== 'string') return undefined;
  const snapshot = readSnapshotOf(raw.snapshot, raw.version);
  if (!snapshot) return undefined;
  return {
    version: 2,
    sessionId: raw.sessionId,
    snapshot,
    ended: raw.ended === true,
    at: typeof raw.at === 'number' ? raw.at : 0,
  };
}

export function createUssdSessions(deps: UssdSessionsDeps): UssdSessions {
  const { ctx, store, logger, metrics } = deps;
  const analytics = deps.analytics ?? noAnalytics;
  const hops = deps.hops ?? storeUssdHops(store, undefined, deps.storeDeadlineMs);

  /**
   * A place reached (not a page turned nor a hint on the same place): a `screen` event by the
   * node's id, and a `reply` of that kind in the session's language with what it shows.
   */
  function reached(person: string | null, state: MenuState): void {
    const place = state.place;
    analytics.record({ type: 'screen', person, channel: 'ussd', screen: place.at, event: 'reached' });
    const shown =
      place.at === 'rec'
        ? { recId: place.id, theme: Number(place.id.split('.')[0]) }
        : place.at === 'theme'
          ? { theme: place.theme }
          : {};
    analytics.record({ type: 'reply', person, channel: 'ussd', lang: state.lang, kind: place.at, ...shown });
  }
  const samePlace = (a: MenuState['place'], b: MenuState['place']) =>
    a.at === b.at &&
    ('id' in a ? a.id : '') === ('id' in b ? b.id : '') &&
    ('theme' in a ? a.theme : -1) === ('theme' in b ? b.theme : -1) &&
    ('value' in a ? a.value : '') === ('value' in b ? b.value : '');
  // Built at start, not on the first hop: the menus' static nodes, and the first screen in each
  // language (the screen every session starts with, drawn once and remembered by the renderer).
  for (const lang of menuLanguages()) render(initialState(lang), ctx);
  const apologies = new Map<string, NeutralScreen>();
  const end = (notice: EndNotice, lang: Lang = REFERENCE_LANG): NeutralScreen => {
    const id = `${lang}:${notice}`;
    let known = apologies.get(id);
    if (!known) {
      known = { text: encode(endNotice(notice, lang), ctx.alphabet), end: true };
      apologies.set(id, known);
    }
    return known;
  };
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

  /** A language chosen on this hop: written with the hop's other writes. */
  interface Chosen {
    lang?: Lang;
  }

  async function perform(
    effect: Effect,
    state: MenuState,
    pseudonym: string | undefined,
    phone: string,
    chosen: Chosen = {},
  ) {
    if (effect.kind === 'feedback') {
      analytics.record({
        type: 'feedback',
        person: pseudonym ?? null,
        channel: 'ussd',
        recId: effect.id,
        value: effect.value,
      });
      return state;
    }
    if (effect.kind === 'lang') {
      if (pseudonym) chosen.lang = effect.lang;
      return state;
    }
    const outcome = await sendSms(phone, effect.id, state.lang);
    return state.place.at === 'sms' && state.place.id === effect.id
      ? { ...state, place: { ...state.place, outcome } }
      : state;
  }

  /** Store unreachable: a full-history gateway's session goes on by replaying its inputs. */
  async function degraded(hop: NeutralHop): Promise<NeutralScreen> {
    metrics.storeError('ussd.session');
    if (!hop.history) {
      logger.warn({ dialect: 'latest-input' }, 'ussd: session store unreachable, session cannot continue');
      return end('generic');
    }
    logger.warn(
      { dialect: 'full-history', inputs: hop.history.length },
      'ussd: session store unreachable, replaying the input history',
    );
    const replayed = replay(hop.history, ctx);
    let state = replayed.state;
    for (const effect of replayed.effects)
      if (effect.kind === 'sms') state = await perform(effect, state, undefined, hop.phone);
    metrics.replySent('ussd', state.place.at);
    return render(state, ctx);
  }

  /** A search typed at the prompt that found nothing, or only a list: its normalised words. */
  function searchOutcome(person: string, state: MenuState, input: string): void {
    const none = state.hint?.hint === 'none' || state.hint?.hint === 'notInReport';
    if (none) metrics.searchWithoutResult('ussd');
    const close = state.place.at === 'results' && Boolean(state.place.close);
    const normalisedWords = normaliseQuery(input);
    if ((none || close) && normalisedWords !== '')
      analytics.record({
        type: 'searchMiss',
        person,
        channel: 'ussd',
        lang: state.lang,
        outcome: none ? 'none' : 'close',
        normalisedWords,
      });
  }

  /** A new session's first state: the person's language, and where a dropped session was. */
  function newSessionState(hop: NeutralHop, opened: UssdHopOpened, extras: string[]): MenuState {
    const last = readLast(opened.last);
    const resume =
      extras.length === 0 &&
      last &&
      !last.ended &&
      last.sessionId !== hop.sessionId &&
      isResumable(last.snapshot)
        ? last.snapshot
        : undefined;
    return initialState(toLang(opened.lang), resume);
  }

  /**
   * One round trip the hop waits on (budget, session; on a first hop last and language too), and
   * the writes in one more that it does not wait on (`save`).
   */
  async function handleHop(hop: NeutralHop, known?: string, budget?: string): Promise<NeutralScreen> {
    const pseudonym = known ?? deps.pseudonymize(hop.phone);
    const continuing = hop.history ? hop.history.length > 0 : !hop.isNew;
    let opened = await hops
      .open({ pseudonym, sessionId: hop.sessionId, continuing, ...(budget ? { budget } : {}) })
      .catch((): UssdHopUnreachable => ({ reached: false }));
    if (opened.budget && !opened.budget.allowed) {
      metrics.rateLimited('ussd');
      return end('rateLimited', opened.reached ? toLang(opened.lang) : REFERENCE_LANG);
    }
    if (!opened.reached) return degraded(hop);

    let state: MenuState;
    let pending: string[];
    const stored = readRecord(opened.session);
    if (stored && stored.owner !== pseudonym) {
      // Never show anything of another person's session.
      logger.warn({}, 'ussd: session id presented by a different phone');
      return end('session');
    }
    // A latest-input gateway's "new session" starts over even if it reuses an id it sent before;
    // a state that cannot be read (corrupted) starts over too.
    const record: SessionRecord | undefined =
      stored?.state && !hop.isNew ? { ...stored, state: stored.state } : undefined;
    if (record) {
      state = record.state;
      pending = hop.history ? hop.history.slice(record.consumed) : (hop.inputs ?? []);
    } else {
      if (!hop.history && !hop.isNew) return end('expired');
      pending = hop.history ?? hop.inputs ?? [];
      if (!opened.personRead) {
        // Rare: a session under the person's key that cannot go on (unreadable): read the rest.
        const again = await hops.open({ pseudonym, sessionId: hop.sessionId, continuing: false });
        if (!again.reached) return degraded(hop);
        opened = again;
      }
      state = newSessionState(hop, opened, pending);
    }

    // A new session's first screen is reached before any input.
    if (!record) reached(pseudonym, state);
    const chosen: Chosen = {};
    for (const input of pending) {
      const before = state;
      const next = transition(state, input, ctx);
      state = next.state;
      if (before.place.at === 'search') searchOutcome(pseudonym, state, input);
      for (const effect of next.effects) state = await perform(effect, state, pseudonym, hop.phone, chosen);
      if (!samePlace(before.place, state.place)) reached(pseudonym, state);
    }
    const consumed = hop.history
      ? Math.max(record?.consumed ?? 0, hop.history.length)
      : (record?.consumed ?? 0) + pending.length;
    const screen = render(state, ctx);

    const saved: SessionRecord = { owner: pseudonym, consumed, state };
    const last: LastRecord = {
      version: 2,
      sessionId: hop.sessionId,
      snapshot: { place: state.place, back: state.back },
      ended: screen.end,
      at: deps.clock.now(),
    };
    const write: UssdHopWrite = {
      pseudonym,
      sessionId: hop.sessionId,
      session: { value: saved, ttlSeconds: deps.sessionTtlSeconds },
      ...(deps.resumeWindowSeconds > 0
        ? { last: { value: last, ttlSeconds: deps.resumeWindowSeconds } }
        : {}),
      ...(chosen.lang ? { lang: { value: chosen.lang, ttlSeconds: LANGUAGE_PREFERENCE_TTL_SECONDS } } : {}),
      // A session's first hop names the id's owner; a session of the first layout leaves only that.
      ...(!record || opened.fromOwnerKey
        ? { owner: { value: { owner: pseudonym }, ttlSeconds: deps.sessionTtlSeconds } }
        : {}),
    };
    // Sent now, not waited for: the next hop comes seconds later, after this write on the same
    // connection. A failure costs what it cost before (the next hop replays or starts over).
    timed(hops.save(write)).catch(() => {
      metrics.storeError('ussd.save');
      if (chosen.lang) metrics.storeError('ussd.lang');
      logger.warn({}, 'ussd: could not save the session; the next hop will replay or start over');
    });
    metrics.replySent('ussd', state.place.at);
    return screen;
  }

  async function sessionEnded(sessionId: string, phone: string, normal: boolean): Promise<void> {
    const pseudonym = deps.pseudonymize(phone);
    try {
      const last = readLast(await timed(store.get<unknown>(lastKey(pseudonym))));
      if (!last || last.sessionId !== sessionId) return;
      // Dropped (the gateway's failure, not our END nor a "Success"): where people give up.
      if (!normal && !last.ended)
        analytics.record({
          type: 'screen',
          person: pseudonym,
          channel: 'ussd',
          screen: last.snapshot.place.at,
          event: 'dropped',
        });
      if (deps.resumeWindowSeconds <= 0) return;
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
