import type { Clock } from '../ports/index.js';
import type { FollowUpVersion } from './model.js';
import type { FollowUpStore } from './store.js';

/** What the engine asks when it answers a recommendation: the published follow-up, if any. */
export type FollowUpLookup = (recommendationId: string) => FollowUpVersion | undefined;

/**
 * The published follow-up entries, held in memory and read synchronously, so that showing the
 * status under a recommendation costs no store round trip on any channel (a USSD hop keeps its
 * one Redis round trip). Entries are editorial content, a few hundred at most; the snapshot is
 * reloaded in the background when it is older than `maxAgeMs` (other instances' edits show
 * within that time) and at once after an edit made through this instance (`refresh()`).
 * A failed reload keeps the last good snapshot: a store outage never blanks a status.
 */
export interface FollowUpSnapshot {
  lookup: FollowUpLookup;
  /** Reloads now; resolves when the new snapshot is in place (or the reload failed). */
  refresh(): Promise<void>;
}

export function createFollowUpSnapshot(
  store: FollowUpStore,
  options: { clock: Clock; maxAgeMs?: number; onError?: (error: unknown) => void },
): FollowUpSnapshot {
  const maxAgeMs = options.maxAgeMs ?? 5000;
  let entries = new Map<string, FollowUpVersion>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    // One reload at a time; a refresh asked during one waits for a fresh one after it.
    const run = async () => {
      const startedAt = options.clock.now();
      try {
        const all = await store.all();
        entries = new Map(all.map((entry) => [entry.recommendationId, entry]));
        loadedAt = startedAt;
      } catch (error) {
        loadedAt = startedAt; // retried after maxAgeMs, not on every hop
        options.onError?.(error);
      }
    };
    const next: Promise<void> = (loading ?? Promise.resolve()).then(run).finally(() => {
      if (loading === next) loading = undefined;
    });
    loading = next;
    return next;
  };

  return {
    lookup(recommendationId) {
      if (!loading && options.clock.now() - loadedAt > maxAgeMs) void refresh();
      return entries.get(recommendationId);
    },
    refresh,
  };
}
