import { fold } from './normalize.js';

/**
 * Follow-up and subscription commands (issue 20), parsed BEFORE the general parser
 * (`parseFollowUpIntent(text) ?? parseIntent(text)`): undefined means "not mine".
 * Pure, accent-, case- and SMS-spelling tolerant. The table in test/followup-intents.test.ts
 * holds the decisions:
 *
 * - `ABONNE` (all news), `ABONNE T3` / `ABONNE 3` / `abonne moi au theme 3` (one theme),
 *   `DESABONNE` (all), `DESABONNE T3` (one theme). SMS spellings: abone, aboner, abonné,
 *   abonnez-moi, désabonner, désabonnement, desabone. English SUBSCRIBE / UNSUBSCRIBE.
 * - These words change meaning: "abonner"/"abonnement"/"subscribe" were opt-in (START) and
 *   "désabonner"/"désabonnement"/"unsubscribe" were STOP in the general parser. Here they are
 *   about news: subscribing checks the opt-out list (STOP wins: refused until START), and
 *   unsubscribing ends every broadcast to the person, which is all STOP did for pushes; its
 *   reply says STOP stops everything. Anything whose first word is STOP/ARRET is never
 *   claimed here, so STOP keeps its meaning in every phrasing the general parser knows.
 * - `SUIVI 2.10` / `SUIVI 210` / `FOLLOW 2.10` / `STATUS 2.10` / `KUNNAFONI 2.10` ask for the
 *   follow-up of one recommendation; the same words alone ask the general follow-up answer,
 *   except KUNNAFONI alone, which the Bambara interface uses for "about" (its buttons, the
 *   /kunnafoni command): the general parser answers it with the Dialogue's presentation.
 *   A lone digit after them (`SUIVI 2`) is not claimed: the general parser searches.
 * - "What became of it" phrasings ("mise en oeuvre 2.10", "ou en est l application",
 *   "qu est devenue la 2.10", "what happened to 2.10", "is it implemented") are follow-up,
 *   with the recommendation when one is named.
 * - Not claimed (they stay searches of the report): a command word followed by other words
 *   ("abonnement internet", "suivi medical", "statut des fonctionnaires", "etat civil",
 *   "mise en oeuvre de la decentralisation", "ou en est la route de kidal"). Matching on a
 *   topic would need the search; a wrong "no official information" answer to a question about
 *   internet subscriptions would be worse than a search result.
 *
 * Bambara command words are DRAFTS written by us (review: draft, reviewer: null), listed in
 * BAMBARA_COMMANDS; Bambara letters ɛ ɔ ɲ ŋ are folded to e o ny ng as people type them on
 * phones without those keys.
 */
export type FollowUpIntent =
  | { kind: 'subscribe'; theme: number | null }
  | { kind: 'unsubscribe'; theme: number | null }
  /** `recommendation` null: the general follow-up answer. */
  | { kind: 'followUp'; recommendation: { theme: number; number: number } | null };

export const BAMBARA_COMMANDS = {
  review: 'draft',
  reviewer: null,
  subscribe: ['seben', 'sebe', 'sebenni', 'n togo seben', 'n togo sebe'],
  unsubscribe: ['dabila', 'kunnafoni dabila', 'n togo bo'],
  followUp: ['kunnafoni #', 'mun kera #', 'mun kera ni #', '# kera cogo di', 'a kera cogo di'],
} as const;

function foldAll(text: string): string {
  return fold(text.replace(/[ɛƐ]/g, 'e').replace(/[ɔƆ]/g, 'o').replace(/[ɲƝ]/g, 'ny').replace(/[ŋŊ]/g, 'ng'))
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2');
}

const alternatives = (words: readonly string[]) => words.join('|');

const SUBSCRIBE = alternatives([
  'abonne',
  'abonner',
  'abonnes',
  'abonnez',
  'abonnee',
  'abone',
  'aboner',
  'abonez',
  'abonnement',
  'abonement',
  'abonne moi',
  'abonnez moi',
  'abone moi',
  'm abonner',
  'm abonne',
  's abonner',
  'je m abonne',
  'je veux m abonner',
  'je voudrais m abonner',
  'subscribe',
  'subscribe me',
  'suscribe',
  'subcribe',
  'subscrib',
  ...BAMBARA_COMMANDS.subscribe,
]);
const UNSUBSCRIBE = alternatives([
  'desabonne',
  'desabonner',
  'desabonnes',
  'desabonnez',
  'desabonnee',
  'desabone',
  'desaboner',
  'desabonnement',
  'desabonement',
  'desabonne moi',
  'desabonnez moi',
  'se desabonner',
  'me desabonner',
  'je me desabonne',
  'je veux me desabonner',
  'unsubscribe',
  'unsubscribe me',
  'unsuscribe',
  'unsubcribe',
  'unsub',
  ...BAMBARA_COMMANDS.unsubscribe,
]);
/** "all news": ABONNE NOUVELLES, SUBSCRIBE ALL, ABONNE TOUT, ... (bɛɛ is "all"). */
const ALL_WORDS =
  '(?: (?:aux |au |a |to )?(?:nouvelles|news|actualites|actu|infos|kunnafoni|tout|tous|all|bee))?';
const THEME_REF =
  '(?: (?:aux |au |a |to |for )?(?:(?:le |the )?(?:t|th|theme|thematique|axe|topic) )?(\\d{1,2}))?';
const POLITE = '(?: (?:svp|stp|please|pls|merci|thanks|sil vous plait|s il vous plait|i ni ce|aw ni ce))*';

const SUBSCRIBE_RE = new RegExp(`^(?:${SUBSCRIBE})${ALL_WORDS}${THEME_REF}${POLITE}$`);
const UNSUBSCRIBE_RE = new RegExp(`^(?:${UNSUBSCRIBE})${ALL_WORDS}${THEME_REF}${POLITE}$`);

/**
 * A recommendation reference in folded text (digits split from letters): "2 10", "210",
 * "t 2 r 10", "recommandation 2 10", "r 210". Two to four digits in all, so a lone theme
 * digit is never taken for a recommendation.
 */
const REF = new RegExp(
  '(?<=^| )(?:(?:la|le|l|recommandation|recommendation|reco|rec|r|n|no|numero|number|nr) )*' +
    '(?:(?:t|theme|axe) )?(?:(\\d) (?:(?:r|rec|reco) )?(\\d{1,3})|(\\d)(\\d{1,2}))(?= |$)',
);

const FOLLOW_WORDS =
  'suivi|suivis|suivie|suivit|suvi|sivi|le suivi|statut|status|etat|etat d avancement|avancement|follow|follow up|followup|progress|kunnafoni';
const IMPLEMENT_WORDS = 'mise en oeuvre|mise en euvre|mise en uvre|mise en ouvre|implementation';
const APPLIED =
  'appliquee|applique|appliquees|realisee|realise|mise en oeuvre|executee|implemented|applied|done|carried out';

/** Whole-message templates; `#` is where a recommendation reference was found. */
const WITH_REF: RegExp[] = [
  new RegExp(`^(?:${FOLLOW_WORDS}) (?:de |du |of |on |for )?(?:la |le |l |the )?#$`),
  new RegExp(
    `^(?:la |l )?(?:${IMPLEMENT_WORDS}|application|realisation) (?:de |du |of )?(?:la |le |l |the )?#$`,
  ),
  /^ou en (?:est|sont) (?:l |la |le )?(?:(?:application|mise en oeuvre|realisation|suivi) (?:de |du )?(?:la |le |l )?)?#$/,
  /^(?:qu |que |k |ke )?(?:est|es|et|ait) (?:devenu|devenue|devenus|devenues) (?:la |le |l )?#$/,
  /^# (?:est elle|est il|a t elle ete|a t il ete|elle est|est|a ete|been|is|was|has been|kera)(?: (?:bien|deja|it))? (?:appliquee|applique|realisee|realise|mise en oeuvre|executee|implemented|applied|done)$/,
  /^(?:is|was|has|have) (?:recommendation |the recommendation )?# (?:been )?(?:implemented|applied|done|carried out)$/,
  /^what (?:happened|has happened|became|is happening) (?:to|of|with) (?:recommendation |the recommendation )?#$/,
  /^(?:where is|what about|any news on|news on|news about|update on) (?:recommendation |the recommendation )?#$/,
  /^mun (?:kera|ke ra|kela)(?: ni)? #$/,
  /^# (?:kera|ke ra) cogo di$/,
];
/** Alone, "kunnafoni" is the Bambara interface's "about" (src/core/intents.ts), not a follow-up. */
const FOLLOW_WORDS_ALONE = FOLLOW_WORDS.split('|')
  .filter((word) => word !== 'kunnafoni')
  .join('|');
const WITHOUT_REF: RegExp[] = [
  new RegExp(`^(?:${FOLLOW_WORDS_ALONE})$`),
  new RegExp(`^(?:la |l )?(?:${IMPLEMENT_WORDS})(?: (?:des|of the) (?:recommandations|recommendations))?$`),
  /^ou en (?:est|sont|etes) (?:l |la |le |les )?(?:application|mise en oeuvre|realisation|suivi|recommandations|recos)(?: (?:des|du) (?:recommandations|dialogue))?$/,
  /^(?:qu |que |k |ke )?(?:est|es|sont|son) (?:devenu|devenue|devenus|devenues) (?:les |le )?(?:recommandations|recos|dialogue|decisions|resolutions)$/,
  new RegExp(
    `^(?:est elle|est ce|est ce que c est|elles sont|sont elles|is it|was it|has it been|have they been|are they) (?:been )?(?:${APPLIED})$`,
  ),
  /^(?:what happened|what became of it|what became of them|what happened to it|what happened to them|what happened to the recommendations|what became of the recommendations)$/,
  /^(?:a kera cogo di|mun kera)$/,
];

export function parseFollowUpIntent(text: string): FollowUpIntent | undefined {
  if (typeof text !== 'string') return undefined;
  // "ABONNET3": the theme letter glued to the command, as typed on a phone keypad.
  const folded = foldAll(text).replace(/^((?:des)?abon+e|(?:un)?subscribe)t (\d{1,2})$/, '$1 t $2');
  if (folded === '' || /^(?:stop|arret|arreter)(?: |$)/.test(folded)) return undefined;

  let m = SUBSCRIBE_RE.exec(folded);
  if (m) return { kind: 'subscribe', theme: m[1] === undefined ? null : Number(m[1]) };
  m = UNSUBSCRIBE_RE.exec(folded);
  if (m) return { kind: 'unsubscribe', theme: m[1] === undefined ? null : Number(m[1]) };

  const withoutPolite = folded.replace(new RegExp(`${POLITE}$`), '');
  const ref = REF.exec(withoutPolite);
  if (ref) {
    const theme = Number(ref[1] ?? ref[3]);
    const number = Number(ref[2] ?? ref[4]);
    const template = `${withoutPolite.slice(0, ref.index)}#${withoutPolite.slice(ref.index + ref[0].length)}`;
    if (WITH_REF.some((pattern) => pattern.test(template)))
      return { kind: 'followUp', recommendation: { theme, number } };
    return undefined;
  }
  if (WITHOUT_REF.some((pattern) => pattern.test(withoutPolite)))
    return { kind: 'followUp', recommendation: null };
  return undefined;
}
