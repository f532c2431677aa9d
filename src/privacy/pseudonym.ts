import { createHmac, randomBytes } from 'node:crypto';

/**
 * Who asked what must stay private: a phone number is replaced by a keyed hash before it
 * reaches a store or a log. Without the key the pseudonym cannot be reversed by trying all
 * the numbers of a country (which a plain hash would allow).
 */
export type Pseudonymizer = (phone: string) => string;

export function normalizePhone(phone: string): string {
  return phone.replace(/[^\d]/g, '');
}

export function createPseudonymizer(key: string | undefined): Pseudonymizer {
  const secret = key && key.length > 0 ? key : randomBytes(32).toString('hex');
  return (phone) =>
    'p_' + createHmac('sha256', secret).update(normalizePhone(phone)).digest('base64url').slice(0, 22);
}
