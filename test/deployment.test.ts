import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { createApp } from '../adapters/http/app.js';
import { createLogger } from '../adapters/logging.js';
import { MemorySessionStore } from '../adapters/stores/memory-store.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/content/load.js';

/** The deployment files agree with the code: a variable added to the config must be documented. */

const read = (path: string) => readFileSync(path, 'utf8');

/** Variable names of the zod schema in src/config.ts (the keys of `z.object({...})`). */
function configVariables(): string[] {
  const source = read('src/config.ts');
  const body = /z\s*\.object\(\{([\s\S]*?)\n\s*\}\)/.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

/** KEY=value lines, and `# KEY=value` lines (documented, left commented out). */
function envExample(): Map<string, { value: string; commented: boolean }> {
  const vars = new Map<string, { value: string; commented: boolean }>();
  for (const line of read('.env.example').split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) vars.set(match[2]!, { value: match[3]!, commented: Boolean(match[1]) });
  }
  return vars;
}

describe('.env.example', () => {
  it('when the configuration schema is read, then .env.example names every variable with a comment above it', () => {
    const names = configVariables();
    expect(names.length).toBeGreaterThan(30);
    const documented = envExample();
    const missing = names.filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
    const lines = read('.env.example').split('\n');
    for (const name of names) {
      const index = lines.findIndex((line) => new RegExp(`^(#\\s*)?${name}=`).test(line));
      expect(
        lines.slice(0, index).some((line) => line.startsWith('#')),
        name,
      ).toBe(true);
    }
  });

  it('when .env.example is loaded with the secrets filled in and the compose overrides, then the production configuration is valid', () => {
    const env: Record<string, string> = {};
    for (const [name, { value, commented }] of envExample()) if (!commented) env[name] = value;
    const config = loadConfig({
      ...env,
      PHONE_HASH_KEY: 'k'.repeat(32),
      WEBHOOK_TOKEN: 't'.repeat(32),
      REDIS_URL: 'redis://redis:6379',
      TRUST_PROXY: 'uniquelocal',
    });
    expect(config.production).toBe(true);
    expect(config.simulatorEnabled).toBe(false);
  });
});

describe('docker-compose.yml and deploy/nginx.conf', () => {
  const compose = read('docker-compose.yml');
  const nginx = read('deploy/nginx.conf');

  it('when Redis is configured, then it persists with an append-only file fsynced on every write', () => {
    expect(compose).toMatch(/--appendonly\s+- 'yes'/);
    expect(compose).toMatch(/--appendfsync\s+- always/);
    expect(compose).toMatch(/redis-data:\/data/);
  });

  it('when nginx balances, then its upstream is exactly the bot services of the compose file on the port the image exposes', () => {
    const services = [...compose.matchAll(/^ {2}(bot-\d+):$/gm)].map((m) => m[1]);
    const upstream = [...nginx.matchAll(/^\s+server (bot-\d+):(\d+)/gm)];
    expect(services.length).toBeGreaterThanOrEqual(2);
    expect(upstream.map((m) => m[1])).toEqual(services);
    const exposed = /^EXPOSE (\d+)$/m.exec(read('Dockerfile'))?.[1];
    for (const m of upstream) expect(m[2]).toBe(exposed);
    expect(compose).toContain(`PORT: '${exposed}'`);
    expect(compose).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('when requests pass through nginx, then no access log records their URLs and /metrics is not exposed', () => {
    expect(nginx).toMatch(/access_log off;/);
    expect(nginx).toMatch(/location = \/metrics \{\s+return 404;/);
  });
});

describe('TRUST_PROXY', () => {
  async function clientAddress(trustProxy: string | undefined): Promise<string> {
    const config = loadConfig({ NODE_ENV: 'test', ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}) });
    const store = new MemorySessionStore();
    const app = createApp({
      config,
      logger: createLogger('silent'),
      corpus: loadCorpus(config.CONTENT_FILE),
      store,
      routes: [{ path: '/ip', router: Router().get('/', (req, res) => void res.send(req.ip)) }],
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/ip`, {
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      return await res.text();
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    }
  }

  it('when the proxy is trusted (default loopback, or a hop count), then the client address comes from X-Forwarded-For', async () => {
    expect(await clientAddress(undefined)).toBe('203.0.113.7');
    expect(await clientAddress('1')).toBe('203.0.113.7');
  });

  it('when the peer is not among the trusted proxies, then X-Forwarded-For is ignored', async () => {
    expect(await clientAddress('10.0.0.0/8')).toMatch(/127\.0\.0\.1$/);
  });

  it('when TRUST_PROXY is not a hop count nor addresses, then the configuration is refused', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone!' })).toThrow(/TRUST_PROXY/);
  });
});
