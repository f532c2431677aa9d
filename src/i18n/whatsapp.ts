import type { MessageTable } from './index.js';

/**
 * WhatsApp's own sentences. WhatsApp shows Unicode, so typographic characters are fine. Button
 * captions (`wa.button.*`, `wa.list.*`) must stay within 20 characters and row texts within 24:
 * test/whatsapp-limits.test.ts checks every one in every language.
 */
export const whatsappMessages = {
  'wa.greeting': {
    fr: 'Bonjour ! Ici vous lisez, cherchez et partagez les 300 recommandations du Dialogue inter-Maliens.',
    en: 'Hello! Here you can read, search and share the 300 recommendations of the Inter-Malian Dialogue.',
  },
  'wa.menuPrompt': {
    fr: 'Touchez un bouton, ou écrivez un numéro (2.15), un thème (t2) ou un mot (eau, route, femmes).',
    en: 'Tap a button, or write a number (2.15), a theme (t2) or a word (water, road, women).',
  },
  'wa.button.themes': { fr: '📚 Thèmes', en: '📚 Themes' },
  'wa.button.help': { fr: '❓ Aide', en: '❓ Help' },
  'wa.button.about': { fr: 'ℹ️ À propos', en: 'ℹ️ About' },
  'wa.button.language': { fr: '🌐 Langue', en: '🌐 Language' },
  'wa.button.french': { fr: 'Français', en: 'Français' },
  'wa.button.english': { fr: 'English', en: 'English' },
  'wa.button.next': { fr: 'Suivante ▶', en: 'Next ▶' },
  'wa.button.fullText': { fr: '📄 Texte complet', en: '📄 Full text' },
  'wa.button.share': { fr: '📤 Partager', en: '📤 Share' },
  'wa.button.theme': { fr: '↩️ Thème {theme}', en: '↩️ Theme {theme}' },
  'wa.list.themes': { fr: 'Voir les thèmes', en: 'See the themes' },
  'wa.list.recommendations': { fr: 'Voir la liste', en: 'See the list' },
  'wa.list.results': { fr: 'Voir les résultats', en: 'See the results' },
  'wa.list.more': { fr: 'Suite ▶', en: 'More ▶' },
  'wa.list.moreDescription': {
    fr: 'Les recommandations suivantes',
    en: 'The next recommendations',
  },
  'wa.list.previous': { fr: '◀ Précédentes', en: '◀ Previous' },
  'wa.list.section': { fr: 'Thème {theme} ({page}/{pages})', en: 'Theme {theme} ({page}/{pages})' },
  'wa.list.resultsSection': { fr: 'Résultats', en: 'Results' },
  'wa.themePrompt': {
    fr: 'Touchez « Voir la liste » puis une recommandation pour la lire.',
    en: 'Tap “See the list”, then a recommendation to read it.',
  },
  'wa.themesPrompt': {
    fr: 'Touchez « Voir les thèmes » et choisissez-en un.',
    en: 'Tap “See the themes” and choose one.',
  },
  'wa.resultsPrompt': {
    fr: '{count} recommandation(s) trouvée(s). Touchez « Voir les résultats » pour en lire une.',
    en: '{count} recommendation(s) found. Tap “See the results” to read one.',
  },
  'wa.page': { fr: 'Page {page}/{pages}', en: 'Page {page}/{pages}' },
  'wa.cut': {
    fr: '(texte coupé : touchez « Texte complet » pour le lire en entier)',
    en: '(text shortened: tap “Full text” to read all of it)',
  },
  'wa.whatNext': { fr: 'Et ensuite ?', en: 'What next?' },
  'wa.share.hint': {
    fr: 'Pour partager : appui long sur le message ci-dessus, puis « Transférer ».',
    en: 'To share: long-press the message above, then “Forward”.',
  },
  'wa.share.source': {
    fr: 'Rapport final du Dialogue inter-Maliens, 10 mai 2024',
    en: 'Final report of the Inter-Malian Dialogue, 10 May 2024',
  },
  'wa.lastRecommendation': {
    fr: 'C’était la dernière des 300 recommandations.',
    en: 'That was the last of the 300 recommendations.',
  },
  'wa.audio': {
    fr: 'Je ne lis que le texte : écrivez un numéro (2.15) ou un mot (eau, route).',
    en: 'I only read text: write a number (2.15) or a word (water, road).',
  },
  'wa.unsupported': {
    fr: 'Je ne comprends que le texte et les boutons : écrivez un numéro (2.15) ou un mot.',
    en: 'I only understand text and buttons: write a number (2.15) or a word.',
  },
  'wa.tooLong': {
    fr: 'Message trop long : écrivez quelques mots (eau, route Kidal) ou un numéro (2.15).',
    en: 'Message too long: write a few words (water, Kidal road) or a number (2.15).',
  },
  'wa.expired': {
    fr: 'Ce bouton n’est plus valable : écrivez THEMES pour la liste.',
    en: 'This button is no longer valid: write THEMES for the list.',
  },
} satisfies MessageTable;
