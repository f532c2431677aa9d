import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors.js';

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

export const LanguageMetaSchema = z.object({
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
  review: z.object({
    state: z.enum(['reviewed', 'draft']),
    reviewer: z.string().min(1).nullable(),
    date: z.string().min(1).nullable(),
    note: z.string().optional(),
  }),
});

export type LanguageMeta = z.infer<typeof LanguageMetaSchema>;

/**
 * The classes of words the text parser knows (src/core/intents.ts): each catalog lists, per
 * class, the words and phrases its speakers type for it ("suivante" is `nextItem` in French,
 * "next one" in English, "a nɔfɛta" in Bambara). Folded like a message before matching (case,
 * accents, ɛ→e, apostrophes as spaces), so "Précédente" and "precedente" are one entry. A
 * phrase may sit in several classes ("this" is `current` and `self`); the parser decides from
 * the rest of the message. Words found in one language only are evidence of that language.
 */
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

export const WordsSchema = z.partialRecord(z.enum(WORD_CLASSES), z.array(z.string().trim().min(1)));
export type Words = z.infer<typeof WordsSchema>;

const CatalogFileSchema = z.object({
  meta: LanguageMetaSchema,
  messages: z.record(z.string(), z.string().min(1)),
  /** The parser's words in this language; absent: the language is read by its keywords only. */
  words: WordsSchema.optional(),
});

export interface LoadedCatalog {
  meta: LanguageMeta;
  messages: Record<string, string>;
  words?: Words;
}

export class CatalogError extends StartupError {
  constructor(message: string) {
    super('language catalog', message);
  }
}

export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort();
}

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

/**
 * Checks catalogs against each other: French present and first among equals, codes, keywords
 * and orders unique, no key French lacks, the same placeholders as French, and every key
 * present unless the language is marked `incomplete`.
 */
export function checkCatalogs(catalogs: LoadedCatalog[], source: string): LoadedCatalog[] {
  const reference = catalogs.find((c) => c.meta.code === REFERENCE_LANG);
  if (!reference) throw new CatalogError(`${source}: no ${REFERENCE_LANG}.json, the reference catalog`);
  const seen = {
    codes: new Set<string>(),
    keywords: new Map<string, string>(),
    orders: new Map<number, string>(),
  };
  for (const { meta, messages } of catalogs) {
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
    for (const [key, text] of Object.entries(messages)) {
      const french = reference.messages[key];
      if (french === undefined)
        throw new CatalogError(`${where}: unknown key ${key} (not in ${REFERENCE_LANG}.json)`);
      const want = placeholders(french).join(',');
      const got = placeholders(text).join(',');
      if (want !== got)
        throw new CatalogError(`${where}: ${key} has placeholders {${got}} where French has {${want}}`);
    }
    if (!meta.incomplete) {
      const lacking = missingKeys(reference, { meta, messages });
      if (lacking.length > 0)
        throw new CatalogError(
          `${where}: lacks ${lacking.length} key(s) (${lacking.slice(0, 3).join(', ')}…); add them or mark meta.incomplete`,
        );
    }
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
