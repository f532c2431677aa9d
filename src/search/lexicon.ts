import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fold } from '../core/normalize.js';
import type { Lang } from '../core/refs.js';

/**
 * Shape of content/lexicon.json: our own search aid, not the report's words.
 * - abbreviations: an SMS shorthand replaced by what it stands for ("pr" → "pour").
 * - synonyms, and `words` per language (en, or any catalog's code): a word or phrase people type,
 *   mapped to words that occur in the recommendations; the search tries them as alternatives
 *   for that query word, and a word of another language says which language to answer in.
 */
const Term = z.string().trim().min(1);

const BambaraEntry = z.object({
  /** What the word means, in English, for reviewers. */
  means: Term,
  /** How people type it on a phone without ɛ ɔ ɲ ŋ (è/e, ò/o, ny, ng). They fold to the same key. */
  gsm: z.array(Term),
  /** Words of the recommendations it points to. */
  targets: z.array(Term).min(1),
});

const LexiconSchema = z.object({
  note: z.string().min(1),
  abbreviations: z.record(Term, Term),
  synonyms: z.record(Term, z.array(Term).min(1)),
  /**
   * Search words of a language other than French, by its catalog code (`en`; a new language adds
   * its own): what it maps to, and evidence that a message is written in it.
   */
  words: z.record(z.string().regex(/^[a-z]{2,3}$/, 'a catalog code'), z.record(Term, z.array(Term).min(1))),
  /** A word people use for a whole theme ("insécurité" → theme 4): the answer offers the theme. */
  topics: z.record(Term, z.number().int().min(1).max(9)).default({}),
  /**
   * Subjects the report never names (checked against the text by a test): a query about them
   * is answered "the report does not speak of it", never with loosely related items.
   */
  notInReport: z.array(Term).default([]),
  /**
   * Words the report uses that name no subject on their own ("monde", "pays", "nouveau",
   * "people"): a query whose only known words are these, beside a word the search does not
   * know ("qui est le plus riche du monde"), is not about the report.
   */
  generic: z.array(Term).default([]),
  /**
   * Names in the report whose words do not mean what they say alone ("Eaux et Forêts" is the
   * forestry service, not water): indexed as one name, so "eau" does not find them and the
   * whole name does.
   */
  names: z.array(Term).default([]),
  bambara: z
    .object({
      note: z.string().min(1),
      /** Written by us; `draft` until a native speaker reviews it (reviewer stays null until then). */
      review: z.object({ state: z.enum(['draft', 'reviewed']), reviewer: z.string().nullable() }),
      entries: z.record(Term, BambaraEntry),
    })
    .optional(),
});

export type LexiconFile = z.input<typeof LexiconSchema>;

/** The lexicon folded once (accent- and case-free keys and values) for the search. */
export interface Lexicon {
  /** Single folded token → replacement tokens. */
  abbreviations: Map<string, string[]>;
  /** Folded key (one or more tokens joined by a space) → folded target words. */
  expansions: Map<string, string[]>;
  /** Longest key length in tokens, so the search knows how far to look for phrases. */
  longestKey: number;
  /** Single-word keys in French (synonyms, Bambara): the only ones a spelling correction may offer. */
  frenchKeys: Set<string>;
  /** Folded key → theme number. */
  topics: Map<string, number>;
  /** Folded words the report never names. */
  notInReport: Set<string>;
  /** Folded words that name no subject on their own. */
  generic: Set<string>;
  /** Single-word keys of the `words` and Bambara sections, by language ("water" → en). */
  languages: Map<string, Lang>;
  /** Folded names of several words ("eaux et forets"). */
  names: string[];
}

export class LexiconError extends Error {}

function words(text: string): string[] {
  const folded = fold(text);
  return folded === '' ? [] : folded.split(' ');
}

export function buildLexicon(file: LexiconFile): Lexicon {
  const abbreviations = new Map<string, string[]>();
  for (const [key, value] of Object.entries(file.abbreviations)) {
    const k = words(key);
    if (k.length !== 1) throw new LexiconError(`abbreviation "${key}" must be a single word`);
    abbreviations.set(k[0]!, words(value));
  }
  const expansions = new Map<string, string[]>();
  const frenchKeys = new Set<string>();
  const languages = new Map<string, Lang>();
  let longestKey = 1;
  const add = (key: string, values: string[], french: boolean, lang?: Lang): void => {
    const k = words(key);
    if (k.length === 0) throw new LexiconError(`lexicon key "${key}" has no letters`);
    longestKey = Math.max(longestKey, k.length);
    const joined = k.join(' ');
    if (french && k.length === 1) frenchKeys.add(joined);
    if (lang && k.length === 1) languages.set(joined, lang);
    const targets = new Set(expansions.get(joined) ?? []);
    for (const value of values) for (const w of words(value)) targets.add(w);
    expansions.set(joined, [...targets]);
  };
  for (const [key, values] of Object.entries(file.synonyms)) add(key, values, true);
  for (const [lang, entries] of Object.entries(file.words))
    for (const [key, values] of Object.entries(entries)) add(key, values, false, lang);
  for (const [key, entry] of Object.entries(file.bambara?.entries ?? {})) {
    for (const spelling of entry.gsm) {
      if (words(spelling).join(' ') !== words(key).join(' ')) add(spelling, entry.targets, false, 'bm');
    }
    add(key, entry.targets, false, 'bm');
  }
  const topics = new Map<string, number>();
  for (const [key, theme] of Object.entries(file.topics ?? {})) topics.set(words(key).join(' '), theme);
  const notInReport = new Set<string>();
  for (const key of file.notInReport ?? []) {
    const k = words(key);
    if (k.length !== 1) throw new LexiconError(`notInReport "${key}" must be a single word`);
    notInReport.add(k[0]!);
  }
  const generic = new Set<string>();
  for (const key of file.generic ?? []) {
    const k = words(key);
    if (k.length !== 1) throw new LexiconError(`generic "${key}" must be a single word`);
    generic.add(k[0]!);
  }
  // A French word is no evidence of another language ("information" is both).
  for (const key of frenchKeys) languages.delete(key);
  const names: string[] = [];
  for (const name of file.names ?? []) {
    const k = words(name);
    if (k.length < 2) throw new LexiconError(`name "${name}" must have several words`);
    longestKey = Math.max(longestKey, k.length);
    names.push(k.join(' '));
  }
  return {
    abbreviations,
    expansions,
    longestKey,
    frenchKeys,
    topics,
    notInReport,
    generic,
    languages,
    names,
  };
}

export function parseLexicon(json: string, source = 'lexicon'): Lexicon {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new LexiconError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = LexiconSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 10)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new LexiconError(`${source} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return buildLexicon(result.data);
}

export function loadLexicon(path: string): Lexicon {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LexiconError(`cannot read lexicon ${path}: ${(error as Error).message}`);
  }
  return parseLexicon(json, path);
}

/** An empty lexicon, for callers that want the search without one. */
export const EMPTY_LEXICON: Lexicon = {
  abbreviations: new Map(),
  expansions: new Map(),
  longestKey: 1,
  frenchKeys: new Set(),
  topics: new Map(),
  notInReport: new Set(),
  generic: new Set(),
  languages: new Map(),
  names: [],
};
