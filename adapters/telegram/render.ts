import type { Engine, Lang, Recommendation, Reply } from '../../src/core/types.js';
import type { FollowUpVersion } from '../../src/followup/model.js';
import {
  followUpShortLine,
  helpPlan,
  homeAction,
  homePlan,
  noticePlan,
  plannerFor,
  promptPlan,
  reportTextPlan,
  type Line,
  type ReplyPlan,
  type Surface,
} from '../../src/reply/index.js';
import type { MessageKey } from '../../src/i18n/index.js';
import { splitAtBoundaries } from '../../src/text/split.js';
import { layOut, MESSAGE_MAX, type LayoutOptions, type Rendered } from './layout.js';

export { escapeHtml, MESSAGE_MAX, pageOf, type Rendered } from './layout.js';

/**
 * Telegram's screens: each is a reply plan (src/reply) laid out by layout.ts. A chat where people
 * tap buttons, use slash commands and call the bot from other chats by its name.
 */
export const telegramSurface = (bot: string): Surface => ({ input: 'buttons', optOut: false, bot });

/**
 * Cuts a message into parts of at most `max` characters, at paragraph boundaries first, then
 * at line boundaries, then between words. Our tags never span lines, so a part never opens a
 * tag it does not close.
 */
export function splitMessage(html: string, max = MESSAGE_MAX): string[] {
  return splitAtBoundaries(html, max, entitySafeCut);
}

/** A "word" longer than a message is cut, never inside an HTML entity such as &amp;. */
function entitySafeCut(rest: string, max: number): number {
  const amp = rest.lastIndexOf('&', max - 1);
  return amp > 0 && rest.indexOf(';', amp) >= max ? amp : max;
}

/** Any engine reply as a Telegram message. */
export function renderPlanned(
  engine: Engine,
  reply: Reply,
  lang: Lang,
  bot: string,
  options: LayoutOptions & { greet?: boolean } = {},
): Rendered {
  const plan = plannerFor(engine).plan(reply, lang, telegramSurface(bot), { greet: options.greet ?? false });
  return layOut(plan, lang, options);
}

/** The menu; the greeting (first contact) already says what the title says, so it replaces it. */
export function renderHome(engine: Engine, lang: Lang, bot: string, greet: boolean): Rendered {
  return layOut(homePlan(lang, telegramSurface(bot), engine, { greet }), lang);
}

export function renderHelp(lang: Lang, bot: string): Rendered {
  return layOut(helpPlan(lang, telegramSurface(bot)), lang);
}

export function renderPrompt(lang: Lang, what: 'search' | 'number'): Rendered {
  return layOut(promptPlan(what, lang), lang);
}

/** A plan that is no engine reply (a notice, a situation), with the way home every message has. */
export function renderPlan(plan: ReplyPlan, lang: Lang): Rendered {
  const home = plan.actions.some((action) => action.step.to === 'home');
  return layOut(home ? plan : { ...plan, actions: [...plan.actions, homeAction(lang)] }, lang);
}

/** One notice of the use case (src/conversation). */
export function renderNotice(
  key: MessageKey,
  params: Record<string, string | number> | undefined,
  lang: Lang,
  bot: string,
): Rendered {
  return renderPlan(noticePlan(key, params, lang, telegramSurface(bot)), lang);
}

export function deepLink(botUsername: string, id: string): string {
  return `https://t.me/${botUsername}?start=r${id.replace('.', '_')}`;
}

/**
 * The report's words of one recommendation, and its published follow-up (ours, apart), as an
 * inline result sends them into another chat.
 */
export function recommendationText(lang: Lang, rec: Recommendation, followUp?: FollowUpVersion): string {
  const plan = reportTextPlan(rec, lang);
  const lines: Line[] = followUp
    ? [...plan.lines, { text: followUpShortLine(followUp, lang), tone: 'ours', break: true }]
    : plan.lines;
  return layOut({ ...plan, lines, actions: [] }, lang).text;
}
