import type { Corpus } from '../../src/content/schema.js';
import type { AudioRef, VoiceLang } from './types.js';

/**
 * THE INTERIM CALL FLOW. A small, pure state machine for the voice line until the shared menu
 * model (issue 13, `src/menu/`) lands: language, home, a recommendation by number, reading with
 * next/repeat/previous, about. After the merge the menu-model renderer replaces this file; the
 * seam is `LineStep` (what to play and which keys to wait for), which router.ts turns into a
 * gateway-neutral VoiceTurn. Nothing here knows HTTP, stores or gateways.
 *
 * Home: 1 a recommendation by number, 2 about, 9 language, 0 end the call. Reading: 1 next,
 * 2 repeat, 3 previous, 0 or * home. About: 0 or * home.
 *
 * Rules the renderer must keep: at most four options per prompt; the key is said after what it
 * does; an option whose audio does not exist in the caller's language is not offered; a wrong
 * key gets "not available" and the prompt again; no key gets the prompt once more, then goodbye.
 */

export type LineState =
  | { k: 'lang' }
  | { k: 'home' }
  | { k: 'number' }
  | { k: 'reading'; id: string }
  | { k: 'about' }
  /** The line said goodbye (a deliberate end). */
  | { k: 'bye' };

export interface LineContext {
  /** The operator's order of languages (VOICE_LANGS). */
  langs: readonly VoiceLang[];
  available(ref: AudioRef): boolean;
  corpus: Corpus;
}

export interface LineStep {
  state: LineState;
  lang?: VoiceLang;
  /** Keys awaited while `refs` play; absent: `refs` are the last words. */
  gather?: { numDigits?: number; finishOnKey?: string; timeoutSeconds: number };
  refs: AudioRef[];
  /** Played when no key comes after the repeat (the goodbye). */
  noInput: AudioRef[];
}

const MENU_TIMEOUT = 8;
const NUMBER_TIMEOUT = 15;
const prompt = (lang: VoiceLang, key: string): AudioRef => ({ lang, kind: 'prompt', key });

/** Languages a caller can choose: those whose language-menu, home and goodbye prompts exist. */
export function offeredLangs(ctx: LineContext): VoiceLang[] {
  const offered: VoiceLang[] = [];
  for (const lang of ctx.langs) {
    const key = String(offered.length + 1);
    const needed = ['lang.offer', `press.${key}`, 'welcome', 'goodbye', 'notAvailable'];
    if (needed.every((k) => ctx.available(prompt(lang, k)))) offered.push(lang);
  }
  return offered.slice(0, 4);
}

function bye(lang: VoiceLang): AudioRef[] {
  return [prompt(lang, 'goodbye')];
}

function langMenu(ctx: LineContext, offered: VoiceLang[], preamble: AudioRef[] = []): LineStep {
  const refs = offered.flatMap((lang, i) => [prompt(lang, 'lang.offer'), prompt(lang, `press.${i + 1}`)]);
  return {
    state: { k: 'lang' },
    gather: { numDigits: 1, timeoutSeconds: MENU_TIMEOUT },
    refs: [...preamble, ...refs],
    noInput: bye(offered[0]!),
  };
}

interface HomeOption {
  key: string;
  label: string;
  /** Audio that must exist for the option to be offered. */
  needs: string[];
}

function homeOptions(ctx: LineContext, lang: VoiceLang): HomeOption[] {
  const options: HomeOption[] = [
    { key: '1', label: 'home.number', needs: ['number.ask', 'reading.nav'] },
    { key: '2', label: 'home.about', needs: ['about', 'about.back'] },
  ];
  if (offeredLangs(ctx).length > 1) options.push({ key: '9', label: 'home.lang', needs: [] });
  options.push({ key: '0', label: 'home.quit', needs: [] });
  return options.filter((o) =>
    [o.label, `press.${o.key}`, ...o.needs].every((k) => ctx.available(prompt(lang, k))),
  );
}

function home(ctx: LineContext, lang: VoiceLang, preamble: AudioRef[] = []): LineStep {
  const options = homeOptions(ctx, lang);
  return {
    state: { k: 'home' },
    lang,
    gather: { numDigits: 1, timeoutSeconds: MENU_TIMEOUT },
    refs: [...preamble, ...options.flatMap((o) => [prompt(lang, o.label), prompt(lang, `press.${o.key}`)])],
    noInput: bye(lang),
  };
}

function numberAsk(lang: VoiceLang, preamble: AudioRef[] = []): LineStep {
  return {
    state: { k: 'number' },
    lang,
    gather: { finishOnKey: '#', timeoutSeconds: NUMBER_TIMEOUT },
    refs: [...preamble, prompt(lang, 'number.ask')],
    noInput: bye(lang),
  };
}

function reading(lang: VoiceLang, id: string, preamble: AudioRef[] | null): LineStep {
  return {
    state: { k: 'reading', id },
    lang,
    gather: { numDigits: 1, timeoutSeconds: MENU_TIMEOUT },
    // preamble null: the recommendation itself, then the keys; else the preamble and the keys.
    refs:
      preamble === null
        ? [{ lang, kind: 'rec', key: id }, prompt(lang, 'reading.nav')]
        : [...preamble, prompt(lang, 'reading.nav')],
    noInput: bye(lang),
  };
}

function about(lang: VoiceLang, preamble: AudioRef[] | null): LineStep {
  return {
    state: { k: 'about' },
    lang,
    gather: { numDigits: 1, timeoutSeconds: MENU_TIMEOUT },
    refs:
      preamble === null
        ? [prompt(lang, 'about'), prompt(lang, 'about.back')]
        : [...preamble, prompt(lang, 'about.back')],
    noInput: bye(lang),
  };
}

/** "215", "2*15", "2.15" (typed as 2, 1, 5): theme digit first, then the number. */
export function parseRecommendationNumber(digits: string): { theme: number; number: number } | undefined {
  const clean = digits.replace(/#+$/, '');
  const m = /^([1-9])\*?(\d{1,2})$/.exec(clean);
  if (!m) return undefined;
  return { theme: Number(m[1]), number: Number(m[2]) };
}

/** The first step of a call (no keys yet). */
export function startCall(ctx: LineContext): LineStep | undefined {
  const offered = offeredLangs(ctx);
  if (offered.length === 0) return undefined;
  if (offered.length === 1) return home(ctx, offered[0]!, [prompt(offered[0]!, 'welcome')]);
  return langMenu(ctx, offered);
}

/** The step of `state` again, as when it was first entered (a request without keys mid-call). */
export function replay(
  ctx: LineContext,
  state: LineState,
  lang: VoiceLang | undefined,
): LineStep | undefined {
  const offered = offeredLangs(ctx);
  const current = lang && offered.includes(lang) ? lang : offered[0];
  if (!current) return undefined;
  switch (state.k) {
    case 'lang':
      return offered.length > 1 ? langMenu(ctx, offered) : home(ctx, current);
    case 'home':
      return home(ctx, current);
    case 'number':
      return numberAsk(current);
    case 'reading':
      return reading(current, state.id, null);
    case 'about':
      return about(current, null);
    case 'bye':
      return { state, lang: current, refs: bye(current), noInput: [] };
  }
}

/** The step after `digits` were pressed in `state`. */
export function onDigits(
  ctx: LineContext,
  state: LineState,
  lang: VoiceLang | undefined,
  digits: string,
): LineStep {
  const offered = offeredLangs(ctx);
  const current = lang && offered.includes(lang) ? lang : offered[0];
  if (!current) throw new Error('no language has audio');
  const notAvailable = [prompt(current, 'notAvailable')];
  const key = digits.replace(/#+$/, '');
  switch (state.k) {
    case 'lang': {
      const chosen = offered[Number(key) - 1];
      if (!/^[1-9]$/.test(key) || !chosen) return langMenu(ctx, offered, notAvailable);
      return home(ctx, chosen, [prompt(chosen, 'welcome')]);
    }
    case 'home': {
      const option = homeOptions(ctx, current).find((o) => o.key === key);
      if (!option) return home(ctx, current, notAvailable);
      if (option.key === '1') return numberAsk(current);
      if (option.key === '2') return about(current, null);
      if (option.key === '0') return { state: { k: 'bye' }, lang: current, refs: bye(current), noInput: [] };
      return langMenu(ctx, offered);
    }
    case 'number': {
      if (key === '0' || key === '*') return home(ctx, current);
      const wanted = parseRecommendationNumber(key);
      const id = wanted ? `${wanted.theme}.${wanted.number}` : undefined;
      if (!id || !ctx.available({ lang: current, kind: 'rec', key: id }))
        return numberAsk(current, notAvailable);
      return reading(current, id, null);
    }
    case 'reading': {
      const [theme, number] = state.id.split('.').map(Number) as [number, number];
      const sibling = (n: number) => `${theme}.${n}`;
      const exists = (id: string) =>
        ctx.corpus.recommendations.some((r) => r.id === id) &&
        ctx.available({ lang: current, kind: 'rec', key: id });
      if (key === '1') {
        return exists(sibling(number + 1))
          ? reading(current, sibling(number + 1), null)
          : reading(current, state.id, [prompt(current, 'reading.last')]);
      }
      if (key === '2') return reading(current, state.id, null);
      if (key === '3') {
        return exists(sibling(number - 1))
          ? reading(current, sibling(number - 1), null)
          : reading(current, state.id, [prompt(current, 'reading.first')]);
      }
      if (key === '0' || key === '*') return home(ctx, current);
      return reading(current, state.id, notAvailable);
    }
    case 'about':
      if (key === '0' || key === '*') return home(ctx, current);
      return about(current, notAvailable);
    case 'bye':
      return { state: { k: 'bye' }, lang: current, refs: bye(current), noInput: [] };
  }
}
