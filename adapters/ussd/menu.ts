import type { Lang } from '../../src/core/types.js';
import {
  createMenu,
  initialState,
  replay as replayMenu,
  transition as menuTransition,
  type Effect,
  type Menu,
  type MenuState,
} from '../../src/menu/index.js';
import { REFERENCE_LANG } from '../../src/i18n/index.js';
import { createUssdRenderer, type UssdRenderer } from './render.js';
import type { HopResult, UssdContext } from './types.js';

/**
 * USSD on the menu model (src/menu/): the model decides where an input leads, the renderer
 * draws the one screen that goes out. Pure and deterministic, like the model.
 */

interface UssdMenu {
  menu: Menu;
  renderer: UssdRenderer;
}

/** One menu and one renderer per context, built on first use: static nodes and layouts are made once. */
const built = new WeakMap<UssdContext, UssdMenu>();

function ussdMenu(ctx: UssdContext): UssdMenu {
  let known = built.get(ctx);
  if (!known) {
    known = {
      menu: createMenu({ engine: ctx.engine, keys: ctx.keys, smsEnabled: ctx.smsEnabled, aboutBySms: true }),
      renderer: createUssdRenderer(ctx),
    };
    built.set(ctx, known);
  }
  return known;
}

export function transition(
  state: MenuState,
  input: string,
  ctx: UssdContext,
): { state: MenuState; effects: Effect[] } {
  const { menu, renderer } = ussdMenu(ctx);
  return menuTransition(state, input, menu, renderer.geometry);
}

/** Draws a state as it stands. */
export function render(state: MenuState, ctx: UssdContext): { text: string; end: boolean } {
  const { menu, renderer } = ussdMenu(ctx);
  return renderer.render(state, menu.node(state));
}

/**
 * One USSD hop: with an input, move then draw; without one (the first hop), draw the state.
 * `lang` starts a new session when there is no state yet.
 */
export function handleUssdHop(
  args: { state?: MenuState; input?: string; lang?: Lang },
  ctx: UssdContext,
): HopResult {
  let state = args.state ?? initialState(args.lang ?? REFERENCE_LANG);
  let effects: Effect[] = [];
  if (args.input !== undefined) ({ state, effects } = transition(state, args.input, ctx));
  return { state, ...render(state, ctx), effects };
}

/** A whole session from its inputs, as when the store is down: the reference language, no resume offer. */
export function replay(inputs: string[], ctx: UssdContext): HopResult {
  const { menu, renderer } = ussdMenu(ctx);
  const { state, effects } = replayMenu(inputs, menu, renderer.geometry);
  return { state, ...render(state, ctx), effects };
}
