import type { AnalyticsReport } from '../analytics/tally.js';
import type { AuditEntry, ToFixEntry } from './records.js';
import type { ConsoleKey } from './strings.js';

/**
 * Every table the console shows, built once: the dashboard renders them as HTML and
 * /admin/export/<name>.csv writes the same rows, so each table has its export.
 */
export interface Table {
  title: ConsoleKey;
  columns: ConsoleKey[];
  rows: Array<Array<string | number>>;
}

export interface CostSettings {
  segmentCost: number;
  currency: string;
}

const total = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((sum, row) => sum + pick(row), 0);

function group(report: AnalyticsReport, by: 'channel' | 'lang' | 'kind'): Array<[string, number]> {
  const map = new Map<string, number>();
  for (const row of report.replies) map.set(row[by], (map.get(row[by]) ?? 0) + row.count);
  return [...map].sort((a, b) => b[1] - a[1]);
}

function cost(segments: number, settings: CostSettings): string {
  return settings.segmentCost > 0
    ? `${(segments * settings.segmentCost).toFixed(2)} ${settings.currency}`
    : '';
}

export function analyticsTables(report: AnalyticsReport, cs: CostSettings) {
  return {
    replies: {
      title: 'section.replies',
      columns: ['col.day', 'col.channel', 'col.lang', 'col.kind', 'col.count'],
      rows: report.replies.map((r) => [r.day, r.channel, r.lang, r.kind, r.count]),
    },
    'by-channel': {
      title: 'section.byChannel',
      columns: ['col.channel', 'col.count'],
      rows: group(report, 'channel'),
    },
    'by-lang': { title: 'section.byLang', columns: ['col.lang', 'col.count'], rows: group(report, 'lang') },
    'by-kind': { title: 'section.byKind', columns: ['col.kind', 'col.count'], rows: group(report, 'kind') },
    'people-days': {
      title: 'section.people',
      columns: ['col.day', 'col.people'],
      rows: report.peoplePerDay.map((r) => [r.day, r.people]),
    },
    'people-weeks': {
      title: 'section.people',
      columns: ['col.week', 'col.people'],
      rows: report.peoplePerWeek.map((r) => [r.week, r.people]),
    },
    themes: {
      title: 'section.themes',
      columns: ['col.theme', 'col.views'],
      rows: report.themes.map((r) => [r.theme, r.views]),
    },
    recommendations: {
      title: 'section.recs',
      columns: ['col.rec', 'col.views'],
      rows: report.recommendations.map((r) => [r.recId, r.views]),
    },
    screens: {
      title: 'section.screens',
      columns: ['col.channel', 'col.screen', 'col.reached', 'col.dropped', 'col.dropRate'],
      rows: report.screens.map((r) => [
        r.channel,
        r.screen,
        r.reached,
        r.dropped,
        r.reached > 0 ? `${Math.round((100 * r.dropped) / r.reached)} %` : '',
      ]),
    },
    sms: {
      title: 'section.sms',
      columns: ['col.day', 'col.encoding', 'col.messages', 'col.segments', 'col.cost'],
      rows: report.sms.map((r) => [r.day, r.encoding, r.messages, r.segments, cost(r.segments, cs)]),
    },
    misses: {
      title: 'section.misses',
      columns: ['col.words', 'col.none', 'col.close', 'col.people'],
      rows: report.misses.map((r) => [r.words, r.none, r.close, r.people]),
    },
    'wrong-answers': {
      title: 'section.wrong',
      columns: ['col.words', 'col.results', 'col.reports', 'col.people'],
      // The words of a reported search are not kept (issue 33): the list it showed names it.
      rows: report.wrongAnswers.map((r) => [r.words || '—', r.resultIds, r.reports, r.people]),
    },
    feedback: {
      title: 'section.feedback',
      columns: ['col.rec', 'col.useful', 'col.unclear'],
      rows: report.feedback.map((r) => [r.recId, r.useful, r.unclear]),
    },
  } satisfies Record<string, Table>;
}

export function summary(report: AnalyticsReport, cs: CostSettings) {
  const segments = total(report.sms, (r) => r.segments);
  return {
    replies: total(report.replies, (r) => r.count),
    people: report.peopleInRange,
    segments,
    cost: cost(segments, cs),
  };
}

export const toFixTable = (entries: ToFixEntry[]): Table => ({
  title: 'section.tofix',
  columns: ['col.words', 'col.by', 'col.at'],
  rows: entries.map((e) => [e.words, e.by, new Date(e.at).toISOString()]),
});

export const auditTable = (entries: AuditEntry[]): Table => ({
  title: 'nav.audit',
  columns: ['col.at', 'col.who', 'col.action', 'col.detail'],
  rows: entries.map((e) => [new Date(e.at).toISOString(), e.who, e.action, e.detail]),
});
