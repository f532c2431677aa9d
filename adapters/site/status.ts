import type { Engine, Lang, Recommendation } from '../../src/core/types.js';
import type { FollowUpStatus, FollowUpVersion } from '../../src/followup/model.js';
import { statusLabel } from '../../src/reply/followup.js';
import { html, type Html } from './html.js';

/**
 * What the site says of a recommendation's follow-up: the status an editor published, or
 * `none` when nothing was ever published (the honest "no official information", as on every
 * channel). The order is the one lists and counts use: what happened first, silence last.
 */
export const SITE_STATUSES = ['done', 'in_progress', 'announced', 'abandoned', 'none'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

export const isSiteStatus = (value: unknown): value is SiteStatus =>
  typeof value === 'string' && (SITE_STATUSES as readonly string[]).includes(value);

export const statusOf = (entry: FollowUpVersion | undefined): FollowUpStatus => entry?.status ?? 'none';

export function badge(lang: Lang, status: FollowUpStatus): Html {
  return html`<span class="s s-${status}">${statusLabel(lang, status)}</span>`;
}

/** Every published follow-up, read once per request from the engine's in-memory snapshot. */
export interface FollowUps {
  of(id: string): FollowUpVersion | undefined;
  /** Latest first (publication time), at most `limit`. */
  latest(limit: number): FollowUpVersion[];
  count(recs: readonly Recommendation[]): Record<SiteStatus, number>;
  /** Changes whenever any published version changes: part of every cached page's key. */
  stamp: string;
}

export function readFollowUps(engine: Engine): FollowUps {
  const entries = new Map<string, FollowUpVersion>();
  const parts: string[] = [];
  for (const rec of engine.corpus.recommendations) {
    const entry = engine.followUpOf(rec.id);
    if (!entry) continue;
    entries.set(rec.id, entry);
    parts.push(`${rec.id}@${entry.version}`);
  }
  return {
    of: (id) => entries.get(id),
    latest: (limit) =>
      [...entries.values()]
        .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0))
        .slice(0, limit),
    count: (recs) => {
      const counts = Object.fromEntries(SITE_STATUSES.map((s) => [s, 0])) as Record<SiteStatus, number>;
      for (const rec of recs) counts[statusOf(entries.get(rec.id))] += 1;
      return counts;
    },
    stamp: parts.join(','),
  };
}
