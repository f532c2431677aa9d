import type { Lang } from '../../src/core/types.js';
import { recLabel, translationsRevision } from '../../src/content/localized.js';
import type { MessageKey } from '../../src/i18n/index.js';
import {
  labelText,
  type Geometry,
  type Hint,
  type Label,
  type MenuNode,
  type MenuState,
  type Option,
} from '../../src/menu/index.js';
import {
  assemble,
  encode,
  fitRows,
  len,
  linesLength,
  packRows,
  pageText,
  truncate,
  type Row,
} from './layout.js';
import type { UssdContext } from './types.js';

/**
 * The menu model drawn as USSD screens: GSM-7 (or ASCII) text within USSD_MAX_CHARS septets,
 * lists and long text paged with a `more` key. Each node kind has one layout: a short menu, a
 * paged numbered list, a paged text, a prompt. A layout reserves room for its title (or a hint
 * in its place) and its navigation lines, then fits its content in what is left.
 *
 * The page count of a node (what the machine asks to know whether `more` is valid) is computed
 * from its shape alone and remembered, so a hop lays out one screen: the one it sends.
 */

/** Below this many septets of text per page, a text screen goes compact. */
const COMPACT_BELOW = 40;
/** The suggestion of a "nothing found" hint is shortened to this. */
const HINT_QUERY_MAX = 18;
/**
 * A label in a list keeps at least this many septets (or all of itself): a screen shows fewer
 * rows rather than labels cut to uselessness ("Leadership des..").
 */
const MIN_LABEL_SEPTETS = 22;
/** Remembered shapes (one per list/text node and language): a few thousand at most. */
const SHAPE_CACHE_SIZE = 5000;

/** The header of a node that fits one screen, without the page counter. */
const SINGLE_PAGE_TITLES: Partial<Record<MessageKey, MessageKey>> = {
  'ussd.rec.title': 'ussd.rec.single',
  'ussd.rec.same.title': 'ussd.rec.same.single',
  'ussd.results.title': 'ussd.results.single',
  'ussd.about.title': 'ussd.about.single',
  'ussd.theme.title': 'ussd.theme.single',
};

interface Screen {
  text: string;
  end: boolean;
}

export interface UssdRenderer {
  geometry: Geometry;
  render(state: MenuState, node: MenuNode): Screen;
  /** One catalog sentence, encoded for the screen (apologies, refusals). */
  sentence(key: MessageKey, lang: Lang): string;
}

interface ListShape {
  /** The first row of each page: pages hold as many rows as keep their labels readable. */
  starts: number[];
  /** Septets for the rows of each page. */
  rooms: number[];
  /** Septets for the header of each page (or the hint drawn in its place). */
  titleRooms: number[];
  /** The widest of `titleRooms`. */
  titleRoom: number;
  /** The list's note ("Tapez un numéro (1 à 81)"), when the screen has room for it. */
  note?: string;
}

interface TextShape {
  pages: string[];
  compact: boolean;
  titleRoom: number;
  extra: string[];
}

/** Per language: the navigation lines and sizes every screen uses, computed once. */
interface Chrome {
  nav: string;
  more: string;
  invalidLength: number;
}

export function createUssdRenderer(ctx: UssdContext): UssdRenderer {
  const { engine, maxChars, keys } = ctx;
  const enc = (text: string) => encode(text, ctx.alphabet);
  const tr = (lang: Lang, key: MessageKey, params?: Record<string, string | number>) =>
    enc(labelText({ msg: key, ...(params ? { params } : {}) }, lang, engine));

  const chromes = new Map<Lang, Chrome>();
  const chrome = (lang: Lang): Chrome => {
    let known = chromes.get(lang);
    if (!known) {
      known = {
        nav: `${keys.back} ${tr(lang, 'ussd.nav.back')} ${keys.home} ${tr(lang, 'ussd.nav.home')}`,
        more: `${keys.more} ${tr(lang, 'ussd.nav.more')}`,
        invalidLength: len(tr(lang, 'ussd.hint.invalid')),
      };
      chromes.set(lang, known);
    }
    return known;
  };

  /** A label as screen text (encoded, in words from src/menu/words.ts). `extra` adds page numbers. */
  function say(label: Label, lang: Lang, extra?: Record<string, number>): string {
    if ('msg' in label) {
      // One page: a natural header ("Recommandation 2.15"), no "(1/1)".
      const single = extra?.pages === 1 ? SINGLE_PAGE_TITLES[label.msg] : undefined;
      return enc(labelText(single ? { ...label, msg: single } : label, lang, engine, extra));
    }
    return enc(labelText(label, lang, engine));
  }

  const labelKey = (label: Label): string => JSON.stringify(label);
  const optionLine = (option: Option, lang: Lang) => `${option.key} ${say(option.label, lang)}`;

  const shapes = new Map<string, ListShape | TextShape>();
  const remember = <T extends ListShape | TextShape>(key: string, make: () => T): T => {
    const known = shapes.get(key) as T | undefined;
    if (known) return known;
    const made = make();
    if (shapes.size >= SHAPE_CACHE_SIZE) shapes.clear();
    shapes.set(key, made);
    return made;
  };

  /** What a list is drawn from (a list node, or the part of one its shape depends on). */
  type ListOf = Pick<Extract<MenuNode, { kind: 'list' }>, 'title' | 'options' | 'perPage' | 'note'>;

  const worstTitle = (title: Label, lang: Lang) =>
    Math.max(
      len(say(title, lang, { page: 99, pages: 99 })),
      len(say(title, lang, { page: 1, pages: 1 })),
      chrome(lang).invalidLength,
    );

  /** A row as drawn: its key (and a recommendation's number) never cut, then its label. */
  function rowOf(option: Option, lang: Lang): Row {
    const label = option.label;
    if ('rec' in label) {
      const rec = engine.recommendation(label.rec);
      return {
        head: `${option.key} ${label.withId ? `${label.rec} ` : ''}`,
        label: enc(rec ? recLabel(rec, lang) : ''),
      };
    }
    return { head: `${option.key} `, label: say(label, lang) };
  }

  /**
   * Shapes and hint-free pages of the lists the menu model builds once at start (the themes,
   * each theme's list, the language menu), keyed by their options array: a hop finds its page
   * without building a key over 81 labels or laying anything out. A search's results are new
   * arrays: they miss here and go through the keyed cache below.
   */
  let byOptions = new WeakMap<Option[], Map<string, ListShape | string>>();
  const cachedFor = (options: Option[]) => {
    let entries = byOptions.get(options);
    if (!entries) {
      entries = new Map();
      byOptions.set(options, entries);
    }
    return entries;
  };

  function listShape(list: ListOf, lang: Lang): ListShape {
    const { title, options, perPage, note } = list;
    const fast = cachedFor(options);
    const fastKey = `S\u0000${lang}\u0000${labelKey(title)}\u0000${note ? labelKey(note) : ''}\u0000${perPage}`;
    const known = fast.get(fastKey);
    if (known !== undefined) return known as ListShape;
    const shape = keyedListShape(list, lang);
    fast.set(fastKey, shape);
    return shape;
  }

  function keyedListShape(list: ListOf, lang: Lang): ListShape {
    const { title, options, perPage, note } = list;
    const key = [
      'L',
      lang,
      labelKey(title),
      note ? labelKey(note) : '',
      perPage,
      ...options.map((option) => `${option.key}=${labelKey(option.label)}`),
    ].join('\u0000');
    return remember(key, () => {
      const { more, nav } = chrome(lang);
      const rows = options.map((option) => rowOf(option, lang));
      const noteText = note ? say(note, lang) : undefined;
      // The widest header of a list of `pages` pages, and the header of its page `page` (0-based).
      const headerFor = (pages: number) =>
        Math.max(
          len(say(title, lang, { page: pages, pages })),
          len(say(title, lang, { page: 1, pages: 1 })),
          chrome(lang).invalidLength,
        );
      const headerOf = (page: number, pages: number) =>
        Math.max(len(say(title, lang, { page: page + 1, pages })), chrome(lang).invalidLength);
      const layout = (pages: number): ListShape => {
        const titleRoom = headerFor(pages);
        const base = maxChars - titleRoom - len(nav) - 2;
        // The note goes when a small screen would then not hold one readable row.
        const withNote =
          noteText !== undefined && base - len(noteText) - len(more) - 2 >= 4 + MIN_LABEL_SEPTETS + 2;
        const fixed = len(nav) + 2 + (withNote ? len(noteText) + 1 : 0);
        // A list that fits one screen needs no `more` line: give its room to the labels.
        const singleTitle = headerOf(0, 1);
        const single = maxChars - singleTitle - fixed;
        const whole = packRows(rows, () => single, perPage, MIN_LABEL_SEPTETS);
        if (whole.length === 1)
          return {
            starts: whole,
            rooms: [single],
            titleRooms: [singleTitle],
            titleRoom: singleTitle,
            ...(withNote ? { note: noteText } : {}),
          };
        // Page 3 of 38 has a shorter header than page 38: its rows get that room.
        // The note ("Tapez un numéro (1 à 81)") is said on the first page only: later pages give
        // its room to a third row (theme 4 in French: 38 screens with it on every page, 27 without).
        const noteRoom = withNote ? len(noteText) + 1 : 0;
        const roomOf = (page: number) =>
          maxChars - headerOf(page, pages) - fixed + (page > 0 ? noteRoom : 0) - len(more) - 1;
        const starts = packRows(rows, roomOf, perPage, MIN_LABEL_SEPTETS);
        return {
          starts,
          rooms: starts.map((_, page) => roomOf(page)),
          titleRooms: starts.map((_, page) => headerOf(page, pages)),
          titleRoom,
          ...(withNote ? { note: noteText } : {}),
        };
      };
      // The headers' room depends on the page count and the page count on the room: first as
      // if every row had its page (the most digits), then for the pages that gives, kept when
      // the count it comes to needs no more digits.
      const safe = layout(Math.max(1, options.length));
      const tight = layout(safe.starts.length);
      return headerFor(tight.starts.length) <= tight.titleRoom ? tight : safe;
    });
  }

  function textShape(node: Extract<MenuNode, { kind: 'text' }>, lang: Lang): TextShape {
    // A recommendation's pages change when its follow-up does: the version is part of the key.
    const followUp = 'recText' in node.body ? (engine.followUpOf(node.body.recText)?.version ?? 0) : 0;
    const key = `T\u0000${lang}\u0000${labelKey(node.title)}\u0000${labelKey(node.body)}\u0000${node.options.map((o) => o.key).join(',')}\u0000${followUp}`;
    return remember(key, () => {
      const { more, nav } = chrome(lang);
      const extra = node.options.map((option) => optionLine(option, lang));
      const fullTitle = worstTitle(node.title, lang);
      const normalChrome = fullTitle + len(more) + linesLength(extra) + extra.length + len(nav) + 3;
      // A small screen (USSD_MAX_CHARS well under 160) must still page the text, never cut it:
      // the title shrinks, `more` shares the back/home line and the options are left out.
      const compact = maxChars - normalChrome < COMPACT_BELOW;
      const titleRoom = compact ? Math.min(fullTitle, 12) : fullTitle;
      const budget = maxChars - (compact ? titleRoom + len(more) + len(nav) + 3 : normalChrome);
      const body = say(node.body, lang);
      // Text that fits one screen needs no `more` line: give its room to the text.
      const whole = pageText(body, budget + len(more) + 1);
      const pages = whole.length === 1 ? whole : pageText(body, budget);
      return { pages, compact, titleRoom, extra };
    });
  }

  const geometry: Geometry = {
    pages(node, lang) {
      if (node.kind === 'text') return textShape(node, lang).pages.length;
      if (node.kind === 'list') return listShape(node, lang).starts.length;
      return 1;
    },
    offersOptions(node, lang) {
      return node.kind !== 'text' || !textShape(node, lang).compact;
    },
  };

  function hintText(hint: Hint, lang: Lang): string {
    switch (hint.hint) {
      case 'invalid':
        return tr(lang, 'ussd.hint.invalid');
      case 'themeRange':
        return tr(lang, 'ussd.hint.themeRange');
      case 'recRange':
        return tr(lang, 'ussd.hint.recRange', { theme: hint.theme, number: hint.number, max: hint.max });
      case 'notInReport':
        return tr(lang, 'ussd.hint.notInReport');
      case 'smallTalk':
        return tr(lang, 'ussd.hint.smallTalk');
      case 'none': {
        const none = tr(lang, 'ussd.hint.none');
        return hint.suggestion
          ? `${none} ${tr(lang, 'ussd.hint.suggest', { suggestion: truncate(enc(hint.suggestion), HINT_QUERY_MAX) })}`
          : none;
      }
    }
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

  /** The home menu without a hint is the same screen for everyone: drawn once per language. */
  const homes = new Map<string, string>();

  function menuScreen(node: Extract<MenuNode, { kind: 'menu' }>, lang: Lang, hint?: string): string {
    const quit = node.quit;
    if (!quit) return menuList(node, lang, hint);
    const cacheKey = `${lang}\u0000${node.options.map((o) => o.key).join(',')}`;
    const known = hint === undefined ? homes.get(cacheKey) : undefined;
    if (known !== undefined) return known;
    const lines = node.options.map((option) => optionLine(option, lang));
    const quitLine = `${keys.back} ${say(quit, lang)}`;
    const title = say(node.title, lang);
    const room = maxChars - linesLength([...lines, quitLine]) - 1;
    const text = assemble([truncate(hint ?? title, Math.max(room, 10)), ...lines, quitLine], maxChars);
    if (hint === undefined) homes.set(cacheKey, text);
    return text;
  }

  /** A short menu without a quit line (language, feedback): one screen, its lines shortened to fit. */
  function menuList(node: Extract<MenuNode, { kind: 'menu' }>, lang: Lang, hint?: string): string {
    const { nav } = chrome(lang);
    const title = say(node.title, lang);
    const titleRoom = Math.max(len(title), chrome(lang).invalidLength);
    const lines = fitLines(
      node.options.map((option) => optionLine(option, lang)),
      maxChars - titleRoom - len(nav) - 2,
    );
    return assemble([truncate(hint ?? title, titleRoom), ...lines, nav], maxChars);
  }

  function listScreen(node: Extract<MenuNode, { kind: 'list' }>, lang: Lang, hint?: string): string {
    if (hint !== undefined) return drawList(node, lang, hint);
    const pages = cachedFor(node.options);
    const key = `P\u0000${lang}\u0000${labelKey(node.title)}\u0000${node.note ? labelKey(node.note) : ''}\u0000${node.perPage}\u0000${node.place.page}`;
    let text = pages.get(key) as string | undefined;
    if (text === undefined) {
      text = drawList(node, lang);
      pages.set(key, text);
    }
    return text;
  }

  function drawList(node: Extract<MenuNode, { kind: 'list' }>, lang: Lang, hint?: string): string {
    const { more, nav } = chrome(lang);
    const { starts, rooms, titleRooms, note } = listShape(node, lang);
    const page = Math.min(Math.max(0, node.place.page), starts.length - 1);
    const shown = node.options.slice(starts[page], starts[page + 1] ?? node.options.length);
    const lines = fitRows(
      shown.map((option) => rowOf(option, lang)),
      rooms[page]!,
      MIN_LABEL_SEPTETS,
    );
    const hasNext = page < starts.length - 1;
    const top = truncate(
      hint ?? say(node.title, lang, { page: page + 1, pages: starts.length }),
      titleRooms[page]!,
    );
    return assemble([top, ...lines, page === 0 ? (note ?? '') : '', hasNext ? more : '', nav], maxChars);
  }

  function textScreen(node: Extract<MenuNode, { kind: 'text' }>, lang: Lang, hint?: string): string {
    const { more, nav } = chrome(lang);
    const { pages, compact, titleRoom, extra } = textShape(node, lang);
    const page = Math.min(Math.max(0, node.place.page), pages.length - 1);
    const hasNext = page < pages.length - 1;
    const top = truncate(hint ?? say(node.title, lang, { page: page + 1, pages: pages.length }), titleRoom);
    const lines = compact ? [hasNext ? `${more} ${nav}` : nav] : [...(hasNext ? [more] : []), ...extra, nav];
    return assemble([top, pages[page] ?? '', ...lines], maxChars);
  }

  function promptScreen(titleLabel: Label, promptLabel: Label, lang: Lang, hint?: string): string {
    const { nav } = chrome(lang);
    const title = say(titleLabel, lang);
    const prompt = say(promptLabel, lang);
    const room = maxChars - len(prompt) - len(nav) - 2;
    return assemble([truncate(hint ?? title, Math.max(room, len(title))), prompt, nav], maxChars);
  }

  function render(state: MenuState, node: MenuNode): Screen {
    const { lang } = state;
    const hint = state.hint ? hintText(state.hint, lang) : undefined;
    switch (node.kind) {
      case 'menu':
        return { text: menuScreen(node, lang, hint), end: false };
      case 'list':
        return { text: listScreen(node, lang, hint), end: false };
      case 'text':
        return { text: textScreen(node, lang, hint), end: false };
      case 'prompt':
        return { text: promptScreen(node.title, node.prompt, lang, hint), end: false };
      case 'notice':
        return { text: promptScreen(node.title, node.text, lang, hint), end: false };
      case 'end':
        return { text: assemble([say(node.text, lang)], maxChars), end: true };
    }
  }

  // A translation published from the console: the remembered shapes and screens are dropped.
  let revision = translationsRevision();
  const fresh = () => {
    if (revision === translationsRevision()) return;
    revision = translationsRevision();
    chromes.clear();
    shapes.clear();
    homes.clear();
    byOptions = new WeakMap();
  };
  const freshGeometry: Geometry = {
    pages: (node, lang) => (fresh(), geometry.pages(node, lang)),
    offersOptions: (node, lang) => (fresh(), geometry.offersOptions(node, lang)),
  };
  return {
    geometry: freshGeometry,
    render: ((...args: Parameters<typeof render>) => (fresh(), render(...args))) as typeof render,
    sentence: (key, lang) => tr(lang, key),
  };
}
