import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../adapters/console/password.js';
import { loadConfig } from '../src/config.js';

const LOW = { log2N: 12, r: 8, p: 1 };

describe('console password hashes', () => {
  it('when a password is hashed twice, then the salts differ and only the right password verifies', async () => {
    const a = await hashPassword('une phrase de passe', LOW);
    const b = await hashPassword('une phrase de passe', LOW);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$12\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('une phrase de passe', a)).toBe(true);
    expect(await verifyPassword('une phrase de passe', b)).toBe(true);
    expect(await verifyPassword('une phrase de passe ', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('when a hash is malformed or asks for a cost out of bounds, then nothing verifies against it', async () => {
    const good = await hashPassword('x'.repeat(12), LOW);
    expect(await verifyPassword('x'.repeat(12), good.replace('scrypt$12', 'scrypt$25'))).toBe(false);
    expect(await verifyPassword('x'.repeat(12), good.replace('scrypt$12', 'scrypt$04'))).toBe(false);
    expect(await verifyPassword('x'.repeat(12), good.slice(0, -4))).toBe(false);
    expect(await verifyPassword('x'.repeat(12), 'x'.repeat(12))).toBe(false);
  });

  it('when npm run console:hash-password reads a password on standard input, then it prints a hash CONSOLE_USERS accepts and that verifies', async () => {
    const run = spawnSync('npx', ['tsx', 'scripts/console-hash-password.ts'], {
      input: 'correct horse battery\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const hash = run.stdout.trim();
    expect(hash).toMatch(/^scrypt\$17\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(loadConfig({ CONSOLE_USERS: `awa:editor:${hash}` }).consoleAccounts[0]?.hash).toBe(hash);
    const short = spawnSync('npx', ['tsx', 'scripts/console-hash-password.ts'], {
      input: 'short',
      encoding: 'utf8',
    });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    expect(short.stdout).toBe('');
  }, 60_000);
});
