import type { Engine, Lang, Recommendation, Reply } from '../../src/core/types.js';
import {
  chrome,
  homePlan,
  plannerFor,
  reportTextPlan,
  sharePlan,
  type Entry,
  type Line,
  type ReplyPlan,
  type Step,
  type Surface,
} from '../../src/reply/index.js';
import { recommendationUrl } from '../../src/content/public-links.js';
import { encodeChoice, type Choice } from './ids.js';
import {
  WA_LIMITS,
  fit,
  head,
  splitText,
  type ListRow,
  type OutgoingMessage,
  type ReplyButton,
} from './limits.js';

/**
 * WhatsApp lays reply plans (src/reply) out within its limits (limits.ts). It words nothing: a
 * plan with a list is a list message (rows "2.10 label", the label whole in the row's
 * description when the title cannot hold it: nothing is cut), a plan with actions WhatsApp has
 * buttons for is a message with up to three reply buttons, anything else plain text. The
 * plan's first line, a title, is the header; our notes are in italics.
 */

/** Recommendations per list page: 8 rows, plus "◀ previous" and "more ▶", stays within 10 rows. */
export const LIST_PAGE_SIZE = 8;

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
}

/** A chat where people tap buttons and lists; STOP is kept on a list here. */
export const WHATSAPP_SURFACE: Surface = { input: 'buttons', optOut: true };

const text = (body: string): OutgoingMessage[] =>
  splitText(body, WA_LIMITS.textBody).map((part) => ({ type: 'text', text: { body: part } }));

const withPreview = (messages: OutgoingMessage[], preview: boolean): OutgoingMessage[] =>
  preview
    ? messages.map((m) => (m.type === 'text' ? { ...m, text: { ...m.text, preview_url: true } } : m))
    : messages;

/** The choice a plan's step stands for on WhatsApp; undefined where WhatsApp has no button for it. */
function choiceOf(step: Step): Choice | undefined {
  switch (step.to) {
    case 'home':
    case 'help':
    case 'about':
    case 'themes':
      return { kind: step.to };
    case 'languages':
      return { kind: 'languageMenu' };
    case 'language':
      return { kind: 'language', lang: step.lang };
    case 'theme':
      return { kind: 'theme', theme: step.theme, page: step.page ?? 0 };
    case 'rec':
    case 'next':
      return { kind: 'open', id: step.id };
    case 'reportText':
      return { kind: 'fullText', id: step.id };
    case 'share':
      return { kind: 'share', id: step.id };
    default:
      return undefined;
  }
}

const replyButton = (title: string, choice: Choice): ReplyButton => ({
  type: 'reply',
  reply: { id: encodeChoice(choice), title: fit(title, WA_LIMITS.replyButtonTitle) },
});

function lineText(line: Line): string {
  const body = line.item ? `- ${line.text}` : line.text;
  if (line.tone === 'title') return `*${body}*`;
  if (line.tone === 'ours') return `_${body}_`;
  return body;
}

const linesText = (lines: Line[]) =>
  lines.map((line, i) => (line.break && i > 0 ? `\n${lineText(line)}` : lineText(line))).join('\n');

/** An interactive body keeps its line breaks; only its length is bounded. */
function fitBody(body: string): string {
  const clean = body.trim();
  return clean.length <= WA_LIMITS.interactiveBody
    ? clean
    : `${head(clean, WA_LIMITS.interactiveBody - 1).trimEnd()}…`;
}

/** The plan's first line is the header when it is a title that fits one. */
function headerAndRest(plan: ReplyPlan): { header?: string; lines: Line[] } {
  const [first, ...rest] = plan.lines;
  if (first?.tone === 'title' && first.text.length <= WA_LIMITS.header)
    return { header: first.text, lines: rest };
  return { lines: plan.lines };
}

function rowOf(entry: Entry): ListRow {
  const id = encodeChoice(
    entry.step.to === 'theme' ? { kind: 'theme', theme: entry.step.theme, page: 0 } : choiceOf(entry.step)!,
  );
  if (entry.kind === 'theme') {
    const title = `${entry.theme}. ${entry.label}`;
    return {
      id,
      title: fit(title, WA_LIMITS.rowTitle),
      description: fit(entry.detail, WA_LIMITS.rowDescription),
    };
  }
  // "2.10 label" when it fits the row's title; else the id there and the whole label below it.
  const whole = `${entry.id} ${entry.label}`;
  if (whole.length <= WA_LIMITS.rowTitle) return { id, title: whole };
  return { id, title: entry.id, description: fit(entry.label, WA_LIMITS.rowDescription) };
}

export interface WhatsAppRenderer {
  /** The messages for one engine reply, in order. `page` is the list page of a theme reply. */
  render(reply: Reply, lang: Lang, page?: number): OutgoingMessage[];
  /** Any plan (a notice, a situation) as messages. */
  plan(plan: ReplyPlan, lang: Lang): OutgoingMessage[];
  /** The whole text of a recommendation, split at 4096 characters. */
  fullText(rec: Recommendation, lang: Lang): OutgoingMessage[];
  /** A message written to be forwarded as it is, then how to forward it. */
  share(rec: Recommendation, lang: Lang): OutgoingMessage[];
  /** The recommendation after this one (2.41 → 3.1), or undefined after the last. */
  after(id: string): Recommendation | undefined;
  home(lang: Lang): OutgoingMessage[];
}

/** `publicPageBase`: the public site's base URL (PUBLIC_BASE_URL); a shared recommendation links its page. */
export function createWhatsAppRenderer(engine: Engine, publicPageBase?: string): WhatsAppRenderer {
  const planner = plannerFor(engine);
  const after = (id: string) => engine.neighbour(id, 1);

  /** A list of entries, paged by rows of its own when a theme's list is longer than a page. */
  function listMessage(plan: ReplyPlan, lang: Lang, page: number): OutgoingMessage {
    const words = chrome(lang).list;
    const entries = plan.list!.entries;
    const { header, lines } = headerAndRest(plan);
    const themeNumber =
      plan.kind === 'theme' && entries[0]?.kind === 'rec' ? Number(entries[0].id.split('.')[0]) : undefined;
    const pages = themeNumber === undefined ? 1 : pageCount(entries.length);
    const at = Math.min(Math.max(0, page), pages - 1);
    const shown =
      themeNumber === undefined ? entries : entries.slice(at * LIST_PAGE_SIZE, (at + 1) * LIST_PAGE_SIZE);
    const rows = shown.map(rowOf);
    if (themeNumber !== undefined && at > 0)
      rows.push({
        id: encodeChoice({ kind: 'theme', theme: themeNumber, page: at - 1 }),
        title: fit(words.previous, WA_LIMITS.rowTitle),
      });
    if (themeNumber !== undefined && at < pages - 1)
      rows.push({
        id: encodeChoice({ kind: 'theme', theme: themeNumber, page: at + 1 }),
        title: fit(words.more, WA_LIMITS.rowTitle),
        description: fit(words.moreDescription, WA_LIMITS.rowDescription),
      });
    // A topic word names a whole theme: its row comes first, the hits after it.
    if (plan.list!.theme) rows.unshift(rowOf(plan.list!.theme));
    const body = [linesText(lines), plan.list!.choose, plan.after ? linesText(plan.after) : '']
      .filter((part) => part !== '')
      .join('\n\n');
    const button =
      entries[0]?.kind === 'theme'
        ? words.themes
        : plan.kind === 'searchResults'
          ? words.results
          : words.recommendations;
    const sectionTitle =
      themeNumber !== undefined
        ? words.section(themeNumber, at + 1, pages)
        : plan.kind === 'searchResults'
          ? words.resultsSection
          : undefined;
    return {
      type: 'interactive',
      interactive: {
        type: 'list',
        ...(header ? { header: { type: 'text', text: fit(header, WA_LIMITS.header) } } : {}),
        body: { text: fitBody(body) },
        ...(pages > 1 ? { footer: { text: fit(chrome(lang).page(at + 1, pages), WA_LIMITS.footer) } } : {}),
        action: {
          button: fit(button, WA_LIMITS.listButton),
          sections: [
            {
              ...(sectionTitle ? { title: fit(sectionTitle, WA_LIMITS.sectionTitle) } : {}),
              rows: rows.slice(0, WA_LIMITS.listRowsTotal),
            },
          ],
        },
      },
    };
  }

  /** Up to three reply buttons, the plan's most useful first; a text too long is cut with "full text". */
  function buttonsMessage(plan: ReplyPlan, lang: Lang, buttons: ReplyButton[]): OutgoingMessage[] {
    const { header, lines } = headerAndRest(plan);
    let body = linesText(lines);
    let list = buttons;
    const rec = plan.kind === 'recommendation' ? plan.actions.find((a) => a.step.to === 'share') : undefined;
    if (body.length > WA_LIMITS.interactiveBody && rec && rec.step.to === 'share') {
      // Cut at a word, said to be cut; "Full text" sends the report's words whole.
      const note = `\n\n${chrome(lang).cut}`;
      const room = WA_LIMITS.interactiveBody - note.length - 1;
      const cut = head(body, room);
      const space = cut.lastIndexOf(' ');
      body = `${(space > room / 2 ? cut.slice(0, space) : cut).trimEnd()}…${note}`;
      const full = plan.actions.find((a) => a.step.to === 'reportText');
      const fullButton = replyButton(full?.label ?? chrome(lang).fullText, {
        kind: 'fullText',
        id: rec.step.id,
      });
      list = [fullButton, ...buttons.filter((b) => b.reply.id !== fullButton.reply.id)];
    }
    // Sharing is how a card travels on WhatsApp: it keeps its place among the three buttons.
    const share = list.findIndex((b) => b.reply.id.startsWith('s:'));
    if (share >= WA_LIMITS.replyButtons) list = [...list.slice(0, WA_LIMITS.replyButtons - 1), list[share]!];
    return [
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          ...(header ? { header: { type: 'text', text: fit(header, WA_LIMITS.header) } } : {}),
          body: { text: fitBody(body) },
          action: { buttons: list.slice(0, WA_LIMITS.replyButtons) },
        },
      },
    ];
  }

  /** Choices as the rows of a list (their titles whole), under the plan's words. */
  function choicesList(plan: ReplyPlan, lang: Lang, choices: ReplyButton[]): OutgoingMessage {
    const { header, lines } = headerAndRest(plan);
    return {
      type: 'interactive',
      interactive: {
        type: 'list',
        ...(header ? { header: { type: 'text', text: fit(header, WA_LIMITS.header) } } : {}),
        body: { text: fitBody(linesText(lines)) },
        action: {
          button: fit(chrome(lang).list.languages, WA_LIMITS.listButton),
          sections: [
            {
              rows: choices
                .slice(0, WA_LIMITS.listRowsTotal)
                .map((choice) => ({ id: choice.reply.id, title: choice.reply.title })),
            },
          ],
        },
      },
    };
  }

  function layOut(plan: ReplyPlan, lang: Lang, page = 0): OutgoingMessage[] {
    if (plan.list && plan.list.entries.length > 0) return [listMessage(plan, lang, page)];
    const seen = new Set<string>();
    const buttons: ReplyButton[] = [];
    for (const action of plan.actions) {
      const choice = choiceOf(action.step);
      if (!choice) continue;
      const made = replyButton(action.label, choice);
      if (seen.has(made.reply.id) || seen.has(`t:${made.reply.title}`)) continue;
      seen.add(made.reply.id);
      seen.add(`t:${made.reply.title}`);
      buttons.push(made);
    }
    // More choices than reply buttons, all of them languages (the chooser): a list keeps them all.
    const languages = buttons.filter((b) => b.reply.id.startsWith('lang:'));
    if (languages.length > WA_LIMITS.replyButtons) return [choicesList(plan, lang, languages)];
    if (buttons.length > 0) return buttonsMessage(plan, lang, buttons);
    return text(linesText(plan.lines));
  }

  const surface = WHATSAPP_SURFACE;
  return {
    render: (reply, lang, page = 0) => layOut(planner.plan(reply, lang, surface), lang, page),
    plan: (plan, lang) => layOut(plan, lang),
    fullText: (rec, lang) => text(linesText(reportTextPlan(rec, lang).lines)),
    share: (rec, lang) => {
      const { message, hint } = sharePlan(rec, lang);
      // With the site, the forwarded message ends on its page's address, previewed by WhatsApp.
      const page = publicPageBase ? `\n${recommendationUrl(publicPageBase, rec.id, lang)}` : '';
      return [
        ...withPreview(text(`${linesText(message.lines)}${page}`), Boolean(publicPageBase)),
        ...text(linesText(hint.lines)),
      ];
    },
    after,
    home: (lang) => layOut(homePlan(lang, surface, engine, { greet: true }), lang),
  };
}
