/**
 * Redis Cluster key placement. A cluster spreads keys over 16384 slots by CRC16 of the key,
 * except that when a key holds a non-empty `{...}` hash tag, only the tag is hashed. Every key
 * that belongs to one person therefore carries that person's pseudonym as its hash tag:
 *
 *   ussd:{p_abc}:last   sms:{p_abc}:pages   tg:{p_abc}:session
 *
 * so they land in one slot, on one node, and a multi-key operation over them (MULTI, a Lua
 * script, MGET) is allowed. The store prefix (`REDIS_KEY_PREFIX`, default `dim:`) must hold no
 * brace, or it would become the tag of every key and pile the whole service onto one slot.
 */

const CLUSTER_SLOTS = 16384;

/** Keys are built in src/ports/keys.ts; re-exported for the topology tests. */
export { personKey } from '../../src/ports/keys.js';

/** The part of a key Redis hashes: the first non-empty `{...}`, else the whole key. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** The cluster slot of a key, as `CLUSTER KEYSLOT` computes it (CRC16-XMODEM of the hash tag). */
export function keySlot(key: string): number {
  return crc16(Buffer.from(hashTag(key), 'utf8')) % CLUSTER_SLOTS;
}

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as in Redis's crc16.c. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  return crc;
}
