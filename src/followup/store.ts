import type { Clock } from '../ports/index.js';
import {
  FollowUpConflictError,
  validateFollowUp,
  validateRecommendationId,
  type FollowUpInput,
  type FollowUpVersion,
} from './model.js';

/**
 * Where follow-up versions live. Implementations: memory (tests), a JSON file under DATA_DIR
 * (embedded mode) and Redis (adapters/followup/). Append-only: an edit never changes a
 * published version, it adds the next one.
 */
export interface FollowUpStore {
  /** The latest version, or undefined when nothing was ever published for this recommendation. */
  latest(recommendationId: string): Promise<FollowUpVersion | undefined>;
  /** Every version, oldest first. */
  history(recommendationId: string): Promise<FollowUpVersion[]>;
  /** The latest version of every recommendation that has one (the console's overview). */
  all(): Promise<FollowUpVersion[]>;
  /**
   * Validates and publishes the next version. With `expectedVersion` (the version the editor
   * was looking at; 0 for none), refuses with FollowUpConflictError when someone else
   * published in between, so one editor never silently overwrites another.
   */
  publish(
    recommendationId: string,
    input: FollowUpInput,
    options?: { expectedVersion?: number },
  ): Promise<FollowUpVersion>;
  close(): Promise<void>;
}

/** Builds the next version from validated input: shared by every implementation. */
export function nextVersion(
  recommendationId: string,
  input: FollowUpInput,
  previous: number,
  clock: Clock,
): FollowUpVersion {
  validateRecommendationId(recommendationId);
  return {
    recommendationId,
    ...validateFollowUp(input),
    version: previous + 1,
    publishedAt: new Date(clock.now()).toISOString(),
  };
}

function checkExpected(recommendationId: string, latest: number, expected?: number): void {
  if (expected !== undefined && expected !== latest)
    throw new FollowUpConflictError(recommendationId, expected, latest);
}

/** In memory: tests, and the base of the file store. */
export class MemoryFollowUpStore implements FollowUpStore {
  protected readonly versions = new Map<string, FollowUpVersion[]>();

  constructor(protected readonly clock: Clock) {}

  async latest(recommendationId: string): Promise<FollowUpVersion | undefined> {
    return this.versions.get(recommendationId)?.at(-1);
  }

  async history(recommendationId: string): Promise<FollowUpVersion[]> {
    return [...(this.versions.get(recommendationId) ?? [])];
  }

  async all(): Promise<FollowUpVersion[]> {
    return [...this.versions.values()].map((list) => list.at(-1)!).sort(byId);
  }

  private chain: Promise<unknown> = Promise.resolve();

  /** One publication at a time, so two at once are numbered n+1 and n+2 (the file store awaits its write). */
  publish(
    recommendationId: string,
    input: FollowUpInput,
    options: { expectedVersion?: number } = {},
  ): Promise<FollowUpVersion> {
    const run = this.chain.then(() => this.publishNow(recommendationId, input, options));
    this.chain = run.catch(() => {});
    return run;
  }

  private async publishNow(
    recommendationId: string,
    input: FollowUpInput,
    options: { expectedVersion?: number },
  ): Promise<FollowUpVersion> {
    const list = this.versions.get(recommendationId) ?? [];
    checkExpected(recommendationId, list.length, options.expectedVersion);
    const version = nextVersion(recommendationId, input, list.length, this.clock);
    await this.persist(recommendationId, [...list, version]);
    this.versions.set(recommendationId, [...list, version]);
    return version;
  }

  /** The file store writes here before the change is visible; memory keeps nothing else. */
  protected async persist(_recommendationId: string, _list: FollowUpVersion[]): Promise<void> {}

  async close(): Promise<void> {}
}

export function byId(a: FollowUpVersion, b: FollowUpVersion): number {
  const [ta, na] = a.recommendationId.split('.').map(Number);
  const [tb, nb] = b.recommendationId.split('.').map(Number);
  return ta! - tb! || na! - nb!;
}
