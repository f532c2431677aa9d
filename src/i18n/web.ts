import type { MessageTable } from './index.js';

/**
 * The phone simulator page and the terminal chat. These are our words about the tool, never the
 * report's. The page shows them in the browser (UTF-8, not GSM-7), so typographic punctuation
 * is fine here; the bot's own replies come from the other sections.
 */
export const webMessages = {
  'web.title': {
    fr: 'Simulateur : les recommandations du Dialogue inter-Maliens par USSD et SMS',
    en: 'Simulator: the Inter-Malian Dialogue recommendations by USSD and SMS',
  },
  'web.intro': {
    fr: 'Essayez le service sans opérateur : ce téléphone simulé parle aux vraies routes USSD et SMS du service. Aucun message ne part vers un vrai téléphone.',
    en: 'Try the service without an operator: this simulated phone talks to the service’s real USSD and SMS routes. No message goes to a real phone.',
  },
  'web.lang.switch': { fr: 'English', en: 'Français' },
  'web.lang.switchLabel': { fr: 'Switch to English', en: 'Passer en français' },
  'web.settings.title': { fr: 'Réglages du test', en: 'Test settings' },
  'web.settings.phone': { fr: 'Numéro de téléphone (fictif)', en: 'Phone number (made up)' },
  'web.settings.serviceCode': { fr: 'Code USSD du service', en: 'Service USSD code' },
  'web.settings.shortcode': { fr: 'Numéro court SMS', en: 'SMS short code' },
  'web.phone.title': { fr: 'Téléphone simulé (USSD)', en: 'Simulated phone (USSD)' },
  'web.phone.hint': {
    fr: 'Composez {code} puis Appel. Au clavier : chiffres, * et #, Entrée pour appeler ou envoyer, Échap pour raccrocher, Retour arrière pour effacer. Un code plus long comme {example} saute directement aux choix.',
    en: 'Dial {code} then Call. On the keyboard: digits, * and #, Enter to call or send, Escape to hang up, Backspace to delete. A longer code such as {example} jumps straight to the choices.',
  },
  'web.phone.screenLabel': { fr: 'Écran du téléphone', en: 'Phone screen' },
  'web.phone.keypadLabel': { fr: 'Clavier du téléphone', en: 'Phone keypad' },
  'web.phone.ready': { fr: 'Prêt. Composez {code}', en: 'Ready. Dial {code}' },
  'web.phone.dialLabel': { fr: 'Numéro à composer', en: 'Number to dial' },
  'web.phone.replyLabel': { fr: 'Votre réponse', en: 'Your answer' },
  'web.phone.call': { fr: 'Appel / Envoyer', en: 'Call / Send' },
  'web.phone.end': { fr: 'Raccrocher / Annuler', en: 'Hang up / Cancel' },
  'web.phone.clear': { fr: 'Effacer', en: 'Delete' },
  'web.phone.key': { fr: 'Touche {key}', en: 'Key {key}' },
  'web.phone.sending': { fr: 'Requête USSD en cours…', en: 'USSD request running…' },
  'web.phone.ended': {
    fr: 'Session terminée. Appuyez sur une touche.',
    en: 'Session ended. Press any key.',
  },
  'web.phone.cancelled': { fr: 'Session annulée.', en: 'Session cancelled.' },
  'web.phone.badDial': {
    fr: 'Code invalide : un code USSD commence par * et finit par #.',
    en: 'Invalid code: a USSD code starts with * and ends with #.',
  },
  'web.phone.unknownCode': {
    fr: 'Code inconnu {dialed}. Le service répond au {code}.',
    en: 'Unknown code {dialed}. The service answers on {code}.',
  },
  'web.phone.networkError': {
    fr: 'Problème de connexion ou délai dépassé : session terminée.',
    en: 'Connection problem or timeout: session ended.',
  },
  'web.phone.gatewayError': {
    fr: 'Réponse invalide du service (HTTP {status}) : la passerelle aurait coupé la session.',
    en: 'Invalid answer from the service (HTTP {status}): the gateway would have dropped the session.',
  },
  'web.phone.counter': {
    fr: 'Écran : {count} / {max} caractères GSM-7 (plafond absolu {hard})',
    en: 'Screen: {count} / {max} GSM-7 characters (hard limit {hard})',
  },
  'web.phone.counterOver': {
    fr: 'Trop long pour un écran USSD : {count} caractères, limite {max}',
    en: 'Too long for a USSD screen: {count} characters, limit {max}',
  },
  'web.phone.nonGsm': {
    fr: 'Caractères hors de l’alphabet GSM-7 : {chars}',
    en: 'Characters outside the GSM-7 alphabet: {chars}',
  },
  'web.phone.inputCounter': { fr: 'Saisie : {count} / {max}', en: 'Input: {count} / {max}' },
  'web.sms.title': { fr: 'SMS', en: 'SMS' },
  'web.sms.hint': {
    fr: 'Envoyez un mot (eau), un numéro (2.15) ou un thème (t2) au {shortcode}. Les réponses viennent de la boîte d’envoi de test.',
    en: 'Send a word (water), a number (2.15) or a theme (t2) to {shortcode}. Replies come from the test outbox.',
  },
  'web.sms.threadLabel': { fr: 'Conversation SMS', en: 'SMS conversation' },
  'web.sms.messageLabel': { fr: 'Votre message', en: 'Your message' },
  'web.sms.send': { fr: 'Envoyer le SMS', en: 'Send SMS' },
  'web.sms.empty': { fr: 'Aucun message pour l’instant.', en: 'No messages yet.' },
  'web.sms.you': { fr: 'Vous', en: 'You' },
  'web.sms.service': { fr: 'Service', en: 'Service' },
  'web.sms.segmentsOne': { fr: '1 segment · {encoding}', en: '1 segment · {encoding}' },
  'web.sms.segmentsMany': { fr: '{count} segments · {encoding}', en: '{count} segments · {encoding}' },
  'web.sms.waiting': { fr: 'En attente de la réponse…', en: 'Waiting for the reply…' },
  'web.sms.noReply': {
    fr: 'Pas de réponse reçue (le service peut ne rien répondre, par exemple après STOP).',
    en: 'No reply received (the service may send nothing, for example after STOP).',
  },
  'web.sms.error': { fr: 'L’envoi a échoué (HTTP {status}).', en: 'Sending failed (HTTP {status}).' },
  'web.sms.networkError': {
    fr: 'L’envoi a échoué : pas de connexion.',
    en: 'Sending failed: no connection.',
  },
  'web.search.title': { fr: 'Recherche (API)', en: 'Search (API)' },
  'web.search.label': { fr: 'Mots à chercher', en: 'Words to search for' },
  'web.search.submit': { fr: 'Chercher', en: 'Search' },
  'web.search.count': {
    fr: '{count} résultat(s) pour « {query} »',
    en: '{count} result(s) for “{query}”',
  },
  'web.search.none': { fr: 'Aucun résultat pour « {query} ».', en: 'No results for “{query}”.' },
  'web.search.score': { fr: 'pertinence {score}', en: 'relevance {score}' },
  'web.search.theme': { fr: 'Thème {theme}', en: 'Theme {theme}' },
  'web.search.error': {
    fr: 'La recherche a échoué (HTTP {status}).',
    en: 'The search failed (HTTP {status}).',
  },
  'web.guarded': {
    fr: 'Les routes /ussd et /sms de ce serveur sont protégées par WEBHOOK_TOKEN ou WEBHOOK_BASIC_AUTH : le téléphone simulé ne les atteint pas, et la page ne détient aucun secret. La recherche fonctionne.',
    en: 'This server’s /ussd and /sms routes are protected by WEBHOOK_TOKEN or WEBHOOK_BASIC_AUTH: the simulated phone cannot reach them, and the page holds no secret. Search works.',
  },
  'web.footer': {
    fr: 'Outil de démonstration et de test. Désactivé en production sauf SIMULATOR=on.',
    en: 'Demonstration and test tool. Off in production unless SIMULATOR=on.',
  },
  // The terminal chat (npm run chat).
  'web.chat.banner': {
    fr: 'Simulateur {channel} — tapez vos réponses, /dial pour recomposer, /quit pour sortir.',
    en: '{channel} simulator — type your answers, /dial to redial, /quit to leave.',
  },
  'web.chat.smsBanner': {
    fr: 'Simulateur SMS vers {shortcode} — tapez un message, /quit pour sortir.',
    en: 'SMS simulator to {shortcode} — type a message, /quit to leave.',
  },
  'web.chat.ended': {
    fr: '(session terminée : tapez Entrée pour recomposer, ou des choix à joindre au code)',
    en: '(session ended: press Enter to dial again, or type choices to add to the code)',
  },
  'web.chat.gatewayError': {
    fr: '(réponse invalide du service, HTTP {status} : session coupée)',
    en: '(invalid answer from the service, HTTP {status}: session dropped)',
  },
  'web.chat.noReply': { fr: '(pas de réponse)', en: '(no reply)' },
  'web.chat.smsMeta': {
    fr: '({segments} segment(s), {encoding})',
    en: '({segments} segment(s), {encoding})',
  },
  'web.chat.bye': { fr: 'Au revoir.', en: 'Goodbye.' },
} satisfies MessageTable;
