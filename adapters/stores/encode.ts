/** Checks shared by every SessionStore, so the memory and Redis stores refuse the same things. */

/** Milliseconds for a TTL in seconds; refuses what would keep a value forever or not at all. */
export function ttlMilliseconds(ttlSeconds: number): number {
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive finite number, got ${String(ttlSeconds)}`);
  }
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

/** JSON text of a value; refuses values JSON cannot hold (undefined, functions, symbols). */
export function encodeValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`cannot store a value of type ${typeof value}`);
  return json;
}
