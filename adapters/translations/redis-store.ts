import type { TranslationStore, TranslationVersion } from '../../src/translations/store.js';
import { TranslationConflictError } from '../../src/translations/store.js';
import type { RedisConnection } from '../stores/redis-client.js';

/**
 * Published translations in Redis: one LIST of JSON versions per language,
 * `dim:{translations}:<lang>`, oldest first, no TTL (public editorial content, like follow-ups;
 * its history is the point). Every instance polls LLEN and reads only the versions it lacks.
 * Publishing is one script: it appends only if the list still has the expected length.
 */
const APPEND = `
local length = redis.call('LLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then return {-1, length} end
local version = cjson.decode(ARGV[2])
version['version'] = length + 1
redis.call('RPUSH', KEYS[1], cjson.encode(version))
return {1, length + 1}
`;

export class RedisTranslationStore implements TranslationStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'dim:',
  ) {}

  private key(lang: string): string {
    if (!/^[a-z]{2,3}$/.test(lang)) throw new Error(`not a language code: ${lang}`);
    return `${this.prefix}{translations}:${lang}`;
  }

  count(lang: string): Promise<number> {
    return this.redis.llen(this.key(lang));
  }

  async since(lang: string, after: number): Promise<TranslationVersion[]> {
    const raw = await this.redis.lrange(this.key(lang), after, -1);
    return raw.map((item) => JSON.parse(item) as TranslationVersion);
  }

  async publish(input: Omit<TranslationVersion, 'version'>, expected: number): Promise<TranslationVersion> {
    const [ok, length] = (await this.redis.eval(
      APPEND,
      1,
      this.key(input.lang),
      String(expected),
      JSON.stringify({ ...input, version: 0 }),
    )) as [number, number];
    if (ok !== 1) throw new TranslationConflictError(input.lang, expected, length);
    return { ...input, version: length };
  }

  async close(): Promise<void> {}
}
