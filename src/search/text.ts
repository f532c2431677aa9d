/**
 * Word-level text analysis shared by the index and the query side. Input is already folded
 * (see fold() in src/core/normalize.ts): lower case, no accents, punctuation as spaces.
 */

/**
 * A small hand-picked list of French and English function words. Navigation words (suivant,
 * retour, menu, aide, stop, ...) are deliberately NOT here: the intent parser handles them when
 * they stand alone, and some are content words in the report ("retour des réfugiés").
 * "or" is not a stopword either: it is gold in 5.41 and 5.68.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  // French
  (
    'a au aux avec ce ces cet cette c ca d de des du dans en et est etre ete il ils elle elles ' +
    'je j l la le les leur leurs lui m ma mes mon n ne nos notre nous on ou par pas pour qu que ' +
    'qui quoi quel quelle quels quelles s sa se ses si son sur t ta te tes toi ton tu un une vos ' +
    'votre vous y ya sont sera seront va vont ont avez avons fait faire peut peux veux voudrais ' +
    'comment pourquoi quand combien beaucoup tres trop plus moins aussi tout tous toute ' +
    'toutes rien chose quelque quelques autre autres sans sous chez vers contre entre donc mais ' +
    'car ni alors voici voila oui non merci bonjour bonsoir salut coucou svp plait toujours encore ' +
    'deja comme afin dont selon ainsi etc sait ' +
    'probleme problemes ' +
    // English
    'the an of to in on for and at by from with about what which who whom how why when where ' +
    'is are was were be been being do does did there their this that these those any some it ' +
    'its i me my we our you your he she they them please tell show give know want need can could ' +
    'would should will shall against'
  ).split(' '),
);

/**
 * Words that frame a request rather than say what it is about ("que dit le rapport sur ...",
 * "des infos sur ...", "what does the report say about ..."). Dropped from queries only.
 */
export const QUERY_FILLERS: ReadonlySet<string> = new Set(
  (
    'rapport rapports dit disent dire parle parlent parler propose proposent proposer prevoit ' +
    'prevoient prevu prevue prevus prevues recommandation recommandations recommande ' +
    'mesure mesures info infos information informations savoir cherche chercher trouver ' +
    'report reports say says said recommendation recommendations recommend recommends ' +
    'something anything'
  ).split(' '),
);

/** Words that only name the document when a framing verb is present ("que propose le dialogue sur X"). */
export const FRAME_VERBS: ReadonlySet<string> = new Set(
  'dit disent dire propose proposent prevoit prevoient recommande parle say says said recommend'.split(' '),
);
export const FRAME_NOUNS: ReadonlySet<string> = new Set(
  'dialogue dim document texte report rapport'.split(' '),
);

/**
 * Light stemming for French plurals and feminines, the same on both sides: "-aux" → "-al"
 * (nationaux → national), a final s/x dropped (eaux → eau, femmes → femme), then a final e
 * (femme → femm, securite → securit), but not the e of "-ee": armée (army) must not meet arme
 * (weapon). Short words are left alone.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length >= 6 && w.endsWith('aux')) return w.slice(0, -3) + 'al';
  if (w.length >= 4 && (w.endsWith('s') || w.endsWith('x'))) w = w.slice(0, -1);
  if (w.length >= 5 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}
