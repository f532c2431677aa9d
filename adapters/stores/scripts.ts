import type { RedisConnection } from './redis-client.js';

export interface ScriptDefinition {
  lua: string;
  /** Fixed key count; absent, each call gives it first (the script's key count varies). */
  numberOfKeys?: number;
}

const defined = new WeakMap<object, Set<string>>();

/**
 * The named Lua scripts as commands of this connection (ioredis `defineCommand`): a call sends
 * EVALSHA, and the script's text only when Redis has lost it. `redis.eval` sends the whole text
 * on every call, which on a hot path costs more socket writes than the rest of the request.
 * Defined once per connection and name, so any number of stores may share a client.
 */
export function scripted<Commands>(
  redis: RedisConnection,
  scripts: Record<string, ScriptDefinition>,
): Commands {
  let names = defined.get(redis);
  if (!names) defined.set(redis, (names = new Set()));
  for (const [name, script] of Object.entries(scripts)) {
    if (names.has(name)) continue;
    redis.defineCommand(name, script);
    names.add(name);
  }
  return redis as unknown as Commands;
}
