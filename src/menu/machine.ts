import type { Lang } from '../core/types.js';
import { REFERENCE_LANG } from '../i18n/index.js';
import type { Menu } from './nodes.js';
import {
  ABOUT_BY_SMS,
  type Action,
  type Effect,
  type Geometry,
  type MenuNode,
  type MenuState,
  type Place,
  type Snapshot,
} from './types.js';

/**
 * The pure transition function: state + input → state + effects. Deterministic, so a session
 * can be replayed from its input history alone (Africa's Talking sends it every hop) when the
 * session store cannot be reached, and two instances can serve alternate hops. It decides which
 * inputs are valid from the node's options and the channel's page count: no screen is laid out.
 */

/** How far back `back` remembers; older places fall off and `back` then lands on home. */
const MAX_BACK = 40;

export function initialState(lang: Lang, resume?: Snapshot): MenuState {
  return { version: 2, lang, place: resume ? { at: 'home', resume } : { at: 'home' }, back: [] };
}

/** Places worth offering to resume: somewhere past the first menu. */
export function isResumable(snapshot: Snapshot): boolean {
  return !['home', 'lang', 'bye', 'feedback'].includes(snapshot.place.at);
}

/** The home place as remembered on the way back: without its one-time resume offer. */
function forBack(place: Place): Place {
  return place.at === 'home' ? { at: 'home' } : place;
}

function push(state: MenuState, place: Place): MenuState {
  return { ...state, place, back: [...state.back, forBack(state.place)].slice(-MAX_BACK) };
}

function apply(state: MenuState, action: Action): { state: MenuState; effects: Effect[] } {
  if ('go' in action) return { state: push(state, action.go), effects: [] };
  if ('lang' in action) {
    return {
      state: { ...state, lang: action.lang, place: { at: 'home' }, back: [] },
      effects: [{ kind: 'lang', lang: action.lang }],
    };
  }
  if ('sms' in action)
    return {
      state: push(state, { at: 'sms', id: action.sms }),
      effects: [{ kind: 'sms', id: action.sms }],
    };
  if ('feedback' in action) {
    // The thanks replaces the question: `back` from it returns to the recommendation.
    const { id, value } = action.feedback;
    return {
      state: { ...state, place: { at: 'feedback', id, value } },
      effects: [{ kind: 'feedback', id, value }],
    };
  }
  if ('resume' in action) {
    // A session that ended on "sent by SMS" resumes on the recommendation, not on the notice
    // (resuming there would say "sent" again and send nothing).
    const { place } = action.resume;
    const landing: Place =
      place.at !== 'sms'
        ? place
        : place.id === ABOUT_BY_SMS
          ? { at: 'about', page: 0 }
          : { at: 'rec', id: place.id, page: 0 };
    return { state: { ...state, place: landing, back: action.resume.back }, effects: [] };
  }
  return { state: { ...state, hint: action.hint }, effects: [] };
}

/** The page after this one, when the channel cuts the node into more pages than that. */
function nextPage(node: MenuNode, geometry: Geometry, lang: Lang): Place | undefined {
  if (node.kind !== 'list' && node.kind !== 'text') return undefined;
  const pages = geometry.pages(node, lang);
  const page = Math.min(Math.max(0, node.place.page), pages - 1);
  return page < pages - 1 ? { ...node.place, page: page + 1 } : undefined;
}

/** The options a person may choose on this node on this channel. */
function offered(
  node: MenuNode,
  geometry: Geometry,
  lang: Lang,
): ReadonlyArray<{ key: string; action: Action }> {
  switch (node.kind) {
    case 'menu':
    case 'list':
      return node.options;
    case 'text':
      return geometry.offersOptions(node, lang) ? node.options : [];
    default:
      return [];
  }
}

/** The next state after one input, and what must happen outside (SMS, language preference). */
export function transition(
  state: MenuState,
  rawInput: string,
  menu: Menu,
  geometry: Geometry,
): { state: MenuState; effects: Effect[] } {
  const input = rawInput.trim();
  const node = menu.node(state);
  const clean: MenuState = { ...state, hint: undefined };
  const { keys } = menu;
  if (node.kind === 'end') return { state: clean, effects: [] };
  if (input === keys.home && state.place.at !== 'home')
    return { state: { ...clean, place: { at: 'home' }, back: [] }, effects: [] };
  if (input === keys.back) {
    if (state.place.at === 'home')
      return { state: { ...clean, place: { at: 'bye' }, back: [] }, effects: [] };
    const back = [...clean.back];
    const previous = back.pop() ?? { at: 'home' };
    return { state: { ...clean, place: previous, back }, effects: [] };
  }
  if (input === keys.more) {
    const next = nextPage(node, geometry, state.lang);
    if (next) return apply(clean, { go: next });
  }
  const choice = offered(node, geometry, state.lang).find((option) => option.key === input);
  if (choice) return apply(clean, choice.action);
  if (node.kind === 'prompt' && input !== '') return apply(clean, node.accept(input));
  return apply(clean, { hint: { hint: 'invalid' } });
}

/** A whole session from its inputs, as when the store is down: French, no resume offer. */
export function replay(
  inputs: string[],
  menu: Menu,
  geometry: Geometry,
): { state: MenuState; effects: Effect[] } {
  let state = initialState(REFERENCE_LANG);
  let effects: Effect[] = [];
  for (const input of inputs) ({ state, effects } = transition(state, input, menu, geometry));
  return { state, effects };
}
