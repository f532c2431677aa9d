/**
 * Prints the hash of an operator's password for CONSOLE_USERS (`name:role:<hash>`).
 * Usage: npm run console:hash-password            (asks for the password, not echoed)
 *        printf '%s' "$PASSWORD" | npm run -s console:hash-password   (from standard input)
 * The password is never an argument: arguments land in shell history and `ps`.
 */
import { createInterface } from 'node:readline';
import { hashPassword } from '../adapters/console/password.js';

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  // Silence the echo: readline writes typed characters through _writeToOutput.
  let muted = false;
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (!muted) process.stderr.write(s);
  };
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => {
        muted = false;
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  const first = await ask('Mot de passe / Password: ');
  const second = await ask('Encore / Again: ');
  rl.close();
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

try {
  const password = await readPassword();
  if (password.length < 12) throw new Error('a console password needs at least 12 characters');
  process.stdout.write(`${await hashPassword(password)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
