import type { MessageTable } from './index.js';

/**
 * USSD screens: a few short lines on a feature phone. Every screen is transliterated to GSM-7
 * (or ASCII) before it leaves, so accents here are kept only where the handset can show them.
 * Keys (numbers) are not part of the strings: the menu prefixes them from the configuration.
 */
export const ussdMessages = {
  'ussd.home.title': {
    fr: 'Dialogue inter-Maliens : 300 recommandations',
    en: 'Inter-Malian Dialogue: 300 recommendations',
  },
  'ussd.home.themes': { fr: 'Thèmes', en: 'Themes' },
  'ussd.home.search': { fr: 'Rechercher un mot', en: 'Search a word' },
  'ussd.home.number': { fr: 'Par numéro', en: 'By number' },
  'ussd.home.about': { fr: 'À propos', en: 'About' },
  'ussd.home.language': { fr: 'Langue / Language', en: 'Language / Langue' },
  'ussd.home.resume': { fr: 'Reprendre où j’étais', en: 'Resume where I was' },
  'ussd.home.quit': { fr: 'Quitter', en: 'Quit' },
  'ussd.nav.back': { fr: 'Retour', en: 'Back' },
  'ussd.nav.home': { fr: 'Accueil', en: 'Home' },
  'ussd.nav.more': { fr: 'Suite', en: 'More' },
  'ussd.nav.sms': { fr: 'Recevoir par SMS', en: 'Get it by SMS' },
  'ussd.themes.title': { fr: 'Choisissez un thème :', en: 'Choose a theme:' },
  'ussd.theme.title': { fr: 'Thème {theme} ({page}/{pages})', en: 'Theme {theme} ({page}/{pages})' },
  'ussd.rec.title': { fr: 'Rec. {id} ({page}/{pages})', en: 'Rec. {id} ({page}/{pages})' },
  'ussd.about.title': { fr: 'À propos ({page}/{pages})', en: 'About ({page}/{pages})' },
  'ussd.search.title': { fr: 'Rechercher', en: 'Search' },
  'ussd.search.prompt': {
    fr: 'Tapez un mot (ex : eau, route, femmes) :',
    en: 'Type a word (e.g. water, road, women):',
  },
  'ussd.results.title': { fr: 'Résultats ({page}/{pages})', en: 'Results ({page}/{pages})' },
  'ussd.number.title': { fr: 'Par numéro', en: 'By number' },
  'ussd.number.prompt': {
    fr: 'Tapez le numéro (215 pour la 2.15) ou un thème de 1 à 5 :',
    en: 'Type the number (215 for 2.15) or a theme from 1 to 5:',
  },
  'ussd.numberIn.prompt': {
    fr: 'Thème {theme} : tapez un numéro de 1 à {count} :',
    en: 'Theme {theme}: type a number from 1 to {count}:',
  },
  'ussd.lang.title': { fr: 'Langue / Language', en: 'Language / Langue' },
  'ussd.lang.fr': { fr: 'Français', en: 'Français' },
  'ussd.lang.en': { fr: 'English', en: 'English' },
  'ussd.sms.sent': {
    fr: 'La recommandation {id} vous est envoyée par SMS.',
    en: 'Recommendation {id} is on its way to you by SMS.',
  },
  'ussd.sms.pending': {
    fr: 'SMS demandé : la recommandation {id} arrive sous peu.',
    en: 'SMS requested: recommendation {id} will arrive shortly.',
  },
  'ussd.sms.optedOut': {
    fr: 'Vous avez refusé nos SMS. Envoyez START par SMS pour les recevoir.',
    en: 'You turned our SMS off. Send START by SMS to receive them.',
  },
  'ussd.sms.failed': {
    fr: "Le SMS n'a pas pu partir. Réessayez plus tard.",
    en: 'The SMS could not be sent. Please try again later.',
  },
  'ussd.hint.invalid': { fr: 'Choix non valide.', en: 'Not a valid choice.' },
  'ussd.hint.themeRange': { fr: 'Thème de 1 à 5.', en: 'Theme from 1 to 5.' },
  'ussd.hint.recRange': {
    fr: "{theme}.{number} n'existe pas (1 à {max}).",
    en: '{theme}.{number} does not exist (1 to {max}).',
  },
  'ussd.hint.none': { fr: 'Rien trouvé pour ce mot.', en: 'Nothing found for that word.' },
  'ussd.hint.suggest': { fr: 'Essayez "{suggestion}".', en: 'Try "{suggestion}".' },
  'ussd.bye': {
    fr: 'Merci. Composez à nouveau le code pour lire les recommandations.',
    en: 'Thank you. Dial the code again to read the recommendations.',
  },
  'ussd.error.generic': {
    fr: 'Désolé, le service a un problème. Réessayez plus tard.',
    en: 'Sorry, the service has a problem. Please try again later.',
  },
  'ussd.error.session': {
    fr: "Désolé, cette session n'est pas valide. Composez à nouveau le code.",
    en: 'Sorry, this session is not valid. Please dial the code again.',
  },
  'ussd.error.expired': {
    fr: 'Désolé, la session a expiré. Composez à nouveau le code.',
    en: 'Sorry, the session has expired. Please dial the code again.',
  },
  'ussd.error.tooLong': {
    fr: 'Désolé, saisie trop longue. Composez à nouveau le code.',
    en: 'Sorry, that input is too long. Please dial the code again.',
  },
  'ussd.error.badRequest': { fr: 'Désolé, demande invalide.', en: 'Sorry, invalid request.' },
} satisfies MessageTable;
