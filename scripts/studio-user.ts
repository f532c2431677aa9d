/**
 * npm run studio:user -- <name>   (the password is read from STUDIO_PASSWORD or stdin)
 * Prints one STUDIO_USERS entry, `name:scrypt$<salt>$<hash>`; join several with commas.
 */
import { hashStudioPassword } from '../adapters/voice/studio/auth.js';

const name = process.argv[2] ?? '';
if (!/^[\w.-]{1,64}$/.test(name)) {
  process.stderr.write('usage: npm run studio:user -- <name>  (letters, digits, . _ -)\n');
  process.exit(1);
}
let password = process.env.STUDIO_PASSWORD ?? '';
if (!password) {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
if (password.length < 12) {
  process.stderr.write('the password must have at least 12 characters\n');
  process.exit(1);
}
process.stdout.write(`${name}:${hashStudioPassword(password)}\n`);
