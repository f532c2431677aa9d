import type { MessageTable } from './index.js';

export const commonMessages = {
  'app.name': { fr: 'Dialogue inter-Maliens', en: 'Inter-Malian Dialogue' },
  'error.generic': {
    fr: 'Désolé, une erreur est survenue. Réessayez plus tard.',
    en: 'Sorry, something went wrong. Please try again later.',
  },
  'error.rateLimited': {
    fr: 'Trop de demandes. Réessayez dans une minute.',
    en: 'Too many requests. Please try again in a minute.',
  },
  // Shared by every channel. Plain apostrophes and straight quotes: SMS and USSD are GSM-7.
  'home.title': {
    fr: 'Les 300 recommandations du Dialogue inter-Maliens (rapport du 10 mai 2024)',
    en: 'The 300 recommendations of the Inter-Malian Dialogue (report of 10 May 2024)',
  },
  'home.prompt': {
    fr: 'Tapez un numéro (2.15), un thème (t2) ou un mot (eau, route, femmes).',
    en: 'Type a number (2.15), a theme (t2) or a word (water, road, women).',
  },
  'help.title': { fr: 'Aide', en: 'Help' },
  'help.text': {
    fr: 'Tapez un numéro de recommandation (2.15 ou 215), un thème (t2) ou un mot (eau, route Kidal). THEMES : la liste. SUITE : la suite. RETOUR : revenir. INFO : le Dialogue. EN : English. STOP : ne plus rien recevoir.',
    en: 'Type a recommendation number (2.15 or 215), a theme (t2) or a word (water, Kidal road). THEMES: the list. NEXT: more. BACK: go back. ABOUT: the Dialogue. FR: français. STOP: receive nothing more.',
  },
  'themes.title': { fr: 'Les 5 thèmes', en: 'The 5 themes' },
  'theme.title': { fr: 'Thème {theme} : {title}', en: 'Theme {theme}: {title}' },
  'theme.count': {
    fr: '{count} recommandations ({theme}.1 à {theme}.{count})',
    en: '{count} recommendations ({theme}.1 to {theme}.{count})',
  },
  'recommendation.title': { fr: 'Recommandation {id}', en: 'Recommendation {id}' },
  'recommendation.source': {
    fr: 'Texte du rapport final du Dialogue inter-Maliens (10 mai 2024)',
    en: 'Text of the final report of the Inter-Malian Dialogue (10 May 2024), in French',
  },
  'outOfRange.theme': {
    fr: "Le thème {theme} n'existe pas : choisissez 1 à {themeCount}.",
    en: 'Theme {theme} does not exist: choose 1 to {themeCount}.',
  },
  'outOfRange.recommendation': {
    fr: "La recommandation {id} n'existe pas : le thème {theme} en compte {count} ({theme}.1 à {theme}.{count}).",
    en: 'Recommendation {id} does not exist: theme {theme} has {count} ({theme}.1 to {theme}.{count}).',
  },
  'search.resultsTitle': { fr: 'Résultats pour "{query}"', en: 'Results for "{query}"' },
  'search.resultsPrompt': {
    fr: 'Tapez le numéro pour lire la recommandation.',
    en: 'Type the number to read the recommendation.',
  },
  'search.none': { fr: 'Rien trouvé pour "{query}".', en: 'Nothing found for "{query}".' },
  'search.noneHint': {
    fr: 'Essayez un autre mot, ou choisissez un thème :',
    en: 'Try another word, or choose a theme:',
  },
  'search.didYouMean': { fr: 'Vouliez-vous dire "{suggestion}" ?', en: 'Did you mean "{suggestion}"?' },
  'about.title': { fr: 'À propos du Dialogue inter-Maliens', en: 'About the Inter-Malian Dialogue' },
  'about.ours': {
    fr: 'Résumé rédigé par notre équipe, pas le texte du rapport.',
    en: 'Summary written by our team, not the text of the report.',
  },
  'label.ours': {
    fr: 'Les titres courts sont de notre équipe ; le texte est celui du rapport.',
    en: 'Short titles are our own; the text is the report itself (in French).',
  },
  'optOut.done': {
    fr: 'Vous ne recevrez plus de messages. Envoyez START pour revenir.',
    en: 'You will receive no more messages. Send START to come back.',
  },
  'optIn.done': {
    fr: "C'est noté : vous recevez de nouveau nos réponses. Envoyez AIDE pour l'aide.",
    en: 'Done: you will receive our answers again. Send HELP for help.',
  },
  'language.choose': {
    fr: 'Choisissez la langue : FR (français) ou EN (English).',
    en: 'Choose the language: FR (français) or EN (English).',
  },
  'language.set': { fr: 'Langue : français.', en: 'Language: English.' },
  'nav.noMore': { fr: "Il n'y a pas de suite.", en: 'There is nothing more.' },
  'nav.atStart': { fr: 'Vous êtes au début.', en: 'You are at the beginning.' },
  'nav.more': { fr: 'SUITE : la suite', en: 'NEXT: more' },
  'error.badRequest': { fr: 'Demande invalide.', en: 'Invalid request.' },
} satisfies MessageTable;
