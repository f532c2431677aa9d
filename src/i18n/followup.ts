import type { MessageTable } from './index.js';

/**
 * Follow-up status, subscriptions and broadcasts (issue 20). Written within GSM-7 where they
 * go out by SMS. The follow-up note and source are an editor's words, never the report's: the
 * labels say so.
 */
export const followUpMessages = {
  'followup.title': { fr: 'Suivi de la recommandation {id}', en: 'Follow-up of recommendation {id}' },
  'followup.none': {
    fr: 'Aucune information officielle de suivi à ce jour.',
    en: 'No official follow-up information to date.',
  },
  'followup.status.none': {
    fr: "Pas d'information officielle",
    en: 'No official information',
  },
  'followup.status.announced': { fr: 'Annoncée', en: 'Announced' },
  'followup.status.in_progress': { fr: 'En cours', en: 'In progress' },
  'followup.status.done': { fr: 'Réalisée', en: 'Done' },
  'followup.status.abandoned': { fr: 'Abandonnée', en: 'Abandoned' },
  'followup.statusLine': { fr: 'État : {status} ({date})', en: 'Status: {status} ({date})' },
  'followup.source': { fr: 'Source : {source}', en: 'Source: {source}' },
  'followup.note': { fr: 'Note de notre équipe : {note}', en: 'Note from our team: {note}' },
  'followup.updated': { fr: 'Mis à jour le {date}', en: 'Updated {date}' },
  'followup.general': {
    fr: "Il n'existe pas de suivi public officiel recommandation par recommandation. Nous publions ici ce qui est annoncé, avec sa source. Envoyez SUIVI et un numéro (ex. SUIVI 2.10), ou ABONNE pour recevoir les nouvelles.",
    en: 'There is no official public tracker per recommendation. We publish here what is announced, with its source. Send FOLLOW and a number (e.g. FOLLOW 2.10), or SUBSCRIBE to receive news.',
  },
  'followup.generalCount': {
    fr: '{count} recommandation(s) ont une information de suivi.',
    en: '{count} recommendation(s) have follow-up information.',
  },
  'subscribe.all': {
    fr: "C'est noté : vous recevrez les nouvelles du suivi des recommandations. DESABONNE pour ne plus les recevoir, STOP pour ne plus rien recevoir.",
    en: 'Done: you will receive news of the follow-up of the recommendations. UNSUBSCRIBE to stop, STOP to receive nothing more.',
  },
  'subscribe.theme': {
    fr: "C'est noté : vous recevrez les nouvelles du thème {theme}. DESABONNE pour ne plus les recevoir, STOP pour ne plus rien recevoir.",
    en: 'Done: you will receive news of theme {theme}. UNSUBSCRIBE to stop, STOP to receive nothing more.',
  },
  'subscribe.optedOut': {
    fr: 'Vous avez envoyé STOP : envoyez START, puis ABONNE, pour recevoir les nouvelles.',
    en: 'You sent STOP: send START, then SUBSCRIBE, to receive news.',
  },
  'subscribe.badTheme': {
    fr: "Le thème {theme} n'existe pas : ABONNE T1 à T{themeCount}, ou ABONNE pour tout.",
    en: 'Theme {theme} does not exist: SUBSCRIBE T1 to T{themeCount}, or SUBSCRIBE for all.',
  },
  'subscribe.unavailable': {
    fr: 'Les abonnements ne sont pas disponibles sur ce canal.',
    en: 'Subscriptions are not available on this channel.',
  },
  'unsubscribe.done': {
    fr: 'Vous ne recevrez plus les nouvelles. STOP pour ne plus rien recevoir du tout.',
    en: 'You will receive no more news. STOP to receive nothing at all.',
  },
  'unsubscribe.theme': {
    fr: 'Vous ne recevrez plus les nouvelles du thème {theme}.',
    en: 'You will receive no more news of theme {theme}.',
  },
  'unsubscribe.notSubscribed': {
    fr: "Vous n'étiez pas abonné. ABONNE pour recevoir les nouvelles.",
    en: 'You were not subscribed. SUBSCRIBE to receive news.',
  },
  'broadcast.disabled': {
    fr: 'Les diffusions demandent Redis (REDIS_URL) : elles sont désactivées dans le mode embarqué.',
    en: 'Broadcasts need Redis (REDIS_URL): they are disabled in the embedded mode.',
  },
} satisfies MessageTable;
