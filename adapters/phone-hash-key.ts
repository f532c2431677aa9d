import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../src/config.js';

const PHONE_HASH_KEY_FILE = 'phone-hash.key';

/**
 * The key of the phone pseudonyms. PHONE_HASH_KEY when set (required in production). Without
 * it, outside production, a key is created once under DATA_DIR (mode 0600) and reused: the
 * pseudonyms kept on disk (the SMS opt-out list) must mean the same person after a restart,
 * which a random key per process would break. Created through a hard link so two processes
 * starting together end up with the same key.
 */
export function resolvePhoneHashKey(
  config: Pick<Config, 'PHONE_HASH_KEY' | 'DATA_DIR' | 'production'>,
): string | undefined {
  if (config.PHONE_HASH_KEY || config.production) return config.PHONE_HASH_KEY;
  const path = join(config.DATA_DIR, PHONE_HASH_KEY_FILE);
  const existing = readKey(path);
  if (existing) return existing;
  mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readKey(path);
}

function readKey(path: string): string | undefined {
  try {
    const key = readFileSync(path, 'utf8').trim();
    return key.length >= 32 ? key : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
