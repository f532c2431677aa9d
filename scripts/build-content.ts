/**
 * Builds content/recommendations.json from the report's text (content/source/) and our
 * editorial additions (content/editorial.json).
 *
 *   npm run content:build                 writes content/recommendations.json
 *   npm run content:build -- --check      fails if the committed file differs from a rebuild
 *   npm run content:build -- --out PATH   writes elsewhere
 *
 * The parser reads the text line by line and recognises every line it keeps or drops; anything
 * it does not recognise stops the build with the line number (it never guesses).
 *
 * Decisions, for the record:
 * - Line wrapping is undone by joining the lines of an item with one space; every run of
 *   whitespace (including the double spaces of the extraction, e.g. "Tamesna,  le Tilemsi",
 *   "10.  Proposer") becomes one space, and texts are trimmed. Every other character is the
 *   report's (’ « » typos, the space before ";" and ":").
 * - Theme titles are the heading after "THEMATIQUE n :", its wrapped lines joined, without the
 *   final period that the headings of themes 1 and 2 carry and themes 3-5 do not: the report's
 *   own intro line ("... formulées sur la thématique « TITLE » :") quotes every title without it,
 *   and the parser checks that the heading and that quotation agree.
 * - The running page header is dropped wherever it falls; the "RECOMMANDATIONS" heading of each
 *   theme (theme 3's reads "2. RECOMMANDATIONS") and the intro line are not items.
 * - Bulleted lines (➢) become `items` of the recommendation they follow, verbatim with their
 *   final punctuation; a line of text after a bulleted list is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parseCorpus } from '../src/content/load.js';
import { AboutSchema, LABEL_MAX, THEME_COUNTS, THEME_SHORT_MAX, type Corpus } from '../src/content/schema.js';
import { tokens } from '../src/core/normalize.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE_PATH = resolve(ROOT, 'content/source/dialogue-inter-maliens-2024-05-10.txt');
export const EDITORIAL_PATH = resolve(ROOT, 'content/editorial.json');
export const OUTPUT_PATH = resolve(ROOT, 'content/recommendations.json');

export const PAGE_HEADER =
  'COMITE DE PILOTAGE DU DIALOGUE INTER-MALIENS POUR LA PAIX ET LA RECONCILIATION NATIONALE MAI-2024';
const INTRO_START = 'Les recommandations suivantes ont été formulées sur la thématique «';
const CLOSING_PLACE_DATE = 'Bamako, le 10 Mai 2024';
const CLOSING_SIGNATURE = 'Le Dialogue Inter-Maliens pour la Paix et la Réconciliation nationale';
const BULLET = '➢';

export class SourceError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`source line ${line}: ${message}`);
  }
}

export interface ParsedTheme {
  number: number;
  title: string;
}

export interface ParsedRecommendation {
  theme: number;
  number: number;
  text: string;
  items?: string[];
}

export interface ParsedReport {
  /** The text before the first theme, wrapping undone (the source of `about`). */
  preamble: string;
  themes: ParsedTheme[];
  recommendations: ParsedRecommendation[];
}

interface OpenItem {
  theme: number;
  number: number;
  line: number;
  parts: string[];
  items: string[];
}

const oneLine = (parts: string[]): string => parts.join(' ').replace(/\s+/g, ' ').trim();

/** Parses the report's text. Throws a SourceError naming the line of anything unexpected. */
export function parseReport(source: string): ParsedReport {
  const preamble: string[] = [];
  const themes: ParsedTheme[] = [];
  const recommendations: ParsedRecommendation[] = [];
  type State = 'preamble' | 'heading' | 'intro' | 'items' | 'closing' | 'end';
  let state = 'preamble' as State;
  let heading: string[] = [];
  let headingLine = 0;
  let intro: string[] = [];
  let introLine = 0;
  let open: OpenItem | undefined;

  const closeItem = (): void => {
    if (!open) return;
    const text = oneLine(open.parts);
    if (text === '') throw new SourceError(open.line, `item ${open.theme}.${open.number} has no text`);
    const rec: ParsedRecommendation = { theme: open.theme, number: open.number, text };
    if (open.items.length > 0) rec.items = open.items.map((item) => oneLine([item]));
    recommendations.push(rec);
    open = undefined;
  };

  const closeTheme = (line: number): void => {
    closeItem();
    const theme = themes.length;
    if (theme === 0) return;
    const count = recommendations.filter((r) => r.theme === theme).length;
    const expected = THEME_COUNTS[theme - 1];
    if (count !== expected) {
      throw new SourceError(line, `theme ${theme} ends with ${count} recommendations, expected ${expected}`);
    }
  };

  const lines = source.split('\n');
  lines.forEach((raw, index) => {
    const n = index + 1;
    if (raw.includes('\r') || raw.includes('\t')) throw new SourceError(n, 'unexpected control character');
    const line = oneLine([raw]);
    if (line === '') return;

    if (line === PAGE_HEADER) return;
    if (/COMITE DE PILOTAGE|MAI-2024/.test(line)) {
      throw new SourceError(n, `looks like a damaged page header: "${line}"`);
    }

    if (line.includes(BULLET) && (state !== 'items' || line.lastIndexOf(BULLET) !== 0)) {
      throw new SourceError(n, 'bullet outside a list of sub-items');
    }

    const theme = /^THEMATIQUE (\d+) : (.+)$/.exec(line);
    if (/^THEMATIQUE\b/.test(line)) {
      if (!theme) throw new SourceError(n, `malformed theme heading: "${line}"`);
      if (state !== 'preamble' && state !== 'items')
        throw new SourceError(n, `theme heading where ${state} was expected`);
      closeTheme(n);
      const number = Number(theme[1]);
      if (number !== themes.length + 1)
        throw new SourceError(n, `theme ${number} where ${themes.length + 1} was expected`);
      if (number > THEME_COUNTS.length)
        throw new SourceError(n, `theme ${number}: the report has ${THEME_COUNTS.length} themes`);
      heading = [theme[2] ?? ''];
      headingLine = n;
      state = 'heading';
      return;
    }

    const item = /^(\d+)\. (.*)$/.exec(line);

    switch (state) {
      case 'preamble':
        preamble.push(line);
        return;

      case 'heading': {
        // Theme 3's heading is followed by a stray "2. RECOMMANDATIONS": a heading, not an item.
        if (/^(?:\d+\. )?RECOMMANDATIONS$/.test(line)) {
          const title = oneLine(heading).replace(/(?<!\s)\s*\.$/, '');
          themes.push({ number: themes.length + 1, title });
          intro = [];
          state = 'intro';
          return;
        }
        if (item || line.startsWith(BULLET)) throw new SourceError(n, 'item inside a theme heading');
        if (heading.length >= 3) throw new SourceError(headingLine, 'theme heading longer than three lines');
        heading.push(line);
        return;
      }

      case 'intro': {
        const current = themes[themes.length - 1] as ParsedTheme;
        if (intro.length === 0) {
          if (!line.startsWith(INTRO_START))
            throw new SourceError(n, `expected the intro line "${INTRO_START} ..."`);
          introLine = n;
          intro.push(line);
          return;
        }
        if (!item) {
          if (intro.length >= 3) throw new SourceError(introLine, 'intro longer than three lines');
          intro.push(line);
          return;
        }
        const quoted = oneLine(intro).slice(INTRO_START.length).split('»')[0]!.trim();
        if (quoted !== current.title) {
          throw new SourceError(
            introLine,
            `theme ${current.number}: heading "${current.title}" and intro "${quoted}" disagree`,
          );
        }
        state = 'items';
        break; // fall through to the item below
      }

      case 'items':
        break;

      case 'closing':
        if (line !== CLOSING_SIGNATURE)
          throw new SourceError(n, `expected the signature "${CLOSING_SIGNATURE}"`);
        state = 'end';
        return;

      case 'end':
        throw new SourceError(n, 'text after the signature');
    }

    // state === 'items'
    const themeNumber = themes.length;
    if (item) {
      const number = Number(item[1]);
      const expected = open ? open.number + 1 : 1;
      if (number !== expected) {
        throw new SourceError(
          n,
          `item ${themeNumber}.${number} where ${themeNumber}.${expected} was expected`,
        );
      }
      closeItem();
      open = { theme: themeNumber, number, line: n, parts: [item[2] ?? ''], items: [] };
    } else if (line === CLOSING_PLACE_DATE) {
      if (themeNumber !== THEME_COUNTS.length) throw new SourceError(n, 'closing before the last theme');
      closeTheme(n);
      state = 'closing';
      return;
    } else if (!open) {
      throw new SourceError(n, 'text before the first item');
    } else if (line.startsWith(BULLET)) {
      const body = line.slice(BULLET.length).trim();
      if (body === '') throw new SourceError(n, 'empty bullet');
      open.items.push(body);
    } else if (open.items.length > 0) {
      throw new SourceError(n, `text after the bulleted list of ${themeNumber}.${open.number}: "${line}"`);
    } else if (/RECOMMANDATIONS|^Les recommandations suivantes/.test(line)) {
      throw new SourceError(n, `heading or intro inside the items of theme ${themeNumber}`);
    } else {
      open.parts.push(line);
    }
  });

  if (state !== 'end')
    throw new SourceError(lines.length, `text ends in state ${state}, expected the closing signature`);
  if (themes.length !== THEME_COUNTS.length) throw new SourceError(lines.length, `${themes.length} themes`);
  return { preamble: oneLine(preamble), themes, recommendations };
}

/** Our additions: theme short names, recommendation labels, the `about` block. */
export const EditorialSchema = z.strictObject({
  themes: z.record(z.string().regex(/^[1-5]$/), z.string().min(1).max(THEME_SHORT_MAX)),
  labels: z.record(z.string(), z.string().min(1).max(LABEL_MAX)),
  about: AboutSchema,
});
export type Editorial = z.infer<typeof EditorialSchema>;

export class EditorialError extends Error {}

/** The words of `label` (folded) that do not occur in the recommendation's text or items. */
export function foreignLabelWords(label: string, rec: { text: string; items?: string[] }): string[] {
  const words = new Set(tokens([rec.text, ...(rec.items ?? [])].join(' ')));
  return tokens(label).filter((word) => !words.has(word));
}

export function parseEditorial(json: string, source = 'editorial'): Editorial {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new EditorialError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = EditorialSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EditorialError(`${source} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** Merges the parsed report with the editorial file and validates the result with CorpusSchema. */
export function buildCorpus(sourceText: string, editorialJson: string): Corpus {
  const report = parseReport(sourceText);
  const editorial = parseEditorial(editorialJson);
  const problems: string[] = [];

  const themes = report.themes.map((t) => {
    const short = editorial.themes[String(t.number)];
    if (short === undefined) problems.push(`theme ${t.number}: no short name`);
    return { number: t.number, title: t.title, short: short ?? '' };
  });
  const known = new Set(report.recommendations.map((r) => `${r.theme}.${r.number}`));
  for (const id of Object.keys(editorial.labels)) {
    if (!known.has(id)) problems.push(`label for unknown recommendation ${id}`);
  }
  const recommendations = report.recommendations.map((r) => {
    const id = `${r.theme}.${r.number}`;
    const label = editorial.labels[id];
    if (label === undefined) {
      problems.push(`recommendation ${id}: no label`);
    } else {
      const foreign = foreignLabelWords(label, r);
      if (foreign.length > 0) {
        problems.push(`recommendation ${id}: label words not in the text: ${foreign.join(', ')}`);
      }
    }
    return {
      id,
      theme: r.theme,
      number: r.number,
      text: r.text,
      ...(r.items ? { items: r.items } : {}),
      label: label ?? '',
    };
  });
  if (problems.length > 0) throw new EditorialError(`content/editorial.json:\n  ${problems.join('\n  ')}`);

  const corpus = { themes, recommendations, about: editorial.about };
  // Validate the exact bytes we are going to write.
  return parseCorpus(renderCorpus(corpus), 'built corpus');
}

export function renderCorpus(corpus: Corpus): string {
  return `${JSON.stringify(corpus, null, 2)}\n`;
}

export function buildContentFile(paths = { source: SOURCE_PATH, editorial: EDITORIAL_PATH }): string {
  return renderCorpus(buildCorpus(readFileSync(paths.source, 'utf8'), readFileSync(paths.editorial, 'utf8')));
}

function main(argv: string[]): void {
  const check = argv.includes('--check');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : OUTPUT_PATH;
  if (out === undefined) throw new Error('--out needs a path');
  const rendered = buildContentFile();
  if (check) {
    const committed = readFileSync(out, 'utf8');
    if (committed !== rendered) {
      throw new Error(`${out} differs from a rebuild: run npm run content:build`);
    }
    console.log(`${out} is up to date`);
    return;
  }
  writeFileSync(out, rendered);
  const count = (JSON.parse(rendered) as Corpus).recommendations.length;
  console.log(`wrote ${out}: ${count} recommendations`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`content:build failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
