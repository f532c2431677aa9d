import snowball from 'snowball-stemmers';

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
    // everyday verbs and fillers of a question ("la justice doit changer", "cmt avoir de l'eau")
    'doit doivent devrait devraient faut falloir avoir etre ai as avons ont eu etait sera ' +
    'vraiment bien mal ici la ok svp stp quoi bon ' +
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
 * Words whose Snowball stem would meet a different word: armée (army) must not meet arme
 * (weapon). Folded form → the key both sides use.
 */
const PROTECTED: ReadonlyMap<string, string> = new Map([
  ['armee', 'armee'],
  ['armees', 'armee'],
]);

const snowballFrench = snowball.newStemmer('french');
/** Stems are memoised: the Snowball port takes microseconds a word, the index reuses words. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 50_000;

/**
 * Spelling-insensitive form of a stem, the same on both sides: people write "coranique" as
 * "koranique", "corruption" as "coruption", "phosphate" as "fosfate". qu/ck/c (hard) → k,
 * ph → f, doubled letters → one.
 */
export function phonetic(word: string): string {
  return word
    .replace(/ph/g, 'f')
    .replace(/qu/g, 'k')
    .replace(/ck/g, 'k')
    .replace(/c(?=[aouklmnrt]|$)/g, 'k')
    .replace(/(.)\1+/g, '$1');
}

/**
 * The index key of a folded word: the Snowball French stem (a maintained algorithm rather than
 * a hand-written suffix list), after the feminine "-ée(s)" is brought to "-é" so that gender
 * gives one key (handicapée = handicapé), then the spelling-insensitive form. SMS endings "-ik"
 * are spelt "-ique" first ("politik" = "politique"). Numbers and short words are kept whole.
 */
export function stem(word: string): string {
  const cached = memo.get(word);
  if (cached !== undefined) return cached;
  let key: string;
  const kept = PROTECTED.get(word);
  if (kept !== undefined) key = kept;
  else if (word.length < 4 || /\d/.test(word)) key = word;
  else key = phonetic(root(word));
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(word, key);
  return key;
}

/**
 * A word's stem as written, before the spelling-insensitive form: two words of one root share
 * it ("menaient", "mener"); two words that only sound alike do not ("quitter", Kita).
 */
export function root(word: string): string {
  return snowballFrench.stem(word.replace(/iks?$/, 'ique').replace(/ees?$/, 'e'));
}
