import { join } from 'node:path';
import { z } from 'zod';
import type { Corpus } from './schema.js';
import { readJsonFile } from '../json-file.js';
import { checkGlossary, langTexts, type Glossary } from './glossary.js';
import {
  TranslationFileSchema,
  validateCatalog,
  validateTranslations,
  type TranslationFile,
} from './translations.js';
import {
  CatalogFileSchema,
  ReviewSchema,
  type CatalogFile,
  type Problem,
  type Review,
} from '../i18n/catalog.js';

/**
 * Everything a reviewer can change in one language, as one value: its UI catalog
 * (content/i18n/<lang>.json), the review of each catalog entry (content/i18n/review/<lang>.json)
 * and its theme names, labels and summaries (content/translations/<lang>.json). The PO files
 * (src/content/po.ts), the console's editor and the live publications all work on it, entry by
 * entry:
 *   catalog:<key>   a UI sentence                 theme:<n>      a theme's name
 *   label:<id>      a recommendation's label      summary:<id>   its summary
 * A label and its summary share one review (the translation file has one per recommendation):
 * the recommendation is reviewed when both are.
 */

const REVIEW_DIR = 'review';
const DRAFT: Review = { state: 'draft', reviewer: null, date: null };

/**
 * content/i18n/review/<lang>.json: the catalog's review, key by key. A reviewed entry keeps the
 * text that was reviewed, so an edit made afterwards (in the JSON, by anyone) is seen: the entry
 * counts as a draft again and the check says so. Keys absent here are drafts.
 */
const CatalogReviewsSchema = z
  .object({
    lang: z.string().regex(/^[a-z]{2,3}$/),
    note: z.string().min(1),
    messages: z.record(z.string(), z.object({ text: z.string(), review: ReviewSchema }).strict()),
  })
  .strict();
type CatalogReviews = z.infer<typeof CatalogReviewsSchema>;

export interface LangState {
  lang: string;
  catalog: CatalogFile;
  reviews: CatalogReviews;
  content: TranslationFile;
}

export type EntryKind = 'catalog' | 'theme' | 'label' | 'summary';
export interface EntryRef {
  kind: EntryKind;
  key: string;
}
export const entryId = (ref: EntryRef): string => `${ref.kind}:${ref.key}`;
export function parseEntryId(id: string): EntryRef | undefined {
  const m = /^(catalog|theme|label|summary):(.+)$/.exec(id);
  return m ? { kind: m[1] as EntryKind, key: m[2]! } : undefined;
}

export interface LangPaths {
  catalogDir: string;
  translationsDir: string;
}
const DEFAULT_PATHS: LangPaths = {
  catalogDir: 'content/i18n',
  translationsDir: 'content/translations',
};

export const pathsOf = (lang: string, paths: LangPaths = DEFAULT_PATHS) => ({
  catalog: join(paths.catalogDir, `${lang}.json`),
  reviews: join(paths.catalogDir, REVIEW_DIR, `${lang}.json`),
  content: join(paths.translationsDir, `${lang}.json`),
});

const emptyReviews = (lang: string): CatalogReviews => ({
  lang,
  note: 'The review of each UI sentence: who read it, when, and the text they agreed with. Absent: a draft.',
  messages: {},
});

/** Reads a language's three files (a missing review file: every catalog entry is a draft). */
export function loadLangState(lang: string, paths: LangPaths = DEFAULT_PATHS): LangState {
  const files = pathsOf(lang, paths);
  const catalog = readJsonFile(files.catalog, CatalogFileSchema);
  const reviews = readJsonFile(files.reviews, CatalogReviewsSchema, { missing: () => emptyReviews(lang) });
  const content = readJsonFile(files.content, TranslationFileSchema);
  return { lang, catalog, reviews, content };
}

const cloneState = (state: LangState): LangState => structuredClone(state);

/** A catalog entry's review as it stands: reviewed only for the very text that was reviewed. */
function catalogReview(state: LangState, key: string): Review {
  const stored = state.reviews.messages[key];
  if (!stored) return DRAFT;
  if (stored.review.state === 'reviewed' && stored.text !== state.catalog.messages[key]) return DRAFT;
  return stored.review;
}

/** The text of an entry in the language, or undefined when it has none (missing). */
export function entryText(state: LangState, ref: EntryRef): string | undefined {
  switch (ref.kind) {
    case 'catalog':
      return state.catalog.messages[ref.key];
    case 'theme':
      return state.content.themes[ref.key]?.name;
    case 'label':
      return state.content.recommendations[ref.key]?.label;
    case 'summary':
      return state.content.recommendations[ref.key]?.summary;
  }
}

export function entryReview(state: LangState, ref: EntryRef): Review {
  switch (ref.kind) {
    case 'catalog':
      return catalogReview(state, ref.key);
    case 'theme':
      return state.content.themes[ref.key]?.review ?? DRAFT;
    default:
      return state.content.recommendations[ref.key]?.review ?? DRAFT;
  }
}

/** One entry's new text and review, as a PO file or the console's editor gives it. */
export interface Change {
  id: string;
  text: string;
  review: Review;
}

/**
 * Applies changes to a copy of the state. A recommendation's review is the last one given for
 * its label or summary, except that a draft wins (reviewed only when both are).
 */
export function applyChanges(state: LangState, changes: Change[]): LangState {
  const next = cloneState(state);
  const recReviews = new Map<string, Review[]>();
  for (const change of changes) {
    const ref = parseEntryId(change.id);
    if (!ref) throw new Error(`unknown entry ${change.id}`);
    if (ref.kind === 'catalog') {
      next.catalog.messages[ref.key] = change.text;
      if (change.review.state === 'reviewed')
        next.reviews.messages[ref.key] = { text: change.text, review: change.review };
      else if (change.review.note)
        next.reviews.messages[ref.key] = { text: change.text, review: change.review };
      else delete next.reviews.messages[ref.key];
    } else if (ref.kind === 'theme') {
      next.content.themes[ref.key] = { name: change.text, review: change.review };
    } else {
      const rec = next.content.recommendations[ref.key] ?? { label: change.text, review: change.review };
      if (ref.kind === 'label') rec.label = change.text;
      else rec.summary = change.text;
      next.content.recommendations[ref.key] = rec;
      recReviews.set(ref.key, [...(recReviews.get(ref.key) ?? []), change.review]);
    }
  }
  for (const [id, reviews] of recReviews) {
    const draft = reviews.find((r) => r.state === 'draft');
    next.content.recommendations[id]!.review = draft ?? reviews[reviews.length - 1]!;
  }
  return next;
}

export interface StateCounts {
  reviewed: number;
  draft: number;
  missing: number;
}
export interface LangCounts {
  catalog: StateCounts;
  themes: StateCounts;
  labels: StateCounts;
  summaries: StateCounts;
}

/** Reviewed, draft and missing entries by part: the progress page and translations:check. */
export function countStates(
  state: LangState,
  reference: Record<string, string>,
  corpus: Corpus,
  withSummaries: boolean,
): LangCounts {
  const tally = (refs: EntryRef[]): StateCounts => {
    const counts = { reviewed: 0, draft: 0, missing: 0 };
    for (const ref of refs) {
      if (entryText(state, ref) === undefined) counts.missing++;
      else counts[entryReview(state, ref).state]++;
    }
    return counts;
  };
  const recs = corpus.recommendations.map((r) => r.id);
  return {
    catalog: tally(Object.keys(reference).map((key) => ({ kind: 'catalog' as const, key }))),
    themes: tally(corpus.themes.map((t) => ({ kind: 'theme' as const, key: String(t.number) }))),
    labels: tally(recs.map((key) => ({ kind: 'label' as const, key }))),
    summaries: withSummaries
      ? tally(recs.map((key) => ({ kind: 'summary' as const, key })))
      : { reviewed: 0, draft: 0, missing: 0 },
  };
}

export interface Verdict {
  problems: Problem[];
  /** Not refused: a phone string longer than its French. */
  warnings: Problem[];
}

/**
 * Every check a language's state must pass before it is written or published: the catalog's
 * (keys, placeholders, characters a phone cannot show, screen budget), the translations'
 * (lengths, GSM-7 budget, sentences), a review's claims, and the glossary.
 */
export function checkState(
  state: LangState,
  options: { reference: Record<string, string>; corpus: Corpus; glossary?: Glossary },
): Verdict {
  const files = pathsOf(state.lang);
  const catalog = validateCatalog(JSON.stringify(state.catalog), files.catalog, options.reference);
  const content = validateTranslations(JSON.stringify(state.content), files.content, options.corpus);
  const problems = [...catalog.problems, ...content.problems];
  const reviews = CatalogReviewsSchema.safeParse(state.reviews);
  if (!reviews.success)
    problems.push({ file: files.reviews, key: '(file)', what: reviews.error.issues[0]!.message });
  for (const [key, stored] of Object.entries(state.reviews.messages)) {
    if (state.catalog.messages[key] === undefined)
      problems.push({ file: files.reviews, key, what: 'reviewed, but the catalog has no such entry' });
    else if (stored.review.state === 'reviewed' && stored.text !== state.catalog.messages[key])
      problems.push({
        file: files.reviews,
        key,
        what: 'the text changed since its review: review it again, or set it back to draft',
      });
  }
  if (options.glossary)
    problems.push(
      ...checkGlossary(
        options.glossary,
        langTexts({ catalog: state.catalog.messages, content: state.content }),
        `glossary (content/i18n/glossary/${state.lang}.json)`,
      ),
    );
  return { problems, warnings: catalog.warnings };
}
