import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fold } from '../core/normalize.js';

/**
 * Shape of content/lexicon.json: our own search aid, not the report's words.
 * - abbreviations: an SMS shorthand replaced by what it stands for ("pr" → "pour").
 * - synonyms / english: a word or phrase people type, mapped to words that occur in the
 *   recommendations; the search tries them as alternatives for that query word.
 */
const Term = z.string().trim().min(1);

export const LexiconSchema = z.object({
  note: z.string().min(1),
  abbreviations: z.record(Term, Term),
  synonyms: z.record(Term, z.array(Term).min(1)),
  english: z.record(Term, z.array(Term).min(1)),
});

export type LexiconFile = z.infer<typeof LexiconSchema>;

/** The lexicon folded once (accent- and case-free keys and values) for the search. */
export interface Lexicon {
  /** Single folded token → replacement tokens. */
  abbreviations: Map<string, string[]>;
  /** Folded key (one or more tokens joined by a space) → folded target words. */
  expansions: Map<string, string[]>;
  /** Longest key length in tokens, so the search knows how far to look for phrases. */
  longestKey: number;
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
  let longestKey = 1;
  for (const table of [file.synonyms, file.english]) {
    for (const [key, values] of Object.entries(table)) {
      const k = words(key);
      if (k.length === 0) throw new LexiconError(`lexicon key "${key}" has no letters`);
      longestKey = Math.max(longestKey, k.length);
      const joined = k.join(' ');
      const targets = new Set(expansions.get(joined) ?? []);
      for (const value of values) for (const w of words(value)) targets.add(w);
      expansions.set(joined, [...targets]);
    }
  }
  return { abbreviations, expansions, longestKey };
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
export const EMPTY_LEXICON: Lexicon = { abbreviations: new Map(), expansions: new Map(), longestKey: 1 };
