import { fold } from './normalize.js';
import { isSmallTalk } from './small-talk.js';
import type { Intent, Lang } from './types.js';
import { langFromKeyword } from '../i18n/index.js';

/**
 * What a person meant, from what they typed on any channel. Pure, accent- and case-insensitive,
 * French first and English. Decisions (the table in test/intents.test.ts holds them):
 *
 * - A keyword is the WHOLE message (after folding and dropping punctuation): "plus" is `next`,
 *   "plus de routes" is a search. "Stop!" and "  STOP " are `stop`.
 * - Numbers stay numbers: a lone digit is a theme ("2" → theme 2, "0" → theme 0, which the
 *   engine answers as out of range); 2 or 3 digits alone are a recommendation whose first digit
 *   is the theme ("215" → 2.15, "21" → 2.1, "00" → 0.0, out of range). This is what a phone in
 *   numeric mode can type. Four or more digits ("2024") are a search. Home/menu is a word only
 *   ("menu", "accueil", "home"): USSD's `0`/`00` keys are the USSD menu's business.
 * - A recommendation reference is theme digit + separator (. , - / space, or T…R…) + number.
 *   With a punctuation or T/R separator it may be followed by words ("2.15 eau" → 2.15);
 *   with a bare space it must be the whole message ("2 15" → 2.15, "2 femmes" → search).
 *   Words before a number make a search ("eau 2"), except the reference words
 *   (t, theme, axe, r, rec, reco, recommandation, n, no, numero, ...).
 * - Out-of-range numbers ("6.1", "2.99", "theme 9") parse as theme/recommendation intents:
 *   the engine names the valid range.
 * - `retour`/`back` go up one level (`back`); `precedent`/`prev`/`-`/`<` page backwards
 *   (`previous`); `suite`/`plus`/`next`/`+`/`>` page forwards (`next`).
 * - `start`/`abonner`/`subscribe` opt in again (`start`); `debut`/`accueil`/`menu` go home.
 *   Telegram's `/start` (with or without @botname or a payload) is home, not an opt-in.
 * - A message made only of question marks ("?", "???") is `help`; a question with words is a
 *   search. Empty input and punctuation alone are `empty`.
 * - `en` alone is English; "en francais" is French.
 * - Small talk (thanks, greetings, "ok", "oui", an emoji, "i ni ce", and their combinations
 *   with words that say nothing of a subject: "ok merci bcp", "bonjour monsieur", "salut ça va ?",
 *   see small-talk.ts) is `smallTalk`: one short reply saying what the service covers.
 *   "merci pour les femmes" is a search. Telegram's /start still opens the menu.
 * - "t21"/"theme 21" are theme 21 (out of range); "t2 15", "t2r15", "theme 2 rec 15" are 2.15.
 * - `appel`/`rappel`/`call me` (and "rappelez-moi", "call me back") alone ask for a call back
 *   (`callback`), which the voice line places when the operator turned it on; "appel d'offres"
 *   is a search.
 */

const HELP = phrases([
  'deme',
  'aide',
  'help',
  'sos',
  'aidez moi',
  'aide moi',
  'au secours',
  'help me',
  'comment faire',
]);
const HOME = phrases([
  'menu',
  'accueil',
  'home',
  'debut',
  'menu principal',
  'main menu',
  'retour accueil',
  'retour au menu',
]);
/** Emoji, pictographs and their modifiers: a message made only of them is small talk. */
const EMOJI_ONLY = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\s]+$/u;
/** Joiners and variation selectors that glue emoji together (👨‍👩‍👧, ❤️). */
const EMOJI_GLUE = /\u200d|\ufe0f/gu;
const THEMES = phrases([
  'barokunw',
  'barokun',
  'themes',
  'theme',
  'thematiques',
  'liste',
  'list',
  'liste des themes',
  'les themes',
  'axes',
  'sommaire',
  'topics',
  'list themes',
]);
// Bambara words (folded: ɛ→e, ɔ→o, ɲ→ny): MediaWiki's Dɛmɛ (help), barokun (theme), a tɔ (the
// rest), segin (back, Common Voice), kunnafoni (information), kan (language).
const NEXT = phrases(['a to', 'suite', 'plus', 'next', 'suivant', 'suivante', 'more', 'encore', 'la suite']);
const PREVIOUS = phrases(['precedent', 'precedente', 'prev', 'previous', 'avant']);
const BACK = phrases(['segin', 'retour', 'back', 'revenir', 'go back']);
const ABOUT = phrases([
  'kunnafoni',
  'info',
  'infos',
  'information',
  'informations',
  'apropos',
  'a propos',
  'about',
]);
const STOP = phrases([
  'stop',
  'arret',
  'arreter',
  'desabonner',
  'se desabonner',
  'desabonnement',
  'desinscrire',
  'unsubscribe',
  'stop all',
  'stopall',
  'cancel',
]);
const CALLBACK = phrases([
  'appel',
  'rappel',
  'appelle',
  'rappelle',
  'appelez moi',
  'appelle moi',
  'appeler moi',
  'rappelez moi',
  'rappelle moi',
  'rappeler moi',
  'call',
  'call me',
  'call me back',
  'call back',
  'callback',
]);
const START = phrases(['start', 'abonner', 's abonner', 'abonnement', 'subscribe', 'unstop', 'inscrire']);
const LANG_WORDS = ['kan', 'langue', 'language', 'lang', 'en', 'in', 'change', 'changer', 'de', 'la'];
const LANGUAGE_ONLY = phrases([
  'kan',
  'kanw',
  'langue',
  'language',
  'lang',
  'langues',
  'languages',
  'changer de langue',
]);

/** Words that announce a theme number ("theme 2", "t2", "axe 2"). */
const THEME_WORD = '(?:t|th|theme|themes|thematique|axe|topic)';
/** Words that announce a recommendation ("r2.15", "rec 2-15", "n 2.15"). */
const REC_WORD = '(?:r|rec|reco|recom|recommandation|recommendation|recommandations|n|no|num|numero|number)';

/** Words that ask for the report's own text of a recommendation ("TEXTE 2.15", "sɛbɛn 2.15"). */
const TEXT_WORD = '(?:texte|text|seben)';
const REPORT_TEXT = new RegExp(`^${TEXT_WORD} ?(\\d)(?: |(?=\\d))(\\d{1,3})$`);

// Applied to the folded text, where punctuation is already spaces: "2.15" arrives as "2 15".
const THEME_ONLY = new RegExp(`^${THEME_WORD} ?(\\d{1,3})$`);
const THEME_THEN_REC = new RegExp(`^${THEME_WORD} ?(\\d)(?: ?${REC_WORD} ?| )(\\d{1,3})$`);
const REC_WORD_THEN_ID = new RegExp(`^${REC_WORD} ?(\\d) (\\d{1,3})$`);
const REC_WORD_THEN_DIGITS = new RegExp(`^${REC_WORD} ?(\\d{1,3})$`);
// Applied to the raw (trimmed, lower-cased, accent-folded) text so the separator is visible.
const LEADING_ID = new RegExp(
  `^(?:(?:${REC_WORD}|${THEME_WORD})\\s*)?(\\d)\\s*(?:[.,/-]|\\s*r)\\s*(\\d{1,3})(?![\\d.,/])(?:\\s+|[:;!?)]|$)`,
);

function phrases(list: string[]): Set<string> {
  return new Set(list);
}

function rec(theme: string, number: string): Intent {
  return { kind: 'recommendation', theme: Number(theme), number: Number(number) };
}

function language(folded: string): Intent | undefined {
  if (LANGUAGE_ONLY.has(folded)) return { kind: 'language', lang: null };
  const words = folded.split(' ');
  const choice = words[words.length - 1] ?? '';
  const rest = words.slice(0, -1);
  // The words that pick a language are each catalog's `keywords` (content/i18n).
  const lang: Lang | undefined = langFromKeyword(choice);
  if (!lang) return undefined;
  // "fr", "en", "langue fr", "en francais", "in english", "changer de langue en" (last word wins).
  if (rest.every((word) => LANG_WORDS.includes(word))) return { kind: 'language', lang };
  return undefined;
}

export function parseIntent(text: string): Intent {
  const raw = typeof text === 'string' ? text.trim() : '';
  const folded = fold(raw);

  if (folded === '') {
    if (/^[\s?¿]+$/u.test(raw) && raw.includes('?')) return { kind: 'help' };
    if (EMOJI_ONLY.test(raw.replace(EMOJI_GLUE, ''))) return { kind: 'smallTalk' };
    if (/^\++$/.test(raw) || raw === '>' || raw === '>>') return { kind: 'next' };
    if (raw === '-' || raw === '<' || raw === '<<') return { kind: 'previous' };
    return { kind: 'empty' };
  }

  // Telegram's "/start" (first contact) opens the menu; a bare START is the SMS opt-in keyword.
  if (/^\/start(?:@\w+)?(?:\s|$)/i.test(raw)) return { kind: 'home' };

  const asked = REPORT_TEXT.exec(folded);
  if (asked)
    return { kind: 'recommendation', theme: Number(asked[1]), number: Number(asked[2]), reportText: true };

  // Numbers first: they are the most common input on a basic phone.
  if (/^\d$/.test(folded)) return { kind: 'theme', theme: Number(folded) };
  if (/^\d{2,3}$/.test(folded)) {
    return {
      kind: 'recommendation',
      theme: Number(folded[0]),
      number: Number(folded.slice(1)),
      digits: folded,
    };
  }
  let m = /^(\d) (\d{1,3})$/.exec(folded);
  if (m) return rec(m[1]!, m[2]!);
  m = THEME_THEN_REC.exec(folded);
  if (m) return rec(m[1]!, m[2]!);
  m = REC_WORD_THEN_ID.exec(folded);
  if (m) return rec(m[1]!, m[2]!);
  m = THEME_ONLY.exec(folded);
  if (m) return { kind: 'theme', theme: Number(m[1]) };
  m = REC_WORD_THEN_DIGITS.exec(folded);
  if (m) {
    const digits = m[1]!;
    // "rec 215" is 2.15 like "215"; "rec 2" names the theme.
    return digits.length === 1 ? { kind: 'theme', theme: Number(digits) } : rec(digits[0]!, digits.slice(1));
  }

  if (HELP.has(folded)) return { kind: 'help' };
  if (HOME.has(folded)) return { kind: 'home' };
  if (isSmallTalk(folded)) return { kind: 'smallTalk' };
  if (THEMES.has(folded)) return { kind: 'themes' };
  if (NEXT.has(folded)) return { kind: 'next' };
  if (PREVIOUS.has(folded)) return { kind: 'previous' };
  if (BACK.has(folded)) return { kind: 'back' };
  if (ABOUT.has(folded)) return { kind: 'about' };
  if (STOP.has(folded)) return { kind: 'stop' };
  if (START.has(folded)) return { kind: 'start' };
  if (CALLBACK.has(folded.replace(/ (svp|stp|please|pls|s il vous plait|s il te plait)$/, '')))
    return { kind: 'callback' };
  const lang = language(folded);
  if (lang) return lang;

  // "2.15 eau", "T2R15: l'eau": an explicit reference followed by words.
  const lowered = raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  m = LEADING_ID.exec(lowered);
  if (m) return rec(m[1]!, m[2]!);

  return { kind: 'search', query: raw.replace(/\s+/g, ' ') };
}
