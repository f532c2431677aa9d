import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors.js';
import { gsm7Length, isGsm7, toGsm7, type LetterSpellings } from '../text/gsm7.js';

/**
 * The language catalogs, content/i18n/<code>.json: one file per language, its `meta` (who it is
 * for and how people ask for it) and its `messages`. French is the reference: it must hold every
 * key, the others may lack some (then French is shown) but never hold a key French lacks, and a
 * text's {placeholders} must be French's. A broken catalog stops start-up with one line, like a
 * broken corpus or lexicon does.
 */
export const REFERENCE_LANG = 'fr';

const Code = z.string().regex(/^[a-z]{2,3}$/, 'a 2- or 3-letter lower-case ISO 639 code');
/** Folded like a message is before it is parsed: upper-case ASCII letters, one word. */
const Keyword = z.string().regex(/^[A-Z]{2,16}$/, 'one word of A-Z letters');

const LanguageMetaSchema = z.object({
  code: Code,
  /** In the language itself ("Français", "Bamanankan"): menus show it to its own speakers. */
  name: z.string().trim().min(1).max(20),
  englishName: z.string().trim().min(1),
  /** Telegram language_code prefixes (before any "-") that mean this language. */
  locales: z.array(Code),
  /** Words that switch to it by SMS/text ("EN", "ENGLISH"); the first is the one menus show. */
  keywords: z.array(Keyword).min(1),
  /** Position in language menus (1 first). */
  order: z.number().int().min(1).max(99),
  /** BCP 47 tag for dates (Intl); the code when absent. */
  dateLocale: z.string().min(2).optional(),
  /** True: keys may be missing (French shows instead) while the translation is being written. */
  incomplete: z.boolean().optional(),
  /**
   * True: content/translations/<code>.json must give a summary of every recommendation, not
   * only a label (Bambara: many of its readers cannot read the French text at all).
   */
  summaries: z.boolean().optional(),
  /**
   * The eSpeak NG voice that reads it on the voice line ("roa/fr"); absent: its voice prompts
   * are recordings only (Bambara has no synthesis).
   */
  speech: z
    .string()
    .regex(/^[a-z]{2,4}\/[a-z-]{2,12}$/, 'an eSpeak NG voice such as roa/fr')
    .optional(),
  /**
   * Its letters that GSM-7 lacks, each with the GSM-7 spelling its readers know (Bambara: ɛ→è,
   * ɲ→ny, the spelling before 1982). SMS, USSD and voice text are written with the spelling; an
   * SMS in this language sent in UCS-2 (SMS_UCS2_LANGS) keeps the letters. Absent: GSM-7 (with
   * accents folded) writes it.
   */
  letters: z.record(z.string().regex(/^.$/u, 'one letter'), z.string().min(1)).optional(),
  /**
   * What marks a message as written in it whatever the person's chosen language (that message
   * is answered in it; src/i18n/detect.ts): any of `letters`, or one of `words` (folded as the
   * parser folds). Words are chosen to be no word of another language.
   */
  detect: z
    .object({
      letters: z.string().min(1).optional(),
      words: z.array(z.string().trim().min(1)),
    })
    .strict()
    .optional(),
  review: z.object({
    state: z.enum(['reviewed', 'draft']),
    reviewer: z.string().min(1).nullable(),
    date: z.string().min(1).nullable(),
    note: z.string().optional(),
  }),
});

export type LanguageMeta = z.infer<typeof LanguageMetaSchema>;

/** Words that ask the service to do something: said alone, they are evidence of a language only weakly. */
export const COMMAND_WORD_CLASSES = [
  'help',
  'home',
  'themes',
  'about',
  'stop',
  'start',
  'callback',
  'language',
  'next',
  'nextItem',
  'previous',
  'previousItem',
  'back',
  'text',
  'feedback',
  'wrong',
  // news and follow-up
  'subscribe',
  'unsubscribe',
  'news',
  'followUp',
  // "recommandation", "thème"
  'recWord',
  'themeWord',
] as const;

/**
 * The classes of words the text parser knows (src/core/intents.ts): each catalog lists, per
 * class, the words and phrases its speakers type for it ("suivante" is `nextItem` in French,
 * "next one" in English, "a nɔfɛta" in Bambara). Folded like a message before matching (case,
 * accents, ɛ→e, apostrophes as spaces), so "Précédente" and "precedente" are one entry. A
 * phrase may sit in several classes ("this" is `current` and `self`); the parser decides from
 * the rest of the message. Words found in one language only are evidence of that language.
 */
export const WORD_CLASSES = [
  ...COMMAND_WORD_CLASSES,
  // "c'est appliqué ?", "ou en sont les recommandations", "elle", "cette recommandation"
  'done',
  'general',
  'current',
  // references: "la 215", "41 du thème 1", "the third one"
  'article',
  'of',
  'ordinal1',
  'ordinal2',
  'ordinal3',
  'ordinal4',
  'ordinal5',
  'ordinal6',
  'ordinal7',
  'ordinal8',
  'ordinal9',
  'ordinal10',
  'ordinalLast',
  'ordinalSuffix',
  // social and questions about the service itself
  'greeting',
  'thanks',
  'ack',
  'polite',
  'ask',
  'self',
  'how',
  // words that carry no subject: function words, request verbs ("je veux", "show me")
  'filler',
] as const;

export type WordClass = (typeof WORD_CLASSES)[number];

const WordsSchema = z.partialRecord(z.enum(WORD_CLASSES), z.array(z.string().trim().min(1)));
export type Words = z.infer<typeof WordsSchema>;

// --- review state -------------------------------------------------------------------------

const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(s).toISOString().startsWith(s), {
    message: 'date is not a real calendar day',
  });

/**
 * `draft` may already name a reviewer who started; `reviewed` must name one and a date. There
 * is no third state: an entry is either checked by a person or it is ours.
 */
export const ReviewSchema = z.discriminatedUnion('state', [
  z
    .object({
      state: z.literal('draft'),
      reviewer: z.string().trim().min(1).nullable(),
      date: IsoDateSchema.nullable(),
      note: z.string().optional(),
    })
    .strict(),
  z
    .object({
      state: z.literal('reviewed'),
      reviewer: z.string({ error: 'reviewed needs a reviewer (a name, not null)' }).trim().min(1),
      date: IsoDateSchema,
      note: z.string().optional(),
    })
    .strict(),
]);
export type Review = z.infer<typeof ReviewSchema>;

/** Strict, so a misspelt field is reported; a review claims a named reviewer and a real date. */
const CatalogMetaSchema = LanguageMetaSchema.extend({ review: ReviewSchema }).strict();

const Texts = z.record(z.string(), z.string().trim().min(1, 'empty text'));

export const CatalogFileSchema = z
  .object({
    meta: CatalogMetaSchema,
    messages: Texts,
    /** The parser's words in this language; absent: the language is read by its keywords only. */
    words: WordsSchema.optional(),
    /**
     * The operators' console in this language (no citizen reads it); absent: the console is not
     * offered in it. Checked against French's like `messages`.
     */
    console: Texts.optional(),
  })
  .strict();
export type CatalogFile = z.infer<typeof CatalogFileSchema>;
export type LoadedCatalog = CatalogFile;

export class CatalogError extends StartupError {
  constructor(message: string) {
    super('language catalog', message);
  }
}

export const placeholdersOf = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/** Parses one catalog file; `source` names it in errors. */
export function parseCatalog(json: string, source: string): LoadedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new CatalogError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = CatalogFileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CatalogError(`${source}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return result.data;
}

// --- the one set of rules ---------------------------------------------------------------

export interface Problem {
  file: string;
  key: string;
  what: string;
}

export const formatProblem = (p: Problem): string => `${p.file}: ${p.key}: ${p.what}`;

/**
 * What SMS, USSD and voice show for a text (src/text/gsm7.ts): `letters`, a language's letters
 * GSM-7 lacks with their spelling (its `meta.letters`); default: the installed catalogs'.
 */
export function toPhoneText(text: string, letters?: LetterSpellings): string {
  return toGsm7(text, undefined, letters);
}

/** Characters that the phone transliteration would turn into '?' or drop (a lone tone mark). */
export function unphoneable(text: string, letters?: LetterSpellings): string[] {
  const bad = new Set<string>();
  for (const ch of text.normalize('NFC')) {
    if (ch === '?') continue;
    const shown = toPhoneText(ch, letters);
    if (shown.includes('?') || shown === '') bad.add(ch);
  }
  return [...bad];
}

export const describeChars = (chars: string[]): string =>
  chars.map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');

/**
 * SMS and USSD show these keys (and the shared `common` ones). Telegram, WhatsApp and the web page
 * carry any character: their own keys, the buttons' words (`button.*`) and what only a screen
 * with buttons says (`nav.useButtons`); the rest may reach SMS, USSD or voice.
 */
const CHAT_ONLY = ['tg.', 'web.', 'wa.', 'button.', 'nav.useButtons'];
export const isPhoneKey = (key: string): boolean => !CHAT_ONLY.some((prefix) => key.startsWith(prefix));
const isScreenBudgetKey = (key: string): boolean => key.startsWith('ussd.') || key.startsWith('sms.');
/** One USSD screen or one GSM-7 SMS: a ussd.* or sms.* sentence never needs more. */
export const SCREEN_MAX = 160;

/** French's texts, which every other catalog is checked against. */
export interface CatalogReference {
  messages: Record<string, string>;
  console?: Record<string, string>;
}

export interface CatalogCheck {
  problems: Problem[];
  /** Not errors: a USSD/SMS string longer than its French, which may not fit the same screen. */
  warnings: Problem[];
  /** Keys of French's messages this catalog lacks (French shows instead). */
  missing: string[];
}

/**
 * Checks one catalog against French's: no key French lacks, the same placeholders, nothing a
 * phone cannot show in a sentence that may reach one, a ussd.* or sms.* sentence within one
 * screen, and every key present unless the language is marked `incomplete` (then `missing`
 * lists what French stands in for). The console section follows the same rules. The one set of
 * rules: start-up (`checkCatalogs`) and the reviewers' check (`validateCatalog`) both use it.
 */
export function checkCatalog(catalog: CatalogFile, reference: CatalogReference, file: string): CatalogCheck {
  const check: CatalogCheck = { problems: [], warnings: [], missing: [] };
  const problem = (key: string, what: string) => check.problems.push({ file, key, what });
  const letters = new Map(Object.entries(catalog.meta.letters ?? {}));
  for (const [letter, spelling] of letters) {
    if (isGsm7(letter)) problem(`meta.letters.${letter}`, 'GSM-7 has this letter: it needs no spelling');
    if (!isGsm7(spelling)) problem(`meta.letters.${letter}`, `"${spelling}" is not GSM-7`);
  }
  check.missing = Object.keys(reference.messages).filter((key) => !(key in catalog.messages));
  if (!catalog.meta.incomplete)
    for (const key of check.missing) problem(key, `missing (French: "${reference.messages[key]}")`);
  const compare = (key: string, text: string, french: string | undefined): boolean => {
    if (french === undefined) {
      problem(key, `not in the French catalog (misspelt or removed key)`);
      return false;
    }
    const want = placeholdersOf(french);
    const got = placeholdersOf(text);
    if (want.join(',') !== got.join(','))
      problem(
        key,
        `placeholders ${got.map((p) => `{${p}}`).join(' ') || '(none)'} differ from French ${want.map((p) => `{${p}}`).join(' ') || '(none)'}`,
      );
    return true;
  };
  for (const [key, text] of Object.entries(catalog.messages)) {
    const french = reference.messages[key];
    if (!compare(key, text, french)) continue;
    if (isPhoneKey(key)) {
      const bad = unphoneable(text, letters);
      if (bad.length > 0) problem(key, `${describeChars(bad)} would reach SMS/USSD as "?"`);
    }
    if (isScreenBudgetKey(key)) {
      const ours = gsm7Length(toPhoneText(text, letters));
      const theirs = gsm7Length(toPhoneText(french!, letters));
      // A placeholder counted as two characters (a page count, a number): the sentence's own budget.
      const own = gsm7Length(toPhoneText(text.replace(/\{\w+\}/g, '00'), letters));
      if (own > SCREEN_MAX)
        problem(key, `${own} characters on a phone, more than one screen or SMS (${SCREEN_MAX})`);
      else if (ours > theirs)
        check.warnings.push({ file, key, what: `${ours} characters on a phone, French has ${theirs}` });
    }
  }
  // A reference without its console section (French's messages alone) leaves the section unchecked.
  if (catalog.console && reference.console) {
    const french = reference.console;
    for (const [key, text] of Object.entries(catalog.console)) compare(`console.${key}`, text, french[key]);
    if (!catalog.meta.incomplete)
      for (const key of Object.keys(french))
        if (!(key in catalog.console)) problem(`console.${key}`, `missing (French: "${french[key]}")`);
  }
  return check;
}

/**
 * Checks catalogs against each other, then each against French (`checkCatalog`): French
 * present, codes, keywords and orders unique. The first problem stops start-up with one line.
 */
export function checkCatalogs(catalogs: LoadedCatalog[], source: string): LoadedCatalog[] {
  const reference = catalogs.find((c) => c.meta.code === REFERENCE_LANG);
  if (!reference) throw new CatalogError(`${source}: no ${REFERENCE_LANG}.json, the reference catalog`);
  const seen = {
    codes: new Set<string>(),
    keywords: new Map<string, string>(),
    orders: new Map<number, string>(),
    letters: new Map<string, { spelling: string; code: string }>(),
  };
  for (const catalog of catalogs) {
    const { meta } = catalog;
    const where = `${source}/${meta.code}.json`;
    if (seen.codes.has(meta.code)) throw new CatalogError(`${where}: code ${meta.code} twice`);
    seen.codes.add(meta.code);
    const sameOrder = seen.orders.get(meta.order);
    if (sameOrder) throw new CatalogError(`${where}: order ${meta.order} is already ${sameOrder}'s`);
    seen.orders.set(meta.order, meta.code);
    for (const keyword of meta.keywords) {
      const owner = seen.keywords.get(keyword);
      if (owner) throw new CatalogError(`${where}: keyword ${keyword} is already ${owner}'s`);
      seen.keywords.set(keyword, meta.code);
    }
    // One spelling a letter: SMS and USSD write every language's letters the same way.
    for (const [letter, spelling] of Object.entries(meta.letters ?? {})) {
      const other = seen.letters.get(letter);
      if (other && other.spelling !== spelling)
        throw new CatalogError(`${where}: letter ${letter} is spelt "${other.spelling}" by ${other.code}`);
      seen.letters.set(letter, { spelling, code: meta.code });
    }
    const { problems } = checkCatalog(catalog, reference, where);
    const other = problems.find((p) => !p.what.startsWith('missing'));
    if (other) throw new CatalogError(formatProblem(other));
    if (problems.length > 0)
      throw new CatalogError(
        `${where}: lacks ${problems.length} key(s) (${problems
          .slice(0, 3)
          .map((p) => p.key)
          .join(', ')}…); add them or mark meta.incomplete`,
      );
  }
  return [...catalogs].sort((a, b) => a.meta.order - b.meta.order);
}

/** The keys of the reference a catalog lacks (French shows instead). */
export function missingKeys(reference: LoadedCatalog, catalog: LoadedCatalog): string[] {
  return Object.keys(reference.messages).filter((key) => catalog.messages[key] === undefined);
}

/** Every <code>.json of a directory, checked; in menu order. */
export function loadCatalogs(dir: string): LoadedCatalog[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch (error) {
    throw new CatalogError(`cannot read the language catalogs in ${dir}: ${(error as Error).message}`);
  }
  const catalogs = files.map((file) => {
    const path = join(dir, file);
    const catalog = parseCatalog(readFileSync(path, 'utf8'), path);
    if (`${catalog.meta.code}.json` !== file)
      throw new CatalogError(`${path}: meta.code ${catalog.meta.code} does not match the file name`);
    return catalog;
  });
  return checkCatalogs(catalogs, dir);
}
