import type { Api } from 'grammy';
import type { BotCommand, LanguageCode } from 'grammy/types';
import type { Lang } from '../../src/core/types.js';
import { allTextsOf, languages, REFERENCE_LANG, t, type MessageKey } from '../../src/i18n/index.js';
import type { Logger } from '../../src/ports/index.js';
import { describeError } from './reply.js';

/**
 * The menu Telegram shows by "/", per language: each command's name and description come from
 * the language's catalog (`tg.command.*`, `tg.cmd.*`); a language without its own names shows
 * French's. Every language's names are understood everywhere (see `commandNames`).
 */
const COMMANDS: Array<[MessageKey, MessageKey]> = [
  ['tg.command.start', 'tg.cmd.start'],
  ['tg.command.themes', 'tg.cmd.themes'],
  ['tg.command.theme', 'tg.cmd.theme'],
  ['tg.command.reco', 'tg.cmd.reco'],
  ['tg.command.search', 'tg.cmd.search'],
  ['tg.command.about', 'tg.cmd.about'],
  ['tg.command.language', 'tg.cmd.language'],
  ['tg.command.help', 'tg.cmd.help'],
];

/** Telegram's rule for a command name. */
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

function commandList(lang: Lang): BotCommand[] {
  return COMMANDS.map(([name, description]) => ({
    command: t(lang, name),
    description: t(lang, description),
  }));
}

/** Every language's name for one command ("recherche", "search"): the bot answers to all. */
export function commandNames(key: MessageKey): string[] {
  return allTextsOf(key).filter((name) => COMMAND_NAME.test(name));
}

/** Best effort: a bot without a registered menu still answers every command. */
export async function registerCommands(api: Api, logger: Logger): Promise<boolean> {
  try {
    // The reference language for everyone, then each other language for its Telegram locales.
    await api.setMyCommands(commandList(REFERENCE_LANG));
    for (const language of languages()) {
      if (language.code === REFERENCE_LANG) continue;
      for (const locale of language.locales)
        await api.setMyCommands(commandList(language.code), { language_code: locale as LanguageCode });
    }
    return true;
  } catch (error) {
    logger.warn({ err: describeError(error) }, 'telegram: could not register the commands');
    return false;
  }
}
