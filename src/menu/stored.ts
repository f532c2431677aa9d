import type { Lang } from '../core/types.js';
import { knownLanguage } from './languages.js';
import type { Hint, MenuState, Place, Snapshot, SmsOutcome } from './types.js';

/**
 * Reading a persisted menu state back (version 2, readable field names). Anything else
 * (corrupted, the short names of the first release, whose sessions lived an hour at most and
 * are long gone, or a shape we do not know) is undefined: the caller starts over instead of
 * failing.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const int = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10_000 ? value : undefined;
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 64 ? value : undefined;
const OUTCOMES: readonly SmsOutcome[] = ['sent', 'optedOut', 'failed', 'pending', 'alreadySent', 'limit'];

function readPlace(raw: unknown, depth = 0): Place | undefined {
  if (!isObject(raw)) return undefined;
  const page = int(raw.page) ?? 0;
  switch (raw.at) {
    case 'home': {
      if (raw.resume === undefined) return { at: 'home' };
      const resume = depth === 0 ? readSnapshot(raw.resume, 1) : undefined;
      return resume ? { at: 'home', resume } : { at: 'home' };
    }
    case 'themes':
      return { at: 'themes', page };
    case 'theme': {
      const theme = int(raw.theme);
      return theme === undefined ? undefined : { at: 'theme', theme, page };
    }
    case 'rec': {
      const id = str(raw.id);
      if (id === undefined) return undefined;
      return raw.full === true ? { at: 'rec', id, page, full: true } : { at: 'rec', id, page };
    }
    case 'search':
      return { at: 'search' };
    case 'feedback': {
      const id = str(raw.id);
      const value = raw.value === 'useful' || raw.value === 'unclear' ? raw.value : undefined;
      if (id === undefined) return undefined;
      return value ? { at: 'feedback', id, value } : { at: 'feedback', id };
    }
    case 'results': {
      const ids = raw.ids;
      if (!Array.isArray(ids) || ids.length > 50 || !ids.every((id) => str(id) !== undefined))
        return undefined;
      const theme = int(raw.theme);
      return {
        at: 'results',
        ids: ids as string[],
        page,
        ...(raw.close === true ? { close: true as const } : {}),
        ...(theme !== undefined ? { theme } : {}),
      };
    }
    case 'number':
      return { at: 'number' };
    case 'numberIn': {
      const theme = int(raw.theme);
      return theme === undefined ? undefined : { at: 'numberIn', theme };
    }
    case 'about':
      return { at: 'about', page };
    case 'lang':
      return { at: 'lang' };
    case 'sms': {
      const id = str(raw.id);
      if (id === undefined) return undefined;
      const outcome = OUTCOMES.find((o) => o === raw.outcome);
      return outcome ? { at: 'sms', id, outcome } : { at: 'sms', id };
    }
    case 'bye':
      return { at: 'bye' };
    default:
      return undefined;
  }
}

function readSnapshot(raw: unknown, depth = 0): Snapshot | undefined {
  if (!isObject(raw)) return undefined;
  const place = readPlace(raw.place, depth);
  const back = raw.back;
  if (!place || !Array.isArray(back) || back.length > 100) return undefined;
  const places = back.map((entry) => readPlace(entry, 1));
  if (places.some((entry) => entry === undefined)) return undefined;
  return { place, back: places as Place[] };
}

function readHint(raw: unknown): Hint | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.hint) {
    case 'invalid':
      return { hint: 'invalid' };
    case 'themeRange':
      return { hint: 'themeRange' };
    case 'recRange': {
      const theme = int(raw.theme);
      const number = int(raw.number);
      const max = int(raw.max);
      return theme === undefined || number === undefined || max === undefined
        ? undefined
        : { hint: 'recRange', theme, number, max };
    }
    case 'none': {
      const suggestion = str(raw.suggestion);
      return suggestion === undefined ? { hint: 'none' } : { hint: 'none', suggestion };
    }
    case 'notInReport':
      return { hint: 'notInReport' };
    case 'smallTalk':
      return { hint: 'smallTalk' };
    default:
      return undefined;
  }
}

/** A stored state, or undefined when it is not one of the current version. */
export function readMenuState(raw: unknown): MenuState | undefined {
  if (!isObject(raw) || raw.version !== 2) return undefined;
  const lang: Lang | undefined = knownLanguage(raw.lang);
  const snapshot = readSnapshot(raw);
  if (!lang || !snapshot) return undefined;
  const hint = raw.hint === undefined ? undefined : readHint(raw.hint);
  return { version: 2, lang, ...snapshot, ...(hint ? { hint } : {}) };
}

/** A stored snapshot (the "where was I" of a dropped session) of the current version. */
export function readSnapshotOf(raw: unknown, version: unknown): Snapshot | undefined {
  return version === 2 ? readSnapshot(raw) : undefined;
}
