import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageSources } from './support/dockerfile.js';
import { describeWithRedis } from './support/redis.js';
import { freePort } from './support/redis-server.js';

/**
 * What the Dockerfile does, without Docker: the build stage's `npm run build`, the production
 * stage's `npm ci --omit=dev` in a directory laid out like the image's /app (dist, the content
 * files the Dockerfile copies, no dev dependency anywhere up the tree), then its CMD and its
 * HEALTHCHECK, with the environment the image sets.
 */

const repo = process.cwd();
const dockerfile = readFileSync(join(repo, 'Dockerfile'), 'utf8');

/** The exec-form array of the last `CMD [...]` line of the Dockerfile (or of the HEALTHCHECK's). */
function execForm(pattern: RegExp): string[] {
  const matches = [...dockerfile.matchAll(pattern)];
  const last = matches.at(-1)?.[1];
  if (!last) throw new Error(`Dockerfile: no match for ${pattern}`);
  return JSON.parse(last) as string[];
}
const CMD = execForm(/^CMD (\[.*\])$/gm);
const HEALTHCHECK = execForm(/^\s+CMD (\[.*\])$/gm);
/** The image's `ENV NODE_OPTIONS="..."`, so the bundle runs with the heap bounds the image sets. */
const NODE_OPTIONS = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(dockerfile)?.[1] ?? '';
/** The content the production stage copies from the build context (files and directories). */
const CONTENT_SOURCES = imageSources(dockerfile).filter((source) => source.startsWith('content/'));

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
    timeout: 170_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** Runs the image's CMD from appDir with only the given environment (and PATH). */
function startBundle(appDir: string, env: Record<string, string>): ChildProcess & { output: () => string } {
  const [command, ...args] = CMD;
  const child = spawn(command!, args, {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

async function waitForStatus(url: string, status: number, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before ${url}`);
    const got = await fetch(url).then(
      (res) => res.status,
      () => 0,
    );
    if (got === status) return;
    if (Date.now() > deadline) throw new Error(`${url}: ${got}, not ${status}, within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopAndWait(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

let appDir = '';

beforeAll(() => {
  expect(CMD).toEqual(['node', 'dist/adapters/main.js']);
  expect(NODE_OPTIONS).toContain('--max-old-space-size=');
  expect(CONTENT_SOURCES).toContain('content/recommendations.json');
  // Build stage.
  run('npm', ['run', 'build'], repo);
  // Production stage, in a fresh directory under the system temp dir.
  appDir = mkdtempSync(join(tmpdir(), 'dim-app-'));
  cpSync(join(repo, 'package.json'), join(appDir, 'package.json'));
  cpSync(join(repo, 'package-lock.json'), join(appDir, 'package-lock.json'));
  // CI has just run `npm ci`: the cache holds every tarball, so no network is needed.
  run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], appDir);
  cpSync(join(repo, 'dist'), join(appDir, 'dist'), { recursive: true });
  mkdirSync(join(appDir, 'content'));
  // Each COPY line of the image: files and whole directories (catalogs, translations).
  for (const source of CONTENT_SOURCES) cpSync(join(repo, source), join(appDir, source), { recursive: true });
  mkdirSync(join(appDir, 'data'));
}, 180_000);

afterAll(() => {
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describe('the production bundle without its secrets', () => {
  it('when NODE_ENV=production and REDIS_URL, WEBHOOK_TOKEN and PHONE_HASH_KEY are missing, then it exits 1 naming each', async () => {
    const child = startBundle(appDir, { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    for (const name of ['REDIS_URL', 'WEBHOOK_TOKEN', 'PHONE_HASH_KEY'])
      expect(child.output()).toContain(name);
  });

  it('when only PHONE_HASH_KEY is missing, then it exits 1 naming it and not the others', async () => {
    const child = startBundle(appDir, {
      NODE_ENV: 'production',
      PORT: '0',
      REDIS_URL: 'redis://127.0.0.1:1',
      WEBHOOK_TOKEN: 'webhook-token-0123456789',
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(child.output()).toContain('PHONE_HASH_KEY');
    expect(child.output()).not.toContain('REDIS_URL');
    expect(child.output()).not.toContain('WEBHOOK_TOKEN');
  });
});

describeWithRedis('the production bundle, as the container runs it', (redisUrl) => {
  const secrets = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bundle-${process.pid}:`,
    WEBHOOK_TOKEN: 'webhook-token-0123456789abcdef',
    PHONE_HASH_KEY: 'phone-hash-key-0123456789abcdef',
  };

  it('when started with the three production variables, then /healthz and /readyz answer 200, the HEALTHCHECK passes, /metrics stays closed, and SIGTERM exits 0', async () => {
    const port = await freePort();
    const child = startBundle(appDir, { ...secrets, PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForStatus(`${base}/healthz`, 200, child, 10_000);
      await waitForStatus(`${base}/readyz`, 200, child, 5000);
      // The image's content: Bambara's theme names, labels and summaries are there to serve.
      const ready = (await (await fetch(`${base}/readyz`)).json()) as {
        translations: { drafts: Record<string, { content: { total: number } }> };
      };
      expect(ready.translations.drafts.bm!.content.total).toBe(305);
      const [command, ...args] = HEALTHCHECK;
      const probe = spawnSync(command!, args, { env: { PATH: process.env.PATH ?? '', PORT: String(port) } });
      expect(probe.status).toBe(0);
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
    } finally {
      expect(await stopAndWait(child)).toBe(0);
    }
    expect(child.output()).toContain('"recommendations":300');
    expect(child.output()).not.toContain(secrets.PHONE_HASH_KEY);
  }, 30_000);

  it('when the service is down, then the HEALTHCHECK command fails', async () => {
    const port = await freePort();
    const [command, ...args] = HEALTHCHECK;
    const probe = spawnSync(command!, args, { env: { PATH: process.env.PATH ?? '', PORT: String(port) } });
    expect(probe.status).toBe(1);
  });

  it.skipIf(!existsSync(join(repo, 'adapters/simulator/public')))(
    'when SIMULATOR=on, then the built bundle serves the simulator page with its assets',
    async () => {
      const port = await freePort();
      const child = startBundle(appDir, { ...secrets, PORT: String(port), SIMULATOR: 'on' });
      try {
        await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, child, 10_000);
        const page = await fetch(`http://127.0.0.1:${port}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
      } finally {
        expect(await stopAndWait(child)).toBe(0);
      }
    },
    30_000,
  );
});
