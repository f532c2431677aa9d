import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Lang } from '../../src/core/types.js';
import { t, type MessageKey } from '../../src/i18n/index.js';
import type { Logger } from '../../src/ports/index.js';
import { describeError } from './reply.js';

/** The menu Telegram shows by "/": French names by default, English names for English users. Both work everywhere. */
const NAMES: Record<Lang, Array<[string, MessageKey]>> = {
  fr: [
    ['start', 'tg.cmd.start'],
    ['themes', 'tg.cmd.themes'],
    ['theme', 'tg.cmd.theme'],
    ['reco', 'tg.cmd.reco'],
    ['recherche', 'tg.cmd.search'],
    ['apropos', 'tg.cmd.about'],
    ['langue', 'tg.cmd.language'],
    ['aide', 'tg.cmd.help'],
  ],
  en: [
    ['start', 'tg.cmd.start'],
    ['themes', 'tg.cmd.themes'],
    ['theme', 'tg.cmd.theme'],
    ['reco', 'tg.cmd.reco'],
    ['search', 'tg.cmd.search'],
    ['about', 'tg.cmd.about'],
    ['language', 'tg.cmd.language'],
    ['help', 'tg.cmd.help'],
  ],
};

export function commandList(lang: Lang): BotCommand[] {
  return NAMES[lang].map(([command, key]) => ({ command, description: t(lang, key) }));
}

/** Best effort: a bot without a registered menu still answers every command. */
export async function registerCommands(api: Api, logger: Logger): Promise<boolean> {
  try {
    await api.setMyCommands(commandList('fr'));
    await api.setMyCommands(commandList('en'), { language_code: 'en' });
    return true;
  } catch (error) {
    logger.warn({ err: describeError(error) }, 'telegram: could not register the commands');
    return false;
  }
}
