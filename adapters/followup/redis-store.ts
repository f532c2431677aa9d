import type { Clock } from '../../src/ports/index.js';
import { systemClock } from '../../src/ports/index.js';
import type { FollowUpInput, FollowUpVersion } from '../../src/followup/model.js';
import { FollowUpConflictError, validateRecommendationId } from '../../src/followup/model.js';
import { byId, nextVersion, type FollowUpStore } from '../../src/followup/store.js';
import type { RedisConnection } from '../stores/redis-client.js';

/**
 * Follow-up versions in Redis: one LIST of JSON versions per recommendation
 * (`dim:{followup}:2.10`, oldest first) and a SET of the recommendations that have one
 * (`dim:{followup}:index`). No TTL, on purpose: this is public editorial content about public
 * policy (a status, a date, an official source, a note), not personal data, and its history
 * is the point. The shared `{followup}` hash tag keeps every key in one Cluster slot, so the
 * publish script may touch the list and the index together (at most 300 small lists).
 *
 * Publishing is one script: it appends only if the list still has the length the new version
 * was numbered from, so two editors publishing at once get versions n+1 and n+2, never two n+1.
 */
const APPEND = `
local length = redis.call('LLEN', KEYS[1])
if ARGV[1] ~= '' and length ~= tonumber(ARGV[1]) then return {-1, length} end
local version = cjson.decode(ARGV[2])
version['version'] = length + 1
redis.call('RPUSH', KEYS[1], cjson.encode(version))
redis.call('SADD', KEYS[2], ARGV[3])
return {1, length + 1}
`;

export class RedisFollowUpStore implements FollowUpStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'dim:',
    private readonly clock: Clock = systemClock,
  ) {}

  private listKey(id: string): string {
    return `${this.prefix}{followup}:${validateRecommendationId(id)}`;
  }

  private get indexKey(): string {
    return `${this.prefix}{followup}:index`;
  }

  async latest(recommendationId: string): Promise<FollowUpVersion | undefined> {
    const raw = await this.redis.lindex(this.listKey(recommendationId), -1);
    return raw === null ? undefined : (JSON.parse(raw) as FollowUpVersion);
  }

  async history(recommendationId: string): Promise<FollowUpVersion[]> {
    const raw = await this.redis.lrange(this.listKey(recommendationId), 0, -1);
    return raw.map((item) => JSON.parse(item) as FollowUpVersion);
  }

  async all(): Promise<FollowUpVersion[]> {
    const ids = await this.redis.smembers(this.indexKey);
    const latest = await Promise.all(ids.map((id) => this.latest(id)));
    return latest.filter((entry): entry is FollowUpVersion => entry !== undefined).sort(byId);
  }

  async publish(
    recommendationId: string,
    input: FollowUpInput,
    options: { expectedVersion?: number } = {},
  ): Promise<FollowUpVersion> {
    const key = this.listKey(recommendationId);
    // Validated and stamped here; numbered inside the script, which reads the length and
    // appends in one step, so racing editors get consecutive versions.
    const draft = nextVersion(recommendationId, input, 0, this.clock);
    const expected = options.expectedVersion;
    const [ok, length] = (await this.redis.eval(
      APPEND,
      2,
      key,
      this.indexKey,
      expected === undefined ? '' : String(expected),
      JSON.stringify(draft),
      recommendationId,
    )) as [number, number];
    if (ok !== 1) throw new FollowUpConflictError(recommendationId, expected ?? -1, length);
    return { ...draft, version: length };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
