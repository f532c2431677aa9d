import type { CallbackRequests } from '../../src/callback/callbacks.js';
import type { Engine, Lang } from '../../src/core/types.js';
import type { SmsOutcome } from '../../src/menu/index.js';
import type { Config } from '../../src/config.js';
import { DeadlineExceeded, withDeadline } from '../../src/core/deadline.js';
import { StartupError } from '../../src/errors.js';
import { isLang, languageCodes, REFERENCE_LANG } from '../../src/i18n/index.js';
import { gatewaySpeech } from '../../src/reply/voice.js';
import type { Logger, SessionStore } from '../../src/ports/index.js';
import { storeKeys } from '../../src/ports/keys.js';
import type { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import {
  field,
  pseudonymOf,
  type GatewayAnswer,
  type GatewayHandler,
  type GatewayRequest,
} from '../gateway/contract.js';
import type { AudioLibrary } from './audio/library.js';
import { MINIMAL_SET } from './audio/plan.js';
import { sequencePath } from './audio/routes.js';
import type { Speech } from './audio/speech.js';
import type { VoiceDialect } from './dialects/index.js';
import {
  createLineContext,
  nodeOf,
  onDigits,
  replay,
  smsDone,
  startCall,
  VOICE_KEYS,
  type LineState,
  type LineStep,
  unavailable,
} from './menu.js';
import type { VoiceMetrics } from './metrics.js';
import type { AudioRef, Prompt, VoiceLang, VoiceRequest, VoiceTurn } from './types.js';

/**
 * POST /voice: one gateway callback → one turn in the gateway's markup, a gateway handler
 * (adapters/gateway/contract.ts) behind the one runner (secret, body, per-person budget,
 * deadline). Never a 5xx: whatever fails, the caller
 * hears an apology and the call ends.
 *
 * Speech being made: a step whose audio is not ready yet (a reading on its first request, the
 * first prompts in the seconds after start) waits for it up to VOICE_SYNTH_WAIT_MS, well inside
 * the gateway's deadline; past that the caller hears, in their language, that the
 * recommendation will be read in a moment (and can press 9 for the SMS), and the gateway is
 * redirected back here, where the reading is played once ready (at most MAX_WAITS times).
 *
 * State: `voice:s:<sessionId>` = { owner pseudonym, language, line state }, TTL
 * VOICE_SESSION_TTL_SECONDS; deleted when the gateway reports the end of the call. Nothing the
 * caller pressed is kept beyond the state it led to; the number is never stored or logged.
 */

export const callKey = storeKeys.voiceSession;
/** How long a caller waits for the SMS sender before hearing "it arrives shortly". */
const SMS_DEADLINE_MS = 4000;
/** "In a moment" said at most this many times for one reading; then "not available". */
const MAX_WAITS = 3;
/** Seconds the "in a moment" prompt waits for 9 (SMS) or another key before coming back. */
const WAIT_KEY_SECONDS = 3;

interface CallRecord {
  owner: string;
  lang?: VoiceLang;
  state: LineState;
  /** The call was a missed call, rejected and called back (counted apart when it ends). */
  calledBack?: true;
  /** Times in a row the caller was told the reading comes in a moment. */
  waits?: number;
}

type VoiceConfig = Pick<
  Config,
  | 'VOICE_LANGS'
  | 'VOICE_PUBLIC_URL'
  | 'VOICE_SESSION_TTL_SECONDS'
  | 'REDIS_COMMAND_TIMEOUT_MS'
  | 'VOICE_SYNTH_WAIT_MS'
  | 'REQUEST_TIMEOUT_MS'
>;

/** Sends one recommendation by SMS to the caller (the SMS channel's sender, wired by service.ts). */
export type SendRecommendationBySms = (
  phone: string,
  recommendationId: string,
  lang: Lang,
) => Promise<Exclude<SmsOutcome, 'pending'>>;

export interface VoiceRouterDeps {
  engine: Engine;
  /** Absent: "receive it by SMS" is not offered. */
  sendRecommendationBySms?: SendRecommendationBySms;
  store: SessionStore;
  pseudonymize: Pseudonymizer;
  logger: Logger;
  metrics: VoiceMetrics;
  library: AudioLibrary;
  /** Speech made on request (readings) and at start (prompts). */
  speech: Speech;
  dialect: VoiceDialect;
  config: VoiceConfig;
  /**
   * "Call me back": with the option on, an incoming call is rejected (free for the caller) and
   * the line calls back. Absent or off: every call is answered.
   */
  callbacks?: CallbackRequests;
}

/**
 * VOICE_LANGS in its order, else every language of the catalogs in menu order. A code no
 * catalog has stops start-up (a typo would otherwise silently drop a language from the line).
 */
export function voiceLangs(config: Pick<Config, 'VOICE_LANGS'>): VoiceLang[] {
  if (!config.VOICE_LANGS) return languageCodes();
  const langs = config.VOICE_LANGS.split(',').filter((l, i, all) => all.indexOf(l) === i);
  const unknown = langs.filter((lang) => !isLang(lang));
  if (unknown.length > 0)
    throw new StartupError('VOICE_LANGS', `${unknown.join(', ')}: no such language in the catalogs`);
  return langs;
}

/** The absolute base of audio URLs: VOICE_PUBLIC_URL, else the host the gateway called. */
function publicBase(request: GatewayRequest, config: Pick<Config, 'VOICE_PUBLIC_URL'>): string {
  if (config.VOICE_PUBLIC_URL) return config.VOICE_PUBLIC_URL.replace(/(?<!\/)\/+$/, '');
  return request.origin;
}

/**
 * Spoken apologies and refusals, built so that they cannot fail themselves: in the caller's
 * language when it is known (never English to a French or Bambara caller), else in each
 * language of the line that has the prompt, in the operator's order (a first request, before
 * anyone chose). The gateway's English text-to-speech only when no language has the audio.
 */
function createVoiceAnswers(deps: Pick<VoiceRouterDeps, 'library' | 'dialect' | 'config' | 'logger'>) {
  const spoken = (request: GatewayRequest, key: 'error' | 'rateLimited', lang?: VoiceLang): VoiceTurn => {
    const before: Prompt[] = [];
    try {
      const langs = voiceLangs(deps.config);
      const candidates = lang ? [lang, ...langs.filter((l) => l !== lang)] : langs;
      const playable = candidates
        .map((l): AudioRef => ({ lang: l, kind: 'prompt', key }))
        .filter((ref) => deps.library.available(ref));
      // The caller's language alone when it has the audio; else every language that has it.
      const chosen = lang && playable[0]?.lang === lang ? [playable[0]] : playable;
      if (chosen.length > 0)
        before.push({
          kind: 'audio',
          urls: chosen.map((ref) => publicBase(request, deps.config) + sequencePath([ref])),
        });
    } catch (error) {
      deps.logger.warn({ err: { message: (error as Error).message } }, 'voice: apology audio unavailable');
    }
    // Say reads English: the words every gateway can speak without any file of ours.
    if (before.length === 0) before.push({ kind: 'say', text: gatewaySpeech(key) });
    return { before, after: [], end: { kind: 'hangup' } };
  };
  const send = (status: number, turn: VoiceTurn): GatewayAnswer => ({
    status,
    body: deps.dialect.render(turn),
    type: deps.dialect.contentType,
  });
  /** The language of the call, once the handler read it (`notes.lang`). */
  const langOf = (request: GatewayRequest) => request.notes.lang as VoiceLang | undefined;
  return {
    apology: (request: GatewayRequest) => send(200, spoken(request, 'error', langOf(request))),
    refuse: (request: GatewayRequest, status: number) =>
      send(status, spoken(request, 'error', langOf(request))),
    rateLimited: (request: GatewayRequest, lang?: VoiceLang) =>
      send(200, spoken(request, 'rateLimited', lang ?? langOf(request))),
    send,
  };
}

export function createVoiceGateway(deps: VoiceRouterDeps): GatewayHandler {
  const { store, library, speech, dialect, logger, metrics, config } = deps;
  const answers = createVoiceAnswers(deps);
  const langs = voiceLangs(config);
  const ctx = createLineContext({
    langs,
    available: (ref) => library.available(ref),
    producible: (ref) => speech.producible(ref),
    engine: deps.engine,
    smsEnabled: deps.sendRecommendationBySms !== undefined,
  });
  const timed = <T>(promise: Promise<T>) => withDeadline(promise, config.REDIS_COMMAND_TIMEOUT_MS);
  // The caller's request is answered before the gateway's deadline, whatever the settings say.
  const synthWaitMs = Math.max(0, Math.min(config.VOICE_SYNTH_WAIT_MS, config.REQUEST_TIMEOUT_MS - 1000));

  /** A LineStep as a turn: one Play per digits request when the dialect nests only one. */
  const toTurn = (request: GatewayRequest, step: LineStep): VoiceTurn | undefined => {
    const base = publicBase(request, config);
    const playable = (refs: AudioRef[]) => refs.filter((ref) => library.available(ref));
    const audio = (refs: AudioRef[]): Prompt[] => {
      const found = playable(refs);
      if (found.length === 0) return [];
      if (dialect.promptsPerDigits === 1 || found.length === 1) {
        return [{ kind: 'audio', urls: [base + sequencePath(found)] }];
      }
      return [{ kind: 'audio', urls: found.map((ref) => base + sequencePath([ref])) }];
    };
    const main = audio(step.refs);
    if (main.length === 0) return undefined;
    if (!step.gather) return { before: main, after: [], end: { kind: 'hangup' } };
    return {
      before: [],
      digits: { prompt: main[0]!, ...step.gather, repeat: 1 },
      after: playable(step.noInput).map((ref) => ({ kind: 'audio', urls: [base + sequencePath([ref])] })),
      end: { kind: 'hangup' },
    };
  };

  /** "This recommendation has no recording yet" in the caller's language, then back. */
  const unreadableStep = (step: LineStep): LineStep => {
    const back = onDigits(ctx, step.state, VOICE_KEYS.back);
    return { ...back, refs: [unavailable(ctx, back.lang ?? step.lang ?? REFERENCE_LANG), ...back.refs] };
  };

  /** This route's own absolute URL (with the webhook token when there is one): where Redirect leads. */
  const selfUrl = (request: GatewayRequest) => publicBase(request, config) + request.url;

  /**
   * "It will be read in a moment": the wait prompt (and the SMS offer during a reading) while
   * keys are awaited, then the gateway comes back (Redirect) to the same place.
   */
  const waitTurn = (request: GatewayRequest, step: LineStep): VoiceTurn | undefined => {
    const lang = step.lang;
    if (!lang || step.state.k !== 'menu') return undefined;
    const wait: AudioRef = { lang, kind: 'prompt', key: 'reading.wait' };
    const sms: AudioRef = { lang, kind: 'prompt', key: 'reading.sms' };
    const node = ctx.menu.node(step.state.menu);
    const offersSms = node.kind === 'text' && node.options.some((o) => o.key === VOICE_KEYS.sms);
    const refs = [wait, ...(offersSms ? [sms] : [])].filter((ref) => library.available(ref));
    if (!refs.some((ref) => ref.key === 'reading.wait')) return undefined;
    const base = publicBase(request, config);
    return {
      before: [],
      digits: {
        prompt: { kind: 'audio', urls: [base + sequencePath(refs)] },
        numDigits: 1,
        timeoutSeconds: WAIT_KEY_SECONDS,
        repeat: 0,
      },
      after: [],
      end: { kind: 'redirect', url: selfUrl(request) },
    };
  };

  /** Waits (within VOICE_SYNTH_WAIT_MS) for the speech a step plays that is still being made. */
  const ready = async (step: LineStep): Promise<boolean> => {
    const missing = step.refs.filter((ref) => !library.available(ref));
    if (missing.length === 0) return true;
    const ok = await speech.ensure(missing, 'call', synthWaitMs);
    metrics.waited(ok ? 'ready' : 'told');
    return ok;
  };

  /**
   * The first step of a call. In the seconds after start the first language's minimal prompts
   * may still be being made: they are waited for (within the budget), and the call starts in
   * that language alone if the others are not ready yet.
   */
  const firstStep = async (): Promise<LineStep | undefined> => {
    const step = startCall(ctx);
    if (step || !speech.enabled) return step;
    const minimal = (lang: VoiceLang) => MINIMAL_SET.map((key): AudioRef => ({ lang, kind: 'prompt', key }));
    const first = langs.find((lang) => minimal(lang).every((ref) => speech.producible(ref)));
    if (!first) return undefined;
    await speech.ensure(minimal(first), 'call', synthWaitMs);
    return startCall(ctx);
  };

  /** The SMS, within the store deadline's budget: a slow sender says "pending", never holds the call. */
  const sendSms = async (phone: string, id: string, lang: Lang): Promise<SmsOutcome> => {
    if (!deps.sendRecommendationBySms) return 'failed';
    try {
      const outcome = await withDeadline(deps.sendRecommendationBySms(phone, id, lang), SMS_DEADLINE_MS);
      // The line has prompts for sent / optedOut / failed: "already sent today" and a daily cap
      // are said as "could not be sent" (it was not, this time).
      return outcome === 'alreadySent' || outcome === 'limit' ? 'failed' : outcome;
    } catch (error) {
      if (error instanceof DeadlineExceeded) return 'pending';
      logger.warn(
        { err: { message: (error as Error).message } },
        'voice: sending a recommendation by SMS failed',
      );
      return 'failed';
    }
  };

  /**
   * A missed call: the first request of an incoming call, with call backs on and the day's not
   * spent, is counted and queued; over the limit, or when the store cannot count, the call is
   * answered as usual (the caller pays, but is not left without the line).
   */
  const calledBack = async (request: Extract<VoiceRequest, { kind: 'active' }>): Promise<boolean> => {
    if (!deps.callbacks?.enabled) return false;
    try {
      return (await timed(deps.callbacks.request(request.caller, 'missedCall'))) === 'queued';
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'voice: call back not counted, answering');
      return false;
    }
  };

  /** `<Reject/>`: the call is not answered, so it costs the caller nothing; its end is counted apart. */
  const rejected = async (
    request: Extract<VoiceRequest, { kind: 'active' }>,
    owner: string,
  ): Promise<VoiceTurn> => {
    await timed(
      store.set<CallRecord>(
        callKey(request.sessionId),
        { owner, state: { k: 'bye' }, calledBack: true },
        config.VOICE_SESSION_TTL_SECONDS,
      ),
    ).catch(() => {}); // only the end-of-call count needs it
    return { before: [], after: [], end: { kind: 'reject' } };
  };

  const active = async (
    gw: GatewayRequest,
    request: Extract<VoiceRequest, { kind: 'active' }>,
  ): Promise<GatewayAnswer> => {
    const owner = pseudonymOf(gw.person, request.caller) ?? deps.pseudonymize(request.caller);
    const key = callKey(request.sessionId);
    const record = await timed(store.get<CallRecord>(key));
    if (record && record.owner !== owner) {
      // A session id presented by another number: nothing of that call is given away.
      logger.warn({ channel: 'voice' }, 'voice: session presented by another caller');
      return answers.apology(gw);
    }
    if (
      !record &&
      request.digits === undefined &&
      request.direction === 'inbound' &&
      (await calledBack(request))
    )
      return answers.send(200, await rejected(request, owner));
    if (record?.lang) gw.notes.lang = record.lang;
    let step: LineStep | undefined;
    if (!record || (record.state.k === 'start' && request.digits === undefined)) {
      step = await firstStep();
      if (!record) metrics.callStarted();
      const tries = record?.waits ?? 0;
      if (!step && speech.enabled && tries < MAX_WAITS) {
        // Nothing can be said yet, in any language: the gateway comes back for it (silence, not
        // an apology in a language the caller may not speak).
        await timed(
          store.set<CallRecord>(
            key,
            { owner, state: { k: 'start' }, waits: tries + 1 },
            config.VOICE_SESSION_TTL_SECONDS,
          ),
        );
        metrics.waited('told');
        return answers.send(200, { before: [], after: [], end: { kind: 'redirect', url: selfUrl(gw) } });
      }
    } else if (request.digits === undefined) step = replay(ctx, record.state);
    else step = onDigits(ctx, record.state, request.digits);
    if (step?.sms)
      step = smsDone(ctx, step.state, await sendSms(request.caller, step.sms, step.lang ?? REFERENCE_LANG));
    let waits = 0;
    let turn: VoiceTurn | undefined;
    if (step && !(await ready(step))) {
      waits = (request.digits === undefined ? (record?.waits ?? 0) : 0) + 1;
      const told = waits <= MAX_WAITS ? waitTurn(gw, step) : undefined;
      if (told) turn = told;
      else {
        // Not ready after all: "no recording yet", and back where the caller came from.
        step = unreadableStep(step);
        waits = 0;
      }
    }
    turn ??= step && toTurn(gw, step);
    // Something of the step cannot be played (a reading without audio): said in the caller's
    // language, back where they were; the apology is for faults only.
    if (step && !turn && step.lang && step.state.k === 'menu') {
      step = unreadableStep(step);
      turn = toTurn(gw, step);
    }
    if (!step || !turn) {
      logger.error(
        { channel: 'voice' },
        'voice: no audio to play (synthesis off or failing, nothing recorded)',
      );
      metrics.fault();
      return answers.apology(gw);
    }
    const state: LineState = step.gather || waits > 0 ? step.state : { k: 'bye' };
    await timed(
      store.set<CallRecord>(
        key,
        { owner, lang: step.lang, state, ...(waits > 0 ? { waits } : {}) },
        config.VOICE_SESSION_TTL_SECONDS,
      ),
    );
    return answers.send(200, turn);
  };

  const ended = async (
    gw: GatewayRequest,
    request: Extract<VoiceRequest, { kind: 'ended' }>,
  ): Promise<GatewayAnswer> => {
    const key = callKey(request.sessionId);
    let record: CallRecord | undefined;
    let known = true;
    try {
      record = await timed(store.get<CallRecord>(key));
      // Only the caller's own end: a session id presented by another number ends nothing and
      // counts nothing, nor does the end of a call this line never took.
      const owner = record && (pseudonymOf(gw.person, request.caller) ?? deps.pseudonymize(request.caller));
      known = record !== undefined && record.owner === owner;
      if (known) await timed(store.delete(key));
    } catch (error) {
      // The record expires on its own (TTL): the count matters more than the clean-up.
      logger.warn({ err: { message: (error as Error).message } }, 'voice: end of call not cleaned up');
    }
    if (!known) {
      logger.warn({ channel: 'voice' }, 'voice: end of a call unknown to this caller, not counted');
      return answers.send(200, { before: [], after: [], end: { kind: 'hangup' } });
    }
    const node = nodeOf(record?.state);
    if (record?.calledBack) metrics.callEnded('calledBack', 'callback', request.durationSeconds);
    else metrics.callEnded(node === 'bye' ? 'completed' : 'hungUp', node, request.durationSeconds);
    if (request.amount !== undefined && request.currency) metrics.callCost(request.currency, request.amount);
    return answers.send(200, { before: [], after: [], end: { kind: 'hangup' } });
  };

  const handle = async (gw: GatewayRequest): Promise<GatewayAnswer> => {
    try {
      const parsed = dialect.parse(gw.fields);
      if (!parsed.ok) return answers.refuse(gw, 400);
      return parsed.value.kind === 'ended' ? await ended(gw, parsed.value) : await active(gw, parsed.value);
    } catch (error) {
      logger.error(
        { err: { message: (error as Error).message, name: (error as Error).name } },
        'voice: request failed',
      );
      metrics.fault();
      return answers.apology(gw);
    }
  };
  return {
    channel: 'voice',
    budget: 'runner',
    routes: [
      {
        path: '/',
        accepts: ['form', 'json'],
        // The final request (isActive=0) is the gateway's report, not the caller's.
        phone: (fields) =>
          field(fields, 'isActive') === '1' ? field(fields, dialect.callerField) : undefined,
        handle,
      },
    ],
    refusal: (refusal, request) => answers.refuse(request, refusal.status),
    apology: (request) => answers.apology(request),
    // In the language of the call when it has one: read from its record, within the store's deadline.
    rateLimited: async (request) => {
      const parsed = dialect.parse(request.fields);
      const record = parsed.ok
        ? await timed(store.get<CallRecord>(callKey(parsed.value.sessionId))).catch(() => undefined)
        : undefined;
      return answers.rateLimited(
        request,
        record?.owner === request.person?.pseudonym ? record?.lang : undefined,
      );
    },
  };
}
