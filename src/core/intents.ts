import { COMMAND_WORD_CLASSES, langFromKeyword, languagesCuedBy, type WordClass } from '../i18n/index.js';
import { findReference, type Reference } from './references.js';
import { tokenize } from './tokens.js';
import type { Intent, Lang } from './types.js';
import { hasClass, tag, type Item } from './words.js';

/**
 * The one parser of every text channel (SMS, Telegram, WhatsApp; USSD's search prompt and the
 * voice line's number entry): what a person meant, from what they typed. Pure; the words of each
 * language are data (the catalogs' `words`, src/core/words.ts), not code. Decisions are held by
 * the tables in test/intents.test.ts and test/dialogue-parse.test.ts. In order:
 *
 * 1. Nothing but punctuation or emoji: "?" is help, 👍 is small talk, "+"/"-" page, else empty.
 * 2. A language choice: keywords (catalog `meta.keywords`) among words that say nothing else
 *    ("en anglais svp", "in English please").
 * 3. AVIS 2.10 1 (a reaction), FAUX (the last answer was wrong).
 * 4. A reference found anywhere (src/core/references.ts): "recommandation n°2.10", "la 215",
 *    "41 du thème 1", "tell me about 2.40", "2.15 yira n na", "le 3e", a bare "2". With a word
 *    of `done`/`followUp` it asks what became of it, with `text` for its report text, with
 *    `subscribe` it names a theme to follow.
 * 5. Any word the catalogs do not know makes the message a search (of its whole text: the search
 *    has its own stopwords), so "plus de routes", "stop corruption" or "suivi médical" are searched.
 * 6. Otherwise the classes present decide, most specific first: stop, unsubscribe, subscribe,
 *    start, follow-up ("c'est appliqué ?" → the one just read, "où en sont les recommandations"
 *    → in general), next/previous item, text, call back, how it works (help), a question about
 *    the Dialogue or the service (about), the single commands, then greetings, thanks, ok.
 *
 * The words found in one language only are evidence of that language (`lang`): a sentence in
 * English is answered in English, "i ni ce" in Bambara.
 */
export interface Understood {
  intent: Intent;
  /** The language the message is written in, when its words say so; undefined: they do not. */
  lang?: Lang;
  /**
   * The only evidence was command words ("help", "wrong", "suivante"): people type them whatever
   * they read, so they set a language where none is known but do not change one.
   */
  weak?: true;
}

export interface ParseOptions {
  /** The language of a word the catalogs do not know, from the search's lexicon ("water" → en). */
  wordLang?: (word: string) => Lang | undefined;
  /** Whether the search knows a word (the report uses it, or the lexicon): it is then kept in a search. */
  searchable?: (word: string) => boolean;
}

/** Emoji, pictographs and their modifiers: a message made only of them is small talk. */
const EMOJI_ONLY = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\s]+$/u;
/** Joiners and variation selectors that glue emoji together (👨‍👩‍👧, ❤️). */
const EMOJI_GLUE = /\u200d|\ufe0f/gu;

function withoutWords(raw: string): Intent {
  if (/^[\s?¿]+$/u.test(raw) && raw.includes('?')) return { kind: 'help' };
  if (EMOJI_ONLY.test(raw.replace(EMOJI_GLUE, ''))) return { kind: 'smallTalk', what: 'ack' };
  if (/^\++$/.test(raw) || raw === '>' || raw === '>>') return { kind: 'next' };
  if (raw === '-' || raw === '<' || raw === '<<') return { kind: 'previous' };
  return { kind: 'empty' };
}

/** Classes that say nothing of their own: they may stand around a keyword, a number or a command. */
const QUIET: readonly WordClass[] = ['filler', 'polite', 'article', 'of'];

function isQuiet(item: Item, also: readonly WordClass[] = []): boolean {
  return item.kind === 'phrase' && [...QUIET, ...also].some((cls) => item.entry.classes.has(cls));
}

/** "EN", "en anglais svp", "in English please", "langue", "changer de langue". */
function languageChoice(items: Item[]): Intent | undefined {
  let lang: Lang | undefined;
  let asked = false;
  for (const item of items) {
    const keyword = item.kind === 'number' ? undefined : langFromKeyword(item.text.replace(/ /g, ''));
    if (keyword) lang = keyword;
    else if (hasClass(item, 'language')) asked = true;
    else if (!isQuiet(item, ['current', 'self'])) return undefined;
  }
  if (lang) return { kind: 'language', lang };
  return asked ? { kind: 'language', lang: null } : undefined;
}

/** AVIS 2.10 1 / AVIS 210 2; AVIS alone or unreadable: its form is explained; AVIS + words: a search. */
function feedback(items: Item[]): Intent | undefined {
  if (!hasClass(items[0], 'feedback')) return undefined;
  const rest = items.slice(1).filter((item) => !isQuiet(item));
  if (rest.some((item) => item.kind === 'content')) return undefined;
  const numbers = rest.flatMap((item) => (item.kind === 'number' ? [item.parts] : []));
  const [id, value] = numbers;
  const vote = value?.length === 1 ? value[0] : undefined;
  let recId: string | undefined;
  if (id?.length === 2 && id[0]!.length <= 2) recId = `${Number(id[0])}.${Number(id[1])}`;
  if (id?.length === 1 && /^\d\d{1,3}$/.test(id[0]!)) recId = `${id[0]![0]}.${Number(id[0]!.slice(1))}`;
  if (!recId || (vote !== '1' && vote !== '2') || numbers.length !== 2) return { kind: 'feedbackUsage' };
  return { kind: 'feedback', recId, value: vote === '1' ? 'useful' : 'unclear' };
}

/** A reference, with what the words around it ask of it. */
function referred(ref: Reference, has: (cls: WordClass) => boolean): Intent {
  if (ref.kind === 'pick') return { kind: 'pick', position: ref.position };
  const subscribing = has('subscribe') || has('unsubscribe');
  if (ref.kind === 'theme') {
    if (subscribing) return { kind: has('unsubscribe') ? 'unsubscribe' : 'subscribe', theme: ref.theme };
    return { kind: 'theme', theme: ref.theme, ...(ref.digits ? { digits: ref.digits } : {}) };
  }
  const { theme, number } = ref;
  if (has('text')) return { kind: 'recommendation', theme, number, reportText: true };
  if (has('done') || has('followUp')) return { kind: 'followUp', recommendation: { theme, number } };
  return { kind: 'recommendation', theme, number, ...(ref.digits ? { digits: ref.digits } : {}) };
}

/** The message has no word of its own: what its known words ask. */
function command(has: (cls: WordClass) => boolean, query: string): Intent | undefined {
  if (has('stop')) return { kind: 'stop' };
  if (has('unsubscribe')) return { kind: 'unsubscribe', theme: null };
  if (has('subscribe')) return { kind: 'subscribe', theme: null };
  if (has('start')) return { kind: 'start' };
  // A word that is also the interface's "about" (Bambara "kunnafoni") asks the follow-up only
  // with a number: alone it is the About its buttons say.
  const followUpWord = has('followUp') && !(has('about') && !has('done'));
  if (has('done') || followUpWord)
    return { kind: 'followUp', recommendation: has('general') ? null : 'current', query };
  if (has('nextItem')) return { kind: 'next', item: true };
  if (has('previousItem')) return { kind: 'previous', item: true };
  if (has('text')) return { kind: 'current', reportText: true };
  if (has('callback')) return { kind: 'callback' };
  if (has('how')) return { kind: 'help' };
  if (has('ask') && (has('self') || has('general'))) return { kind: 'about' };
  // Thanks win over help and about ("merci pour les infos", "merci pour l'aide"), not over a
  // command that moves ("ok merci, la suite"); a greeting wins over nothing ("bonjour, aide moi").
  const single: Array<[WordClass, Intent]> = [
    ['home', { kind: 'home' }],
    ['themes', { kind: 'themes' }],
    ['next', { kind: 'next' }],
    ['previous', { kind: 'previous' }],
    ['back', { kind: 'back' }],
    ['language', { kind: 'language', lang: null }],
    ['thanks', { kind: 'smallTalk', what: 'thanks' }],
    ['help', { kind: 'help' }],
    ['about', { kind: 'about' }],
    ['greeting', { kind: 'smallTalk', what: 'greeting' }],
    ['ack', { kind: 'smallTalk', what: 'ack' }],
    ['self', { kind: 'about' }],
  ];
  return single.find(([cls]) => has(cls))?.[1];
}

/**
 * What a search is asked: the message without the words that only frame it (filler, greetings,
 * thanks, question words, "recommandation", "thème") when the search does not read them: it
 * would count them as unknown words and find nothing ("Hello, I am looking for recommendations
 * on corruption"). A word it reads stays ("recherche", "service" are the report's words; "de l'"
 * is part of "maliens de l'extérieur"), and so do unknown words and numbers.
 */
const FRAMING: readonly WordClass[] = [
  ...QUIET,
  'greeting',
  'thanks',
  'ack',
  'ask',
  'recWord',
  'themeWord',
  'how',
];

function searchOf(items: Item[], raw: string, options: ParseOptions): Intent {
  // Without the search's vocabulary every word is kept: the search reads the message as typed.
  if (!options.searchable) return { kind: 'search', query: raw.replace(/\s+/g, ' ') };
  const known = (item: Item) =>
    item.kind !== 'number' && item.text.split(' ').some((word) => options.searchable?.(word));
  let query = '';
  for (const item of items.filter((item) => !isQuiet(item, FRAMING) || known(item))) {
    const text = item.kind === 'number' ? item.parts.join('.') : item.surface;
    query += query === '' || item.glued ? text : ` ${text}`;
  }
  if (query === '') query = raw.replace(/\s+/g, ' ');
  return { kind: 'search', query };
}

function decide(items: Item[], raw: string, options: ParseOptions): Intent {
  const language = languageChoice(items);
  if (language) return language;
  const has = (cls: WordClass) => items.some((item) => hasClass(item, cls));
  const reaction = feedback(items);
  if (reaction) return reaction;
  const content = items.filter((item) => item.kind === 'content').length;
  const numbers = items.some((item) => item.kind === 'number');
  if (has('wrong') && content === 0 && !numbers) return { kind: 'wrongAnswer' };
  const ref = findReference(items, content);
  if (ref) return referred(ref.reference, (cls) => ref.rest.some((item) => hasClass(item, cls)));
  const search = searchOf(items, raw, options);
  if (content > 0) return search;
  return command(has, search.kind === 'search' ? search.query : raw) ?? search;
}

/** Command words: evidence of a language only where no other is known (see `Understood.weak`). */
const COMMANDS: ReadonlySet<WordClass> = new Set<WordClass>(COMMAND_WORD_CLASSES);

/** Which language the words are in: the one most of the single-language words belong to. */
function evidence(
  items: Item[],
  raw: string,
  options: ParseOptions,
): { lang: Lang; weak?: true } | undefined {
  const votes = new Map<Lang, number>();
  let strong = false;
  const vote = (lang: Lang) => votes.set(lang, (votes.get(lang) ?? 0) + 1);
  for (const item of items) {
    if (item.kind === 'phrase' && item.entry.evidence) {
      vote(item.entry.evidence);
      if ([...item.entry.classes].some((cls) => !COMMANDS.has(cls))) strong = true;
    }
    if (item.kind === 'content') {
      const lang = options.wordLang?.(item.text);
      if (lang) {
        vote(lang);
        strong = true;
      }
    }
  }
  // A language's own letters or its everyday words (its catalog's meta.detect, src/i18n/detect.ts).
  for (const lang of languagesCuedBy(raw)) {
    vote(lang);
    strong = true;
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || (second && second[1] === first[1])) return undefined;
  return strong ? { lang: first[0] } : { lang: first[0], weak: true };
}

export function understand(text: string, options: ParseOptions = {}): Understood {
  const raw = typeof text === 'string' ? text.trim() : '';
  // Telegram's "/start" (first contact) opens the menu; a bare START is the SMS opt-in keyword.
  if (/^\/start(?:@\w+)?(?:\s|$)/i.test(raw)) return { intent: { kind: 'home' } };
  const tokens = tokenize(raw);
  if (tokens.length === 0) return { intent: withoutWords(raw) };
  const items = tag(tokens);
  const said = evidence(items, raw, options);
  return { intent: decide(items, raw, options), ...said };
}

export function parseIntent(text: string): Intent {
  return understand(text).intent;
}
