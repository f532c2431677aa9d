import type { MessageTable } from './index.js';

/**
 * What the voice line says. Each key below `voice.` that has no placeholder is one prompt,
 * one audio file per language (`/audio/<lang>/prompt/<key without voice.>.wav`): synthesised
 * for French and English, recorded in the studio for Bambara. Short sentences, numbers said as
 * words are read, keys said after what they do ("Pour …, tapez 1"): a caller acts on the last
 * thing heard.
 */
export const voiceMessages = {
  'voice.welcome': {
    fr: 'Bienvenue. Voici les 300 recommandations du Dialogue inter-Maliens, rapport du 10 mai 2024.',
    en: 'Welcome. Here are the 300 recommendations of the Inter-Malian Dialogue, report of 10 May 2024.',
  },
  // Language menu: each language names itself, in itself, followed by its key.
  'voice.lang.offer': { fr: 'Pour le français,', en: 'For English,' },
  'voice.home.number': {
    fr: 'Pour écouter une recommandation par son numéro,',
    en: 'To listen to a recommendation by its number,',
  },
  'voice.home.about': { fr: 'Pour en savoir plus sur le Dialogue,', en: 'To learn about the Dialogue,' },
  'voice.home.lang': { fr: 'Pour changer de langue,', en: 'To change the language,' },
  'voice.home.quit': { fr: 'Pour terminer l’appel,', en: 'To end the call,' },
  'voice.number.ask': {
    fr: 'Tapez le numéro de la recommandation, puis la touche dièse. Par exemple 2, 1, 5, dièse, pour la recommandation 2 point 15.',
    en: 'Type the number of the recommendation, then the hash key. For example 2, 1, 5, hash, for recommendation 2 point 15.',
  },
  'voice.reading.nav': {
    fr: 'Pour la suivante, tapez 1. Pour réécouter, tapez 2. Pour la précédente, tapez 3. Pour revenir à l’accueil, tapez 0.',
    en: 'For the next one, press 1. To listen again, press 2. For the previous one, press 3. To go back home, press 0.',
  },
  'voice.reading.first': {
    fr: 'C’est la première recommandation de ce thème.',
    en: 'This is the first recommendation of this theme.',
  },
  'voice.reading.last': {
    fr: 'C’est la dernière recommandation de ce thème.',
    en: 'This is the last recommendation of this theme.',
  },
  'voice.about.back': { fr: 'Pour revenir à l’accueil, tapez 0.', en: 'To go back home, press 0.' },
  'voice.notAvailable': { fr: 'Ce choix n’est pas disponible.', en: 'This choice is not available.' },
  'voice.goodbye': { fr: 'Merci de votre appel. Au revoir.', en: 'Thank you for calling. Goodbye.' },
  'voice.error': {
    fr: 'Désolé, une erreur est survenue. Merci de rappeler plus tard. Au revoir.',
    en: 'Sorry, something went wrong. Please call again later. Goodbye.',
  },
  'voice.rateLimited': {
    fr: 'Trop d’appels en peu de temps. Merci de rappeler dans une minute. Au revoir.',
    en: 'Too many calls in a short time. Please call again in a minute. Goodbye.',
  },
  'voice.press.0': { fr: 'tapez 0.', en: 'press 0.' },
  'voice.press.1': { fr: 'tapez 1.', en: 'press 1.' },
  'voice.press.2': { fr: 'tapez 2.', en: 'press 2.' },
  'voice.press.3': { fr: 'tapez 3.', en: 'press 3.' },
  'voice.press.4': { fr: 'tapez 4.', en: 'press 4.' },
  'voice.press.5': { fr: 'tapez 5.', en: 'press 5.' },
  'voice.press.6': { fr: 'tapez 6.', en: 'press 6.' },
  'voice.press.7': { fr: 'tapez 7.', en: 'press 7.' },
  'voice.press.8': { fr: 'tapez 8.', en: 'press 8.' },
  'voice.press.9': { fr: 'tapez 9.', en: 'press 9.' },
  // Fragments of readings (placeholders: not prompts of their own).
  'voice.rec.intro': {
    fr: 'Recommandation {id}.',
    en: 'Recommendation {id}. The text of the report, in French:',
  },
  'voice.about.intro': {
    fr: 'À propos du Dialogue inter-Maliens. Ce résumé est rédigé par notre équipe, ce n’est pas le texte du rapport. {summary}',
    en: 'About the Inter-Malian Dialogue. This summary is written by our team, it is not the text of the report. {summary}',
  },
} satisfies MessageTable;
