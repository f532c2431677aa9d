import { readFileSync } from 'node:fs';
import { foldLetters } from '../../src/core/normalize.js';
import { toGsm7 } from '../../src/text/gsm7.js';

/**
 * Finds French that is ours (not the report's) in a reply meant for another language.
 *
 * What counts as French is read from the files, never from a word list kept for the purpose:
 * - every sentence of the French catalog (content/i18n/fr.json), cut at its placeholders and
 *   punctuation into runs of at least two words and eight letters;
 * - the French theme names and the French labels of the 300 recommendations (ours, in the
 *   corpus), as runs of three words (a label cut on a small screen is still found);
 * - the French summary of the Dialogue (ours, in the corpus or the catalog).
 * A run is not French for a language whose own text for the same key (the same theme, label,
 * summary) contains it too: what a translator chose to keep (a name, a command word) is theirs.
 *
 * The report's own words are exempt, as the rule says: a line of the reply that is a piece of the
 * report's text (a recommendation's text or items, a theme's title; cut anywhere, as a paged
 * screen cuts it) is not searched.
 */

/** Folded as a phone shows it: accents, GSM-7's è and ò, Bambara's letters, case and punctuation. */
function foldForMatch(text: string): string {
  // Through GSM-7 first, as SMS and USSD send it (n° → no, ɛ → è), so both sides read alike.
  return ` ${foldLetters(toGsm7(text))
    .replace(/[’'`´‘ʼ]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

const letters = (run: string) => run.replace(/[^\p{L}]/gu, '').length;

/** Runs of a sentence between placeholders and punctuation: two words and eight letters at least. */
function sentenceRuns(text: string): string[] {
  return text
    .split(/\{\w+\}|[.:;!?()«»"“”/\n…,=·|–—]+/u)
    .map((part) => foldForMatch(part))
    .filter((run) => run.trim().split(' ').length >= 2 && letters(run) >= 8);
}

/** Runs of three words (or the whole of a shorter text of eight letters or more). */
function wordRuns(text: string): string[] {
  const words = foldForMatch(text).trim().split(' ').filter(Boolean);
  if (words.length < 3) return letters(words.join('')) >= 6 ? [` ${words.join(' ')} `] : [];
  const runs: string[] = [];
  for (let i = 0; i + 3 <= words.length; i++) {
    const run = words.slice(i, i + 3);
    if (letters(run.join('')) >= 8) runs.push(` ${run.join(' ')} `);
  }
  return runs;
}

interface CatalogFile {
  messages: Record<string, string>;
}
interface TranslationFile {
  themes: Record<string, { name: string }>;
  recommendations: Record<string, { label: string; summary?: string }>;
}
interface CorpusFile {
  themes: Array<{ number: number; title: string; short: string }>;
  recommendations: Array<{ id: string; text: string; items?: string[]; label: string }>;
  about: { summary?: Record<string, string> };
}

export interface FrenchLeak {
  /** The line of the reply that holds it (folded). */
  line: string;
  /** The French run found. */
  run: string;
  /** Where the run comes from: `catalog:<key>`, `theme:<n>`, `label:<id>`, `about`. */
  source: string;
}

export interface FrenchDetector {
  /** French runs (ours) in `text`, a reply meant for `lang`. */
  find(text: string, lang: string): FrenchLeak[];
  /** How many French runs the detector knows for `lang` (for the report). */
  size(lang: string): number;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const tryJson = <T>(path: string): T | undefined => {
  try {
    return readJson<T>(path);
  } catch {
    return undefined;
  }
};

export function createFrenchDetector(
  options: { catalogDir?: string; translationsDir?: string; corpusFile?: string } = {},
): FrenchDetector {
  const catalogDir = options.catalogDir ?? 'content/i18n';
  const translationsDir = options.translationsDir ?? 'content/translations';
  const corpus = readJson<CorpusFile>(options.corpusFile ?? 'content/recommendations.json');
  const french = readJson<CatalogFile>(`${catalogDir}/fr.json`).messages;
  // The French summary of the Dialogue: in the corpus, or (since issue 30) in the catalog.
  const frenchAbout = corpus.about.summary?.fr;

  // The report's words, folded, each line as it may be cut: a reply line inside one is exempt.
  const report = corpus.recommendations
    .flatMap((rec) => [rec.text, ...(rec.items ?? [])])
    .concat(corpus.themes.map((theme) => theme.title))
    .map((text) => foldForMatch(text));
  const reportText = report.join('|');
  const isReport = (line: string) => line.trim().split(' ').length >= 1 && reportText.includes(line.trim());

  const byLang = new Map<string, Array<{ run: string; source: string }>>();
  const runsFor = (lang: string) => {
    const known = byLang.get(lang);
    if (known) return known;
    const own = tryJson<CatalogFile>(`${catalogDir}/${lang}.json`)?.messages ?? {};
    const content = tryJson<TranslationFile>(`${translationsDir}/${lang}.json`);
    const keeps = (mine: string | undefined, run: string) =>
      mine !== undefined && foldForMatch(mine).includes(run);
    const runs: Array<{ run: string; source: string }> = [];
    for (const [key, text] of Object.entries(french))
      for (const run of sentenceRuns(text))
        if (!keeps(own[key], run)) runs.push({ run, source: `catalog:${key}` });
    for (const theme of corpus.themes)
      for (const run of wordRuns(theme.short))
        if (!keeps(content?.themes[String(theme.number)]?.name, run))
          runs.push({ run, source: `theme:${theme.number}` });
    // A name a translator kept in a label or a summary ("Charte de la Transition") is theirs.
    const ownContent = content
      ? Object.values(content.recommendations)
          .map((entry) => `${entry.label}\n${entry.summary ?? ''}`)
          .join('\n')
      : undefined;
    for (const rec of corpus.recommendations)
      for (const run of wordRuns(rec.label))
        if (!keeps(ownContent, run)) runs.push({ run, source: `label:${rec.id}` });
    const aboutFr = frenchAbout ?? french['about.summary' as keyof typeof french];
    const aboutOwn = corpus.about.summary?.[lang] ?? own['about.summary'];
    if (aboutFr)
      for (const run of sentenceRuns(aboutFr)) if (!keeps(aboutOwn, run)) runs.push({ run, source: 'about' });
    // Longest first: a leak is reported once, by its longest run.
    runs.sort((a, b) => b.run.length - a.run.length);
    byLang.set(lang, runs);
    return runs;
  };

  return {
    size: (lang) => runsFor(lang).length,
    find(text, lang) {
      if (lang === 'fr') return [];
      const runs = runsFor(lang);
      const leaks: FrenchLeak[] = [];
      for (const raw of text.split(/\n+/)) {
        // A bullet or a list mark before a piece of the report does not make it ours.
        const line = foldForMatch(raw.replace(/^\s*(?:[-•*]|\d+[.)]?)\s+/, ''));
        if (line.trim() === '' || isReport(line)) continue;
        const found = runs.find((entry) => line.includes(entry.run));
        if (found) leaks.push({ line: line.trim(), run: found.run.trim(), source: found.source });
      }
      return leaks;
    },
  };
}
