import { createHmac, randomBytes } from 'node:crypto';
import { phoneIdentity } from './phone.js';

/**
 * Who asked what must stay private: a phone number is replaced by a keyed hash before it
 * reaches a store or a log. Without the key the pseudonym cannot be reversed by trying all
 * the numbers of a country (which a plain hash would allow).
 *
 * A number is normalised first (`phoneIdentity`, E.164): `0022376000002`, `76000002` and
 * `+2230076000002` are one person. `opaque` hashes an id that is not a phone number (a Telegram
 * chat) exactly as given.
 */
export interface Pseudonymizer {
  (phone: string): string;
  opaque?: (id: string) => string;
}

/** The one normaliser of a number before it is hashed or compared (src/privacy/phone.ts). */
export const normalizePhone = phoneIdentity;

export function createPseudonymizer(key: string | undefined): Pseudonymizer {
  const secret = key && key.length > 0 ? key : randomBytes(32).toString('hex');
  const hash = (value: string) =>
    'p_' + createHmac('sha256', secret).update(value).digest('base64url').slice(0, 22);
  const pseudonymize: Pseudonymizer = (phone) => hash(phoneIdentity(phone));
  pseudonymize.opaque = (id) => hash(id.replace(/[^\d]/g, ''));
  return pseudonymize;
}
