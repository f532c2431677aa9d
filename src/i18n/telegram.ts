import type { MessageTable } from './index.js';

/**
 * Telegram's own sentences. Telegram shows Unicode and HTML, so typographic characters are
 * fine here (unlike SMS/USSD). Button captions are short: phones cut long ones.
 */
export const telegramMessages = {
  'tg.greeting': {
    fr: 'Bonjour ! Ce bot vous fait lire, chercher et partager les 300 recommandations du Dialogue inter-Maliens.',
    en: 'Hello! This bot lets you read, search and share the 300 recommendations of the Inter-Malian Dialogue.',
  },
  'tg.menuPrompt': {
    fr: 'Choisissez ci-dessous, ou écrivez un numéro (2.15) ou un mot (eau, route, femmes).',
    en: 'Choose below, or write a number (2.15) or a word (water, road, women).',
  },
  'tg.help': {
    fr: 'Écrivez un numéro de recommandation (2.15) pour la lire, ou un mot (eau, route Kidal) pour chercher.\nCommandes : /themes la liste des thèmes, /theme 2 un thème, /reco 2.15 une recommandation, /recherche eau une recherche, /apropos le Dialogue, /langue la langue.\nDans n’importe quelle discussion, tapez @{bot} suivi d’un mot pour y envoyer une recommandation.',
    en: 'Write a recommendation number (2.15) to read it, or a word (water, Kidal road) to search.\nCommands: /themes the list of themes, /theme 2 a theme, /reco 2.15 a recommendation, /search water a search, /about the Dialogue, /language the language.\nIn any chat, type @{bot} and a word to send a recommendation there.',
  },
  'tg.button.themes': { fr: '📚 Thèmes', en: '📚 Themes' },
  'tg.button.search': { fr: '🔎 Rechercher', en: '🔎 Search' },
  'tg.button.byNumber': { fr: '🔢 Par numéro', en: '🔢 By number' },
  'tg.button.about': { fr: 'ℹ️ À propos', en: 'ℹ️ About' },
  'tg.button.language': { fr: '🌐 Langue / Language', en: '🌐 Language / Langue' },
  'tg.button.french': { fr: 'Français', en: 'Français' },
  'tg.button.english': { fr: 'English', en: 'English' },
  'tg.button.home': { fr: '🏠 Menu', en: '🏠 Menu' },
  'tg.button.theme': { fr: '↩️ Thème {theme}', en: '↩️ Theme {theme}' },
  'tg.button.share': { fr: '📤 Partager', en: '📤 Share' },
  'tg.button.openInBot': { fr: 'Lire dans le bot', en: 'Read in the bot' },
  'tg.button.otherChat': { fr: 'Envoyer dans une discussion', en: 'Send to a chat' },
  'tg.searchPrompt': {
    fr: 'Écrivez un ou plusieurs mots (par exemple : eau, route, femmes) et je cherche parmi les 300 recommandations.',
    en: 'Write one or more words (for example: water, road, women) and I will search the 300 recommendations.',
  },
  'tg.numberPrompt': {
    fr: 'Écrivez le numéro d’une recommandation, par exemple 2.15 (thème 2, recommandation 15).',
    en: 'Write the number of a recommendation, for example 2.15 (theme 2, recommendation 15).',
  },
  'tg.themesPrompt': { fr: 'Choisissez un thème :', en: 'Choose a theme:' },
  'tg.themePrompt': {
    fr: 'Touchez une recommandation pour la lire.',
    en: 'Tap a recommendation to read it.',
  },
  'tg.resultsCount': {
    fr: '{count} recommandation(s) trouvée(s). Touchez-en une pour la lire.',
    en: '{count} recommendation(s) found. Tap one to read it.',
  },
  'tg.page': { fr: 'Page {page}/{pages}', en: 'Page {page}/{pages}' },
  'tg.expired': {
    fr: 'Cette liste a expiré : relancez la recherche.',
    en: 'This list has expired: please search again.',
  },
  'tg.unknownButton': {
    fr: 'Ce bouton n’est plus valable.',
    en: 'This button is no longer valid.',
  },
  'tg.useButtons': {
    fr: 'Sur Telegram, utilisez les boutons ◀ ▶ sous la liste pour la parcourir.',
    en: 'On Telegram, use the ◀ ▶ buttons under the list to page through it.',
  },
  'tg.stopInfo': {
    fr: 'Ce bot ne vous écrit que lorsque vous lui écrivez. Pour ne plus rien recevoir, bloquez-le dans Telegram.',
    en: 'This bot only writes when you write to it. To receive nothing more, block it in Telegram.',
  },
  'tg.about.report': {
    fr: 'Rapport final daté du {date}, {place}.',
    en: 'Final report dated {date}, {place}.',
  },
  'tg.inline.hint': {
    fr: 'Tapez un mot ou un numéro (2.15)',
    en: 'Type a word or a number (2.15)',
  },
  'tg.inline.none': {
    fr: 'Aucune recommandation trouvée',
    en: 'No recommendation found',
  },
  'tg.cmd.start': { fr: 'Menu principal', en: 'Main menu' },
  'tg.cmd.help': { fr: 'Aide', en: 'Help' },
  'tg.cmd.themes': { fr: 'Les 5 thèmes', en: 'The 5 themes' },
  'tg.cmd.theme': { fr: 'Un thème : /theme 2', en: 'One theme: /theme 2' },
  'tg.cmd.reco': { fr: 'Une recommandation : /reco 2.15', en: 'One recommendation: /reco 2.15' },
  'tg.cmd.search': { fr: 'Chercher : /recherche eau', en: 'Search: /search water' },
  'tg.cmd.about': { fr: 'À propos du Dialogue', en: 'About the Dialogue' },
  'tg.cmd.language': { fr: 'Langue / Language', en: 'Language / Langue' },
} satisfies MessageTable;
