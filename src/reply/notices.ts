import type { Engine, Lang, Reply } from '../core/types.js';
import { languageChoices, languageKeywords, languageMenu, t, type MessageKey } from '../i18n/index.js';
import { followUpAnswerLines } from './followup.js';
import { themesPlan } from './lists.js';
import { outOfRangeSentence } from './out-of-range.js';
import type { Action, Line, ReplyPlan, Surface } from './types.js';
import { action, line, nextStep, para, SMALL_TALK_REPLY, themesAndHome } from './words.js';

/**
 * The short answers: the menu, help, small talk, what the report does not speak of, a number
 * that does not exist, the language, STOP and START, SUIVI's answers, and the use case's notices.
 */

type Of<K extends Reply['kind']> = Extract<Reply, { kind: K }>;

const plan = (kind: string, lines: Line[], actions: Action[] = []): ReplyPlan => ({ kind, lines, actions });

/** The menu's buttons where people tap: the same on every such screen, most used first. */
const menuActions = (lang: Lang): Action[] => [
  action(lang, 'button.themes', { to: 'themes' }),
  action(lang, 'button.search', { to: 'prompt', what: 'search' }),
  action(lang, 'button.byNumber', { to: 'prompt', what: 'number' }),
  action(lang, 'button.help', { to: 'help' }),
  action(lang, 'button.language', { to: 'languages' }),
  action(lang, 'button.about', { to: 'about' }),
];

/**
 * The menu. Where people type, it is the list of themes. Where they tap: the service's name, a greeting on first contact (it says what the title says), a notice
 * when there is one ("Langue : français."), and "choose below".
 */
export function homePlan(
  lang: Lang,
  surface: Surface,
  engine: Engine,
  options: { greet?: boolean; notice?: string } = {},
): ReplyPlan {
  // By SMS the menu is the list of themes (MENU and THEMES both lead there), in one segment.
  if (surface.input === 'typed')
    return themesPlan({ themes: engine.corpus.themes }, lang, surface, engine, 'home');
  return plan(
    'home',
    [
      line(t(lang, 'app.name'), 'title'),
      ...(options.notice ? [line(options.notice)] : []),
      line(t(lang, options.greet ? 'greeting' : 'home.title')),
      para(t(lang, 'menu.prompt')),
    ],
    menuActions(lang),
  );
}

/**
 * Help. By SMS the commands to send; in a chat app what to write, and where the bot has slash
 * commands and can be called from any chat (Telegram), those.
 */
export function helpPlan(lang: Lang, surface: Surface): ReplyPlan {
  const languages = languageKeywords();
  if (surface.input === 'typed') return plan('help', [line(t(lang, 'sms.help', { languages }))]);
  const text = surface.bot
    ? t(lang, 'help.commands', { bot: surface.bot })
    : t(lang, 'help.text', { languages });
  return plan('help', [line(t(lang, 'help.title'), 'title'), line(text)], menuActions(lang));
}

/** The language chooser, or the confirmation in the language just chosen. */
export function languagePlan(reply: Of<'language'>, lang: Lang, surface: Surface, engine: Engine): ReplyPlan {
  if (reply.lang === null)
    return plan(
      'language',
      [line(t(lang, 'language.choose', { choices: languageChoices(lang) }))],
      [
        ...languageMenu().map((entry) => ({
          label: entry.label,
          step: { to: 'language' as const, lang: entry.code },
        })),
        action(lang, 'button.home', { to: 'home' }),
      ],
    );
  const set = t(reply.lang, 'language.set');
  // Confirmed in the new language, with its menu where there are buttons: the next tap is in it.
  if (surface.input === 'typed') return plan('language', [line(set)]);
  return { ...homePlan(reply.lang, surface, engine, { notice: set }), kind: 'language' };
}

export function smallTalkPlan(reply: Of<'smallTalk'>, lang: Lang, surface: Surface): ReplyPlan {
  return plan(
    'smallTalk',
    [line(t(lang, SMALL_TALK_REPLY[reply.what])), nextStep(lang, surface)],
    surface.input === 'buttons' ? menuActions(lang) : [],
  );
}

export function notInReportPlan(
  reply: Of<'notInReport'>,
  lang: Lang,
  surface: Surface,
  echo: string,
): ReplyPlan {
  const said = line(t(lang, 'search.notInReport', { query: echo }));
  if (surface.input === 'typed') return plan('notInReport', [said, line(t(lang, 'hint.themes'))]);
  return plan('notInReport', [said], themesAndHome(lang));
}

export function outOfRangePlan(reply: Of<'outOfRange'>, lang: Lang, surface: Surface): ReplyPlan {
  const validTheme = reply.theme >= 1 && reply.theme <= reply.themeCount;
  const actions: Action[] = [
    ...(reply.suggestions ?? []).map((id) => ({ label: id, step: { to: 'rec' as const, id } })),
    ...(validTheme && reply.total === undefined && !reply.suggestions?.length
      ? [action(lang, 'button.theme', { to: 'theme', theme: reply.theme }, { theme: reply.theme })]
      : []),
    ...themesAndHome(lang),
  ];
  return plan(
    'outOfRange',
    [line(outOfRangeSentence(reply, lang))],
    surface.input === 'buttons' ? actions : [],
  );
}

export function navigationPlan(reply: Of<'navigation'>, lang: Lang, surface: Surface): ReplyPlan {
  if (surface.input === 'buttons')
    return plan('navigation', [line(t(lang, 'nav.useButtons'))], themesAndHome(lang));
  return plan('navigation', [line(t(lang, reply.direction === 'back' ? 'sms.back' : 'sms.noPages'))]);
}

export function followUpPlan(reply: Of<'followUp'>, lang: Lang): ReplyPlan {
  return plan(
    'followUp',
    followUpAnswerLines(reply.answer, lang).map((text) => line(text)),
  );
}

/** One sentence of the use case (src/conversation), with what to do next where it says nothing. */
export function noticePlan(
  key: MessageKey,
  params: Record<string, string | number> | undefined,
  lang: Lang,
  surface: Surface,
): ReplyPlan {
  const lines = [line(t(lang, key, params))];
  // These say what went wrong only: the next step is the surface's own.
  if (key === 'pick.none' || key === 'callback.unavailable') lines.push(nextStep(lang, surface));
  return plan(key, lines, surface.input === 'buttons' && key === 'pick.none' ? themesAndHome(lang) : []);
}

/** The replies a channel answers from its own abilities: STOP, START, an empty message, a call back. */
export function plainPlan(
  reply: Of<'optOut' | 'optIn' | 'empty' | 'callback'>,
  lang: Lang,
  surface: Surface,
  engine: Engine,
): ReplyPlan {
  switch (reply.kind) {
    case 'optOut':
      // A reply (not the use case's notice) means STOP puts no one on a list here: one blocks the bot.
      return surface.optOut
        ? plan('optOut', [line(t(lang, 'optOut.done'))])
        : plan('optOut', [line(t(lang, 'stop.info'))], themesAndHome(lang));
    case 'optIn':
      return surface.optOut
        ? plan('optIn', [line(t(lang, 'optIn.done'))])
        : { ...homePlan(lang, surface, engine), kind: 'optIn' };
    case 'empty':
      return surface.input === 'typed'
        ? plan('empty', [line(t(lang, 'sms.empty'))])
        : { ...homePlan(lang, surface, engine), kind: 'empty' };
    case 'callback':
      // The use case answers APPEL itself (queued, limit); a reply here means no call back is wired.
      return plan('callback', [line(t(lang, 'callback.unavailable')), nextStep(lang, surface)]);
  }
}
