/**
 * Prints (JSON) every path under the working directory that the service reads while it starts:
 * fs is wrapped before the service's modules are loaded (`syncBuiltinESMExports` updates their
 * bindings), then the service is built and listens with the embedded defaults, the console on
 * (it reads more at start) and no Redis. Run as a child process by test/image-layout.test.ts,
 * so the wrapped fs never touches another test.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = process.cwd();
const read = new Set<string>();
const record = (path: unknown) => {
  if (typeof path !== 'string' && !(path instanceof URL)) return;
  const rel = relative(root, resolve(String(path instanceof URL ? path.pathname : path)));
  if (!rel.startsWith('..') && !rel.startsWith('node_modules') && rel !== '') read.add(rel);
};
for (const name of ['readFileSync', 'readdirSync', 'existsSync', 'statSync', 'openSync'] as const) {
  const original = fs[name] as (...args: unknown[]) => unknown;
  (fs as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    record(args[0]);
    return original(...args);
  };
}
syncBuiltinESMExports();

const { loadConfig } = await import('../../src/config.js');
const { createLogger } = await import('../../adapters/logging.js');
const { createService } = await import('../../adapters/service.js');
const { hashPassword } = await import('../../adapters/console/password.js');
const data = mkdtempSync(join(tmpdir(), 'dim-startup-'));
const config = loadConfig({
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: data,
  AUDIO_DIR: join(data, 'audio'),
  CONSOLE_USERS: `t:translator:${await hashPassword('translator password', { log2N: 12, r: 8, p: 1 })}`,
});
const service = createService(config, createLogger('silent'));
await service.listen();
await service.close();
// Only what the service reads from the project (content, built assets), not its own data dir.
process.stdout.write(JSON.stringify([...read].filter((p) => !p.startsWith('data')).sort()));
process.exit(0);
