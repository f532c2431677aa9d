/**
 * Small talk: a message that greets, thanks, agrees or wishes well, and asks nothing of the
 * report ("bonjour monsieur", "ok merci bcp", "salut ça va ?", "i ni ce i ka kɛnɛ wa",
 * "merci pour les infos 🙏"). It gets one short kind reply saying what the service covers,
 * not "nothing found". Input is folded (src/core/normalize.ts): emoji and punctuation are gone.
 *
 * A message is small talk when it is one of the PHRASES, or when every word is a social word
 * (ANCHORS, PHRASES) or a word that only goes with them (COMPANIONS), and at least one is social.
 * One word that names a subject ("merci pour les femmes", "bonne gouvernance") makes it a search.
 * Bambara spellings are ours (drafts, folded: ɛ→e, ɔ→o, ɲ→ny), not reviewed by a native speaker.
 */

/** Social formulas of several words, and single ones that are not words of a search. */
const PHRASES: readonly string[] = [
  ...['merci beaucoup', 'merci bcp', 'grand merci', 'thank you', 'd accord', 'non merci'],
  ...['good morning', 'good evening', 'good night', 'bonne nuit', 'au revoir', 'a bientot'],
  ...['ca va', 'ca va bien', 'comment tu vas', 'comment allez vous', 'bien et toi', 'c est bon'],
  ...['inch allah', 'salam aleykoum', 'salam alaykoum', 'salamou aleykoum', 'as salam aleykoum'],
  ...['aleykoum salam', 'alaykoum salam', 'how are you', 'see you', 'no problem', 'pas de souci'],
  // Bambara: i ni ce (hello, thanks), i ni sogoma / tile / wula / su (morning, midday,
  // afternoon, evening), aw (plural), i ka kɛnɛ wa (are you well), tɔɔrɔ si tɛ (no trouble),
  // hɛrɛ sira (a night in peace), a ka ɲi (it is good), an bɛ (see you), a barika (thanks).
  ...['i ni ce', 'i ni che', 'a ni ce', 'aw ni ce', 'i ni', 'aw ni', 'a ni', 'i ka kene wa'],
  ...['aw ka kene wa', 'i ka kene', 'tooro si te', 'toro si te', 'here sira', 'here dorong'],
  ...['here doron', 'a ka nyi', 'a ka nyin', 'an be', 'a barika', 'ala ka here caya', 'n ba'],
  // Alone, these are small talk too ("bien", "bien et toi"); with a subject they are searched.
  'bien',
];

/** Words that make a message social on their own: greetings, thanks, yes/no, interjections. */
const ANCHORS: ReadonlySet<string> = new Set([
  ...['merci', 'mrc', 'mci', 'thanks', 'thank', 'thx', 'barika', 'remercie', 'remercions'],
  ...['ok', 'okay', 'oki', 'okk', 'dac', 'daccord', 'oui', 'ouais', 'ouai', 'non', 'yes', 'no'],
  ...['yep', 'nope', 'owo', 'awo', 'ayi', 'bon', 'bonne', 'good', 'noted', 'compris', 'entendu'],
  ...['bonjour', 'bjr', 'bonsoir', 'bsr', 'salut', 'slt', 'coucou', 'cc', 'hello', 'hi', 'hey'],
  ...['salam', 'salamalekoum', 'salamaleykoum', 'aleykoum', 'alaykoum', 'bye', 'revoir'],
  ...['super', 'cool', 'bravo', 'top', 'genial', 'parfait', 'excellent', 'felicitations'],
  ...['inchallah', 'amine', 'amen', 'amina', 'ah', 'oh', 'eh', 'lol', 'mdr', 'ptdr', 'haha'],
  ...['hahaha', 'hihi', 'wow', 'waw', 'ouf', 'cv', 'nse', 'nba'],
]);

/** Words that go with a greeting or thanks without saying what the message is about. */
const COMPANIONS: ReadonlySet<string> = new Set([
  ...['a', 'au', 'aux', 'de', 'des', 'du', 'd', 'l', 'la', 'le', 'les', 'et', 'pour', 'c', 'ca'],
  ...['mon', 'ma', 'mes', 'ton', 'ta', 'vos', 'votre', 'vous', 'toi', 'moi', 'nous', 'tous'],
  ...['tout', 'toutes', 'monde', 'je', 'j', 'suis', 'est', 'cest', 'va', 'vas', 'allez', 'bien'],
  ...['tres', 'beaucoup', 'bcp', 'aussi', 'encore', 'comment', 'note', 'info', 'infos'],
  ...['information', 'informations', 'reponse', 'aide', 'service', 'dieu', 'allah', 'ala'],
  ...['monsieur', 'mr', 'm', 'madame', 'mme', 'mademoiselle', 'frere', 'soeur', 'tonton'],
  ...['tantie', 'ami', 'amie', 'amis', 'cher', 'chere', 'patron', 'chef', 'boss', 'journee'],
  ...['soiree', 'nuit', 'matin', 'semaine', 'fete', 'continuation', 'chance', 'morning'],
  ...['afternoon', 'evening', 'night', 'day', 'you', 'so', 'much', 'very', 'all', 'there'],
  ...['everyone', 'sir', 'madam', 'friend', 'and', 'too', 'u', 'lot', 'ka', 'kene', 'wa'],
  ...['kosebe', 'teri', 'n', 'i', 'aw', 'ce', 'sogoma', 'tile', 'wula', 'su', 'baara', 'an'],
]);

/** Longest first, so "i ni ce" is taken whole before "i ni". */
const MULTI = PHRASES.filter((p) => p.includes(' ')).sort((a, b) => b.length - a.length);
const SINGLE: ReadonlySet<string> = new Set(PHRASES.filter((p) => !p.includes(' ')));
/** A social message is short; a long one says something and is searched. */
const MAX_WORDS = 12;

export function isSmallTalk(folded: string): boolean {
  if (folded === '') return false;
  let rest = ` ${folded} `;
  let anchored = false;
  for (const phrase of MULTI) {
    if (rest.includes(` ${phrase} `)) {
      rest = rest.split(` ${phrase} `).join(' ');
      anchored = true;
    }
  }
  const words = rest.split(' ').filter((w) => w !== '');
  if (words.length > MAX_WORDS) return false;
  for (const word of words) {
    if (ANCHORS.has(word) || SINGLE.has(word)) anchored = true;
    else if (!COMPANIONS.has(word)) return false;
  }
  return anchored;
}
