import type { WordClass } from '../i18n/index.js';
import { hasClass, type Item } from './words.js';

/**
 * A recommendation or theme named anywhere in a message, the way people name them:
 *
 *   named    "recommandation 41 du thème 1", "thème 4 recommandation 46", "t2r15", "rec n 3 59",
 *            "la 3eme recommandation du theme 5", and any "2.15" / "2,15" / "2-15"
 *   worded   "reco 215", "la 215", "n° 12", "theme 3", "barokun 3"
 *   ordinal  "le 3e", "the last one", "fɔlɔ": an item of a list
 *   bare     "215", "3", "2 15" alone
 *
 * Each item of the message becomes one letter and the patterns are read on that string:
 * R a word for "recommendation" (reco, n°, numéro, ladilikan), T a word for "theme" (t, axe,
 * barokun), A an article (la, le, the), O "of" (du, of), I an id "2.15", D a number of one to
 * three digits, S an ordinal, "." anything else. The more a reference is worded, the more other
 * words it tolerates: a "2.15" among many words of a forwarded post is not taken, "5 ans" never.
 */
export type Reference =
  /** `digits`: a number typed without its theme ("215", "la 12"), which a list may claim. */
  | { kind: 'recommendation'; theme: number; number: number; digits?: string }
  | { kind: 'theme'; theme: number; digits?: string }
  | { kind: 'pick'; position: number | 'last' };

const ORDINALS: ReadonlyArray<[WordClass, number]> = [
  ['ordinal1', 1],
  ['ordinal2', 2],
  ['ordinal3', 3],
  ['ordinal4', 4],
  ['ordinal5', 5],
  ['ordinal6', 6],
  ['ordinal7', 7],
  ['ordinal8', 8],
  ['ordinal9', 9],
  ['ordinal10', 10],
];

interface Cell {
  letter: string;
  /** Items this letter stands for (a number and its ordinal suffix are one S). */
  items: Item[];
  digits?: string;
  id?: [string, string];
  position?: number | 'last';
}

function cells(items: Item[]): Cell[] {
  const out: Cell[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'number') {
      const next = items[i + 1];
      const parts = item.parts;
      const gluedSuffix =
        next?.kind === 'phrase' &&
        hasClass(next, 'ordinalSuffix') &&
        parts.length === 1 &&
        parts[0]!.length <= 2;
      if (gluedSuffix && Number(parts[0]) > 0) {
        out.push({ letter: 'S', items: [item, next], position: Number(parts[0]) });
        i++;
      } else if (parts.length === 2 && parts[0]!.length === 1 && parts[1]!.length <= 3)
        out.push({ letter: 'I', items: [item], id: [parts[0]!, parts[1]!] });
      else if (parts.length === 1 && parts[0]!.length <= 3)
        out.push({ letter: 'D', items: [item], digits: parts[0]! });
      else out.push({ letter: 'X', items: [item] });
      continue;
    }
    const ordinal = ORDINALS.find(([cls]) => hasClass(item, cls));
    if (ordinal) out.push({ letter: 'S', items: [item], position: ordinal[1] });
    else if (hasClass(item, 'ordinalLast')) out.push({ letter: 'S', items: [item], position: 'last' });
    else if (hasClass(item, 'recWord')) out.push({ letter: 'R', items: [item] });
    else if (hasClass(item, 'themeWord')) out.push({ letter: 'T', items: [item] });
    else if (hasClass(item, 'article')) out.push({ letter: 'A', items: [item] });
    else if (hasClass(item, 'of')) out.push({ letter: 'O', items: [item] });
    else out.push({ letter: '.', items: [item] });
  }
  return out;
}

type Strength = 'named' | 'worded' | 'article' | 'ordinal' | 'bare';

interface Pattern {
  /** Read on the letters; the capture groups are the cells that carry numbers, in order. */
  re: RegExp;
  strength: Strength;
  read(numbers: Cell[]): Reference | undefined;
}

const byDigits = (digits: string): Reference =>
  digits.length === 1
    ? { kind: 'theme', theme: Number(digits), digits }
    : { kind: 'recommendation', theme: Number(digits[0]), number: Number(digits.slice(1)), digits };

const named = (theme: Cell, number: Cell): Reference | undefined =>
  theme.digits?.length === 1 && number.digits !== undefined
    ? { kind: 'recommendation', theme: Number(theme.digits), number: Number(number.digits) }
    : undefined;

const PATTERNS: Pattern[] = [
  // "thème 4 recommandation 46", "t2r15", "t2 15", "barokun 1 ladilikan 13"
  { re: /T(D)R*(D)/, strength: 'named', read: ([t, n]) => named(t!, n!) },
  // "recommandation 41 du thème 1", "reco 5 du theme 3", "recommendation 15 of theme 4"
  { re: /(D)O?T(D)/, strength: 'named', read: ([n, t]) => named(t!, n!) },
  // "la 3eme recommandation du theme 5", "the third recommendation of theme 2"
  {
    re: /(S)R?O?T(D)/,
    strength: 'named',
    read: ([s, t]) =>
      typeof s!.position === 'number' && t!.digits?.length === 1
        ? { kind: 'recommendation', theme: Number(t!.digits), number: s!.position }
        : undefined,
  },
  // "rec n 3 59", "la reco 1 39"
  { re: /R(D)(D)/, strength: 'named', read: ([t, n]) => named(t!, n!) },
  // "recommandation n° 2.10", "la 2.10", "theme 2.10": an id with a word before it
  {
    re: /[RAT](I)/,
    strength: 'named',
    read: ([i]) => ({ kind: 'recommendation', theme: Number(i!.id![0]), number: Number(i!.id![1]) }),
  },
  // "2.15", "2,15": an id alone among the words
  {
    re: /(I)/,
    strength: 'worded',
    read: ([i]) => ({ kind: 'recommendation', theme: Number(i!.id![0]), number: Number(i!.id![1]) }),
  },
  // "reco 215", "n° 12", "number 2"
  { re: /R(D)/, strength: 'worded', read: ([d]) => byDigits(d!.digits!) },
  // "la 215"; "le 10 mai" is a date, "la 12" alone a recommendation or a pick
  { re: /A(D)/, strength: 'article', read: ([d]) => byDigits(d!.digits!) },
  // "theme 3", "t 2", "axe 1"
  {
    re: /T(D)/,
    strength: 'worded',
    read: ([d]) => ({ kind: 'theme', theme: Number(d!.digits) }),
  },
  // "le 3e", "the last one"
  { re: /(S)/, strength: 'ordinal', read: ([s]) => ({ kind: 'pick', position: s!.position! }) },
];

/** How many words of its own a message may have around a reference of this strength. */
function tolerated(strength: Strength, ref: Reference): number {
  if (strength === 'named') return 6;
  if (strength === 'article') return ref.kind === 'recommendation' && ref.digits?.length === 3 ? 2 : 0;
  if (strength === 'worded') return ref.kind === 'recommendation' && ref.digits === undefined ? 3 : 2;
  return 0;
}

/**
 * The reference of a message, and the items around it (their words say what is asked of it);
 * undefined: none, or one drowned in too many words of the message's own.
 */
export function findReference(
  items: Item[],
  content: number,
): { reference: Reference; rest: Item[] } | undefined {
  const all = cells(items);
  const letters = all.map((cell) => cell.letter).join('');
  for (const pattern of PATTERNS) {
    const match = pattern.re.exec(letters);
    if (!match) continue;
    // The cells of the capture groups: each group is one letter, found by its index in the match.
    const numbers: Cell[] = [];
    let from = match.index;
    for (const group of match.slice(1)) {
      const at = letters.indexOf(group!, from);
      numbers.push(all[at]!);
      from = at + 1;
    }
    const reference = pattern.read(numbers);
    if (!reference) continue;
    const worded =
      reference.kind !== 'pick' && reference.digits !== undefined && reference.digits.length === 1;
    // A lone digit ("la 3", "rec 2") stands alone, or it is "5 ans", "eau 2".
    if (content > (worded ? 0 : tolerated(pattern.strength, reference))) return undefined;
    const used = new Set(all.slice(match.index, match.index + match[0].length).flatMap((cell) => cell.items));
    return { reference, rest: items.filter((item) => !used.has(item)) };
  }
  return bare(all, content);
}

/** "215", "3", "2 15", "2.15" with nothing but quiet words around. */
function bare(all: Cell[], content: number): { reference: Reference; rest: Item[] } | undefined {
  if (content > 0) return undefined;
  const numbers = all.filter((cell) => cell.letter === 'D');
  if (numbers.length === 0 || numbers.length > 2 || all.some((cell) => cell.letter === 'X')) return undefined;
  const [first, second] = numbers;
  let reference: Reference | undefined;
  if (second) reference = named(first!, second);
  else reference = byDigits(first!.digits!);
  if (!reference) return undefined;
  const used = new Set(numbers.flatMap((cell) => cell.items));
  return { reference, rest: all.flatMap((cell) => cell.items).filter((item) => !used.has(item)) };
}
