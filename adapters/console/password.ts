import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Operators' passwords, hashed with scrypt from node:crypto: a memory-hard function that Node
 * ships, so nothing native is built at install (argon2 would need a compiled addon). Each hash
 * carries its own random salt and its cost, `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, so the cost
 * can be raised later without invalidating older hashes. The default follows OWASP's minimum
 * for scrypt (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred ms per try).
 */
export interface ScryptCost {
  log2N: number;
  r: number;
  p: number;
}

const DEFAULT_COST: ScryptCost = { log2N: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Parses a stored hash; undefined when it is not one of ours or its cost is out of bounds. */
function parse(hash: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const match = /^scrypt\$(\d{2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match) return undefined;
  const cost = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  // Bounds: too cheap is no protection, too dear lets one login exhaust memory.
  if (cost.log2N < 10 || cost.log2N > 20 || cost.r < 1 || cost.r > 16 || cost.p < 1 || cost.p > 4)
    return undefined;
  return { cost, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') };
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (!parsed || parsed.key.length !== KEY_LENGTH) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}
