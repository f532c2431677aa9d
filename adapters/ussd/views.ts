import type { Lang } from '../../src/core/types.js';
import { t, type MessageKey } from '../../src/i18n/index.js';
import { assemble, encode, len, linesLength, listLayout, pageText, truncate } from './layout.js';
import type { Hint, MachineState, Screen, Snapshot, UssdContext } from './types.js';

/**
 * The three kinds of screen every menu is drawn with: a paged numbered list, a paged text,
 * a prompt. Each reserves room for its title (or a hint in its place) and its navigation
 * lines, then fits its content in what is left of USSD_MAX_CHARS.
 */

/** Menus of up to 5 choices fit; lists of recommendations show 4 so their labels stay readable. */
export const MENU_PER_PAGE = 5;
const LIST_PER_PAGE = 4;
export const HINT_QUERY_MAX = 18;
/** Below this many septets of text per page, a text screen goes compact. */
const COMPACT_BELOW = 40;

export type Move =
  | { push: Screen }
  | { home: true }
  | { lang: Lang }
  | { sms: string }
  | { resume: Snapshot }
  | { hint: Hint };

export interface View {
  text: string;
  end: boolean;
  /** Exact inputs this screen offers, beyond the navigation keys. */
  choices: Map<string, Move>;
  /** The screen `more` leads to, when there is one. */
  next?: Screen;
  /** Prompts take free text. */
  free?: (input: string) => Move;
}

export interface Kit {
  ctx: UssdContext;
  lang: Lang;
  tr: (key: MessageKey, params?: Record<string, string | number>) => string;
  enc: (text: string) => string;
  nav: string;
  more: string;
  hint?: string;
}

export function kit(state: MachineState, ctx: UssdContext): Kit {
  const enc = (text: string) => encode(text, ctx.alphabet);
  const tr = (key: MessageKey, params: Record<string, string | number> = {}) =>
    enc(t(state.lang, key, params));
  const { keys } = ctx;
  return {
    ctx,
    lang: state.lang,
    tr,
    enc,
    nav: `${keys.back} ${tr('ussd.nav.back')} ${keys.home} ${tr('ussd.nav.home')}`,
    more: `${keys.more} ${tr('ussd.nav.more')}`,
    hint: state.hint ? hintText(state.hint, tr) : undefined,
  };
}

function hintText(hint: Hint, tr: Kit['tr']): string {
  switch (hint.h) {
    case 'invalid':
      return tr('ussd.hint.invalid');
    case 'themeRange':
      return tr('ussd.hint.themeRange');
    case 'recRange':
      return tr('ussd.hint.recRange', { theme: hint.t, number: hint.n, max: hint.max });
    case 'notInReport':
      return tr('ussd.hint.notInReport');
    case 'none': {
      const none = tr('ussd.hint.none');
      return hint.s
        ? `${none} ${tr('ussd.hint.suggest', { suggestion: truncate(hint.s, HINT_QUERY_MAX) })}`
        : none;
    }
  }
}

/** The top line: the title, or the hint in its place, shortened only if it would not fit. */
export function top(k: Kit, title: string, room: number): string {
  return truncate(k.hint ?? title, room);
}

/** Shortens the longest lines just enough for the list to fit `budget` (water-filling). */
function fitLines(lines: string[], budget: number): string[] {
  if (linesLength(lines) <= budget) return lines;
  const longest = Math.max(...lines.map(len));
  for (let cap = longest - 1; cap > 6; cap -= 1) {
    const cut = lines.map((line) => truncate(line, cap));
    if (linesLength(cut) <= budget) return cut;
  }
  return lines.map((line) => truncate(line, 6));
}

export interface Entry {
  key: string;
  label: string;
  move: Move;
}

/** A paged, numbered list: title, entries, `more` when there is a next page, back/home. */
export function listView(
  k: Kit,
  opts: {
    title: (page: number, pages: number) => string;
    entries: Entry[];
    perPage?: number;
    page: number;
    at: (page: number) => Screen;
    accept?: Entry[];
  },
): View {
  const { maxChars } = k.ctx;
  const worstTitle = Math.max(len(opts.title(99, 99)), len(k.tr('ussd.hint.invalid')));
  const budget = maxChars - worstTitle - len(k.more) - len(k.nav) - 3;
  // A list that fits one screen needs no `more` line: give its room to the labels.
  const perPage = opts.perPage ?? LIST_PER_PAGE;
  const single = listLayout(opts.entries.length, budget + len(k.more) + 1, perPage);
  const layout = single.pages === 1 ? single : listLayout(opts.entries.length, budget, perPage);
  const room = single.pages === 1 ? budget + len(k.more) + 1 : budget;
  const page = Math.min(Math.max(0, opts.page), layout.pages - 1);
  const shown = opts.entries.slice(page * layout.perPage, (page + 1) * layout.perPage);
  const lines = fitLines(
    shown.map((e) => `${e.key} ${k.enc(e.label)}`),
    room,
  );
  const hasNext = page < layout.pages - 1;
  const title = top(k, opts.title(page + 1, layout.pages), worstTitle);
  const text = assemble([title, ...lines, hasNext ? k.more : '', k.nav], maxChars);
  const choices = new Map<string, Move>();
  for (const e of opts.accept ?? opts.entries) choices.set(e.key, e.move);
  return { text, end: false, choices, next: hasNext ? opts.at(page + 1) : undefined };
}

/** Long text over as many screens as it needs; `extra` lines (e.g. "send by SMS") on every page. */
export function textView(
  k: Kit,
  opts: {
    title: (page: number, pages: number) => string;
    body: string;
    page: number;
    at: (page: number) => Screen;
    extra?: string[];
    choices?: Map<string, Move>;
  },
): View {
  const { maxChars } = k.ctx;
  const extra = opts.extra ?? [];
  const fullTitle = Math.max(len(opts.title(99, 99)), len(k.tr('ussd.hint.invalid')));
  const normalChrome = fullTitle + len(k.more) + linesLength(extra) + extra.length + len(k.nav) + 3;
  // A small screen (USSD_MAX_CHARS well under 160) must still page the text, never cut it:
  // the title shrinks, `more` shares the back/home line and the extra options are left out.
  const compact = maxChars - normalChrome < COMPACT_BELOW;
  const titleRoom = compact ? Math.min(fullTitle, 12) : fullTitle;
  const budget = maxChars - (compact ? titleRoom + len(k.more) + len(k.nav) + 3 : normalChrome);
  const body = k.enc(opts.body);
  // Text that fits one screen needs no `more` line: give its room to the text.
  const whole = pageText(body, budget + len(k.more) + 1);
  const pages = whole.length === 1 ? whole : pageText(body, budget);
  const page = Math.min(Math.max(0, opts.page), pages.length - 1);
  const hasNext = page < pages.length - 1;
  const title = top(k, opts.title(page + 1, pages.length), titleRoom);
  const nav = compact
    ? [hasNext ? `${k.more} ${k.nav}` : k.nav]
    : [...(hasNext ? [k.more] : []), ...extra, k.nav];
  const text = assemble([title, pages[page] ?? '', ...nav], maxChars);
  return {
    text,
    end: false,
    choices: compact ? new Map() : (opts.choices ?? new Map()),
    next: hasNext ? opts.at(page + 1) : undefined,
  };
}

/** A prompt: title (or hint), a sentence, back/home; the hint is shortened to what is left. */
export function promptView(k: Kit, title: string, prompt: string, free: (input: string) => Move): View {
  const { maxChars } = k.ctx;
  const room = maxChars - len(prompt) - len(k.nav) - 2;
  const text = assemble([top(k, title, Math.max(room, len(title))), prompt, k.nav], maxChars);
  return { text, end: false, choices: new Map(), free };
}
