import type { MessageTable } from './index.js';

/**
 * Strings of the search answers added for issue 12 (close results, a theme offered for a topic
 * word, small talk, a subject the report does not speak of). Kept short: each must fit one
 * 160-character GSM-7 SMS with a 30-character query echo (test/search-replies.test.ts).
 */
export const searchMessages = {
  'search.closeTitle': { fr: 'Résultats proches de "{query}"', en: 'Close results for "{query}"' },
  'search.themeOffer': {
    fr: 'Thème {theme} en entier: envoyez {theme}',
    en: 'Whole theme {theme}: send {theme}',
  },
  'search.themeButton': { fr: 'Voir le thème {theme}: {title}', en: 'See theme {theme}: {title}' },
  'smallTalk.reply': {
    fr: 'Avec plaisir ! Ici: les 300 recommandations du Dialogue inter-Maliens (2024). Envoyez un mot (eau, école, femmes) ou THEMES.',
    en: 'You are welcome! Here: the 300 recommendations of the Inter-Malian Dialogue (2024). Send a word (water, school, women) or THEMES.',
  },
  'search.notInReport': {
    fr: 'Le rapport du Dialogue ne parle pas de "{query}". Il traite de paix, politique, économie, sécurité, international. Envoyez THEMES.',
    en: 'The Dialogue report does not speak of "{query}". It covers peace, politics, economy, security, foreign affairs. Send THEMES.',
  },
  'ussd.hint.notInReport': { fr: 'Le rapport n en parle pas.', en: 'The report does not cover it.' },
} satisfies MessageTable;
