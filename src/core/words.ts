import { languageWords, WORD_CLASSES, type WordClass } from '../i18n/index.js';
import { phraseKey, type Token } from './tokens.js';
import type { Lang } from './types.js';

/**
 * The parser's vocabulary: every catalog's `words` (content/i18n/<code>.json), folded into one
 * index of phrases → their classes and the languages that use them. Built once per installation
 * of the catalogs (`languageWords()` keeps its identity until then).
 */
interface WordEntry {
  classes: ReadonlySet<WordClass>;
  langs: ReadonlySet<Lang>;
  /**
   * The language this phrase is evidence of: the only one that uses it, unless another
   * language's messages tell people to type it (SUITE, TEXTE are said in the Bambara messages).
   */
  evidence?: Lang;
}

export interface WordIndex {
  entries: ReadonlyMap<string, WordEntry>;
  /**
   * The same phrases as people vary them: a plural s/x dropped from each longer word and, for a
   * phrase of several words, written as one ("inter malien", "intermaliens" for "inter-maliens").
   * Read only where the exact phrase is not known; a form two different phrases share is left out.
   */
  loose: ReadonlyMap<string, WordEntry>;
  /** The longest phrase, in words. */
  longest: number;
}

/** A phrase key without the plural marks people leave out or add ("recos" → "reco"). */
function looseKey(key: string): string {
  return key
    .split(' ')
    .map((word) => (word.length > 4 ? word.replace(/[sx]$/, '') : word))
    .join(' ');
}

/**
 * A stretch of the message: a known phrase, a word the index does not know, or a number.
 * `glued`: written against the item before it, without a space ("rn15", "n°2.10").
 */
export type Item =
  | { kind: 'phrase'; text: string; surface: string; entry: WordEntry; glued: boolean }
  | { kind: 'content'; text: string; surface: string; glued: boolean }
  | { kind: 'number'; parts: string[]; glued: boolean };

let built: { source: ReturnType<typeof languageWords>; index: WordIndex } | undefined;

function wordIndex(): WordIndex {
  const source = languageWords();
  if (built?.source === source) return built.index;
  const entries = new Map<string, { classes: Set<WordClass>; langs: Set<Lang> }>();
  let longest = 1;
  for (const { code, words } of source) {
    for (const cls of WORD_CLASSES) {
      for (const phrase of words[cls] ?? []) {
        const key = phraseKey(phrase);
        if (key === '' || /\d/.test(key)) continue;
        let entry = entries.get(key);
        if (!entry) entries.set(key, (entry = { classes: new Set(), langs: new Set() }));
        entry.classes.add(cls);
        entry.langs.add(code);
        longest = Math.max(longest, key.split(' ').length);
      }
    }
  }
  for (const [key, entry] of entries) {
    const [only] = entry.langs;
    const told = source.some(({ code, commands }) => code !== only && commands.has(key));
    if (entry.langs.size === 1 && !told) (entry as { evidence?: Lang }).evidence = only;
  }
  const loose = new Map<string, WordEntry | null>();
  for (const [key, entry] of entries) {
    const loosened = looseKey(key);
    for (const form of new Set([loosened, loosened.replace(/ /g, '')])) {
      if (entries.has(form)) continue;
      const seen = loose.get(form);
      // Two phrases with other classes behind one loose form: neither is guessed.
      if (seen === undefined) loose.set(form, entry);
      else if (seen && !sameClasses(seen, entry)) loose.set(form, null);
    }
  }
  const kept = new Map([...loose].filter((pair): pair is [string, WordEntry] => pair[1] !== null));
  built = { source, index: { entries, loose: kept, longest } };
  return built.index;
}

/**
 * Longest known phrase first, left to right ("la suivante" is one `nextItem`, not an article and
 * a word). An unknown word glued to the number after it loses a final t or r when the rest is
 * known: "ABONNET3" is "abonne t 3" as typed on a keypad.
 */
function sameClasses(a: WordEntry, b: WordEntry): boolean {
  return a.classes.size === b.classes.size && [...a.classes].every((cls) => b.classes.has(cls));
}

export function tag(tokens: Token[], index: WordIndex = wordIndex()): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.kind === 'number') {
      items.push({ kind: 'number', parts: token.parts, glued: token.glued });
      i++;
      continue;
    }
    let matched = false;
    for (let n = index.longest; n >= 1; n--) {
      const words = tokens.slice(i, i + n);
      if (words.length < n || words.some((w) => w.kind !== 'word')) continue;
      const text = words.map((w) => (w.kind === 'word' ? w.text : '')).join(' ');
      const entry = index.entries.get(text) ?? index.loose.get(looseKey(text));
      if (entry) {
        const surface = words.map((w) => (w.kind === 'word' ? w.surface : '')).join(' ');
        items.push({ kind: 'phrase', text, surface, entry, glued: token.glued });
        i += n;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const next = tokens[i + 1];
    const stem = token.text.slice(0, -1);
    const letter = token.text.slice(-1);
    const stemEntry = index.entries.get(stem);
    const letterEntry = index.entries.get(letter);
    if (next?.kind === 'number' && next.glued && stemEntry && letterEntry && /^[tr]$/.test(letter)) {
      const surface = token.surface;
      items.push({
        kind: 'phrase',
        text: stem,
        surface: surface.slice(0, -1),
        entry: stemEntry,
        glued: token.glued,
      });
      items.push({ kind: 'phrase', text: letter, surface: letter, entry: letterEntry, glued: true });
    } else items.push({ kind: 'content', text: token.text, surface: token.surface, glued: token.glued });
    i++;
  }
  return items;
}

export const hasClass = (item: Item | undefined, cls: WordClass): boolean =>
  item?.kind === 'phrase' && item.entry.classes.has(cls);
