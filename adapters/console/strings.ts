/**
 * The console's own words (operators' interface), French first, English beside. Kept here, in
 * one module, rather than in src/i18n: no citizen ever reads them and no channel renders them.
 */
import { NEWS_STRINGS } from './news-strings.js';
import { TRANSLATION_STRINGS } from './translation-strings.js';

export type ConsoleLang = 'fr' | 'en';

const BASE = {
  title: { fr: 'Console des opérateurs', en: "Operators' console" },
  'login.title': { fr: 'Connexion', en: 'Sign in' },
  'login.name': { fr: 'Identifiant', en: 'Account name' },
  'login.password': { fr: 'Mot de passe', en: 'Password' },
  'login.submit': { fr: 'Se connecter', en: 'Sign in' },
  'login.failed': { fr: 'Identifiant ou mot de passe incorrect.', en: 'Wrong account name or password.' },
  'login.limited': {
    fr: 'Trop de tentatives. Réessayez dans quelques minutes.',
    en: 'Too many attempts. Try again in a few minutes.',
  },
  logout: { fr: 'Se déconnecter', en: 'Sign out' },
  'nav.dashboard': { fr: 'Tableau de bord', en: 'Dashboard' },
  'nav.audit': { fr: 'Journal des modifications', en: 'Audit log' },
  'nav.studio': { fr: 'Studio d’enregistrement', en: 'Recording studio' },
  'signed.as': { fr: 'Connecté : {name} ({role})', en: 'Signed in: {name} ({role})' },
  'range.from': { fr: 'Du', en: 'From' },
  'range.to': { fr: 'au', en: 'to' },
  'range.apply': { fr: 'Afficher', en: 'Show' },
  'range.note': {
    fr: 'Jours UTC (heure du Mali). Données gardées {days} jours.',
    en: 'UTC days (Mali time). Data kept {days} days.',
  },
  csv: { fr: 'Exporter en CSV', en: 'Export as CSV' },
  empty: { fr: 'Rien sur cette période.', en: 'Nothing in this period.' },
  'summary.replies': { fr: 'Réponses', en: 'Replies' },
  'summary.people': { fr: 'Personnes différentes', en: 'Different people' },
  'summary.segments': { fr: 'Segments SMS', en: 'SMS segments' },
  'summary.cost': { fr: 'Coût estimé', en: 'Estimated cost' },
  'spend.sms': { fr: 'Segments SMS aujourd’hui / plafond', en: 'SMS segments today / cap' },
  'spend.calls': { fr: 'Rappels aujourd’hui / plafond', en: 'Call backs today / cap' },
  'spend.note.title': { fr: 'Plafonds du jour (UTC)', en: 'Daily caps (UTC)' },
  'spend.note': {
    fr: 'Toutes instances ensemble ; {person} segments au plus par numéro. Au plafond, plus rien ne part jusqu’à minuit.',
    en: 'All instances together; at most {person} segments per number. At the cap nothing goes out until midnight.',
  },
  'summary.noCost': { fr: 'non configuré (SMS_SEGMENT_COST)', en: 'not configured (SMS_SEGMENT_COST)' },
  'section.replies': {
    fr: 'Réponses par jour, canal, langue et intention',
    en: 'Replies per day, channel, language and intent',
  },
  'section.byChannel': { fr: 'Par canal', en: 'By channel' },
  'section.byLang': { fr: 'Par langue', en: 'By language' },
  'section.byKind': { fr: 'Par intention', en: 'By intent' },
  'section.people': {
    fr: 'Personnes différentes par jour et par semaine',
    en: 'Different people per day and week',
  },
  'section.themes': { fr: 'Consultations par thème', en: 'Views per theme' },
  'section.recs': { fr: 'Consultations par recommandation', en: 'Views per recommendation' },
  'section.screens': {
    fr: 'USSD et voix : écrans atteints et abandons',
    en: 'USSD and voice: screens reached and drop-off',
  },
  'section.sms': { fr: 'SMS envoyés', en: 'SMS sent' },
  'section.misses': {
    fr: 'Cherché sans résultat ou avec des résultats approchants',
    en: 'Searched with no result or only close results',
  },
  'section.missesNote': {
    fr: 'Mots normalisés seulement, affichés quand au moins {min} personnes différentes les ont envoyés. Jamais le texte d’un message, jamais qui.',
    en: 'Normalised words only, shown when at least {min} different people sent them. Never a message’s text, never who.',
  },
  'section.wrong': { fr: 'Signalements « mauvaise réponse »', en: '"Wrong answer" reports' },
  'section.feedback': { fr: 'Avis par recommandation', en: 'Feedback per recommendation' },
  'section.tofix': { fr: 'À corriger (équipe recherche)', en: 'To fix (search team)' },
  'col.day': { fr: 'Jour', en: 'Day' },
  'col.week': { fr: 'Semaine', en: 'Week' },
  'col.channel': { fr: 'Canal', en: 'Channel' },
  'col.lang': { fr: 'Langue', en: 'Language' },
  'col.kind': { fr: 'Intention', en: 'Intent' },
  'col.count': { fr: 'Nombre', en: 'Count' },
  'col.people': { fr: 'Personnes', en: 'People' },
  'col.theme': { fr: 'Thème', en: 'Theme' },
  'col.rec': { fr: 'Recommandation', en: 'Recommendation' },
  'col.views': { fr: 'Consultations', en: 'Views' },
  'col.screen': { fr: 'Écran', en: 'Screen' },
  'col.reached': { fr: 'Atteint', en: 'Reached' },
  'col.dropped': { fr: 'Abandons', en: 'Dropped' },
  'col.dropRate': { fr: 'Taux d’abandon', en: 'Drop-off rate' },
  'col.encoding': { fr: 'Codage', en: 'Encoding' },
  'col.messages': { fr: 'Messages', en: 'Messages' },
  'col.segments': { fr: 'Segments', en: 'Segments' },
  'col.cost': { fr: 'Coût', en: 'Cost' },
  'col.words': { fr: 'Mots', en: 'Words' },
  'col.none': { fr: 'Sans résultat', en: 'No result' },
  'col.close': { fr: 'Approchants', en: 'Close only' },
  'col.results': { fr: 'Résultats donnés', en: 'Results given' },
  'col.reports': { fr: 'Signalements', en: 'Reports' },
  'col.useful': { fr: 'Utile', en: 'Useful' },
  'col.unclear': { fr: 'Pas clair', en: 'Unclear' },
  'col.by': { fr: 'Par', en: 'By' },
  'col.at': { fr: 'Quand', en: 'When' },
  'col.who': { fr: 'Qui', en: 'Who' },
  'col.action': { fr: 'Action', en: 'Action' },
  'col.detail': { fr: 'Détail', en: 'Detail' },
  'col.do': { fr: 'Action', en: 'Action' },
  'tofix.add': { fr: 'À corriger', en: 'To fix' },
  'tofix.added': { fr: 'Dans la liste', en: 'On the list' },
  'tofix.remove': { fr: 'Retirer', en: 'Remove' },
  'error.forbidden': { fr: 'Votre rôle ne permet pas cette action.', en: 'Your role does not allow this.' },
  'error.csrf': {
    fr: 'Formulaire expiré ou invalide : rechargez la page et recommencez.',
    en: 'Expired or invalid form: reload the page and try again.',
  },
  'error.unknown': {
    fr: 'Cette entrée n’existe pas (ou plus).',
    en: 'This entry does not exist (any more).',
  },
  'error.unavailable': {
    fr: 'Le service ne répond pas pour l’instant : rien n’a été enregistré. Réessayez dans un moment.',
    en: 'The service is not answering right now: nothing was saved. Try again in a moment.',
  },
  'switch.lang': { fr: 'English', en: 'Français' },
} as const satisfies Record<string, Record<ConsoleLang, string>>;

const STRINGS = { ...BASE, ...NEWS_STRINGS, ...TRANSLATION_STRINGS };

export type ConsoleKey = keyof typeof STRINGS;

export function tr(lang: ConsoleLang, key: ConsoleKey, params: Record<string, string | number> = {}): string {
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}
