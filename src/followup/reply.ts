import { t } from '../i18n/index.js';
import type { Lang } from '../core/refs.js';
import type { FollowUpStatus, FollowUpVersion } from './model.js';
import type { FollowUpStore } from './store.js';

/**
 * The channel-neutral follow-up answer the engine returns for `SUIVI 2.10` (and that every
 * channel shows under a recommendation). `entry: null` is the honest "no official information
 * to date": never a guess, never a default status dressed as news.
 */
export type FollowUpReply =
  | { kind: 'followUp'; recommendationId: string; entry: FollowUpVersion | null }
  /** "Où en est l'application ?" without a number: what we do and how many entries exist. */
  | { kind: 'followUpGeneral'; published: number };

export async function followUpReply(
  store: FollowUpStore,
  recommendationId: string | null,
): Promise<FollowUpReply> {
  if (recommendationId === null) {
    const published = (await store.all()).filter((entry) => entry.status !== 'none').length;
    return { kind: 'followUpGeneral', published };
  }
  return { kind: 'followUp', recommendationId, entry: (await store.latest(recommendationId)) ?? null };
}

export function statusLabel(lang: Lang, status: FollowUpStatus): string {
  return t(lang, `followup.status.${status}`);
}

/**
 * The answer as plain lines, catalog strings only; each channel joins, transliterates and
 * pages them under its own limits. The source is shown whole (a link stays a link).
 */
export function followUpLines(reply: FollowUpReply, lang: Lang): string[] {
  if (reply.kind === 'followUpGeneral') {
    return [t(lang, 'followup.general'), t(lang, 'followup.generalCount', { count: reply.published })];
  }
  const lines = [t(lang, 'followup.title', { id: reply.recommendationId })];
  const entry = reply.entry;
  if (!entry || entry.status === 'none') {
    lines.push(t(lang, 'followup.none'));
    if (entry) lines.push(t(lang, 'followup.updated', { date: entry.date }));
    return lines;
  }
  lines.push(t(lang, 'followup.statusLine', { status: statusLabel(lang, entry.status), date: entry.date }));
  lines.push(t(lang, 'followup.source', { source: entry.source }));
  if (entry.note) lines.push(t(lang, 'followup.note', { note: entry.note }));
  return lines;
}

/**
 * The one line shown under a recommendation on every channel when an editor published its
 * follow-up: labelled "Suivi" (ours, with its source), kept apart from the report's words.
 */
export function followUpShortLine(entry: FollowUpVersion, lang: Lang): string {
  if (entry.status === 'none') return t(lang, 'followup.shortNone', { date: entry.date });
  return t(lang, 'followup.short', {
    status: statusLabel(lang, entry.status),
    date: entry.date,
    source: entry.source,
  });
}
