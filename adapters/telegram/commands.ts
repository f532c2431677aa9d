import type { Api } from 'grammy';
import type { BotCommand, LanguageCode } from 'grammy/types';
import type { Lang } from '../../src/core/types.js';
import { languages, REFERENCE_LANG } from '../../src/i18n/index.js';
import { commandMenu, commandNames } from '../../src/reply/commands.js';
import type { Logger } from '../../src/ports/index.js';
import { describeError } from './reply.js';

/** The menu Telegram shows by "/", per language (src/reply/commands.ts). */
function commandList(lang: Lang): BotCommand[] {
  return commandMenu(lang);
}

export { commandNames };

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
