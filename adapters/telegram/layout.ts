import type { InlineKeyboardButton } from 'grammy/types';
import type { Entry, Line, ReplyPlan, Step } from '../../src/reply/index.js';
import { chrome } from '../../src/reply/index.js';
import type { Lang } from '../../src/core/types.js';
import { encode, type Action } from './callback-data.js';

/**
 * Telegram lays a reply plan (src/reply) out as an HTML message and its inline keyboard. It
 * words nothing: the plan's lines (titles bold, our notes in italics, the report's words plain,
 * items with a bullet), a list as numbered lines with the full labels, then buttons: a short one
 * per entry (`2.10`) under the list, the page buttons, and the plan's actions.
 */

/** Telegram refuses longer messages; we measure the HTML source, which is never shorter than what is shown. */
export const MESSAGE_MAX = 4096;
/** Eight entries a page: fits a phone screen without scrolling past the page buttons. */
const PAGE_SIZE = 8;
/** Entry buttons a row: short numbers ("2.10") side by side. */
const ENTRIES_PER_ROW = 4;
/** No button label is cut: the longest a label may be (theme names are at most 24). */
export const LIST_LABEL_MAX = 35;

type Keyboard = InlineKeyboardButton[][];

export interface Rendered {
  /** HTML (parse_mode HTML). Every piece of text that is not ours is escaped. */
  text: string;
  keyboard?: Keyboard;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A callback button; encode() throws on data Telegram would refuse. */
function button(text: string, action: Action): InlineKeyboardButton {
  return { text, callback_data: encode(action) };
}

const pageCount = (total: number): number => Math.max(1, Math.ceil(total / PAGE_SIZE));
const clampPage = (page: number, total: number): number => Math.min(Math.max(0, page), pageCount(total) - 1);
export const pageOf = (index: number): number => Math.floor(index / PAGE_SIZE);

/** What the layout needs to know of the chat for some steps. */
export interface LayoutOptions {
  /** The page of a paged list to draw, and the button that shows page `p`. */
  paging?: { page: number; at: (page: number) => Action };
  /** The result list's token, for "wrong answer". */
  token?: string;
  /** The page of the theme list a theme button opens (the one holding the recommendation shown). */
  themePage?: number;
  /** The title line to use instead of the plan's (a result list paged in place keeps its words). */
  title?: string;
  /** The reader (the message ◀ ▶ step in): its ◀ ▶ replace it in place. Else they open the reader. */
  stepping?: boolean;
}

function lineHtml(line: Line): string {
  const text = escapeHtml(line.item ? `• ${line.text}` : line.text);
  if (line.tone === 'title') return `<b>${text}</b>`;
  if (line.tone === 'ours') return `<i>${text}</i>`;
  return text;
}

/** Lines one under the other; a paragraph break where a line starts one. */
function linesHtml(lines: Line[]): string {
  return lines.map((line, i) => (line.break && i > 0 ? `\n${lineHtml(line)}` : lineHtml(line))).join('\n');
}

function entryHtml(entry: Entry): string {
  if (entry.kind === 'rec') return `<b>${escapeHtml(entry.id)}</b> ${escapeHtml(entry.label)}`;
  return `<b>${entry.theme}.</b> ${escapeHtml(entry.label)} (${entry.count})`;
}

/** The Telegram action a plan's step stands for; undefined for steps Telegram has no button for. */
function actionOf(step: Step, options: LayoutOptions = {}): Action | undefined {
  switch (step.to) {
    case 'home':
      return { kind: 'home' };
    case 'themes':
      return { kind: 'themes' };
    case 'about':
      return { kind: 'about' };
    case 'languages':
      return { kind: 'chooseLanguage' };
    case 'language':
      return { kind: 'setLanguage', lang: step.lang };
    case 'theme':
      return { kind: 'theme', theme: step.theme, page: step.page ?? options.themePage ?? 0 };
    case 'rec':
      return { kind: 'open', id: step.id };
    case 'reportText':
      return { kind: 'reportText', id: step.id };
    case 'next':
    case 'previous':
      // ◀ ▶ under a recommendation open the reader; in the reader they step in place.
      return { kind: options.stepping ? 'step' : 'show', id: step.id };
    case 'feedback':
      return { kind: 'feedback', id: step.id, value: step.value === 'useful' ? 1 : 2 };
    case 'prompt':
      return { kind: 'prompt', what: step.what };
    case 'wrongAnswer':
      return options.token ? { kind: 'wrong', token: options.token } : undefined;
    case 'help':
    case 'share':
      return undefined;
  }
}

/** Buttons that go side by side: the two reactions, ◀ ▶, and the others two by two. */
function rowGroup(step: Step): string {
  switch (step.to) {
    case 'feedback':
      return 'feedback';
    case 'next':
    case 'previous':
      return 'nav';
    case 'reportText':
    case 'wrongAnswer':
    case 'rec':
      return `solo:${step.to}`;
    default:
      return 'pair';
  }
}

function actionRows(plan: ReplyPlan, options: LayoutOptions): Keyboard {
  const rows: Keyboard = [];
  let group = '';
  for (const entry of plan.actions) {
    // A recommendation is shared by the inline mode: the button puts its id in any chat.
    const made: InlineKeyboardButton | undefined =
      entry.step.to === 'share'
        ? { text: entry.label, switch_inline_query: entry.step.id }
        : (() => {
            const action = actionOf(entry.step, options);
            return action ? button(entry.label, action) : undefined;
          })();
    if (!made) continue;
    const key = entry.step.to === 'rec' ? 'ids' : rowGroup(entry.step);
    const last = rows.at(-1);
    const room = key === 'ids' ? 5 : 2;
    if (last && key === group && !key.startsWith('solo') && last.length < room) last.push(made);
    else rows.push([made]);
    group = key;
  }
  return rows;
}

/** A plan as one Telegram message (the page `options.paging` names when it holds a list). */
export function layOut(plan: ReplyPlan, lang: Lang, options: LayoutOptions = {}): Rendered {
  const lines =
    options.title !== undefined
      ? [{ text: options.title, tone: 'title' as const }, ...plan.lines.slice(1)]
      : plan.lines;
  const parts = [linesHtml(lines)];
  const keyboard: Keyboard = [];
  if (plan.list && plan.list.entries.length > 0) {
    const entries = plan.list.entries;
    const page = options.paging ? clampPage(options.paging.page, entries.length) : 0;
    const shown = options.paging ? entries.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE) : entries;
    parts.push(shown.map(entryHtml).join('\n'));
    const entryButtons = shown.map((entry) =>
      entry.kind === 'rec'
        ? button(entry.id, { kind: 'open', id: entry.id })
        : button(`${entry.theme}. ${entry.label}`, { kind: 'theme', theme: entry.theme, page: 0 }),
    );
    // Short numbers side by side; theme names one a row.
    const perRow = entries[0]!.kind === 'rec' ? ENTRIES_PER_ROW : 1;
    for (let i = 0; i < entryButtons.length; i += perRow) keyboard.push(entryButtons.slice(i, i + perRow));
    const pages = pageCount(entries.length);
    if (options.paging && pages > 1) {
      const nav: InlineKeyboardButton[] = [];
      if (page > 0) nav.push(button('◀', options.paging.at(page - 1)));
      nav.push(button(chrome(lang).page(page + 1, pages), options.paging.at(page)));
      if (page < pages - 1) nav.push(button('▶', options.paging.at(page + 1)));
      keyboard.push(nav);
    }
    if (plan.list.choose) parts.push(escapeHtml(plan.list.choose));
  }
  // A topic word names a whole theme: offered by its name before the other buttons.
  if (plan.list?.theme) {
    const theme = plan.list.theme;
    keyboard.unshift([
      button(theme.offer ?? `${theme.theme}. ${theme.label}`, { kind: 'theme', theme: theme.theme, page: 0 }),
    ]);
  }
  if (plan.after?.length) parts.push(linesHtml(plan.after));
  keyboard.push(...actionRows(plan, options));
  return {
    text: parts.filter((part) => part !== '').join('\n\n'),
    ...(keyboard.length > 0 ? { keyboard } : {}),
  };
}
