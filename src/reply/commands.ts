import type { Lang } from '../core/types.js';
import { allTextsOf, t, type MessageKey } from '../i18n/index.js';

/**
 * The commands a chat app lists by "/", per language: each one's name and what it does, from the
 * language's catalog (`tg.command.*`, `tg.cmd.*`). A language without its own names shows
 * French's; every language's names are understood everywhere (`commandNames`).
 */
const COMMANDS: ReadonlyArray<readonly [MessageKey, MessageKey]> = [
  ['tg.command.start', 'tg.cmd.start'],
  ['tg.command.themes', 'tg.cmd.themes'],
  ['tg.command.theme', 'tg.cmd.theme'],
  ['tg.command.reco', 'tg.cmd.reco'],
  ['tg.command.search', 'tg.cmd.search'],
  ['tg.command.about', 'tg.cmd.about'],
  ['tg.command.language', 'tg.cmd.language'],
  ['tg.command.help', 'tg.cmd.help'],
];

/** A command name as chat apps accept it. */
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

export function commandMenu(lang: Lang): Array<{ command: string; description: string }> {
  return COMMANDS.map(([name, description]) => ({
    command: t(lang, name),
    description: t(lang, description),
  }));
}

/** Every language's name for one command ("recherche", "search"): the bot answers to all. */
export function commandNames(key: MessageKey): string[] {
  return allTextsOf(key).filter((name) => COMMAND_NAME.test(name));
}
