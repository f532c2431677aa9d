import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A subscriber's delivery address (an SMS number, a Telegram chat id) sealed with AES-256-GCM.
 * A broadcast must reach a number that the rest of the system only knows by its pseudonym,
 * so the number is kept, but only sealed: no store key, stored value in clear or log line
 * carries it, and a copy of Redis or of DATA_DIR without SUBSCRIBERS_KEY reveals nothing.
 * The pseudonym is the additional authenticated data, so a sealed address moved to another
 * subscriber's record fails to open instead of sending one person's news to another.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>` (base64url), a fresh 96-bit IV per seal.
 */
export interface AddressCipher {
  seal(address: string, pseudonym: string): string;
  /** Throws when the key is wrong or the sealed value was altered or moved. */
  open(sealed: string, pseudonym: string): string;
}

const SUBSCRIBERS_KEY_MIN = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createAddressCipher(secret: string): AddressCipher {
  if (secret.length < SUBSCRIBERS_KEY_MIN)
    throw new RangeError(`SUBSCRIBERS_KEY must be at least ${SUBSCRIBERS_KEY_MIN} characters`);
  // The configured secret is text; HKDF turns it into exactly 32 bytes for AES-256.
  const key = Buffer.from(hkdfSync('sha256', secret, 'dim-subscribers', 'address-cipher v1', 32));
  return {
    seal(address, pseudonym) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(pseudonym));
      const ciphertext = Buffer.concat([cipher.update(address, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
      return `v1.${parts.join('.')}`;
    },
    open(sealed, pseudonym) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || ciphertext === undefined)
        throw new Error('not a sealed address');
      const nonce = Buffer.from(iv, 'base64url');
      const authTag = Buffer.from(tag, 'base64url');
      // GCM would accept a tag cut to 4 bytes (a forgery then takes 2^32 tries, not 2^128):
      // only the full 16 bytes we write, and the 12-byte IV, are taken.
      if (nonce.length !== IV_BYTES || authTag.length !== TAG_BYTES) throw new Error('not a sealed address');
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(pseudonym));
      decipher.setAuthTag(authTag);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
