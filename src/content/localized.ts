import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../errors.js';
import { languages } from '../i18n/index.js';
import type { Lang } from '../core/types.js';
import type { Corpus, Recommendation, Theme } from './schema.js';
import { loadTranslations, TranslationError, type TranslationFile } from './translations.js';

/**
 * Our translated content, served: theme names, recommendation labels and (Bambara) summaries
 * from content/translations/<lang>.json. Loaded and checked once at start-up (a broken file
 * stops it with one line); every channel asks here for a theme's name or a label in the
 * person's language. French is the corpus itself. When drafts are not served
 * (SERVE_DRAFT_TRANSLATIONS=off) a draft entry falls back to French, entry by entry.
 */
export class TranslationsStartupError extends StartupError {
  constructor(message: string) {
    super('translations', message);
  }
}

export interface DraftCount {
  /** Entries of the content file (themes + recommendations) still `draft`, and their total. */
  content: { draft: number; total: number };
  /** The UI catalog's review state (content/i18n/<lang>.json meta.review). */
  catalog: 'draft' | 'reviewed';
}

interface Installed {
  files: Map<Lang, TranslationFile>;
  serveDrafts: boolean;
}

let installed: Installed = { files: new Map(), serveDrafts: true };

/** Loads every <lang>.json of `dir` (checked against the corpus) and makes it the served one. */
export function installTranslations(dir: string, corpus: Corpus, serveDrafts: boolean): void {
  const files = new Map<Lang, TranslationFile>();
  const names = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
  for (const name of names.sort()) {
    try {
      const file = loadTranslations(join(dir, name), corpus);
      files.set(file.lang, file);
    } catch (error) {
      if (!(error instanceof TranslationError)) throw error;
      // One line: the first problem and how many more (npm run translations:check lists them all).
      const lines = error.message.split('\n').map((line) => line.trim());
      const more = lines.length > 2 ? ` (+${lines.length - 2} more: npm run translations:check)` : '';
      throw new TranslationsStartupError(`${lines[1] ?? lines[0]}${more}`);
    }
  }
  installed = { files, serveDrafts };
  revision++;
}

/**
 * Serves `file` for its language from now on (a version published from the console,
 * src/translations/live.ts); the next installTranslations() puts the directory's files back.
 */
export function overrideTranslations(file: TranslationFile): void {
  installed.files.set(file.lang, file);
  revision++;
}

let revision = 0;
/**
 * Changes whenever served translations or catalogs change (a publication from the console):
 * renderers that keep finished screens (SMS, USSD) key them by it, so nothing stale is sent.
 */
export const translationsRevision = (): number => revision;

export function servesDrafts(): boolean {
  return installed.serveDrafts;
}

function entry<T extends { review: { state: string } }>(found: T | undefined): T | undefined {
  if (!found) return undefined;
  return found.review.state === 'draft' && !installed.serveDrafts ? undefined : found;
}

/** The theme's short name in `lang` (ours), else the corpus's French. */
export function themeName(theme: Theme, lang: Lang): string {
  return entry(installed.files.get(lang)?.themes[String(theme.number)])?.name ?? theme.short;
}

/**
 * The theme's name in `lang` as written, served or not, with its review state: what a speaker
 * records in the studio (a recording is ours too, and says which text it was made from).
 */
export function themeNameEntry(
  theme: Theme,
  lang: Lang,
): { name: string; state: 'draft' | 'reviewed' } | undefined {
  const found = installed.files.get(lang)?.themes[String(theme.number)];
  return found ? { name: found.name, state: found.review.state } : undefined;
}

/**
 * The theme's title in `lang`: our name where one is served, else the report's French title
 * (the report names its themes in French only).
 */
export function themeTitle(theme: Theme, lang: Lang): string {
  return entry(installed.files.get(lang)?.themes[String(theme.number)])?.name ?? theme.title;
}

/** A recommendation's short label in `lang` (ours), else the French label (also ours). */
export function recLabel(rec: Recommendation, lang: Lang): string {
  return entry(installed.files.get(lang)?.recommendations[rec.id])?.label ?? rec.label;
}

/** Our plain-language summary in `lang`, when that language has one served (Bambara). */
export function recSummary(rec: Recommendation, lang: Lang): string | undefined {
  return entry(installed.files.get(lang)?.recommendations[rec.id])?.summary;
}

/**
 * The review state of the label and summary `recLabel`/`recSummary` serve in `lang` (one review
 * covers both), or undefined when French stands in: pages mark drafts as drafts.
 */
export function recReview(rec: Recommendation, lang: Lang): 'draft' | 'reviewed' | undefined {
  return entry(installed.files.get(lang)?.recommendations[rec.id])?.review.state;
}

/** The review state of the theme name `themeName`/`themeTitle` serve in `lang`, as `recReview`. */
export function themeReview(theme: Theme, lang: Lang): 'draft' | 'reviewed' | undefined {
  return entry(installed.files.get(lang)?.themes[String(theme.number)])?.review.state;
}

/** Per language: how many entries are drafts. For the start-up log and /readyz. */
export function draftCounts(): Record<Lang, DraftCount> {
  const counts: Record<Lang, DraftCount> = {};
  for (const language of languages()) {
    const file = installed.files.get(language.code);
    const entries = file ? [...Object.values(file.themes), ...Object.values(file.recommendations)] : [];
    counts[language.code] = {
      content: {
        draft: entries.filter((e) => e.review.state === 'draft').length,
        total: entries.length,
      },
      catalog: language.review.state,
    };
  }
  return counts;
}
