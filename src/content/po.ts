import { po as gettextPo } from 'gettext-parser';
import type { GetTextTranslation, GetTextTranslations } from 'gettext-parser';
import type { Corpus } from './schema.js';
import { LABEL_MAX, THEME_SHORT_MAX } from './schema.js';
import {
  entryId,
  entryReview,
  entryText,
  type Change,
  type EntryKind,
  type EntryRef,
  type LangState,
} from './lang-state.js';
import { SUMMARY_MAX } from './translations.js';
import { isPhoneKey, placeholdersOf, SCREEN_MAX, type Review } from '../i18n/catalog.js';

/**
 * gettext PO files of a language, for translators who work in Poedit or Weblate, offline too.
 * Three files: `catalog` (the UI sentences: msgctxt the key, msgid the French), `labels` (theme
 * names and recommendation labels: msgctxt "theme 1" or "2.15", msgid our French) and
 * `summaries` (msgctxt "2.15", msgid our French label; the report's own text in the notes for
 * translators). A draft is `#, fuzzy`; a reviewed entry is not, and its reviewer and date are in
 * a translator comment. Parsing and writing are gettext-parser's; nothing here reads PO syntax.
 */
export type PoPart = 'catalog' | 'labels' | 'summaries';
export const PO_PARTS: readonly PoPart[] = ['catalog', 'labels', 'summaries'];
const PART_HEADER = 'X-Dim-Part';
const VERSION_HEADER = 'X-Dim-Version';

export interface PoSource {
  reference: Record<string, string>;
  corpus: Corpus;
  /** The live version the state comes from (0: the files); an upload names it back. */
  version: number;
  withSummaries: boolean;
}

const wrap = (label: string, text: string) => `${label}: ${text.replace(/\s+/g, ' ').trim()}`;

function reviewComment(review: Review): string {
  const lines: string[] = [];
  if (review.state === 'reviewed') lines.push(`reviewed: ${review.reviewer}, ${review.date}`);
  if (review.note) lines.push(`note: ${review.note.replace(/\s+/g, ' ')}`);
  return lines.join('\n');
}

function entry(
  ctx: string,
  msgid: string,
  state: LangState,
  ref: EntryRef,
  notes: string[],
): GetTextTranslation {
  const text = entryText(state, ref);
  const review = entryReview(state, ref);
  const comments: NonNullable<GetTextTranslation['comments']> = { extracted: notes.join('\n') };
  const translator = text === undefined ? '' : reviewComment(review);
  if (translator) comments.translator = translator;
  if (text !== undefined && review.state === 'draft') comments.flag = 'fuzzy';
  return { msgctxt: ctx, msgid, msgstr: [text ?? ''], comments };
}

function table(lang: string, part: PoPart, version: number, entries: GetTextTranslation[]): Buffer {
  const translations: GetTextTranslations['translations'] = { '': { '': { msgid: '', msgstr: [''] } } };
  for (const e of entries) (translations[e.msgctxt!] ??= {})[e.msgid] = e;
  return gettextPo.compile(
    {
      charset: 'utf-8',
      headers: {
        'Project-Id-Version': `dim-recommandations ${part}`,
        Language: lang,
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=UTF-8',
        'Content-Transfer-Encoding': '8bit',
        [PART_HEADER]: part,
        [VERSION_HEADER]: String(version),
      },
      translations,
    },
    { sort: false },
  );
}

function reportText(rec: Corpus['recommendations'][number]): string {
  const items = rec.items?.length ? ` ${rec.items.map((i) => `- ${i}`).join(' ')}` : '';
  return `${rec.text}${items}`;
}

/** The three PO files of `state`. */
export function exportPo(state: LangState, source: PoSource): Record<PoPart, Buffer> {
  const { reference, corpus } = source;
  const catalog = Object.entries(reference).map(([key, french]) => {
    const notes = [wrap('key', key)];
    const placeholders = placeholdersOf(french);
    if (placeholders.length)
      notes.push(
        `keep ${placeholders.map((p) => `{${p}}`).join(' ')} as written (the program fills them in)`,
      );
    if (key.startsWith('ussd.') || key.startsWith('sms.'))
      notes.push(`phone screen: at most ${SCREEN_MAX} characters, ideally no longer than the French`);
    else if (isPhoneKey(key)) notes.push('may reach SMS/USSD/voice: official letters are fine, no emoji');
    return entry(key, french, state, { kind: 'catalog', key }, notes);
  });
  const labels = [
    ...corpus.themes.map((theme) =>
      entry(`theme ${theme.number}`, theme.short, state, { kind: 'theme', key: String(theme.number) }, [
        `a theme's name, at most ${THEME_SHORT_MAX} characters`,
        wrap("the report's title (French, verbatim)", theme.title),
      ]),
    ),
    ...corpus.recommendations.map((rec) =>
      entry(rec.id, rec.label, state, { kind: 'label', key: rec.id }, [
        `recommendation ${rec.id}: a short label, at most ${LABEL_MAX} characters`,
        wrap("the report's text (French, verbatim)", reportText(rec)),
      ]),
    ),
  ];
  const summaries = source.withSummaries
    ? corpus.recommendations.map((rec) =>
        entry(rec.id, rec.label, state, { kind: 'summary', key: rec.id }, [
          `recommendation ${rec.id}: our summary of the report's text below, 1 to 3 sentences, at most ${SUMMARY_MAX} characters; not a translation of the label`,
          wrap("the report's text (French, verbatim)", reportText(rec)),
        ]),
      )
    : [];
  return {
    catalog: table(state.lang, 'catalog', source.version, catalog),
    labels: table(state.lang, 'labels', source.version, labels),
    summaries: table(state.lang, 'summaries', source.version, summaries),
  };
}

export interface PoImport {
  changes: Change[];
  /** Refusals: a file of another language, an unknown entry, a review without a reviewer. */
  problems: string[];
  /** Worth reading, not refused: the French changed since the export, a half-reviewed entry. */
  notes: string[];
  /** The live version each file was exported from (its header), when it says. */
  versions: number[];
}

export interface Reviewer {
  name?: string;
  /** YYYY-MM-DD */
  date: string;
}

const NOTE_LINE = /^note: (.*)$/m;

interface Parsed {
  ref: EntryRef;
  text: string;
  fuzzy: boolean;
  note?: string;
  msgid: string;
}

function partOf(po: GetTextTranslations, fileName: string): PoPart | undefined {
  const header = po.headers?.[PART_HEADER];
  if (header && (PO_PARTS as readonly string[]).includes(header)) return header as PoPart;
  return PO_PARTS.find((part) => fileName.includes(part));
}

function refOf(part: PoPart, ctx: string): EntryRef | undefined {
  if (part === 'catalog') return { kind: 'catalog', key: ctx };
  const theme = /^theme (\d+)$/.exec(ctx);
  if (theme) return part === 'labels' ? { kind: 'theme', key: theme[1]! } : undefined;
  return /^\d+\.\d+$/.test(ctx) ? { kind: part === 'labels' ? 'label' : 'summary', key: ctx } : undefined;
}

/** The French an entry was exported against, to tell the translator it moved since. */
function frenchOf(ref: EntryRef, source: PoSource): string | undefined {
  if (ref.kind === 'catalog') return source.reference[ref.key];
  if (ref.kind === 'theme') return source.corpus.themes.find((t) => String(t.number) === ref.key)?.short;
  return source.corpus.recommendations.find((r) => r.id === ref.key)?.label;
}

/**
 * Reads PO files back into changes against `state`: an entry whose text, fuzzy flag or note
 * differs. A non-fuzzy changed entry becomes reviewed by `reviewer` (the console's account, or
 * the CLI's --reviewer, else the file's Last-Translator); a fuzzy one a draft. Nothing unchanged
 * is touched, so exporting and importing again changes nothing.
 */
export function importPo(
  files: Array<{ name: string; content: Buffer | string }>,
  state: LangState,
  source: PoSource,
  reviewer: Reviewer,
): PoImport {
  const result: PoImport = { changes: [], problems: [], notes: [], versions: [] };
  const parsed: Parsed[] = [];
  let lastTranslator: string | undefined;
  for (const file of files) {
    let po: GetTextTranslations;
    try {
      po = gettextPo.parse(file.content);
    } catch (error) {
      result.problems.push(`${file.name}: not a PO file (${(error as Error).message})`);
      continue;
    }
    const part = partOf(po, file.name);
    if (!part) {
      result.problems.push(`${file.name}: not one of ${PO_PARTS.join(', ')} (header ${PART_HEADER})`);
      continue;
    }
    const lang = po.headers?.Language;
    if (lang && lang !== state.lang) {
      result.problems.push(`${file.name}: Language ${lang}, not ${state.lang}`);
      continue;
    }
    const version = Number(po.headers?.[VERSION_HEADER]);
    if (Number.isInteger(version)) result.versions.push(version);
    lastTranslator ??= po.headers?.['Last-Translator']?.split('<')[0]?.trim() || undefined;
    for (const [ctx, byId] of Object.entries(po.translations)) {
      for (const e of Object.values(byId)) {
        if (ctx === '' && e.msgid === '') continue;
        const ref = refOf(part, ctx);
        const where = `${file.name}: ${ctx || e.msgid}`;
        if (!ref || (ref.kind !== 'catalog' && frenchOf(ref, source) === undefined)) {
          result.problems.push(`${where}: no such entry`);
          continue;
        }
        if (ref.kind === 'catalog' && source.reference[ref.key] === undefined) {
          result.problems.push(`${where}: no such UI key`);
          continue;
        }
        const text = e.msgstr[0] ?? '';
        if (text.trim() === '') continue; // untranslated: stays missing (or as it is)
        const note = NOTE_LINE.exec(e.comments?.translator ?? '')?.[1]?.trim();
        parsed.push({
          ref,
          text,
          fuzzy: /\bfuzzy\b/.test(e.comments?.flag ?? ''),
          ...(note ? { note } : {}),
          msgid: e.msgid,
        });
      }
    }
  }
  const reviewerName = reviewer.name?.trim() || lastTranslator;
  const reviewedBy = (note?: string): Review =>
    ({
      state: 'reviewed',
      reviewer: reviewerName ?? '',
      date: reviewer.date,
      ...(note ? { note } : {}),
    }) as Review;
  const draft = (note?: string): Review => ({
    state: 'draft',
    reviewer: null,
    date: null,
    ...(note ? { note } : {}),
  });

  // A recommendation is reviewed when each of its parts in the files is, and no part left out is a draft.
  const recParts = new Map<string, Parsed[]>();
  for (const p of parsed)
    if (p.ref.kind === 'label' || p.ref.kind === 'summary')
      recParts.set(p.ref.key, [...(recParts.get(p.ref.key) ?? []), p]);

  for (const p of parsed) {
    const id = entryId(p.ref);
    const french = frenchOf(p.ref, source);
    if (french !== undefined && p.msgid !== french)
      result.notes.push(`${id}: the French changed since this file was made ("${p.msgid}" → "${french}")`);
    const current = entryReview(state, p.ref);
    const currentText = entryText(state, p.ref);
    let fuzzy = p.fuzzy;
    if (p.ref.kind === 'label' || p.ref.kind === 'summary') {
      const parts = recParts.get(p.ref.key)!;
      const kinds = new Set<EntryKind>(parts.map((x) => x.ref.kind));
      const missingPart =
        source.withSummaries && kinds.size < 2 && current.state === 'draft' && !parts.some((x) => x.fuzzy);
      fuzzy = parts.some((x) => x.fuzzy) || missingPart;
      if (missingPart && p === parts[0])
        result.notes.push(
          `${p.ref.key}: its ${kinds.has('label') ? 'summary' : 'label'} is not in these files: the recommendation stays a draft`,
        );
    }
    const sameText = currentText === p.text;
    const sameState = (current.state === 'draft') === fuzzy;
    const sameNote = (current.note ?? undefined) === p.note;
    if (sameText && sameState && sameNote) continue;
    let review: Review;
    if (fuzzy) review = draft(p.note);
    else if (sameText && current.state === 'reviewed')
      review = { ...current, ...(p.note ? { note: p.note } : {}) };
    else review = reviewedBy(p.note);
    if (review.state === 'reviewed' && !review.reviewer) {
      result.problems.push(`${id}: marked reviewed (not fuzzy), but no reviewer is named`);
      continue;
    }
    result.changes.push({ id, text: p.text, review });
  }
  return result;
}
