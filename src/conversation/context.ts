import type { Engine, Intent, Lang, Reply } from '../core/types.js';
import { isLang, type MessageKey } from '../i18n/index.js';

/**
 * What was just said to a person, so the next message can refer to it: "c'est appliqué ?" after
 * 2.11, "2" or "le 3e" after a list, "la suivante" after 2.10. Ids, kinds and a language code
 * only: never the message's text or the person's words (stored under the person's pseudonym,
 * src/conversation/memory.ts).
 */
export interface ConversationState {
  v: 1;
  /** When the last answer was given (epoch seconds). */
  at: number;
  /** The conversation's language: from the person's words, or chosen (FR, EN, BM). */
  lang?: Lang;
  /** The recommendation last opened ("2.10"). */
  rec?: string;
  /** The last list shown, in its order: recommendation ids, or theme numbers for the list of themes. */
  list?: { kind: 'results' | 'theme' | 'themes'; ids: string[] };
}

/** What was shown stays "just said" this long after the last message (a list to pick from, "elle"). */
export const CONTEXT_FRESH_SECONDS = 2 * 3600;
/** A list longer than this is kept to this many (a theme has at most 81). */
const MAX_LIST = 120;

const ID = /^\d\.\d{1,3}$/;

/** A stored value made safe: undefined unless it has the shape written here. */
export function readState(raw: unknown): ConversationState | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const value = raw as Record<string, unknown>;
  if (value.v !== 1 || typeof value.at !== 'number') return undefined;
  const state: ConversationState = { v: 1, at: value.at };
  if (isLang(value.lang)) state.lang = value.lang;
  if (typeof value.rec === 'string' && ID.test(value.rec)) state.rec = value.rec;
  const list = value.list as { kind?: unknown; ids?: unknown } | undefined;
  if (
    list &&
    (list.kind === 'results' || list.kind === 'theme' || list.kind === 'themes') &&
    Array.isArray(list.ids) &&
    list.ids.every((id) => typeof id === 'string' && (ID.test(id) || /^\d$/.test(id)))
  )
    state.list = { kind: list.kind, ids: (list.ids as string[]).slice(0, MAX_LIST) };
  return state;
}

/** The part of the state that is still "just said" (the language lasts as long as the key). */
export function fresh(state: ConversationState | undefined, now: number): ConversationState | undefined {
  if (!state || now - state.at > CONTEXT_FRESH_SECONDS) return undefined;
  return state;
}

export type Resolved = { intent: Intent } | { notice: MessageKey; params?: Record<string, string | number> };

function item(state: ConversationState, index: number): Intent | undefined {
  const list = state.list!;
  const id = list.ids[index];
  if (id === undefined) return undefined;
  if (list.kind === 'themes') return { kind: 'theme', theme: Number(id) };
  const [theme, number] = id.split('.').map(Number);
  return { kind: 'recommendation', theme: theme!, number: number! };
}

function pick(state: ConversationState | undefined, position: number | 'last'): Resolved {
  if (!state?.list) return { notice: 'pick.none' };
  const count = state.list.ids.length;
  const index = position === 'last' ? count - 1 : position - 1;
  const picked = item(state, index);
  return picked ? { intent: picked } : { notice: 'pick.range', params: { count } };
}

/** The number a bare "2" or "12" stands for, when it was typed without its theme. */
function bareNumber(intent: Intent): number | undefined {
  if ((intent.kind === 'theme' || intent.kind === 'recommendation') && intent.digits !== undefined)
    return Number(intent.digits);
  return undefined;
}

const recOf = (id: string) => {
  const [theme, number] = id.split('.').map(Number);
  return { theme: theme!, number: number! };
};

/**
 * An intent that refers to what was just said, made concrete: a bare number right after a list
 * picks from it ("2" after "eau" is its second result, after "T2" it is 2.2, after THEMES theme 2);
 * "le 3e" and "the last one" pick; "elle", "le texte" are the recommendation just read; "c'est
 * appliqué ?" asks its follow-up. Anything else is returned as it came. `state` is the fresh part.
 */
export function resolve(intent: Intent, state: ConversationState | undefined): Resolved {
  const bare = bareNumber(intent);
  if (bare !== undefined && state?.list && bare >= 1 && bare <= state.list.ids.length)
    return { intent: item(state, bare - 1)! };
  switch (intent.kind) {
    case 'pick':
      return pick(state, intent.position);
    case 'current':
      if (!state?.rec) return { notice: 'context.none' };
      return {
        intent: {
          kind: 'recommendation',
          ...recOf(state.rec),
          ...(intent.reportText ? { reportText: true } : {}),
        },
      };
    case 'followUp':
      if (intent.recommendation !== 'current') return { intent };
      return { intent: { kind: 'followUp', recommendation: state?.rec ? recOf(state.rec) : null } };
    default:
      return { intent };
  }
}

/**
 * The recommendation after or before the one just read: in the search results it was opened
 * from, else in the report's order (1.41 → 2.1); or the notice that there is none.
 */
export function step(engine: Engine, state: ConversationState, direction: 'next' | 'previous'): Resolved {
  const delta = direction === 'next' ? 1 : -1;
  const rec = state.rec!;
  const list = state.list?.kind === 'results' ? state.list.ids : undefined;
  const at = list?.indexOf(rec) ?? -1;
  let id: string | undefined;
  if (list && at >= 0) id = list[at + delta];
  else id = engine.neighbour(rec, delta)?.id;
  if (!id) return { notice: direction === 'next' ? 'nav.noMore' : 'nav.atStart' };
  return { intent: { kind: 'recommendation', ...recOf(id) } };
}

/**
 * The state after an answer: a recommendation becomes the one "just read" (a list stays while its
 * items are read, and goes when something outside it is opened); a list replaces the last list.
 */
export function remember(
  previous: ConversationState | undefined,
  reply: Reply | undefined,
  now: number,
  lang: Lang | undefined,
): ConversationState {
  const state: ConversationState = { v: 1, at: now };
  const language = lang ?? previous?.lang;
  if (language) state.lang = language;
  if (previous?.rec) state.rec = previous.rec;
  if (previous?.list) state.list = previous.list;
  switch (reply?.kind) {
    case 'recommendation': {
      const id = reply.recommendation.id;
      state.rec = id;
      // The list stays while its items are read ("2", then "3"), not once something else is opened.
      if (state.list && (state.list.kind === 'themes' || !state.list.ids.includes(id))) delete state.list;
      break;
    }
    // A new list: "2" picks from it, and "elle" no longer means what was read before it.
    case 'searchResults':
      state.list = {
        kind: 'results',
        ids: reply.hits.map((hit) => hit.recommendation.id).slice(0, MAX_LIST),
      };
      delete state.rec;
      break;
    case 'theme':
      state.list = { kind: 'theme', ids: reply.recommendations.map((r) => r.id).slice(0, MAX_LIST) };
      delete state.rec;
      break;
    case 'themes':
      state.list = { kind: 'themes', ids: reply.themes.map((theme) => String(theme.number)) };
      delete state.rec;
      break;
    case 'followUp':
      if (reply.answer.kind === 'followUp') state.rec = reply.answer.recommendationId;
      break;
  }
  return state;
}
