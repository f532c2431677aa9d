import type { Lang } from '../../src/core/types.js';
import { buildView, type Move } from './screens.js';
import type { Effect, HopResult, MachineState, Screen, Snapshot, UssdContext } from './types.js';

/**
 * The gateway-neutral USSD menu: one input in, one screen out. Pure and deterministic, so a
 * session can be replayed from its input history alone (Africa's Talking sends it every hop)
 * when the session store cannot be reached, and two instances can serve alternate hops.
 */

/** How far back `back` remembers; older screens fall off and `back` then lands on home. */
const MAX_STACK = 40;

export function initialState(lang: Lang, resume?: Snapshot): MachineState {
  return { v: 1, lang, cur: resume ? { k: 'home', resume } : { k: 'home' }, stack: [] };
}

/** Screens worth offering to resume: somewhere past the first menu. */
export function isResumable(snapshot: Snapshot): boolean {
  return !['home', 'lang', 'bye'].includes(snapshot.cur.k);
}

/** The home screen as remembered on the stack: without its one-time resume offer. */
function forStack(screen: Screen): Screen {
  return screen.k === 'home' ? { k: 'home' } : screen;
}

function push(state: MachineState, screen: Screen): MachineState {
  return { ...state, cur: screen, stack: [...state.stack, forStack(state.cur)].slice(-MAX_STACK) };
}

function apply(state: MachineState, move: Move): { state: MachineState; effects: Effect[] } {
  if ('push' in move) return { state: push(state, move.push), effects: [] };
  if ('home' in move) return { state: { ...state, cur: { k: 'home' }, stack: [] }, effects: [] };
  if ('lang' in move) {
    return {
      state: { ...state, lang: move.lang, cur: { k: 'home' }, stack: [] },
      effects: [{ kind: 'lang', lang: move.lang }],
    };
  }
  if ('sms' in move)
    return { state: push(state, { k: 'sms', id: move.sms }), effects: [{ kind: 'sms', id: move.sms }] };
  if ('resume' in move)
    return { state: { ...state, cur: move.resume.cur, stack: move.resume.stack }, effects: [] };
  return { state: { ...state, hint: move.hint }, effects: [] };
}

/** The next state after one input, and what must happen outside (SMS, language preference). */
export function transition(
  state: MachineState,
  rawInput: string,
  ctx: UssdContext,
): { state: MachineState; effects: Effect[] } {
  const input = rawInput.trim();
  const view = buildView(state, ctx);
  const clean: MachineState = { ...state, hint: undefined };
  const { keys } = ctx;
  if (view.end) return { state: clean, effects: [] };
  if (input === keys.home && state.cur.k !== 'home') return apply(clean, { home: true });
  if (input === keys.back) {
    if (state.cur.k === 'home') return { state: { ...clean, cur: { k: 'bye' }, stack: [] }, effects: [] };
    const stack = [...clean.stack];
    const previous = stack.pop() ?? { k: 'home' };
    return { state: { ...clean, cur: previous, stack }, effects: [] };
  }
  if (input === keys.more && view.next) return apply(clean, { push: view.next });
  const choice = view.choices.get(input);
  if (choice) return apply(clean, choice);
  if (view.free && input !== '') return apply(clean, view.free(input));
  return apply(clean, { hint: { h: 'invalid' } });
}

/**
 * One USSD hop: with an input, move then draw; without one (the first hop), draw the state.
 * `lang` starts a new session when there is no state yet.
 */
export function handleUssdHop(
  args: { state?: MachineState; input?: string; lang?: Lang },
  ctx: UssdContext,
): HopResult {
  let state = args.state ?? initialState(args.lang ?? 'fr');
  let effects: Effect[] = [];
  if (args.input !== undefined) ({ state, effects } = transition(state, args.input, ctx));
  const view = buildView(state, ctx);
  return { state, text: view.text, end: view.end, effects };
}

/** Draws a state as it stands (a retried hop, or a state the router just completed). */
export function render(state: MachineState, ctx: UssdContext): { text: string; end: boolean } {
  const view = buildView(state, ctx);
  return { text: view.text, end: view.end };
}

/** A whole session from its inputs, as when the store is down: French, no resume offer. */
export function replay(inputs: string[], ctx: UssdContext): HopResult {
  let state = initialState('fr');
  let effects: Effect[] = [];
  for (const input of inputs) ({ state, effects } = transition(state, input, ctx));
  const view = buildView(state, ctx);
  return { state, text: view.text, end: view.end, effects };
}
