import type { Lang } from '../../src/core/types.js';
import { isLang } from '../../src/i18n/index.js';

/**
 * The compact language of our buttons. Telegram caps callback_data at 64 bytes, so no button
 * carries a query or a text: only ids, page numbers and short tokens.
 *   h home · T themes · t:2:0 theme 2 page 0 · r:2.15 open (new message)
 *   n:2.16 step from an opened recommendation (its ◀ ▶: a new message, the reader) · v:2.17 step
 *   in the reader (its ◀ ▶: the reader is edited in place)
 *   s:Ab12Cd:1 search list page 1 · L language chooser · l:en set English · a about
 *   p:s search prompt · p:n number prompt · f:2.15:1 reaction (1 useful, 2 not clear)
 *   w:Ab12Cd wrong answer for search list Ab12Cd
 *   x:2.15 the report's text where a summary was shown
 * In a group, every button also carries whose it is (`~` and a tag of the member who opened it:
 * see `withOwner`), so only they act with it.
 */
export type Action =
  | { kind: 'home' }
  | { kind: 'themes' }
  | { kind: 'theme'; theme: number; page: number }
  | { kind: 'open'; id: string }
  | { kind: 'show'; id: string }
  | { kind: 'step'; id: string }
  | { kind: 'reportText'; id: string }
  | { kind: 'searchPage'; token: string; page: number }
  | { kind: 'chooseLanguage' }
  | { kind: 'setLanguage'; lang: Lang }
  | { kind: 'about' }
  | { kind: 'prompt'; what: 'search' | 'number' }
  /** The one-key reaction under a recommendation: 1 useful, 2 not clear. */
  | { kind: 'feedback'; id: string; value: 1 | 2 }
  /** "Wrong answer" under a result list, by the list's token. */
  | { kind: 'wrong'; token: string };

const CALLBACK_DATA_MAX_BYTES = 64;

export class CallbackDataError extends Error {}

/** Throws when data would be refused by Telegram: a programming error, caught by the tests over every button. */
export function assertCallbackData(data: string): string {
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes < 1 || bytes > CALLBACK_DATA_MAX_BYTES) {
    throw new CallbackDataError(`callback_data of ${bytes} bytes (1..${CALLBACK_DATA_MAX_BYTES} allowed)`);
  }
  return data;
}

export function encode(action: Action): string {
  return assertCallbackData(raw(action));
}

function raw(action: Action): string {
  switch (action.kind) {
    case 'home':
      return 'h';
    case 'themes':
      return 'T';
    case 'theme':
      return `t:${action.theme}:${action.page}`;
    case 'open':
      return `r:${action.id}`;
    case 'show':
      return `n:${action.id}`;
    case 'step':
      return `v:${action.id}`;
    case 'reportText':
      return `x:${action.id}`;
    case 'searchPage':
      return `s:${action.token}:${action.page}`;
    case 'chooseLanguage':
      return 'L';
    case 'setLanguage':
      return `l:${action.lang}`;
    case 'about':
      return 'a';
    case 'prompt':
      return `p:${action.what === 'search' ? 's' : 'n'}`;
    case 'feedback':
      return `f:${action.id}:${action.value}`;
    case 'wrong':
      return `w:${action.token}`;
  }
}

const ID = /^\d{1,2}\.\d{1,3}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,16}$/;
const PAGE = /^\d{1,3}$/;

const OWNER = /^[A-Za-z0-9_-]{1,16}$/;

/** A button of a group's message, tagged with whose it is: `t:2:1~Ab12Cd34`. Throws past 64 bytes. */
export function withOwner(data: string, owner: string): string {
  if (!OWNER.test(owner)) throw new CallbackDataError('an owner tag is 1..16 characters of [A-Za-z0-9_-]');
  return assertCallbackData(`${splitOwner(data).data}~${owner}`);
}

/** The action's data and, on a group's button, the tag of who opened it. */
export function splitOwner(data: string): { data: string; owner?: string } {
  const at = data.lastIndexOf('~');
  if (at < 0) return { data };
  const owner = data.slice(at + 1);
  return OWNER.test(owner) ? { data: data.slice(0, at), owner } : { data };
}

/** undefined for anything we did not produce (old versions, forged data): the caller answers politely. */
export function decode(tapped: string | undefined): Action | undefined {
  if (!tapped) return undefined;
  const { data } = splitOwner(tapped);
  const [head, a, b, ...rest] = data.split(':');
  if (rest.length > 0) return undefined;
  if (a === undefined) {
    if (head === 'h') return { kind: 'home' };
    if (head === 'T') return { kind: 'themes' };
    if (head === 'L') return { kind: 'chooseLanguage' };
    if (head === 'a') return { kind: 'about' };
    return undefined;
  }
  if (b === undefined) {
    if ((head === 'r' || head === 'n' || head === 'v') && ID.test(a))
      return { kind: head === 'r' ? 'open' : head === 'n' ? 'show' : 'step', id: a };
    if (head === 'x' && ID.test(a)) return { kind: 'reportText', id: a };
    if (head === 'l' && isLang(a)) return { kind: 'setLanguage', lang: a };
    if (head === 'p' && (a === 's' || a === 'n'))
      return { kind: 'prompt', what: a === 's' ? 'search' : 'number' };
    if (head === 'w' && TOKEN.test(a)) return { kind: 'wrong', token: a };
    return undefined;
  }
  if (head === 'f' && ID.test(a) && (b === '1' || b === '2'))
    return { kind: 'feedback', id: a, value: b === '1' ? 1 : 2 };
  if (!PAGE.test(b)) return undefined;
  if (head === 't' && /^\d{1,2}$/.test(a)) return { kind: 'theme', theme: Number(a), page: Number(b) };
  if (head === 's' && TOKEN.test(a)) return { kind: 'searchPage', token: a, page: Number(b) };
  return undefined;
}
