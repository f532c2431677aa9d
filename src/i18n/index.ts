// Type only (erased): the reference catalog's keys are the MessageKey type, so a key that
// French lacks does not compile.
import type reference from '../../content/i18n/fr.json';
import type { Lang } from '../core/refs.js';
import {
  loadCatalogs,
  missingKeys,
  REFERENCE_LANG,
  type LanguageMeta,
  type LoadedCatalog,
  type Words,
} from './catalog.js';
import { compileCues, hasCues, type LanguageCues } from './detect.js';
import { useLanguageLetters, type LetterSpellings } from '../text/gsm7.js';

export { COMMAND_WORD_CLASSES, REFERENCE_LANG, WORD_CLASSES, type WordClass } from './catalog.js';

/**
 * The supported languages and their UI strings, as data: content/i18n/<code>.json, one file per
 * language (see catalog.ts for the rules). Every sentence a person reads that is not the
 * report's own words comes from there. Placeholders are written {name}. Menus, SMS keywords,
 * Telegram locales and the simulator's picker are generated from `languages()`: adding a
 * language is a catalog file (and lexicon entries for its search words), nothing else.
 */
export type MessageKey = keyof (typeof reference)['messages'];

export interface Language extends LanguageMeta {
  /** Keys this language lacks (French shows instead); empty for a complete catalog. */
  missing: readonly string[];
}

interface Languages {
  list: readonly Language[];
  /** The operators' console's texts per language that has a `console` section (French's stand in). */
  console: Map<string, Record<string, string>>;
  /** Each language's parser words (catalog `words`), in menu order. */
  words: ReadonlyArray<LanguageWords>;
  byCode: Map<string, { language: Language; messages: Record<string, string> }>;
  byLocale: Map<string, Lang>;
  byKeyword: Map<string, Lang>;
  /** The languages whose catalog says what marks a message as theirs (`meta.detect`). */
  cues: ReadonlyArray<{ code: Lang; cues: LanguageCues }>;
  /** Each language's letters GSM-7 lacks (`meta.letters`), and all of them with their spelling. */
  ownLetters: Map<string, ReadonlySet<string>>;
  spellings: LetterSpellings;
}

function index(catalogs: LoadedCatalog[]): Languages {
  const reference = catalogs.find((c) => c.meta.code === REFERENCE_LANG)!;
  const byCode = new Map<string, { language: Language; messages: Record<string, string> }>();
  const byLocale = new Map<string, Lang>();
  const byKeyword = new Map<string, Lang>();
  for (const catalog of catalogs) {
    const language: Language = { ...catalog.meta, missing: missingKeys(reference, catalog) };
    byCode.set(language.code, { language, messages: { ...reference.messages, ...catalog.messages } });
    for (const locale of language.locales) if (!byLocale.has(locale)) byLocale.set(locale, language.code);
    for (const keyword of language.keywords) byKeyword.set(keyword, language.code);
  }
  const list = [...byCode.values()].map((entry) => entry.language);
  const console = new Map<string, Record<string, string>>();
  for (const catalog of catalogs)
    if (catalog.console) console.set(catalog.meta.code, { ...reference.console, ...catalog.console });
  const words = catalogs.map((catalog) => ({
    code: catalog.meta.code,
    words: catalog.words ?? {},
    commands: commandWords(catalog.messages),
  }));
  const cues = catalogs.flatMap((catalog) =>
    catalog.meta.detect ? [{ code: catalog.meta.code, cues: compileCues(catalog.meta.detect) }] : [],
  );
  const ownLetters = new Map(
    catalogs.map((catalog) => [catalog.meta.code, new Set(Object.keys(catalog.meta.letters ?? {}))]),
  );
  const spellings = new Map(catalogs.flatMap((catalog) => Object.entries(catalog.meta.letters ?? {})));
  // Every GSM-7 text (SMS, USSD, voice) writes the languages' own letters with their spelling.
  useLanguageLetters(spellings);
  return { list, console, words, byCode, byLocale, byKeyword, cues, ownLetters, spellings };
}

/** CATALOG_DIR (cwd-relative like CONTENT_FILE) or content/i18n, read once on first use. */
const DEFAULT_CATALOG_DIR = 'content/i18n';
let installed: Languages | undefined;

function current(): Languages {
  installed ??= index(loadCatalogs(process.env.CATALOG_DIR || DEFAULT_CATALOG_DIR));
  return installed;
}

/**
 * Loads and checks the catalogs of `dir` and makes them the ones every channel reads. Called at
 * start-up with the configured directory (a broken catalog throws a CatalogError there); a test
 * calls it with a temporary directory to add a language.
 */
export function installCatalogs(dir: string = DEFAULT_CATALOG_DIR): readonly Language[] {
  installed = index(loadCatalogs(dir));
  return installed.list;
}

export interface LanguageWords {
  code: Lang;
  words: Words;
  /**
   * The words its messages tell people to type, in capitals ("THEMES", "SUITE", "TEXTE 2.15"),
   * folded to lower case: a Bambara reader told to send TEXTE is not writing French when they do.
   */
  commands: ReadonlySet<string>;
}

function commandWords(messages: Record<string, string>): Set<string> {
  const out = new Set<string>();
  for (const text of Object.values(messages))
    for (const [word] of text.matchAll(/\b[A-Z][A-Z]{2,}\b/g)) out.add(word.toLowerCase());
  return out;
}

/** The languages a message shows the marks of (their letters or words, `meta.detect`), in menu order. */
export function languagesCuedBy(text: string): Lang[] {
  return current()
    .cues.filter((entry) => hasCues(entry.cues, text))
    .map((entry) => entry.code);
}

/**
 * A language's letters GSM-7 lacks (`meta.letters`): what its SMS keep when they go out in
 * UCS-2. Empty for a language GSM-7 writes.
 */
export function ownLetters(lang: Lang): ReadonlySet<string> {
  return current().ownLetters.get(lang) ?? NO_LETTERS;
}
const NO_LETTERS: ReadonlySet<string> = new Set();

/** Every installed language's letters GSM-7 lacks, with the GSM-7 spelling of each. */
export function letterSpellings(): LetterSpellings {
  return current().spellings;
}

/**
 * Every language's parser words, in menu order. The same array (by identity) until the catalogs
 * are installed again, so a parser can build its index once per installation.
 */
export function languageWords(): ReadonlyArray<LanguageWords> {
  return current().words;
}

/**
 * Makes `messages` the served sentences of `lang` (the reference's stand in for keys it lacks),
 * keeping the rest: how a translation published from the console reaches every channel at once
 * (src/translations/live.ts). A key French lacks, or a language not installed, is ignored; the
 * next installCatalogs() puts the files back.
 */
export function overrideMessages(lang: Lang, messages: Record<string, string>): void {
  const { byCode } = current();
  const entry = byCode.get(lang);
  const reference = byCode.get(REFERENCE_LANG)!.messages;
  if (!entry || lang === REFERENCE_LANG) return;
  const known = Object.fromEntries(Object.entries(messages).filter(([key]) => key in reference));
  byCode.set(lang, { ...entry, messages: { ...reference, ...known } });
}

/** The supported languages, in menu order (French first). */
export function languages(): readonly Language[] {
  return current().list;
}

/** The codes of the supported languages, in menu order: every list of languages is this one. */
export function languageCodes(): Lang[] {
  return languages().map((language) => language.code);
}

/** True when the language's translation file must summarise every recommendation (`meta.summaries`). */
export function withSummaries(code: string): boolean {
  return current().byCode.get(code)?.language.summaries === true;
}

/** The eSpeak NG voice of a language (`meta.speech`), undefined when it is recorded only. */
export function speechVoice(code: string): string | undefined {
  return current().byCode.get(code)?.language.speech;
}

/** The languages the operators' console is offered in (catalogs with a `console` section), in menu order. */
export function consoleLanguages(): readonly Language[] {
  const { console } = current();
  return languages().filter((language) => console.has(language.code));
}

/** A console text (`console` section of the catalogs); French's when the language has no console. */
export function consoleText(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const { console } = current();
  const template = (console.get(lang) ?? console.get(REFERENCE_LANG))?.[key] ?? key;
  return fill(template, params);
}

const fill = (template: string, params: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

export function isLang(code: unknown): code is Lang {
  return typeof code === 'string' && current().byCode.has(code);
}

/** A stored or received code made safe: a supported language, else French. */
export function toLang(code: unknown): Lang {
  return isLang(code) ? code : REFERENCE_LANG;
}

/** Telegram's `language_code` ("en", "en-GB", "pt-br") to a supported language, else French. */
export function langFromLocale(locale: string | undefined): Lang {
  const prefix = locale?.toLowerCase().split(/[-_]/)[0] ?? '';
  return current().byLocale.get(prefix) ?? REFERENCE_LANG;
}

/** A word typed to switch language ("en", "Francais"): the language, or undefined. */
export function langFromKeyword(word: string): Lang | undefined {
  return current().byKeyword.get(word.toUpperCase());
}

export interface LanguageMenuEntry {
  code: Lang;
  /** The language's own name. */
  label: string;
  /** The word that picks it by text (FR, EN). */
  keyword: string;
  /** 1-based position: the key to press on a numbered menu. */
  position: number;
}

/** The language menu every channel shows, in order. */
export function languageMenu(): LanguageMenuEntry[] {
  return languages().map((language, i) => ({
    code: language.code,
    label: language.name,
    keyword: language.keywords[0]!,
    position: i + 1,
  }));
}

/** "FR (Français) ou EN (English)": the choices written out, for text channels. */
export function languageChoices(lang: Lang): string {
  const items = languageMenu().map((entry) => `${entry.keyword} (${entry.label})`);
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t(lang, 'language.or')} ${items[items.length - 1]}`;
}

/** "FR/EN/BM": every language's keyword, in menu order (help texts list them, a new one included). */
export function languageKeywords(): string {
  return languageMenu()
    .map((entry) => entry.keyword)
    .join('/');
}

/**
 * A date of ours (YYYY-MM-DD, a follow-up's, the report's) as the language writes it, with Intl:
 * "8 juillet 2025", "8 July 2025", "8 zuluye 2025". People never read an ISO date.
 */
export function formatDate(iso: string, lang: Lang): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(dateLocaleOf(lang), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** The language's Intl locale for dates. */
export function dateLocaleOf(lang: Lang): string {
  const language = current().byCode.get(lang)?.language;
  return language?.dateLocale ?? language?.code ?? REFERENCE_LANG;
}

/** Every text a key has across the languages (command names that must all be understood). */
export function allTextsOf(key: MessageKey): string[] {
  return [...new Set(languages().map((language) => t(language.code, key)))];
}

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const { byCode } = current();
  const template = (byCode.get(lang) ?? byCode.get(REFERENCE_LANG)!).messages[key] ?? key;
  return fill(template, params);
}

/** The base of a key written per plural form (`tg.resultsCount.one`, `tg.resultsCount.other`). */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

/**
 * A sentence with a count, in the grammatical number the language wants: the catalog holds
 * `<key>.<form>` for the forms of Intl.PluralRules (one, other, few…) of the language's locale;
 * `.other` is required, a missing form falls back to it. `{count}` is filled in.
 */
export function tp(
  lang: Lang,
  key: PluralKey,
  count: number,
  params: Record<string, string | number> = {},
): string {
  const form = new Intl.PluralRules(dateLocaleOf(lang)).select(count);
  const { byCode } = current();
  const messages = (byCode.get(lang) ?? byCode.get(REFERENCE_LANG)!).messages;
  const full = `${key}.${form}` in messages ? `${key}.${form}` : `${key}.other`;
  return t(lang, full as MessageKey, { count, ...params });
}

/** Every key of the reference catalog, optionally only those starting with `prefix` ("web."). */
export function messageKeys(prefix = ''): MessageKey[] {
  const reference = current().byCode.get(REFERENCE_LANG)!.messages;
  return (Object.keys(reference) as MessageKey[]).filter((key) => key.startsWith(prefix));
}
