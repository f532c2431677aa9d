import { recLabel, recReview, recSummary } from '../../src/content/localized.js';
import type { Engine, Lang } from '../../src/core/types.js';
import { languages, REFERENCE_LANG, t } from '../../src/i18n/index.js';
import { statusLabel } from '../../src/reply/followup.js';
import { escapeHtml } from './html.js';
import { PATHS, href } from './links.js';
import { statusOf, type FollowUps } from './status.js';

/**
 * The open data: the 300 recommendations with their follow-up as CSV and JSON, and an Atom feed
 * of the follow-up publications. The report's words (`text`, `items`, `theme_title`) are a
 * public document; what is ours (labels, summaries, statuses, notes) is CC BY 4.0 (docs/site.md).
 */
const LICENCE = {
  ours: 'CC-BY-4.0',
  oursUrl: 'https://creativecommons.org/licenses/by/4.0/',
  report:
    'Rapport final du Dialogue inter-Maliens pour la Paix et la Réconciliation nationale, Bamako, 10 mai 2024: public document, reproduced verbatim',
} as const;

const CSV_COLUMNS = [
  'id',
  'theme',
  'number',
  'theme_title',
  'text',
  'label',
  'status',
  'status_date',
  'source',
  'note',
  'published_at',
  'url',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when needed; a cell a spreadsheet would run as a formula
 * (= + - @ first) is prefixed with a quote, so an editor's note cannot become one.
 */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

interface Row {
  id: string;
  theme: number;
  number: number;
  themeTitle: string;
  text: string;
  items: string[];
  label: string;
  labels: Record<Lang, { label: string; summary?: string; review: 'draft' | 'reviewed' }>;
  status: string;
  statusDate: string;
  source: string;
  note: string;
  version: number;
  publishedAt: string;
  url: string;
}

function rows(engine: Engine, followUps: FollowUps, origin: string): Row[] {
  return engine.corpus.recommendations.map((rec) => {
    const entry = followUps.of(rec.id);
    const labels: Row['labels'] = {};
    for (const language of languages()) {
      const review = recReview(rec, language.code);
      if (language.code === REFERENCE_LANG || review === undefined) continue;
      const summary = recSummary(rec, language.code);
      labels[language.code] = {
        label: recLabel(rec, language.code),
        ...(summary ? { summary } : {}),
        review,
      };
    }
    return {
      id: rec.id,
      theme: rec.theme,
      number: rec.number,
      themeTitle: engine.theme(rec.theme)?.title ?? '',
      text: rec.text,
      items: rec.items ?? [],
      label: rec.label,
      labels,
      status: statusOf(entry),
      statusDate: entry?.date ?? '',
      source: entry?.source ?? '',
      note: entry?.note ?? '',
      version: entry?.version ?? 0,
      publishedAt: entry?.publishedAt ?? '',
      url: `${origin}${PATHS.recommendation(rec.id)}`,
    };
  });
}

export function recommendationsCsv(engine: Engine, followUps: FollowUps, origin: string): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows(engine, followUps, origin)) {
    const text = [row.text, ...row.items.map((item) => `- ${item}`)].join('\n');
    lines.push(
      [
        row.id,
        row.theme,
        row.number,
        row.themeTitle,
        text,
        row.label,
        row.status,
        row.statusDate,
        row.source,
        row.note,
        row.publishedAt,
        row.url,
      ]
        .map(cell)
        .join(','),
    );
  }
  // A byte-order mark: spreadsheets then read the accents as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function recommendationsJson(engine: Engine, followUps: FollowUps, origin: string): string {
  const about = engine.corpus.about;
  return JSON.stringify({
    title: about.title,
    report: { date: about.reportDate, place: about.reportPlace },
    licence: LICENCE,
    fields: {
      text: 'the report (verbatim)',
      items: 'the report (verbatim)',
      themeTitle: 'the report (verbatim)',
      label: 'ours (French short title)',
      labels: 'ours (translations, with their review state)',
      followUp: 'ours (published by an editor, with its source)',
    },
    recommendations: rows(engine, followUps, origin).map((row) => ({
      id: row.id,
      theme: row.theme,
      number: row.number,
      themeTitle: row.themeTitle,
      text: row.text,
      ...(row.items.length > 0 ? { items: row.items } : {}),
      label: row.label,
      labels: row.labels,
      followUp:
        row.version === 0
          ? null
          : {
              status: row.status,
              date: row.statusDate,
              source: row.source,
              ...(row.note ? { note: row.note } : {}),
              version: row.version,
              publishedAt: row.publishedAt,
            },
      url: row.url,
    })),
  });
}

/** Atom (RFC 4287): one entry per published follow-up version, latest first. */
const FEED_ENTRIES = 50;

export function followUpFeed(engine: Engine, followUps: FollowUps, origin: string, lang: Lang): string {
  const x = escapeHtml;
  const entries = followUps.latest(FEED_ENTRIES);
  const updated = entries[0]?.publishedAt ?? `${engine.corpus.about.reportDate}T00:00:00Z`;
  const self = `${origin}${href(PATHS.feed, lang)}`;
  const items = entries.map((entry) => {
    const rec = engine.recommendation(entry.recommendationId);
    const page = `${origin}${href(PATHS.recommendation(entry.recommendationId), lang)}`;
    const title = `${entry.recommendationId}${rec ? ` · ${recLabel(rec, lang)}` : ''}: ${statusLabel(lang, entry.status)}`;
    const summary = [
      t(lang, 'followup.statusLine', { status: statusLabel(lang, entry.status), date: entry.date }),
      t(lang, 'followup.source', { source: entry.source }),
      ...(entry.note ? [t(lang, 'followup.note', { note: entry.note })] : []),
    ].join('\n');
    return `<entry><id>${x(`${origin}${PATHS.recommendation(entry.recommendationId)}#followup-v${entry.version}`)}</id><title>${x(title)}</title><updated>${x(entry.publishedAt)}</updated><published>${x(entry.publishedAt)}</published><link rel="alternate" type="text/html" href="${x(page)}"/><summary type="text">${x(summary)}</summary></entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(lang)}"><id>${x(self)}</id><title>${x(t(lang, 'site.feed.title'))}</title><subtitle>${x(t(lang, 'site.feed.subtitle'))}</subtitle><updated>${x(updated)}</updated><author><name>${x(t(lang, 'app.name'))}</name></author><rights>${x(t(lang, 'site.data.licence', { licence: 'CC BY 4.0' }))}</rights><link rel="self" type="application/atom+xml" href="${x(self)}"/><link rel="alternate" type="text/html" href="${x(`${origin}${href(PATHS.home, lang)}`)}"/>${items.join('')}</feed>
`;
}
