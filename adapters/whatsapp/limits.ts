import { splitAtBoundaries } from '../../src/text/split.js';

/**
 * WhatsApp Cloud API limits on what a business sends (Meta's "interactive list messages" and
 * "reply buttons" references; the same figures are enforced by whatsapp-api-js). The Graph API
 * answers a message that breaks one with an error and sends nothing, so every outgoing message
 * is checked against these before it leaves (`violations`), and the renderer fits text to them.
 *
 * Lengths are counted in UTF-16 code units (`String.length`), which is never fewer than the
 * characters WhatsApp counts: a text that fits here fits there.
 */
export const WA_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  listButton: 20,
  listRowsTotal: 10,
  listSections: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  replyButtons: 3,
  replyButtonTitle: 20,
  replyButtonId: 256,
} as const;

interface TextHeader {
  type: 'text';
  text: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

interface ListSection {
  title?: string;
  rows: ListRow[];
}

export interface ReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

/** The message part of a Graph API `/messages` request (the envelope adds `to`). */
export type OutgoingMessage =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | {
      type: 'interactive';
      interactive: {
        type: 'list';
        header?: TextHeader;
        body: { text: string };
        footer?: { text: string };
        action: { button: string; sections: ListSection[] };
      };
    }
  | {
      type: 'interactive';
      interactive: {
        type: 'button';
        header?: TextHeader;
        body: { text: string };
        footer?: { text: string };
        action: { buttons: ReplyButton[] };
      };
    }
  | {
      type: 'template';
      template: { name: string; language: { code: string } };
    };

/** The first `max` code units of `text`, one fewer if that would split a surrogate pair (an emoji). */
export function head(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** On one line, cut to `max` code units, ending with an ellipsis when cut. */
export function fit(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  return `${head(clean, max - 1).trimEnd()}…`;
}

/** Every way `message` breaks WhatsApp's limits; empty when it can be sent. */
export function violations(message: OutgoingMessage): string[] {
  const found: string[] = [];
  const over = (what: string, value: string | undefined, max: number, min = 1) => {
    if (value === undefined) return;
    if (value.length > max) found.push(`${what} is ${value.length} > ${max}`);
    if (value.trim().length < min) found.push(`${what} is empty`);
  };
  if (message.type === 'text') {
    over('text', message.text.body, WA_LIMITS.textBody);
    return found;
  }
  if (message.type === 'template') {
    if (!/^[a-z0-9_]{1,512}$/.test(message.template.name)) found.push('template name is invalid');
    return found;
  }
  const interactive = message.interactive;
  over('body', interactive.body.text, WA_LIMITS.interactiveBody);
  over('header', interactive.header?.text, WA_LIMITS.header);
  over('footer', interactive.footer?.text, WA_LIMITS.footer);
  if (interactive.type === 'list') {
    const { button, sections } = interactive.action;
    over('list button', button, WA_LIMITS.listButton);
    if (sections.length === 0 || sections.length > WA_LIMITS.listSections)
      found.push(`${sections.length} sections`);
    if (sections.length > 1 && sections.some((s) => !s.title)) found.push('a section without title');
    const rows = sections.flatMap((s) => s.rows);
    if (rows.length === 0 || rows.length > WA_LIMITS.listRowsTotal) found.push(`${rows.length} rows in all`);
    if (new Set(rows.map((r) => r.id)).size !== rows.length) found.push('row ids not unique');
    for (const section of sections) over('section title', section.title, WA_LIMITS.sectionTitle);
    for (const row of rows) {
      over(`row id ${row.id}`, row.id, WA_LIMITS.rowId);
      over(`row title ${row.id}`, row.title, WA_LIMITS.rowTitle);
      over(`row description ${row.id}`, row.description, WA_LIMITS.rowDescription);
    }
    return found;
  }
  const buttons = interactive.action.buttons;
  if (buttons.length === 0 || buttons.length > WA_LIMITS.replyButtons)
    found.push(`${buttons.length} buttons`);
  if (new Set(buttons.map((b) => b.reply.id)).size !== buttons.length) found.push('button ids not unique');
  if (new Set(buttons.map((b) => b.reply.title)).size !== buttons.length)
    found.push('button titles not unique');
  for (const b of buttons) {
    over(`button id ${b.reply.id}`, b.reply.id, WA_LIMITS.replyButtonId);
    over(`button title ${b.reply.id}`, b.reply.title, WA_LIMITS.replyButtonTitle);
  }
  return found;
}

/** Splits a long text into messages of at most `max` characters, at paragraphs, lines, then words. */
export function splitText(text: string, max: number = WA_LIMITS.textBody): string[] {
  return splitAtBoundaries(text.trim(), max, surrogateSafeCut);
}

/** A word longer than a message is cut, never between the two halves of an emoji. */
function surrogateSafeCut(rest: string, max: number): number {
  const code = rest.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
