import Fuse from 'fuse.js';
import { fold } from '../core/normalize.js';
import type {
  Corpus,
  Recommendation,
  SearchHit,
  SearchOptions,
  SearchOutcome,
  Searcher,
} from '../core/types.js';
import type { Lexicon } from './lexicon.js';
import { nameSlippedTo, namesApart } from './names.js';
import { namesIn, standsFor } from './sound-alike.js';
import { cognates, commonPrefix, englishBases, editDistance, maxEdits, skeleton } from './spelling.js';
import { FRAME_NOUNS, FRAME_VERBS, phonetic, QUERY_FILLERS, STOPWORDS, stem as lightStem } from './text.js';

export { editDistance } from './spelling.js';

/**
 * Tunable knobs, tuned on the "tune" half of test/fixtures/search-queries.json only
 * (scripts/eval-search.ts prints both halves).
 */
export interface SearchSettings {
  /** Light French plural/feminine stemming (see text.ts); off only for ablation measurements. */
  stemming: boolean;
  /** Typo correction and prefix completion of unknown words; off only for ablations. */
  fuzzy: boolean;
  /** BM25 saturation and length normalisation. */
  k1: number;
  b: number;
  /** Field weights: the report's text and items, our label, the theme title. */
  bodyWeight: number;
  labelWeight: number;
  titleWeight: number;
  /** Weight of a query word matched only as a prefix of an indexed word ("petrol" → petroliere). */
  prefixWeight: number;
  /** Weight of a query word matched through a typo correction. */
  fuzzyWeight: number;
  /** Weight, in the coverage, of a query word that matches nothing (an IDF-like number). */
  unknownWeight: number;
  /** Rank = BM25 × coverage^coveragePower: documents matching more query words rank higher. */
  coveragePower: number;
  /**
   * Nothing is close when the words the corpus knows at all carry less than this share of the
   * query's weight ("cours du dollar": "dollar" is unknown and weighs more than "cours") ...
   */
  minCoverage: number;
  /** ... or when no single recommendation covers at least this share of the query. */
  minDocCoverage: number;
  /** "one" when the top covers at least this much of the query ... */
  oneCoverage: number;
  /** ... and the second ranks at most this fraction of the top. */
  oneRatio: number;
  /** Hits ranking below this fraction of the top are dropped. */
  keepFraction: number;
  /** Below this coverage of the query by the top hit, the list is "close results". */
  closeCoverage: number;
}

const DEFAULT_SETTINGS: SearchSettings = {
  stemming: true,
  fuzzy: true,
  k1: 1.2,
  b: 0.5,
  bodyWeight: 1,
  labelWeight: 0.3,
  titleWeight: 0.2,
  prefixWeight: 0.85,
  fuzzyWeight: 0.9,
  unknownWeight: 3,
  coveragePower: 1,
  minCoverage: 0.5,
  minDocCoverage: 0.3,
  oneCoverage: 0.9,
  oneRatio: 0.6,
  keepFraction: 0.15,
  closeCoverage: 0.75,
};

const DEFAULT_LIMIT = 10;
const MIN_FUZZY_LENGTH = 5;
const MIN_PREFIX_LENGTH = 6;
const MAX_PREFIX_EXPANSIONS = 8;
const MAX_SPELLING_CANDIDATES = 24;
/** Words not of the report whose reading by their key is remembered (src/search/sound-alike.ts). */
const MAX_VERDICTS = 20_000;
/** A result list's title names at most this many of the query's words. */
const MAX_ECHO_WORDS = 5;
/** The weight of a word of a name (lexicon `names`) matched alone: "eau" barely finds "Eaux et Forêts". */
const NAME_WORD_WEIGHT = 0.05;

interface Posting {
  doc: number;
  /** Field-weighted term frequency. */
  tf: number;
}

interface Alternative {
  stem: string;
  weight: number;
}

interface Slot {
  alternatives: Alternative[];
  /** Matched as typed (or through the lexicon), not through a typo correction or completion. */
  exact: boolean;
  /** A word that names no subject on its own (lexicon `generic`): "monde", "pays". */
  generic: boolean;
}

/** How the query was understood: useful to explain a result and to test the analysis. */
interface QueryAnalysis {
  /** Content words after abbreviations, stopwords and question frames are removed. */
  words: string[];
  /** Per content word, the index stems it was matched against (empty: matched nothing). */
  alternatives: string[][];
  /** Query words corrected by the fuzzy step, folded word → corrected word (accented). */
  corrections: Map<string, string>;
  /** Words naming a subject the report never speaks of (lexicon notInReport). */
  notInReport: string[];
  /** Themes named by a topic word ("insécurité" → 4). */
  themes: number[];
  /** Some word matched only through a typo correction or a completion. */
  loose: boolean;
  /** Some word matched only through the lexicon (a synonym, English, Bambara): a guess. */
  translated: boolean;
  /** Per content word: matched as typed or through the lexicon (not a completion or a correction). */
  exact: boolean[];
}

export interface SearchEngine extends Searcher {
  analyze(query: string, options?: SearchOptions): QueryAnalysis;
}

function splitWords(text: string): string[] {
  const folded = fold(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Accented lower-case spelling of each folded word, for suggestions people can read. */
function displayForms(text: string): Array<[string, string]> {
  return text
    .toLowerCase()
    .replace(/[’'`´‘]/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => [fold(w), w.normalize('NFC')] as [string, string])
    .filter(([f]) => f !== '' && !f.includes(' '));
}

export function createSearcher(
  corpus: Corpus,
  lexicon: Lexicon,
  overrides: Partial<SearchSettings> = {},
): SearchEngine {
  const settings: SearchSettings = { ...DEFAULT_SETTINGS, ...overrides };
  const docs: Recommendation[] = corpus.recommendations;
  const stemOf = settings.stemming ? lightStem : (word: string): string => word;
  // A name of the report that a stem would merge with another word keeps a key of its own.
  const apart = settings.stemming
    ? namesApart(
        docs.flatMap((rec) => [rec.text, ...(rec.items ?? [])]),
        stemOf,
      )
    : new Map<string, string>();
  const stem = (word: string): string => apart.get(word) ?? stemOf(word);
  const titles = new Map(corpus.themes.map((t) => [t.number, t.title]));

  // ---- the inverted index over stems, BM25F-style field weights ----
  const postings = new Map<string, Posting[]>();
  const docLength = new Float64Array(docs.length);
  const display = new Map<string, string>();
  /** A word of the report for each stem ("refugi" → réfugiés): how a word read by its stem is shown. */
  const displayByStem = new Map<string, string>();
  const surfaceCount = new Map<string, number>();
  /** The report's words behind each key (text, labels, titles): what a key may stand for. */
  const wordsByKey = new Map<string, Set<string>>();

  // A name of several words is one key ("name:eaux et forets"); its words count for little alone.
  const nameKey = (name: string) => `name:${name}`;
  const withoutNames = (folded: string): { text: string; names: string[] } => {
    const found: string[] = [];
    let text = ` ${folded} `;
    for (const name of lexicon.names) {
      if (!text.includes(` ${name} `)) continue;
      found.push(name);
      text = text.split(` ${name} `).join(' ');
    }
    return { text: text.trim(), names: found };
  };

  docs.forEach((rec, docIndex) => {
    const original = [rec.text, ...(rec.items ?? [])].join(' ');
    const named = withoutNames(fold(original));
    const body = named.names.length > 0 ? named.text : original;
    // "auto-défense" is also typed "autodefense": hyphenated compounds are indexed joined too.
    const compounds = (original.match(/(?<!\p{L})\p{L}+(?:-\p{L}+)+/gu) ?? [])
      .map((c) => c.replace(/-/g, ''))
      .join(' ');
    const fields: Array<[string, number]> = [
      [`${body} ${compounds}`, settings.bodyWeight],
      [rec.label, settings.labelWeight],
      [titles.get(rec.theme) ?? '', settings.titleWeight],
    ];
    const tf = new Map<string, number>();
    let length = 0;
    for (const name of named.names) {
      tf.set(nameKey(name), (tf.get(nameKey(name)) ?? 0) + settings.bodyWeight);
      length += settings.bodyWeight;
      fields.push([name, NAME_WORD_WEIGHT]);
    }
    for (const [text, weight] of fields) {
      for (const word of splitWords(text)) {
        if (STOPWORDS.has(word)) continue;
        const s = stem(word);
        let words = wordsByKey.get(s);
        if (!words) wordsByKey.set(s, (words = new Set()));
        words.add(word);
        tf.set(s, (tf.get(s) ?? 0) + weight);
        length += weight;
        if (weight === settings.bodyWeight) surfaceCount.set(word, (surfaceCount.get(word) ?? 0) + 1);
      }
    }
    for (const [folded, shown] of displayForms(original)) {
      if (!display.has(folded)) display.set(folded, shown);
      const key = stem(folded);
      if (!displayByStem.has(key)) displayByStem.set(key, shown);
    }
    docLength[docIndex] = length;
    for (const [s, f] of tf) {
      let list = postings.get(s);
      if (!list) postings.set(s, (list = []));
      list.push({ doc: docIndex, tf: f });
    }
  });
  const averageLength = docLength.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  const idf = (s: string): number => {
    const df = postings.get(s)?.length ?? 0;
    return Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
  };

  // ---- the vocabulary fuse.js corrects query words against: corpus words + lexicon keys ----
  const vocabulary = new Set<string>();
  for (const word of surfaceCount.keys()) {
    if (word.length >= MIN_FUZZY_LENGTH && !/^\d+$/.test(word)) vocabulary.add(word);
  }
  // French keys only: a correction never offers an English or Bambara word to a French query.
  for (const key of lexicon.frenchKeys) {
    if (key.length >= MIN_FUZZY_LENGTH) vocabulary.add(key);
  }
  const vocabularyList = [...vocabulary].sort();
  // fuse.js ranks the spelling candidates; a character-bigram index first narrows the ~1,800
  // words to the few that share enough bigrams with the query word to be within the allowed
  // edits (q-gram lemma), so each correction scores a handful of strings, not the vocabulary.
  const bigramIndex = new Map<string, number[]>();
  const bigramsOf = (word: string): string[] => {
    const padded = `^${word}$`;
    const out: string[] = [];
    for (let i = 0; i + 2 <= padded.length; i++) out.push(padded.slice(i, i + 2));
    return out;
  };
  vocabularyList.forEach((word, id) => {
    for (const g of new Set(bigramsOf(word))) {
      let list = bigramIndex.get(g);
      if (!list) bigramIndex.set(g, (list = []));
      list.push(id);
    }
  });
  const shared = new Uint16Array(vocabularyList.length);

  function correct(word: string): string | undefined {
    const allowed = maxEdits(word.length);
    const grams = [...new Set(bigramsOf(word))];
    const touchedIds: number[] = [];
    for (const g of grams) {
      for (const id of bigramIndex.get(g) ?? []) {
        if (shared[id] === 0) touchedIds.push(id);
        shared[id] = shared[id]! + 1;
      }
    }
    // One edit changes at most two bigrams (a transposition three): a word within `allowed`
    // edits keeps at least this many of the query's bigrams.
    const needed = Math.max(1, grams.length - 3 * allowed);
    const candidates: Array<[string, number]> = [];
    for (const id of touchedIds) {
      const candidate = vocabularyList[id]!;
      // Typists rarely get the first letters wrong (a classic spelling-corrector assumption),
      // and a change near the start is a different word, not a typo: "prorogation" must not
      // become "propagation", "iphone" not "phone".
      if (
        shared[id]! >= needed &&
        commonPrefix(phonetic(candidate), phonetic(word)) >= 4 &&
        Math.abs(candidate.length - word.length) <= allowed
      ) {
        candidates.push([candidate, shared[id]!]);
      }
      shared[id] = 0;
    }
    if (candidates.length === 0) return undefined;
    candidates.sort((x, y) => y[1] - x[1]);
    const pool = candidates.slice(0, MAX_SPELLING_CANDIDATES).map(([w]) => w);
    const fuse = new Fuse(pool, { includeScore: true, threshold: 0.4 });
    let best: { word: string; distance: number; score: number; count: number } | undefined;
    for (const result of fuse.search(word)) {
      const distance = editDistance(word, result.item, allowed);
      if (distance > allowed) continue;
      if (distance > 1 && skeleton(result.item) !== skeleton(word)) continue;
      const candidate = {
        word: result.item,
        distance,
        score: result.score ?? 1,
        count: surfaceCount.get(result.item) ?? 0,
      };
      if (
        !best ||
        candidate.distance < best.distance ||
        (candidate.distance === best.distance && candidate.score < best.score) ||
        (candidate.distance === best.distance &&
          candidate.score === best.score &&
          candidate.count > best.count)
      ) {
        best = candidate;
      }
    }
    return best?.word;
  }

  /**
   * A word the index does not know, completed: "petrol" → pétrolière, and a verb or noun of the
   * same family through its stem ("réinsérer" → réinsertion, "indemniser" …). Only stems of six
   * letters or more, so a short word never jumps to another family ("terre" ↛ terrestres).
   */
  function completions(word: string): string[] {
    const out = prefixed(word);
    const s = stem(word);
    if (s !== word && s.length >= MIN_PREFIX_LENGTH && /^[a-z]+$/.test(s)) {
      for (const w of prefixed(s)) if (!out.includes(w)) out.push(w);
    }
    return out.slice(0, MAX_PREFIX_EXPANSIONS);
  }

  /**
   * A noun whose verb the report uses, or the reverse ("ratissage" → ratisser): the words
   * sharing the longest root of six letters or more. Tried after a typo correction.
   */
  function sharedRoot(word: string): string[] {
    for (let k = word.length - 1; k >= MIN_PREFIX_LENGTH; k--) {
      const out = prefixed(word.slice(0, k));
      if (out.length > 0) return out.slice(0, MAX_PREFIX_EXPANSIONS);
    }
    return [];
  }

  function prefixed(word: string): string[] {
    if (word.length < MIN_PREFIX_LENGTH) return [];
    const out: string[] = [];
    // vocabularyList is sorted: the words sharing the prefix are contiguous.
    for (
      let i = firstAtLeast(vocabularyList, word);
      i < vocabularyList.length && out.length < MAX_PREFIX_EXPANSIONS;
      i++
    ) {
      const candidate = vocabularyList[i]!;
      if (!candidate.startsWith(word)) break;
      if (candidate !== word) out.push(candidate);
    }
    return out;
  }

  // Every word the search reads, sorted, for a word still being typed: the report's words of any
  // length (not only those long enough to correct) and the lexicon's one-word keys (English,
  // Bambara, synonyms), so "wom" finds what "women" finds.
  const typingList = [
    ...new Set([...surfaceCount.keys(), ...[...lexicon.expansions.keys()].filter((k) => !k.includes(' '))]),
  ]
    .filter((word) => !/^\d+$/.test(word))
    .sort();

  /**
   * The words a word being typed may become ("fem" → femmes, "nat" → national, nation), as
   * alternatives of the prefix weight: the report's own words first, the most used first (by
   * the number of recommendations that use them), then the lexicon's words ("wom" → women →
   * femmes). A letter or two thus lean to what the report speaks of most, not to a rare word or
   * a translation that happens to start the same way; each weighs by its use too.
   */
  function completing(prefix: string): Alternative[] {
    // Per stem: 0 for a word of the report, 1 for a lexicon word; and how many recommendations.
    const found = new Map<string, { tier: number; docs: number }>();
    const note = (stemmed: string, tier: number) => {
      const docs = postings.get(stemmed)?.length ?? 0;
      const seen = found.get(stemmed);
      if (docs > 0 && (!seen || tier < seen.tier || (tier === seen.tier && docs > seen.docs)))
        found.set(stemmed, { tier, docs });
    };
    for (
      let i = firstAtLeast(typingList, prefix);
      i < typingList.length && typingList[i]!.startsWith(prefix);
      i++
    ) {
      const word = typingList[i]!;
      if (surfaceCount.has(word)) note(stem(word), 0);
      else for (const a of direct(word, 1)) note(a.stem, 1);
    }
    const ranked = [...found]
      .sort(([s1, a], [s2, b]) => a.tier - b.tier || b.docs - a.docs || (s1 < s2 ? -1 : 1))
      .slice(0, MAX_PREFIX_EXPANSIONS);
    const most = Math.max(1, ...ranked.map(([, r]) => r.docs));
    return ranked.map(([stemmed, r]) => ({ stem: stemmed, weight: (settings.prefixWeight * r.docs) / most }));
  }

  // Generic words by stem, so "personnes" is generic like "personne".
  const genericStems = new Set([...lexicon.generic].map((w) => stem(w)));

  // Single-word lexicon keys by stem, so every form of a key gets its entry (paysan/paysans,
  // changer/changement, coton/cotton).
  const byStem = new Map<string, Array<[string, string[]]>>();
  for (const [key, targets] of lexicon.expansions) {
    if (key.includes(' ') || key.length < 5) continue;
    const s = stem(key);
    byStem.set(s, [...(byStem.get(s) ?? []), [key, targets]]);
  }

  const names = namesIn(docs.flatMap((rec) => [rec.text, rec.label, ...(rec.items ?? [])]));
  /** Whether the word is read by its key: the key is indexed and the word one of its words. */
  // Asked for every word of every query: the report's own words answer at once, the verdict on
  // any other word is kept (it depends only on the word).
  const verdicts = new Map<string, boolean>();
  const indexed = (word: string, s = stem(word)): boolean => {
    const words = postings.has(s) ? wordsByKey.get(s) : undefined;
    if (!words) return false;
    if (words.has(word)) return true;
    let verdict = verdicts.get(word);
    if (verdict === undefined) {
      verdict = standsFor(word, words, names);
      if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
      verdicts.set(word, verdict);
    }
    return verdict;
  };

  /** Alternatives for one word: itself if indexed, its lexicon expansions. */
  function direct(word: string, weight: number): Alternative[] {
    const out: Alternative[] = [];
    // A slip of a name set apart reads as the name, not as the words its stem would find.
    const rivals = wordsByKey.get(stem(word));
    const slipped = rivals?.has(word) ? undefined : nameSlippedTo(word, apart, rivals);
    const s = stem(slipped ?? word);
    // A short word matches only as itself: "term" is not "à terme", "ans" not "anse".
    if (slipped) return [{ stem: s, weight }];
    if (indexed(word, s) && (word.length >= 5 || surfaceCount.has(word))) out.push({ stem: s, weight });
    // The lexicon entry of the word: it says what the word is, and the entries of other words of
    // its stem do not add to it ("access" is accès; the French stem would bring "accession",
    // adhésion). Else the entries of its other forms (paysan/paysans, handicapé/-ées), or of its
    // English base ("returning" → return).
    const targets = new Set(lexicon.expansions.get(word) ?? []);
    if (targets.size === 0) {
      for (const [, keyTargets] of byStem.get(s) ?? []) for (const t of keyTargets) targets.add(t);
      for (const base of englishBases(word))
        if (lexicon.languages.get(base) === 'en')
          for (const t of lexicon.expansions.get(base) ?? []) targets.add(t);
    }
    for (const target of targets) {
      const ts = stem(target);
      if (postings.has(ts) && !out.some((a) => a.stem === ts)) out.push({ stem: ts, weight });
    }
    return out;
  }

  // Words of the lexicon's phrases ("maliens de l'extérieur"): a search needs them in place.
  const phraseWords = new Set(
    [...lexicon.expansions.keys()].filter((key) => key.includes(' ')).flatMap((key) => key.split(' ')),
  );

  const known = (word: string): boolean =>
    STOPWORDS.has(word) ||
    QUERY_FILLERS.has(word) ||
    indexed(word) ||
    lexicon.expansions.has(word) ||
    lexicon.abbreviations.has(word);

  /**
   * "leau", "lecole", "dautodefense", "quil": an elided article glued to a word the search knows
   * (a phone keyboard drops the apostrophe). Split only when the whole is unknown and the rest
   * is known, so "loi" or "depense" stay whole, and only before a vowel or h, where French
   * elides, and only when the rest is French (a word of the report, a French lexicon key or a
   * function word): "send" is not "s'end", "dollar" not "d'ollar".
   */
  function unglue(word: string): string[] {
    if (known(word)) return [word];
    const m = /^(qu|[ldjmnst])([aeiouyh][a-z]{2,})$/.exec(word);
    const rest = m?.[2];
    if (m && rest && (STOPWORDS.has(rest) || postings.has(stem(rest)) || lexicon.frenchKeys.has(rest)))
      return [m[1]!, rest];
    return [word];
  }

  function analyzeQuery(query: string, partial = false): { slots: Slot[]; analysis: QueryAnalysis } {
    const raw = splitWords(query);
    // A word still being typed is kept as typed: "reco" may be the start of "réconciliation".
    const words = raw.flatMap((w, k) =>
      partial && k === raw.length - 1 ? [w] : (lexicon.abbreviations.get(w) ?? unglue(w)),
    );
    const framed = words.some((w) => FRAME_VERBS.has(w));
    const slots: Slot[] = [];
    const analysis: QueryAnalysis = {
      words: [],
      alternatives: [],
      corrections: new Map(),
      notInReport: [],
      themes: [],
      loose: false,
      translated: false,
      exact: [],
    };
    const push = (label: string, alternatives: Alternative[], exact: boolean, literal = false): void => {
      slots.push({ alternatives, exact, generic: genericStems.has(stem(label)) });
      if (!literal && alternatives.length > 0) analysis.translated = true;
      analysis.words.push(label);
      analysis.alternatives.push(alternatives.map((a) => a.stem));
      analysis.exact.push(exact && alternatives.length > 0);
      if (!exact) analysis.loose = true;
    };
    let i = 0;
    outer: while (i < words.length) {
      for (let n = Math.min(lexicon.longestKey, words.length - i); n >= 1; n--) {
        const phrase = words.slice(i, i + n).join(' ');
        const theme = lexicon.topics.get(phrase);
        if (theme !== undefined && !analysis.themes.includes(theme)) analysis.themes.push(theme);
        if (n === 1) break;
        if (lexicon.names.includes(phrase)) {
          push(phrase, [{ stem: nameKey(phrase), weight: 1 }], true, true);
          i += n;
          continue outer;
        }
        const targets = lexicon.expansions.get(phrase);
        if (targets) {
          const alternatives: Alternative[] = [];
          for (const t of targets) {
            const ts = stem(t);
            if (postings.has(ts) && !alternatives.some((a) => a.stem === ts)) {
              alternatives.push({ stem: ts, weight: 1 });
            }
          }
          push(phrase, alternatives, alternatives.length > 0);
          i += n;
          continue outer;
        }
      }
      const word = words[i]!;
      i++;
      if (lexicon.notInReport.has(word)) analysis.notInReport.push(word);
      const typing = partial && i === words.length && !/^\d+$/.test(word);
      // A function word being typed ("réconciliation n", "de") says nothing yet, unless it is all
      // there is: then it is the start of a word ("d" → développement).
      if ((STOPWORDS.has(word) || QUERY_FILLERS.has(word)) && !(typing && slots.length === 0)) continue;
      if (framed && FRAME_NOUNS.has(word)) continue;
      // "eau 2", "femmes 5": a number the report does not use says nothing about the subject.
      if (/^\d+$/.test(word) && !postings.has(word)) continue;
      if (typing) {
        // The word being typed: as typed (an abbreviation as what it stands for: "fms" is
        // femmes), and as the start of longer words. A start of no word the search reads yet
        // says nothing: left out, so the words before it still answer.
        const typed = [word, ...(lexicon.abbreviations.get(word) ?? [])]
          .filter((w) => !STOPWORDS.has(w) && !QUERY_FILLERS.has(w))
          .flatMap((w) => direct(w, 1));
        const alternatives: Alternative[] = [];
        for (const a of [...typed, ...completing(word)])
          if (!alternatives.some((b) => b.stem === a.stem)) alternatives.push(a);
        const literal = indexed(word) && (word.length >= 5 || surfaceCount.has(word));
        if (alternatives.length > 0) push(word, alternatives, typed.length > 0, literal);
        continue;
      }
      let alternatives = direct(word, 1);
      let exact = alternatives.length > 0;
      // Matched as itself (its stem is indexed), not only through the lexicon.
      const literal = indexed(word) && (word.length >= 5 || surfaceCount.has(word));
      if (alternatives.length === 0 && settings.fuzzy) {
        // An English word spelt the French way ("security" → sécurité, "history" → histoire).
        for (const cognate of cognates(word)) {
          alternatives = direct(cognate, settings.prefixWeight);
          if (alternatives.length > 0) break;
        }
      }
      if (alternatives.length === 0 && settings.fuzzy) {
        const prefixed = completions(word);
        for (const completion of prefixed) {
          for (const a of direct(completion, settings.prefixWeight)) {
            if (!alternatives.some((b) => b.stem === a.stem)) alternatives.push(a);
          }
        }
      }
      if (
        alternatives.length === 0 &&
        settings.fuzzy &&
        word.length >= MIN_FUZZY_LENGTH &&
        !/^\d+$/.test(word)
      ) {
        const corrected = correct(word);
        if (corrected) {
          alternatives = direct(corrected, settings.fuzzyWeight);
          if (alternatives.length > 0) {
            analysis.corrections.set(word, display.get(corrected) ?? corrected);
          }
        }
      }
      if (alternatives.length === 0 && settings.fuzzy && !/^\d+$/.test(word)) {
        for (const root of sharedRoot(word)) {
          for (const a of direct(root, settings.prefixWeight)) {
            if (!alternatives.some((b) => b.stem === a.stem)) alternatives.push(a);
          }
        }
      }
      if (alternatives.length === 0) exact = true; // an unknown word weakens, it is not "loose"
      push(word, alternatives, exact, literal);
    }
    return { slots, analysis };
  }

  const none = (query: string, extra: Partial<SearchOutcome> = {}): SearchOutcome => ({
    query,
    hits: [],
    verdict: 'none',
    ...extra,
  });

  /**
   * "Did you mean": only the corrected words and the query's own words the report uses, all
   * French; never a half-translated or unknown word, never a subject the report does not name.
   */
  function suggest(query: string, analysis: QueryAnalysis): string | undefined {
    if (analysis.corrections.size === 0) return undefined;
    const out: string[] = [];
    for (const w of splitWords(query)) {
      const corrected = analysis.corrections.get(w);
      if (corrected) out.push(corrected);
      else if (STOPWORDS.has(w) || QUERY_FILLERS.has(w)) continue;
      else if (display.has(w)) out.push(display.get(w)!);
      else if (lexicon.frenchKeys.has(w)) out.push(w);
      else return undefined;
    }
    return out.length > 0 ? out.join(' ') : undefined;
  }

  /**
   * What may be quoted back: the words that matched, in the report's spelling where it has them
   * (a correction as corrected), never a word the search did not know.
   */
  function echoOf(query: string, analysis: QueryAnalysis): string {
    const typed = new Map(displayForms(query));
    const shown: string[] = [];
    analysis.words.forEach((word, i) => {
      const alternatives = analysis.alternatives[i] ?? [];
      // As corrected; as typed when it is a word of the report or of the lexicon; by the report's
      // word of its stem ("refugier" → réfugiés, "femme" → femmes); a completion or a word found
      // only through another word's entry is not shown ("urgent" → urgence, "returning").
      let form = analysis.corrections.get(word);
      if (!form && analysis.exact[i]) {
        // The report's spelling of its words; a lexicon word as typed ("sɛnɛ", "water").
        if (display.has(word)) form = display.get(word);
        else if (lexicon.expansions.has(word)) form = typed.get(word) ?? word;
        else if (alternatives.includes(stem(word))) form = displayByStem.get(stem(word));
      }
      // A letter or two of the report alone ("b" of "(B"): nothing worth quoting ("ji" is a word).
      const worth = fold(form ?? '').length >= 3 || lexicon.expansions.has(word);
      if (form && worth && !shown.includes(form)) shown.push(form);
    });
    return shown.slice(0, MAX_ECHO_WORDS).join(' ');
  }

  function search(query: string, limit = DEFAULT_LIMIT, options: SearchOptions = {}): SearchOutcome {
    const { slots, analysis } = analyzeQuery(query, options.partial === true);
    if (analysis.notInReport.length > 0) {
      // The absent subject as typed (with its accents: "météo"), its words only.
      const typed = new Map(displayForms(query));
      const echo = [...new Set(analysis.notInReport)].map((word) => typed.get(word) ?? word).join(' ');
      return none(query, { notInReport: true, echo });
    }
    const suggestion = suggest(query, analysis);
    const extra: Partial<SearchOutcome> = suggestion ? { suggestion } : {};
    if (slots.length === 0) return none(query, extra);
    // "qui est le plus riche du monde": the only words the report knows name no subject, and
    // the word that does ("riche") is not the report's. Honestly nothing, not a loose list.
    if (
      slots.some((slot) => slot.alternatives.length === 0) &&
      slots.every((slot) => slot.alternatives.length === 0 || slot.generic)
    ) {
      return none(query, extra);
    }

    const n = docs.length;
    const bm25 = new Float64Array(n);
    const covered = new Float64Array(n);
    const slotScore = new Float64Array(n);
    const slotMatch = new Float64Array(n);
    const touched: number[] = [];
    const seen = new Uint8Array(n);
    let totalWeight = 0;
    let knownWeight = 0;
    const { k1, b } = settings;

    for (const slot of slots) {
      let weight = 0;
      for (const a of slot.alternatives) weight = Math.max(weight, idf(a.stem));
      if (slot.alternatives.length === 0) weight = settings.unknownWeight;
      totalWeight += weight;
      if (slot.alternatives.length > 0) knownWeight += weight;
      const slotDocs: number[] = [];
      for (const a of slot.alternatives) {
        const termIdf = idf(a.stem);
        for (const p of postings.get(a.stem) ?? []) {
          const norm = k1 * (1 - b + (b * docLength[p.doc]!) / averageLength);
          const score = (a.weight * termIdf * (p.tf * (k1 + 1))) / (p.tf + norm);
          if (slotScore[p.doc] === 0 && slotMatch[p.doc] === 0) slotDocs.push(p.doc);
          if (score > slotScore[p.doc]!) slotScore[p.doc] = score;
          const match = a.weight * Math.min(1, p.tf);
          if (match > slotMatch[p.doc]!) slotMatch[p.doc] = match;
        }
      }
      for (const d of slotDocs) {
        bm25[d] = bm25[d]! + slotScore[d]!;
        covered[d] = covered[d]! + weight * slotMatch[d]!;
        slotScore[d] = 0;
        slotMatch[d] = 0;
        if (!seen[d]) {
          seen[d] = 1;
          touched.push(d);
        }
      }
    }
    const theme = analysis.themes[0];
    const themed: Partial<SearchOutcome> = theme !== undefined ? { theme } : {};
    if (touched.length === 0 || totalWeight === 0) return none(query, extra);

    const ranked = touched.map((d) => {
      const coverage = covered[d]! / totalWeight;
      return { d, coverage, rank: bm25[d]! * Math.pow(coverage, settings.coveragePower) };
    });
    ranked.sort((x, y) => y.rank - x.rank || x.d - y.d);
    const top = ranked[0]!;
    const bestCoverage = ranked.reduce((m, r) => Math.max(m, r.coverage), 0);
    // Unknown words weaken a match, they do not veto it: "nothing" only when the words the
    // search knows carry too little of the query ("quel temps demain a bamako").
    if (
      knownWeight / totalWeight < settings.minCoverage ||
      bestCoverage < settings.minDocCoverage ||
      top.rank <= 0
    ) {
      return none(query, extra);
    }

    const kept = ranked
      .filter((r) => r.rank >= settings.keepFraction * top.rank)
      .slice(0, Math.max(1, limit));
    const hits: SearchHit[] = kept.map((r) => ({
      recommendation: docs[r.d]!,
      score: Math.min(1, Math.max(0, (r.rank / top.rank) * top.coverage)),
    }));
    const second = ranked[1];
    // One answer only when it is unambiguous: every word matched as typed (no typo correction,
    // no completion, no translation through the lexicon), the top covers the query, stands well
    // above the next, and the query does not name a whole theme.
    const clear =
      !analysis.loose &&
      !analysis.translated &&
      theme === undefined &&
      top.coverage >= settings.oneCoverage &&
      (!second || second.rank <= settings.oneRatio * top.rank);
    const close = analysis.loose || top.coverage < settings.closeCoverage;
    return {
      query,
      hits,
      echo: echoOf(query, analysis),
      verdict: clear ? 'one' : 'several',
      ...(close && !clear ? { close: true } : {}),
      ...themed,
      ...extra,
    };
  }

  return {
    search,
    analyze: (query, options = {}) => analyzeQuery(query, options.partial === true).analysis,
    searchable: (word) => known(word) || phraseWords.has(word) || lexicon.generic.has(word),
    // A lexicon word of another language that the report does not use ("water", "musow"); a
    // word French spells the same way ("decentralisation", "information") says nothing.
    languageOf: (word) =>
      postings.has(stem(word)) || /(?:tion|sion)s?$/.test(word) ? undefined : lexicon.languages.get(word),
  };
}

/** The index of the first word not before `word` in a sorted list (a binary search). */
function firstAtLeast(sorted: readonly string[], word: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
