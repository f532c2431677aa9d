import type { Lang, Recommendation } from '../../src/core/types.js';
import { t, type MessageKey } from '../../src/i18n/index.js';
import { assemble, encode, len, linesLength, listLayout, pageText, truncate } from './layout.js';
import type { Hint, MachineState, Screen, Snapshot, UssdContext } from './types.js';

/**
 * What each screen shows and which inputs it accepts. Pure: a screen is a function of the
 * state, the corpus and the configuration, so the machine (and a replay) can ask it again.
 */

/** Search results listed on USSD (a few screens at most). */
export const SEARCH_LIMIT = 15;
/** Menus of up to 5 choices fit; lists of recommendations show 4 so their labels stay readable. */
const MENU_PER_PAGE = 5;
const LIST_PER_PAGE = 4;
const HINT_QUERY_MAX = 18;
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

interface Kit {
  ctx: UssdContext;
  lang: Lang;
  tr: (key: MessageKey, params?: Record<string, string | number>) => string;
  enc: (text: string) => string;
  nav: string;
  more: string;
  hint?: string;
}

function kit(state: MachineState, ctx: UssdContext): Kit {
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
    case 'none': {
      const none = tr('ussd.hint.none');
      return hint.s
        ? `${none} ${tr('ussd.hint.suggest', { suggestion: truncate(hint.s, HINT_QUERY_MAX) })}`
        : none;
    }
  }
}

/** The top line: the title, or the hint in its place, shortened only if it would not fit. */
function top(k: Kit, title: string, room: number): string {
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

interface Entry {
  key: string;
  label: string;
  move: Move;
}

/** A paged, numbered list: title, entries, `more` when there is a next page, back/home. */
function listView(
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
function textView(
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
function promptView(k: Kit, title: string, prompt: string, free: (input: string) => Move): View {
  const { maxChars } = k.ctx;
  const room = maxChars - len(prompt) - len(k.nav) - 2;
  const text = assemble([top(k, title, Math.max(room, len(title))), prompt, k.nav], maxChars);
  return { text, end: false, choices: new Map(), free };
}

/** The report's words for a recommendation: its text, then each item on its own line. */
export function recommendationBody(rec: Recommendation): string {
  return [rec.text, ...(rec.items ?? [])].join('\n');
}

function recView(k: Kit, screen: Extract<Screen, { k: 'rec' }>): View {
  const rec = k.ctx.engine.recommendation(screen.id);
  if (!rec) return homeView(k, { k: 'home' });
  const choices = new Map<string, Move>();
  const extra: string[] = [];
  if (k.ctx.smsEnabled) {
    extra.push(`${k.ctx.keys.sms} ${k.tr('ussd.nav.sms')}`);
    choices.set(k.ctx.keys.sms, { sms: rec.id });
  }
  return textView(k, {
    title: (page, pages) => k.tr('ussd.rec.title', { id: rec.id, page, pages }),
    body: recommendationBody(rec),
    page: screen.p,
    at: (p) => ({ k: 'rec', id: rec.id, p }),
    extra,
    choices,
  });
}

function homeView(k: Kit, screen: Extract<Screen, { k: 'home' }>): View {
  const items: Array<[string, MessageKey, Move]> = [
    ['1', 'ussd.home.themes', { push: { k: 'themes' } }],
    ['2', 'ussd.home.search', { push: { k: 'search' } }],
    ['3', 'ussd.home.number', { push: { k: 'number' } }],
    ['4', 'ussd.home.about', { push: { k: 'about', p: 0 } }],
    ['5', 'ussd.home.language', { push: { k: 'lang' } }],
  ];
  if (screen.resume) items.push([k.ctx.keys.resume, 'ussd.home.resume', { resume: screen.resume }]);
  const lines = items.map(([key, label]) => `${key} ${k.tr(label)}`);
  const quit = `${k.ctx.keys.back} ${k.tr('ussd.home.quit')}`;
  const title = k.tr('ussd.home.title');
  const room = k.ctx.maxChars - linesLength([...lines, quit]) - 1;
  const text = assemble([top(k, title, Math.max(room, 10)), ...lines, quit], k.ctx.maxChars);
  return { text, end: false, choices: new Map(items.map(([key, , move]) => [key, move])) };
}

function numberMove(k: Kit, input: string): Move {
  const { engine } = k.ctx;
  const reply = engine.respond(engine.parse(input));
  switch (reply.kind) {
    case 'recommendation':
      return { push: { k: 'rec', id: reply.recommendation.id, p: 0 } };
    case 'theme':
      return { push: { k: 'numberIn', t: reply.theme.number } };
    case 'outOfRange':
      return reply.maxNumber !== undefined && reply.number !== undefined
        ? { hint: { h: 'recRange', t: reply.theme, n: reply.number, max: reply.maxNumber } }
        : { hint: { h: 'themeRange' } };
    default:
      return { hint: { h: 'invalid' } };
  }
}

function searchMove(k: Kit, input: string): Move {
  const query = input.replace(/\s+/g, ' ').trim().slice(0, 60);
  if (query === '') return { hint: { h: 'invalid' } };
  const outcome = k.ctx.engine.search(query, SEARCH_LIMIT);
  if (outcome.hits.length === 0 || outcome.verdict === 'none') {
    return {
      hint: { h: 'none', s: outcome.suggestion ? k.enc(outcome.suggestion) : undefined },
    };
  }
  const ids = outcome.hits.map((hit) => hit.recommendation.id);
  return { push: { k: 'results', ids, p: 0 } };
}

export function buildView(state: MachineState, ctx: UssdContext): View {
  const k = kit(state, ctx);
  const { engine } = ctx;
  const screen = state.cur;
  switch (screen.k) {
    case 'home':
      return homeView(k, screen);
    case 'themes': {
      const entries = engine.corpus.themes.map((theme) => ({
        key: String(theme.number),
        label: theme.short,
        move: { push: { k: 'theme', t: theme.number, p: 0 } } as Move,
      }));
      return listView(k, {
        title: () => k.tr('ussd.themes.title'),
        entries,
        perPage: MENU_PER_PAGE,
        page: screen.p ?? 0,
        at: (p) => ({ k: 'themes', p }),
      });
    }
    case 'theme': {
      const theme = engine.theme(screen.t);
      if (!theme) return homeView(k, { k: 'home' });
      const entries = engine.recommendationsOf(theme.number).map((rec) => ({
        key: String(rec.number),
        label: rec.label,
        move: { push: { k: 'rec', id: rec.id, p: 0 } } as Move,
      }));
      return listView(k, {
        title: (page, pages) =>
          k.tr('ussd.theme.title', { theme: theme.number, short: theme.short, page, pages }),
        entries,
        page: screen.p,
        at: (p) => ({ k: 'theme', t: theme.number, p }),
      });
    }
    case 'rec':
      return recView(k, screen);
    case 'search':
      return promptView(k, k.tr('ussd.search.title'), k.tr('ussd.search.prompt'), (input) =>
        searchMove(k, input),
      );
    case 'results': {
      const recs = screen.ids.flatMap((id) => engine.recommendation(id) ?? []);
      const entries = recs.map((rec, i) => ({
        key: String(i + 1),
        label: `${rec.id} ${rec.label}`,
        move: { push: { k: 'rec', id: rec.id, p: 0 } } as Move,
      }));
      return listView(k, {
        title: (page, pages) => k.tr('ussd.results.title', { page, pages }),
        entries,
        page: screen.p,
        at: (p) => ({ k: 'results', ids: screen.ids, p }),
      });
    }
    case 'number':
      return promptView(k, k.tr('ussd.number.title'), k.tr('ussd.number.prompt'), (input) =>
        numberMove(k, input),
      );
    case 'numberIn': {
      const count = engine.recommendationsOf(screen.t).length;
      return promptView(
        k,
        k.tr('ussd.number.title'),
        k.tr('ussd.numberIn.prompt', { theme: screen.t, count }),
        (input) => {
          if (!/^\d{1,3}$/.test(input)) return { hint: { h: 'invalid' } };
          const rec = engine.recommendation(screen.t, Number(input));
          return rec
            ? { push: { k: 'rec', id: rec.id, p: 0 } }
            : { hint: { h: 'recRange', t: screen.t, n: Number(input), max: count } };
        },
      );
    }
    case 'about': {
      const body = `${t(state.lang, 'about.ours')}\n${engine.corpus.about.summary[state.lang]}`;
      return textView(k, {
        title: (page, pages) => k.tr('ussd.about.title', { page, pages }),
        body,
        page: screen.p,
        at: (p) => ({ k: 'about', p }),
      });
    }
    case 'lang': {
      const entries: Entry[] = [
        { key: '1', label: t(state.lang, 'ussd.lang.fr'), move: { lang: 'fr' } },
        { key: '2', label: t(state.lang, 'ussd.lang.en'), move: { lang: 'en' } },
      ];
      return listView(k, {
        title: () => k.tr('ussd.lang.title'),
        entries,
        page: 0,
        at: () => ({ k: 'lang' }),
      });
    }
    case 'sms': {
      const key = screen.o === undefined ? 'ussd.sms.pending' : (`ussd.sms.${screen.o}` as const);
      return promptView(k, k.tr('ussd.nav.sms'), k.tr(key, { id: screen.id }), () => ({
        hint: { h: 'invalid' },
      }));
    }
    case 'bye':
      return { text: assemble([k.tr('ussd.bye')], ctx.maxChars), end: true, choices: new Map() };
  }
}
