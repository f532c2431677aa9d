import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * The studio's stand-in for operator authentication until the console's (issue 17) is plugged
 * in: HTTP basic auth against STUDIO_USERS, `name:scrypt$<salt>$<hash>` entries (base64url),
 * made by `npm run studio:user -- <name>`. Unset: no guard, and the studio is not mounted.
 * A verified header is remembered a few minutes (by its hash), so the page's requests do not
 * each pay the deliberate cost of scrypt.
 */

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
const REMEMBER_MS = 5 * 60_000;

export function hashStudioPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function parseUsers(spec: string): Map<string, { salt: Buffer; hash: Buffer }> {
  const users = new Map<string, { salt: Buffer; hash: Buffer }>();
  for (const entry of spec.split(',')) {
    const colon = entry.indexOf(':');
    const [scheme, salt, hash] = entry.slice(colon + 1).split('$');
    if (colon <= 0 || scheme !== 'scrypt' || !salt || !hash) throw new Error('STUDIO_USERS: malformed entry');
    users.set(entry.slice(0, colon), {
      salt: Buffer.from(salt, 'base64url'),
      hash: Buffer.from(hash, 'base64url'),
    });
  }
  return users;
}

export const STUDIO_USER_LOCAL = 'studioUser';

export function basicAuthFromUsers(spec: string | undefined): RequestHandler | undefined {
  if (!spec) return undefined;
  const users = parseUsers(spec);
  const remembered = new Map<string, { user: string; until: number }>();
  const refuse: RequestHandler = (_req, res) => {
    res
      .set('WWW-Authenticate', 'Basic realm="studio", charset="UTF-8"')
      .status(401)
      .json({ error: 'unauthorized' });
  };
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ') || header.length > 1024) return refuse(req, res, next);
    const digest = createHash('sha256').update(header).digest('base64url');
    const known = remembered.get(digest);
    if (known && known.until > Date.now()) {
      res.locals[STUDIO_USER_LOCAL] = known.user;
      return next();
    }
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = colon > 0 ? decoded.slice(0, colon) : '';
    const user = users.get(name);
    // An unknown name still pays one scrypt: the answer time does not tell names apart.
    const salt = user?.salt ?? Buffer.alloc(16);
    const expected = user?.hash ?? Buffer.alloc(SCRYPT.keylen);
    const given = scryptSync(decoded.slice(colon + 1), salt, SCRYPT.keylen, {
      N: SCRYPT.N,
      r: SCRYPT.r,
      p: SCRYPT.p,
    });
    if (!user || !timingSafeEqual(given, expected)) return refuse(req, res, next);
    if (remembered.size > 1000) remembered.clear();
    remembered.set(digest, { user: name, until: Date.now() + REMEMBER_MS });
    res.locals[STUDIO_USER_LOCAL] = name;
    next();
  };
}
