import type { MessageTable } from './index.js';

/**
 * The SMS section. Every reply is transliterated to GSM-7 before it leaves, but these are
 * written within it already (é è à ù É, straight quotes) so nothing is lost in the passage.
 * Short on purpose: every segment is billed.
 */
export const smsMessages = {
  'sms.help': {
    fr: 'Envoyez un numéro (2.15), un thème (T2) ou un mot (eau). THEMES : les thèmes. SUITE : la suite. INFO : le Dialogue. EN : English. STOP : ne plus rien recevoir.',
    en: 'Send a number (2.15), a theme (T2) or a word (water). THEMES: the themes. NEXT: more. INFO: the Dialogue. FR: français. STOP: receive nothing more.',
  },
  'sms.page': { fr: '({page}/{total})', en: '({page}/{total})' },
  'sms.more': { fr: 'Envoyez SUITE pour la suite.', en: 'Send NEXT for more.' },
  'sms.recommendation.header': {
    fr: 'Recommandation {id}, texte du rapport :',
    en: 'Recommendation {id}, text of the report (in French):',
  },
  'sms.themes.prompt': {
    fr: 'Envoyez T1 à T{count} pour un thème.',
    en: 'Send T1 to T{count} for a theme.',
  },
  'sms.theme.prompt': {
    fr: 'Envoyez le numéro (ex. {example}) pour lire la recommandation.',
    en: 'Send the number (e.g. {example}) to read the recommendation.',
  },
  'sms.tooLong': {
    fr: 'Message trop long. Envoyez un numéro (2.15), un thème (T2) ou quelques mots.',
    en: 'Message too long. Send a number (2.15), a theme (T2) or a few words.',
  },
  'sms.empty': {
    fr: 'Message vide. Envoyez AIDE pour savoir quoi envoyer.',
    en: 'Empty message. Send HELP to learn what to send.',
  },
  'sms.noPages': {
    fr: "Il n'y a pas de suite. Envoyez un numéro (2.15), un thème (T2) ou un mot.",
    en: 'There is nothing more. Send a number (2.15), a theme (T2) or a word.',
  },
  'sms.back': {
    fr: "Par SMS il n'y a pas de retour : envoyez THEMES, un numéro (2.15) ou un mot.",
    en: 'There is no going back by SMS: send THEMES, a number (2.15) or a word.',
  },
} satisfies MessageTable;
