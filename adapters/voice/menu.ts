import { REFERENCE_LANG } from '../../src/i18n/index.js';
import type { Engine } from '../../src/core/types.js';
import {
  createMenu,
  initialState,
  transition,
  type Action,
  type Geometry,
  type Label,
  type Menu,
  type MenuKeys,
  type MenuNode,
  type MenuState,
  type SmsOutcome,
} from '../../src/menu/index.js';
import { themePromptKey } from './audio/catalog.js';
import { minimalSetReady } from './audio/plan.js';
import type { AudioRef, VoiceLang } from './types.js';

/**
 * The voice line's renderer of the shared menu model (src/menu/): the same nodes, options and
 * pure transition as USSD, spoken as prompts and answered by DTMF keys. Pure: nothing here knows
 * HTTP, stores or gateways. router.ts turns a `LineStep` (what to play, which keys to wait for)
 * into a gateway's turn.
 *
 * What is the voice's own (the model leaves navigation and layout to the channel):
 * - the language menu comes first, from VOICE_LANGS filtered by the audio that exists: a
 *   language is offered once every prompt of its minimal set (audio/plan.ts) can be played
 *   (Bambara: recorded in the studio), and the model's `lang` place is rendered by it;
 * - at most four options per prompt: a menu or list with more is cut into pages of three and a
 *   "for more choices, press 8" (lists through the model's Geometry and `more`, the home menu
 *   by a page kept in the call state since the model does not page menus);
 * - an option whose label or target has no audio in the caller's language is not offered, and
 *   its key is "not available" like any wrong key (search needs typed words: never offered);
 *   prompts must exist (the line synthesises them at start), readings may be made on request
 *   (`producible`: the router waits for them or says "in a moment");
 * - a reading not recorded in a language without synthesis (Bambara) is the report's French
 *   words, framed: "here is the report's text, in French" in the caller's language first;
 * - choosing a theme starts listening to its recommendations one after the other: 1 next,
 *   2 again, 3 previous (siblings in the theme, kept without growing the way back), and the
 *   model's 0 back, * home, 9 "receive it by SMS" when the model offers it;
 * - "2, 1, 5, #" is typed as 215 or 2*15 and given to the model's number prompt as 2.15.
 */

export const VOICE_KEYS: MenuKeys = {
  back: '0',
  home: '*',
  more: '8',
  sms: '9',
  resume: '7',
  feedback: '5',
  text: '6',
};
const NEXT = '1';
const AGAIN = '2';
const PREVIOUS = '3';
/** Options spoken in one prompt, "more" included. */
export const PER_PROMPT = 4;
const MENU_TIMEOUT = 8;
const NUMBER_TIMEOUT = 15;

export type LineState =
  /** `page`: the page of a menu node (lists keep theirs in the model's place). */
  | { k: 'menu'; menu: MenuState; page: number }
  /** The line said goodbye (a deliberate end). */
  | { k: 'bye' }
  /** Answered, but not started yet: its first prompts were still being made (router.ts). */
  | { k: 'start' };

export interface LineContext {
  /** The operator's order of languages (VOICE_LANGS). */
  langs: readonly VoiceLang[];
  /** Playable now (recorded, or synthesised and cached). */
  available(ref: AudioRef): boolean;
  /** Playable now or once synthesised (readings are made on first request). */
  producible(ref: AudioRef): boolean;
  engine: Engine;
  menu: Menu;
  geometry: Geometry;
  /** What the voice offers on a menu or list node in a language, navigation included. */
  entries(node: MenuNode, lang: VoiceLang): Entry[];
  /** What a reading of `id` plays in `lang`, or undefined when it cannot be read there. */
  reading(lang: VoiceLang, id: string): AudioRef[] | undefined;
}

export interface LineStep {
  state: LineState;
  lang?: VoiceLang;
  /** Keys awaited while `refs` play; absent: `refs` are the last words. */
  gather?: { numDigits?: number; finishOnKey?: string; timeoutSeconds: number };
  refs: AudioRef[];
  /** Played when no key comes after the repeat (the goodbye). */
  noInput: AudioRef[];
  /** A recommendation to send by SMS before the caller hears `smsDone`'s step. */
  sms?: string;
}

interface Entry {
  key: string;
  /** The prompt that says what the key does. */
  label: string;
}

const prompt = (lang: VoiceLang, key: string): AudioRef => ({ lang, kind: 'prompt', key });

/** The model's labels that the voice can say, as prompt keys. */
const LABEL_PROMPTS: Readonly<Record<string, string>> = {
  'ussd.home.themes': 'home.themes',
  'ussd.home.number': 'home.number',
  'ussd.home.about': 'home.about',
  'ussd.home.language': 'home.lang',
};

function labelPrompt(label: Label): string | undefined {
  if ('msg' in label) return LABEL_PROMPTS[label.msg];
  if ('theme' in label) return themePromptKey(label.theme);
  return undefined;
}

/** Languages a caller can choose: those whose minimal set (audio/plan.ts) can be played. */
function offeredLangs(ctx: Pick<LineContext, 'langs' | 'available'>): VoiceLang[] {
  const offered: VoiceLang[] = [];
  for (const lang of ctx.langs) {
    const key = String(offered.length + 1);
    if (minimalSetReady(lang, ctx.available) && ctx.available(prompt(lang, `press.${key}`)))
      offered.push(lang);
  }
  return offered.slice(0, PER_PROMPT);
}

/** Cuts entries into prompts of at most four: three and "more" while more than four remain. */
function paginate(entries: Entry[]): Entry[][] {
  const pages: Entry[][] = [];
  let rest = entries;
  while (rest.length > PER_PROMPT) {
    pages.push(rest.slice(0, PER_PROMPT - 1));
    rest = rest.slice(PER_PROMPT - 1);
  }
  pages.push(rest);
  return pages;
}

export function createLineContext(deps: {
  langs: readonly VoiceLang[];
  available(ref: AudioRef): boolean;
  /** Default: what is available. */
  producible?(ref: AudioRef): boolean;
  engine: Engine;
  smsEnabled: boolean;
}): LineContext {
  const { engine, available } = deps;
  const producible = deps.producible ?? available;
  const menu = createMenu({ engine, keys: VOICE_KEYS, smsEnabled: deps.smsEnabled });
  const has = (lang: VoiceLang, ...keys: string[]) => keys.every((key) => available(prompt(lang, key)));
  const reading = (lang: VoiceLang, id: string): AudioRef[] | undefined => {
    if (!has(lang, 'reading.nav')) return undefined;
    const own: AudioRef = { lang, kind: 'rec', key: id };
    if (producible(own)) return [own];
    // The report's words are French: said in French, announced in the caller's language.
    const french: AudioRef = { lang: REFERENCE_LANG, kind: 'rec', key: id };
    return lang !== REFERENCE_LANG && has(lang, 'reading.french') && producible(french)
      ? [prompt(lang, 'reading.french'), french]
      : undefined;
  };
  const readable = (lang: VoiceLang, id: string) => reading(lang, id) !== undefined;

  /** Whether what an option leads to can be played in `lang`. */
  const reachable = (action: Action, lang: VoiceLang): boolean => {
    if (!('go' in action)) return false;
    const place = action.go;
    switch (place.at) {
      case 'themes':
        return entriesOf(menu.node({ ...initialState(lang), place }), lang).some(
          (e) => e.key !== VOICE_KEYS.back,
        );
      case 'theme': {
        const first = engine.recommendationsOf(place.theme)[0];
        return first !== undefined && readable(lang, first.id);
      }
      case 'number':
        return has(lang, 'number.ask') && engine.corpus.recommendations.some((rec) => readable(lang, rec.id));
      case 'about':
        return has(lang, 'about', 'about.back');
      case 'lang':
        return offeredLangs(deps).length > 1;
      default:
        return false;
    }
  };

  /** What the voice offers on a menu or list node in `lang`, navigation included. */
  function entriesOf(node: MenuNode, lang: VoiceLang): Entry[] {
    if (node.kind !== 'menu' && node.kind !== 'list') return [];
    const entries: Entry[] = [];
    for (const option of node.options) {
      const label = labelPrompt(option.label);
      if (label && has(lang, label, `press.${option.key}`) && reachable(option.action, lang))
        entries.push({ key: option.key, label });
    }
    const nav: Entry =
      node.place.at === 'home'
        ? { key: VOICE_KEYS.back, label: 'home.quit' }
        : { key: VOICE_KEYS.back, label: 'back' };
    if (has(lang, nav.label, `press.${nav.key}`)) entries.push(nav);
    return entries;
  }

  const geometry: Geometry = {
    pages: (node, lang) => (node.kind === 'list' ? paginate(entriesOf(node, lang as VoiceLang)).length : 1),
    offersOptions: () => true,
  };
  return { langs: deps.langs, available, producible, engine, menu, geometry, entries: entriesOf, reading };
}

const bye = (lang: VoiceLang): AudioRef[] => [prompt(lang, 'goodbye')];

/**
 * "This recommendation has no recording yet", in the caller's language: not a fault, and never
 * "something went wrong". A language whose speaker has not recorded it yet says "not available".
 */
export function unavailable(ctx: Pick<LineContext, 'available'>, lang: VoiceLang): AudioRef {
  const own = prompt(lang, 'reading.unavailable');
  return ctx.available(own) ? own : prompt(lang, 'notAvailable');
}

function langOf(ctx: LineContext, state: MenuState): VoiceLang {
  const offered = offeredLangs(ctx);
  return offered.includes(state.lang as VoiceLang) ? (state.lang as VoiceLang) : offered[0]!;
}

/**
 * The step that plays `menu`'s place. `read`: a reading or about is played whole (else only the
 * keys after `preamble`, as after a wrong key or an SMS notice).
 */
function render(
  ctx: LineContext,
  menu: MenuState,
  page: number,
  preamble: AudioRef[],
  read = true,
): LineStep {
  const lang = langOf(ctx, menu);
  const state: LineState = { k: 'menu', menu: { ...menu, hint: undefined }, page };
  const keys = (refs: AudioRef[]): LineStep => ({
    state,
    lang,
    gather: { numDigits: 1, timeoutSeconds: MENU_TIMEOUT },
    refs: [...preamble, ...refs],
    noInput: bye(lang),
  });
  const place = menu.place;
  switch (place.at) {
    case 'lang':
      return keys(
        offeredLangs(ctx).flatMap((l, i) => [prompt(l, 'lang.offer'), prompt(l, `press.${i + 1}`)]),
      );
    case 'number':
      return {
        ...keys([prompt(lang, 'number.ask')]),
        gather: { finishOnKey: '#', timeoutSeconds: NUMBER_TIMEOUT },
      };
    case 'rec': {
      const node = ctx.menu.node(menu);
      const sms =
        node.kind === 'text' &&
        node.options.some((o) => o.key === VOICE_KEYS.sms) &&
        ctx.available(prompt(lang, 'reading.sms'))
          ? [prompt(lang, 'reading.sms')]
          : [];
      // The published follow-up after the reading, when its prompt has audio; its
      // date and source, which no prompt can say, are in the recommendation's SMS.
      const status = read ? ctx.engine.followUpOf(place.id)?.status : undefined;
      const followUp =
        status && ctx.available(prompt(lang, `followup.${status}`))
          ? [prompt(lang, `followup.${status}`)]
          : [];
      return keys([
        ...(read ? (ctx.reading(lang, place.id) ?? []) : []),
        ...followUp,
        prompt(lang, 'reading.nav'),
        ...sms,
      ]);
    }
    case 'about':
      return keys([...(read ? [prompt(lang, 'about')] : []), prompt(lang, 'about.back')]);
    case 'bye':
      return { state: { k: 'bye' }, lang, refs: bye(lang), noInput: [] };
    case 'home':
    case 'themes': {
      const node = ctx.menu.node(menu);
      const pages = paginate(ctx.entries(node, lang));
      const current = node.kind === 'list' ? node.place.page : page;
      const shown = pages[Math.min(Math.max(0, current), pages.length - 1)]!;
      const more =
        current < pages.length - 1 ? [prompt(lang, 'more'), prompt(lang, `press.${VOICE_KEYS.more}`)] : [];
      return keys([
        ...shown.flatMap((e) => [prompt(lang, e.label), prompt(lang, `press.${e.key}`)]),
        ...more,
      ]);
    }
    default:
      // Places the voice does not offer (search, results): home instead.
      return render(ctx, { ...menu, place: { at: 'home' }, back: [] }, 0, preamble);
  }
}

/** The first step of a call (no keys yet). */
export function startCall(ctx: LineContext): LineStep | undefined {
  const offered = offeredLangs(ctx);
  if (offered.length === 0) return undefined;
  const first = initialState(offered[0]!);
  if (offered.length === 1) return render(ctx, first, 0, [prompt(offered[0]!, 'welcome')]);
  return render(ctx, { ...first, place: { at: 'lang' } }, 0, []);
}

/** The step of `state` again, as when it was first entered (a request without keys mid-call). */
export function replay(ctx: LineContext, state: LineState): LineStep | undefined {
  if (offeredLangs(ctx).length === 0) return undefined;
  if (state.k !== 'menu')
    return state.k === 'bye'
      ? render(ctx, { ...initialState(offeredLangs(ctx)[0]!), place: { at: 'bye' } }, 0, [])
      : startCall(ctx);
  return render(ctx, state.menu, state.page, []);
}

/** "215", "2*15" (typed 2, 1, 5, #): the model's "2.15"; anything else as typed. */
export function numberInput(keys: string): string {
  const m = /^([1-9])\*?(\d{1,2})$/.exec(keys);
  return m ? `${m[1]}.${m[2]}` : keys;
}

/** The step after `digits` were pressed in `state`. */
export function onDigits(ctx: LineContext, state: LineState, digits: string): LineStep {
  const c = ctx;
  if (state.k !== 'menu') return state.k === 'bye' ? replay(ctx, state)! : startCall(ctx)!;
  const menu = state.menu;
  const lang = langOf(ctx, menu);
  const notAvailable = [prompt(lang, 'notAvailable')];
  const again = () => render(c, menu, state.page, notAvailable, false);
  // A recommendation the line cannot read: said plainly, in the caller's language.
  const unreadable = () => render(c, menu, state.page, [unavailable(ctx, lang)], false);
  const key = digits.replace(/(?<!#)#+$/, '');
  const place = menu.place;

  if (place.at === 'lang') {
    const offered = offeredLangs(ctx);
    const chosen = /^[1-9]$/.test(key) ? offered[Number(key) - 1] : undefined;
    if (chosen)
      return render(c, { ...menu, lang: chosen, place: { at: 'home' }, back: [] }, 0, [
        prompt(chosen, 'welcome'),
      ]);
    // Back or home from a language menu reached from home; at the start of a call there is none.
    if ((key === VOICE_KEYS.back || key === VOICE_KEYS.home) && menu.back.length > 0)
      return render(c, { ...menu, place: { at: 'home' }, back: [] }, 0, []);
    return again();
  }

  if (place.at === 'rec' && [NEXT, AGAIN, PREVIOUS].includes(key)) {
    if (key === AGAIN) return render(c, menu, 0, []);
    const rec = ctx.engine.recommendation(place.id);
    const siblings = rec ? ctx.engine.recommendationsOf(rec.theme) : [];
    const at = siblings.findIndex((r) => r.id === place.id);
    const target = siblings[at + (key === NEXT ? 1 : -1)];
    if (!target)
      return render(c, menu, 0, [prompt(lang, key === NEXT ? 'reading.last' : 'reading.first')], false);
    if (!ctx.reading(lang, target.id)) return render(c, menu, 0, [unavailable(ctx, lang)], false);
    // Listening one after the other replaces the place: back still leads where the caller came from.
    return render(c, { ...menu, place: { at: 'rec', id: target.id, page: 0 } }, 0, []);
  }

  const node = ctx.menu.node(menu);
  if (node.kind === 'menu' || node.kind === 'list') {
    const entries = c.entries(node, lang);
    if (key === VOICE_KEYS.more && node.kind === 'menu') {
      return state.page + 1 < paginate(entries).length ? render(c, menu, state.page + 1, []) : again();
    }
    const navigation = [VOICE_KEYS.home, VOICE_KEYS.more];
    if (!entries.some((e) => e.key === key) && !navigation.includes(key)) return again();
  }
  if (key === VOICE_KEYS.sms && !(node.kind === 'text' && node.options.some((o) => o.key === key)))
    return again();

  const input = place.at === 'number' ? numberInput(key) : key;
  const { state: next, effects } = transition(menu, input, ctx.menu, ctx.geometry);
  if (next.hint) return again();
  let target = next;
  if (target.place.at === 'theme') {
    // A theme is listened to from its first recommendation (the model's list is for screens).
    const first = ctx.engine.recommendationsOf(target.place.theme)[0];
    if (!first) return again();
    if (!ctx.reading(lang, first.id)) return unreadable();
    target = { ...target, place: { at: 'rec', id: first.id, page: 0 } };
  }
  if (target.place.at === 'numberIn' || target.place.at === 'search' || target.place.at === 'results')
    return again();
  if (target.place.at === 'rec' && !ctx.reading(lang, target.place.id)) return unreadable();
  const sms = effects.find((effect) => effect.kind === 'sms');
  if (sms && sms.kind === 'sms')
    return { ...render(c, menu, 0, [], false), state: { k: 'menu', menu: target, page: 0 }, sms: sms.id };
  return render(c, target, 0, []);
}

/** After the SMS was asked for: what became of it, then the reading's keys again. */
export function smsDone(ctx: LineContext, state: LineState, outcome: SmsOutcome): LineStep {
  if (state.k !== 'menu') return replay(ctx, state)!;
  const menu = state.menu;
  const back = [...menu.back];
  const previous = menu.place.at === 'sms' ? (back.pop() ?? { at: 'home' as const }) : menu.place;
  const lang = langOf(ctx, menu);
  return render(ctx, { ...menu, place: previous, back }, 0, [prompt(lang, `sms.${outcome}`)], false);
}

/** Where the caller was, for the end-of-call metrics. */
export function nodeOf(state: LineState | undefined): string {
  if (!state) return 'unknown';
  if (state.k === 'bye') return 'bye';
  if (state.k !== 'menu') return 'unknown';
  return state.menu.place.at === 'rec' ? 'reading' : state.menu.place.at;
}
