import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fold } from '../core/normalize.js';
import type { Problem } from '../i18n/catalog.js';

/**
 * A language's glossary (content/i18n/glossary/<lang>.json): for each concept, the term our
 * texts use, the terms they must not use, the evidence (dictionary, news corpus) and how sure
 * it is. A check holds every string of the language to it:
 * - a rejected term appears nowhere (the catalog, the labels and summaries, the lexicon's
 *   headwords, unless a term is marked as a word people type, kept for search only);
 * - where an entry names places (`required`), the preferred term is used there;
 * - one spelling per word: two spellings that differ only by ɛ/e, ɔ/o, ɲ/ny or a doubled vowel
 *   (weele/wele, laadilikan/ladilikan) are a problem, unless the glossary lists them as
 *   different words (`distinct`: tɛ "not" and te "tea").
 * Entries are ours until a native speaker reviews them; the glossary says so in `review`.
 */

const Term = z.string().trim().min(1);
const Count = z.number().int().min(0);

const GlossaryTermSchema = z
  .object({
    concept: Term,
    /** The French word(s) of the report or the interface it stands for. */
    fr: Term,
    preferred: Term,
    /** Other terms of the same family our texts may use (a related form, not a spelling). */
    also: z.array(Term).default([]),
    rejected: z.array(Term).default([]),
    /** Rejected terms people still type: allowed as lexicon search words, never in our texts. */
    searchWords: z.array(Term).default([]),
    /** `catalog:<key>`, `theme:<n>`, `label:<id>`, `summary:<id>`: the preferred term must be there. */
    required: z.array(Term).default([]),
    /** Per term: Bamadaba's gloss (null when it has no such headword or variant) and Kibaru hits. */
    evidence: z.record(Term, z.object({ bamadaba: z.string().nullable(), kibaru: Count }).strict()),
    note: Term,
    confidence: z.enum(['sure', 'likely', 'unsure']),
    /** `applied`: our texts follow it and the check enforces it; `not applied`: recorded, not enforced. */
    status: z.enum(['applied', 'not applied']),
  })
  .strict();

const GlossarySchema = z
  .object({
    lang: z.string().regex(/^[a-z]{2,3}$/),
    note: Term,
    sources: z.record(Term, Term),
    review: z
      .object({
        state: z.enum(['draft', 'reviewed']),
        reviewer: z.string().min(1).nullable(),
        date: z.string().nullable(),
      })
      .strict(),
    terms: z.array(GlossaryTermSchema).min(1),
    /** Words that look like two spellings of one word but are different words (gloss each). */
    distinct: z.array(z.object({ words: z.array(Term).min(2), why: Term }).strict()).default([]),
  })
  .strict();
export type Glossary = z.infer<typeof GlossarySchema>;

export const glossaryPath = (lang: string, dir = 'content/i18n/glossary'): string => `${dir}/${lang}.json`;

class GlossaryError extends Error {}

export function parseGlossary(json: string, source: string): Glossary {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new GlossaryError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = GlossarySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new GlossaryError(`${source}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return result.data;
}

/** The glossary of `lang`, or undefined when the language has none. */
export function loadGlossary(lang: string, dir?: string): Glossary | undefined {
  const path = glossaryPath(lang, dir);
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseGlossary(json, path);
}

/** One string of the language and where it lives (`catalog:help.text`, `summary:2.15`). */
export interface LangText {
  where: string;
  text: string;
  /** Lexicon headwords are search input: rejected terms marked `searchWords` are allowed there. */
  kind: 'text' | 'search';
}

/** The strings of a language to hold to its glossary. */
export function langTexts(parts: {
  catalog?: Record<string, string>;
  content?: {
    themes: Record<string, { name: string }>;
    recommendations: Record<string, { label: string; summary?: string }>;
  };
  lexiconWords?: string[];
}): LangText[] {
  const texts: LangText[] = [];
  for (const [key, text] of Object.entries(parts.catalog ?? {}))
    texts.push({ where: `catalog:${key}`, text, kind: 'text' });
  for (const [id, theme] of Object.entries(parts.content?.themes ?? {}))
    texts.push({ where: `theme:${id}`, text: theme.name, kind: 'text' });
  for (const [id, rec] of Object.entries(parts.content?.recommendations ?? {})) {
    texts.push({ where: `label:${id}`, text: rec.label, kind: 'text' });
    if (rec.summary !== undefined) texts.push({ where: `summary:${id}`, text: rec.summary, kind: 'text' });
  }
  for (const word of parts.lexiconWords ?? [])
    texts.push({ where: `lexicon:${word}`, text: word, kind: 'search' });
  return texts;
}

/** Lower-case words of a text, placeholders and digits left out ("k'a" → k, a). */
function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .replace(/\{\w+\}/g, ' ')
      .toLowerCase()
      .match(/[\p{Script=Latin}\p{M}]+/gu) ?? []
  );
}

/**
 * Does `words` contain `term` (one or more words; the last may take the plural -w)? A term is
 * written in the form that must not appear: "kamalen" catches kamalen and kamalenw, "bolilaw"
 * only bolilaw (bolila "fled" is another word).
 */
function contains(words: string[], term: string): boolean {
  const want = wordsOf(term);
  if (want.length === 0) return false;
  const last = want[want.length - 1]!;
  const lastForms = new Set([last, `${last}w`]);
  for (let i = 0; i + want.length <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < want.length - 1 && ok; j++) ok = words[i + j] === want[j];
    if (ok && lastForms.has(words[i + want.length - 1]!)) return true;
  }
  return false;
}

/**
 * The key two spellings of one word share: folded (ɛ→e, ɔ→o, ɲ→ny, ŋ→ng, no accents) with
 * doubled vowels made single. wele/weele, laadilikan/ladilikan, diine/diinɛ share one.
 */
const spellingKey = (word: string): string => fold(word).replace(/([aeiou])\1+/g, '$1');

/** Every way `texts` break `glossary`. `file` names the file in the problems. */
export function checkGlossary(glossary: Glossary, texts: LangText[], file: string): Problem[] {
  const problems: Problem[] = [];
  const problem = (key: string, what: string) => problems.push({ file, key, what });
  const words = texts.map((t) => ({ ...t, words: wordsOf(t.text) }));
  const byWhere = new Map(words.map((t) => [t.where, t]));
  for (const entry of glossary.terms) {
    if (entry.status !== 'applied') continue;
    for (const term of entry.rejected) {
      const searchWord = entry.searchWords.includes(term);
      for (const t of words) {
        if (t.kind === 'search' && searchWord) continue;
        if (contains(t.words, term))
          problem(t.where, `"${term}" is rejected for ${entry.concept}: write "${entry.preferred}"`);
      }
    }
    for (const where of entry.required) {
      const t = byWhere.get(where);
      if (!t) continue; // not part of what is checked (another file, or the entry is missing)
      if (![entry.preferred, ...entry.also].some((term) => contains(t.words, term)))
        problem(where, `${entry.concept}: the glossary's "${entry.preferred}" is not used`);
    }
  }
  // One spelling per word, over our texts (the lexicon's typed spellings are input, not ours).
  const distinct = new Set(glossary.distinct.flatMap((d) => d.words.map((w) => w.toLowerCase())));
  const spellings = new Map<string, Map<string, string>>();
  for (const t of words) {
    if (t.kind !== 'text') continue;
    for (const word of t.words) {
      if (distinct.has(word)) continue;
      const key = spellingKey(word);
      const seen = spellings.get(key) ?? new Map<string, string>();
      if (!seen.has(word)) seen.set(word, t.where);
      spellings.set(key, seen);
    }
  }
  for (const seen of spellings.values()) {
    if (seen.size < 2) continue;
    const list = [...seen.entries()].map(([word, where]) => `"${word}" (${where})`).join(', ');
    problem([...seen.values()][0]!, `one word, ${seen.size} spellings: ${list}`);
  }
  return problems;
}
